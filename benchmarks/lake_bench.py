"""DuckLake on one PostgreSQL catalog: 1 loader process against 4 at once.

    python benchmarks/lake_bench.py                       # 32 editions, windows of 8, 1 and 4 loaders
    python benchmarks/lake_bench.py --editions 64 --loaders 1,4,1,4 --json out.json   # interleaved runs

A temporary PostgreSQL server is started the way the tests start theirs
(``tests/pgserver.py``: initdb + pg_ctl on a temp dir and port, as ``nobody``
when root), with a fresh catalog database and a fresh Parquet data folder
for each run.  The editions are ``load_bench.py``'s synthetic backfill: the
30 parsed editions of ``ingest_bench.py``'s folder reused under new papers and
dates, so only the load path is timed.  Edition ``i`` goes to loader
``i % L``; with 4 loaders each loads its own paper (``synth-<k>``), as one
host per paper would.  Every loader is a separate process that opens the lake
(``ducklake:postgres:... DATA_PATH=...``; this attach, the extensions' LOAD
and the migration check are untimed, as in a loader that is already
running), waits for the others, then loads
its editions in writer windows (as ``flows.batch_flow.load_window_plain``:
per edition ``start_run`` + ``load_edition`` + ``finish_run``, then the
window's FTS/IDF checks), each edition one DuckLake transaction retried on a
commit conflict.  ``retried`` counts broadsheet's retries of a whole edition
after a DuckLake conflict; ``pg rollbacks`` counts the catalog database's
rolled-back transactions, which also holds DuckLake's own retries of a
commit that lost the race for the next snapshot id.  The aggregate rate is editions over the wall time from the first
loader's start to the last one's end.  Afterwards the catalog is checked:
every edition once (none lost, none duplicated), one ``loaded`` run each, all
articles there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))


def _base() -> tuple[list, list]:
    from load_bench import parsed_editions

    from warehouse.store import search_texts

    base = parsed_editions()
    return base, [search_texts(e) for e in base]


def _cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def loader(args: argparse.Namespace) -> int:
    """One loader process: its share of the editions, in writer windows, after the go signal.

    The window is ``flows.batch_flow.load_window_plain``'s (what ``broadsheet ingest``
    does per window, without Prefect), written out here to read the lake's count of
    commits retried after a conflict with another loader."""
    import uuid

    from load_bench import synthetic

    import warehouse
    from flows.batch_flow import close_window

    base, texts = _base()
    mine = [i for i in range(args.editions) if i % args.of == args.loader]
    with warehouse.open_writer(args.db) as wh:  # untimed: attach (LOAD of the extensions, the PostgreSQL
        wh.schema_version()                      # connection) and the migration check, as a running loader has
    Path(args.ready).touch()
    while not Path(args.go).exists():
        time.sleep(0.01)
    t0, c0 = time.time(), _cpu()
    conflicts, statuses = 0, []
    for w in range(0, len(mine), args.window):
        with warehouse.open_writer(args.db) as wh:
            for i in mine[w:w + args.window]:
                ed, run_id = synthetic(base, i), uuid.uuid4().hex
                wh.start_run(run_id, "", "bench", ed.publication, ed.edition_date)
                status = wh.load_edition(ed, run_id=run_id, code_version="bench", texts=texts[i % len(base)]).status
                wh.finish_run(run_id, status, {"files": len(ed.files), "pages": len(ed.pages),
                                               "articles": len(ed.articles)})
                statuses.append(status)
            close_window(wh, final=w + args.window >= len(mine))
            conflicts += getattr(wh, "conflicts", 0)
    t1 = time.time()
    Path(args.out).write_text(json.dumps({"start": t0, "end": t1, "editions": len(mine), "cpu_s": _cpu() - c0,
                                          "conflicts": conflicts, "statuses": statuses}))
    return 0


def run(db: str, editions: int, loaders: int, window: int, tmp: Path) -> dict:
    """``loaders`` processes load ``editions`` editions into the lake ``db``; timings and the check."""
    import warehouse
    from load_bench import synthetic

    with warehouse.open_writer(db) as wh:  # create and migrate the catalog once, untimed
        wh.schema_version()
    procs, outs = [], []
    go = tmp / f"go-{loaders}"
    for k in range(loaders):
        out, ready = tmp / f"loader-{loaders}-{k}.json", tmp / f"ready-{loaders}-{k}"
        outs.append((out, ready))
        procs.append(subprocess.Popen(
            [sys.executable, __file__, "--loader", str(k), "--of", str(loaders), "--db", db,
             "--editions", str(editions), "--window", str(window), "--go", str(go), "--ready", str(ready),
             "--out", str(out)], cwd=REPO, stderr=subprocess.PIPE, text=True))
    while not all(r.exists() for _, r in outs):
        if any(p.poll() not in (None, 0) for p in procs):
            break
        time.sleep(0.05)
    go.touch()
    errors = []
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            errors.append(err[-3000:])
    if errors:
        raise RuntimeError("a loader failed:\n" + "\n".join(errors))
    res = [json.loads(o.read_text()) for o, _ in outs]
    wall = max(r["end"] for r in res) - min(r["start"] for r in res)

    base, _ = _base()
    expected = {f"{e.publication}-{e.edition_date.isoformat()}": len(e.articles)
                for e in (synthetic(base, i) for i in range(editions))}
    with warehouse.open_reader(db) as wh:
        rows = wh.sql("SELECT edition_id, count(*) FROM editions GROUP BY edition_id")
        arts = dict(wh.sql("SELECT edition_id, count(*) FROM articles GROUP BY edition_id"))
        runs = wh.sql("SELECT count(*), count(DISTINCT publication || edition_date) FROM ingest_runs "
                      "WHERE status = 'loaded'")[0]
    got = dict(rows)
    lost = sorted(set(expected) - set(got))
    duplicated = sorted(e for e, n in got.items() if n > 1)
    wrong_articles = sorted(e for e, n in expected.items() if arts.get(e, 0) != n)
    return {"loaders": loaders, "editions": editions, "wall_s": wall, "editions_per_s": editions / wall,
            "cpu_s_per_edition": sum(r["cpu_s"] for r in res) / editions,
            "conflicts_retried": sum(r["conflicts"] for r in res),
            "statuses": sorted({s for r in res for s in r["statuses"]}),
            "lost": len(lost), "duplicated": len(duplicated), "extra": len(set(got) - set(expected)),
            "wrong_article_counts": len(wrong_articles), "loaded_runs": runs[0], "distinct_run_editions": runs[1]}


@contextlib.contextmanager
def _removed(path: Path):
    """The benchmark's temp folder (Parquet data, loader files), removed afterwards."""
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--editions", type=int, default=32)
    ap.add_argument("--loaders", default="1,4")
    ap.add_argument("--window", type=int, default=8)
    ap.add_argument("--json", default=None)
    # one loader process (internal)
    ap.add_argument("--loader", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--of", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--go", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--ready", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.loader is not None:
        return loader(args)

    from tests.pgserver import PgServer

    _base()  # parse (or read the cached parse) once, before any timing
    tmp = Path(tempfile.mkdtemp(prefix="broadsheet-lake-bench-"))
    results = []
    with PgServer.start() as srv, _removed(tmp):
        version = srv.psql("SHOW server_version")
        print(f"DuckLake on PostgreSQL {version} (temporary server, fsync off), {args.editions} synthetic editions, "
              f"windows of {args.window}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"{'loaders':>7} {'wall s':>8} {'editions/s':>11} {'CPU s/ed':>9} "
              f"{'lost':>5} {'dup':>4} {'runs':>5} {'retried':>8} {'pg rollbacks':>13} {'load avg':>9}")
        for k, n in enumerate(int(x) for x in args.loaders.split(",")):  # in the order given: 1,4,1,4 interleaves
            dsn = srv.create_database(f"lake_{k}_{n}")
            db = f"ducklake:postgres:{dsn} DATA_PATH={tmp / f'data-{k}-{n}'}/"
            r = run(db, args.editions, n, args.window, tmp)
            r["load_average"] = os.getloadavg()[0]
            time.sleep(1.5)  # the loaders' sessions flush their statistics on exit
            commits, rollbacks = srv.psql("SELECT xact_commit, xact_rollback FROM pg_stat_database "
                                          f"WHERE datname = 'lake_{k}_{n}'").split("|")
            r["pg_commits"], r["pg_rollbacks"] = int(commits), int(rollbacks)
            results.append(r)
            print(f"{n:>7} {r['wall_s']:>8.1f} {r['editions_per_s']:>11.2f} "
                  f"{r['cpu_s_per_edition']:>9.2f} {r['lost']:>5} {r['duplicated']:>4} "
                  f"{r['loaded_runs']:>5} {r['conflicts_retried']:>8} {r['pg_rollbacks']:>13} "
                  f"{r['load_average']:>9.1f}", flush=True)
    rates: dict[int, list[float]] = {}
    for r in results:
        rates.setdefault(r["loaders"], []).append(r["editions_per_s"])
    if 1 in rates:
        one = sum(rates[1]) / len(rates[1])
        for n, rs in sorted(rates.items()):
            if n != 1:
                print(f"{n} loaders against 1: {sum(rs) / len(rs) / one:.2f}x the aggregate editions/s "
                      f"(mean of {len(rs)} and {len(rates[1])} runs)")
    ok = all(r["lost"] == r["duplicated"] == r["extra"] == r["wrong_article_counts"] == 0
             and r["loaded_runs"] == r["distinct_run_editions"] == args.editions and r["statuses"] == ["loaded"]
             for r in results)
    print("every edition loaded exactly once, with its articles and one loaded run" if ok
          else "MISMATCH: editions lost, duplicated or incomplete (see the table)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
