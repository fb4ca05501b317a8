"""Load cost per edition as the warehouse grows: a synthetic backfill that reuses parsed pages.

    python benchmarks/load_bench.py                          # checkpoints 10, 1000, 10000
    python benchmarks/load_bench.py --checkpoints 10,100,1000 --window 16
    python benchmarks/load_bench.py --json out.json

The editions of ``ingest_bench.py``'s folder (30 Chinese editions, 1-4 pages)
are parsed, segmented and tagged once (cached as a pickle); the backfill then
loads copies of them under new dates (publication ``synth-<k>``, one edition
a day), so only the load path is timed.  Beyond ``--real-fill`` editions the
warehouse is grown to each checkpoint by ``warehouse.synthetic.grow`` (SQL
clones of loaded editions, BM25 index rebuilt), untimed.  The timed editions
take the same writer windows as
``broadsheet ingest`` (``flows.batch``: open, per edition ``start_run`` +
``load_edition`` + ``finish_run``, then FTS check, IDF check, one snapshot
publication, close).  At each checkpoint N (editions already in the
warehouse) it times the next ``--sample`` editions and reports seconds per
edition: the load itself, and the window's fixed cost (open, FTS/IDF checks,
snapshot publication, close) divided by the editions in it.  Each sample includes
one reload of an old edition with changed text (what a correction costs;
the blocks it frees are what ``Warehouse.compact_on_close`` reclaims).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CACHE = Path(tempfile.gettempdir()) / "broadsheet-bench"


def parsed_editions() -> list:
    """The bench folder's editions through every stage but the load (cached)."""
    import tasks

    pkl = CACHE / f"editions-30x1-4.parsed-v{tasks.PARSER_VERSION}.pkl"
    if pkl.exists():
        eds = pickle.loads(pkl.read_bytes())
        try:
            [dataclasses.replace(e) for e in eds]  # made by this code's dataclasses
            return eds
        except (AttributeError, TypeError):
            pass
    sys.path.insert(0, str(REPO / "benchmarks"))
    from ingest_bench import editions_dir

    from tasks.pipeline import process_files

    folder = editions_dir(30, 1, 4)
    eds = [process_files([d], guarded=False) for d in sorted(p for p in folder.glob("*/*") if p.is_dir())]
    pkl.write_bytes(pickle.dumps(eds))
    return eds


def synthetic(base: list, i: int, variant: int = 0):
    """Edition ``i`` of the backfill: a parsed edition under a new paper and date."""
    src = base[i % len(base)]
    pub = f"synth-{i % 4}"
    date = dt.date(1990, 1, 1) + dt.timedelta(days=i // 4)
    arts = []
    for a in src.articles:
        paragraphs = list(a.paragraphs)
        if variant and paragraphs:
            paragraphs[0] = paragraphs[0] + f" ({variant})"
        arts.append(dataclasses.replace(a, publication=pub, edition_date=date, paragraphs=paragraphs))
    return dataclasses.replace(src, publication=pub, edition_date=date, articles=arts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoints", default="10,1000,10000")
    ap.add_argument("--sample", type=int, default=48, help="editions timed at each checkpoint")
    ap.add_argument("--window", type=int, default=16)
    ap.add_argument("--reload-every", type=int, default=1, help="0: no reload in the timed sample")
    ap.add_argument("--real-fill", type=int, default=100,
                    help="editions loaded through the real path before cloning takes over the fill")
    ap.add_argument("--db", default=None, help="warehouse file (default: a temporary one)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    from flows.batch_flow import load_window_plain
    from warehouse.store import Warehouse, snapshot_path

    from warehouse.store import search_texts

    base = parsed_editions()
    base_texts = [search_texts(e) for e in base]  # made by the parse workers in a real ingest
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    tmp = tempfile.mkdtemp(prefix="broadsheet-load-bench-")
    db = Path(args.db or Path(tmp) / "load.duckdb")
    results = []
    t_start = time.perf_counter()
    print(f"synthetic backfill: {len(base)} parsed editions reused, windows of {args.window}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'in warehouse':>12} {'load s/ed':>10} {'window s/ed':>12} {'total s/ed':>11} "
          f"{'file MB':>8} {'free %':>7} {'snapshot MB':>12}")
    from warehouse.synthetic import grow

    real = 0  # editions loaded through the real path (their own papers and dates)
    for cp in checkpoints:
        # fill to the checkpoint, untimed: real loads for the first few, clones beyond
        while real < min(cp, args.real_fill):
            n = min(args.window, min(cp, args.real_fill) - real)
            load_window_plain(db, [synthetic(base, real + k) for k in range(n)],
                              texts=[base_texts[(real + k) % len(base)] for k in range(n)])
            real += n
        with Warehouse.connect(db, read_only=True) as wh:
            have = wh.sql("SELECT count(*) FROM editions")[0][0]
        if have < cp:
            t = time.perf_counter()
            grow(db, cp)
            print(f"  (grew the warehouse to {cp} editions by cloning in {time.perf_counter() - t:.0f} s)", flush=True)
        load_s = window_s = 0.0
        timed = reloads = 0
        while timed < args.sample:
            n = min(args.window, args.sample - timed)
            eds = [synthetic(base, real + k) for k in range(n)]
            texts = [base_texts[(real + k) % len(base)] for k in range(n)]
            if args.reload_every and timed == 0 and real > 1:  # one reload per sample: what corrections cost
                eds.append(synthetic(base, real // 2, variant=real))
                texts.append(None)
                reloads += 1
            t = load_window_plain(db, eds, texts=texts)
            load_s += t["load"]
            window_s += t["window"]
            real += n
            timed += len(eds)
        with Warehouse.connect(db, read_only=True) as wh:
            size = wh.sql("SELECT total_blocks, free_blocks, block_size FROM pragma_database_size()")[0]
        file_mb = db.stat().st_size / 1e6
        free = 100.0 * size[1] / max(1, size[0])
        snap_mb = snapshot_path(db).stat().st_size / 1e6
        row = {"editions_before": cp, "timed": timed, "reloads": reloads, "load_s_per_edition": load_s / timed,
               "window_s_per_edition": window_s / timed, "total_s_per_edition": (load_s + window_s) / timed,
               "file_mb": file_mb, "free_pct": free, "snapshot_mb": snap_mb}
        results.append(row)
        print(f"{cp:>12} {row['load_s_per_edition']:>10.4f} {row['window_s_per_edition']:>12.4f} "
              f"{row['total_s_per_edition']:>11.4f} {file_mb:>8.1f} {free:>7.1f} {snap_mb:>12.1f}", flush=True)
    print(f"({time.perf_counter() - t_start:.0f} s in all)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
