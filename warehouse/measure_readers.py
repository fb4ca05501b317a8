"""Measure readers during a multi-edition load, with real processes.

One writer process loads editions one short window at a time
(``load_edition_atomic``; every few editions it also replaces an earlier one
with a corrected issue) while one reader process queries in a loop and
checks every edition it sees for completeness (``editions.page_count`` /
``article_count`` / ``people_count`` against the rows actually present, and
no article or page without its edition).

Two reader modes:
  snapshot  ``open_reader(db)``: the published ``<db>.snapshot.duckdb``
  live      ``open_reader(db, prefer_snapshot=False)``: the warehouse file
            itself, retrying while the writer holds it

    python -m warehouse.measure_readers [--editions 12] [--pause 0.05]

prints one JSON object per mode: queries run, partial editions seen, the
longest a query waited to open (the time a BI user is blocked), and the
writer's own lock waits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHECK_SQL = """
SELECT e.edition_id, e.page_count, e.article_count, e.people_count,
       (SELECT count(*) FROM pages p WHERE p.edition_id = e.edition_id),
       (SELECT count(*) FROM articles a WHERE a.edition_id = e.edition_id),
       (SELECT count(*) FROM article_people ap JOIN articles a USING (article_id)
         WHERE a.edition_id = e.edition_id)
FROM editions e
"""
ORPHANS_SQL = """
SELECT (SELECT count(*) FROM articles a WHERE a.edition_id NOT IN (SELECT edition_id FROM editions))
     + (SELECT count(*) FROM pages p WHERE p.edition_id NOT IN (SELECT edition_id FROM editions))
"""


def run_writer(db: Path, editions: int, done: Path) -> dict[str, Any]:
    """Load ``editions`` editions (plus corrections) in short windows."""
    from warehouse.demo import demo_edition
    from warehouse.store import Warehouse, load_edition_atomic

    waits: list[float] = []
    original = Warehouse.connect
    windows = 0

    def timed_connect(*args: Any, **kwargs: Any) -> Warehouse:
        wh = original(*args, **kwargs)
        waits.append(wh.lock_wait_seconds)
        return wh

    Warehouse.connect = timed_connect  # type: ignore[method-assign]
    start = time.monotonic()
    day0 = dt.date(2022, 4, 1)
    try:
        for i in range(editions):
            ed = demo_edition("gxsb", day0 + dt.timedelta(days=i), pages=4, articles_per_page=3)
            load_edition_atomic(db, ed, f"run-{i}", "measure")
            windows += 1
            if i % 3 == 2:
                fix = demo_edition("gxsb", day0 + dt.timedelta(days=i - 1), variant=1, pages=3, articles_per_page=2)
                load_edition_atomic(db, fix, f"run-{i}-fix", "measure")
                windows += 1
    finally:
        Warehouse.connect = original  # type: ignore[method-assign]
        done.write_text("done")
    return {
        "windows": windows,
        "seconds": round(time.monotonic() - start, 3),
        "writer_lock_wait_max_s": round(max(waits, default=0.0), 4),
        "writer_lock_wait_total_s": round(sum(waits), 4),
    }


def run_reader(db: Path, mode: str, done: Path, poll: float = 0.02) -> dict[str, Any]:
    """Query in a loop until the writer is done; count partial editions."""
    from warehouse.store import open_reader, snapshot_path

    open_waits: list[float] = []  # whole open, lock waits included
    lock_waits: list[float] = []  # waiting for the writer's lock only
    query_times: list[float] = []
    partial: list[str] = []
    seen_editions = 0
    queries = 0
    errors: list[str] = []
    target = snapshot_path(db) if mode == "snapshot" else db
    while not target.exists() and not done.exists():
        time.sleep(0.005)
    final = False
    while True:
        if done.exists():
            final = True  # one last look after the writer finished
        t0 = time.monotonic()
        try:
            wh = open_reader(db, prefer_snapshot=(mode == "snapshot"), timeout=120.0)
        except Exception as exc:  # an open that failed outright is a blocked reader too
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
            if final:
                break
            continue
        t1 = time.monotonic()
        try:
            rows = wh.sql(CHECK_SQL)
            orphans = wh.sql(ORPHANS_SQL)[0][0]
        finally:
            wh.close()
        t2 = time.monotonic()
        open_waits.append(t1 - t0)
        lock_waits.append(wh.lock_wait_seconds)
        query_times.append(t2 - t1)
        queries += 1
        seen_editions = max(seen_editions, len(rows))
        for eid, pages, arts, people, n_pages, n_arts, n_people in rows:
            if (pages, arts, people) != (n_pages, n_arts, n_people):
                partial.append(f"{eid}: expected {(pages, arts, people)} saw {(n_pages, n_arts, n_people)}")
        if orphans:
            partial.append(f"{orphans} rows without their edition")
        if final:
            break
        time.sleep(poll)  # a dashboard polls; it does not spin
    return {
        "mode": mode,
        "queries": queries,
        "partial_editions_seen": len(partial),
        "partial_examples": partial[:3],
        "max_editions_seen": seen_editions,
        "open_wait_max_s": round(max(open_waits, default=0.0), 4),
        "lock_wait_max_s": round(max(lock_waits, default=0.0), 4),
        "open_wait_median_s": round(statistics.median(open_waits), 4) if open_waits else None,
        "query_max_s": round(max(query_times, default=0.0), 4),
        "errors": errors[:3],
    }


def measure(mode: str = "snapshot", editions: int = 12, pause: float = 0.05, workdir: Path | None = None) -> dict[str, Any]:
    """Run a writer and a reader process against a fresh warehouse; figures as a dict.

    ``pause`` seconds are slept at each of the load's pause points inside its
    transaction (the test hook), so transactions stay open long enough for a
    reader to try to see them half done.
    """
    tmp = Path(workdir or tempfile.mkdtemp(prefix="broadsheet-readers-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / f"{mode}.duckdb"
    done = tmp / f"{mode}.done"
    done.unlink(missing_ok=True)
    env = dict(os.environ)
    env["BROADSHEET_WAREHOUSE_PAUSE"] = str(pause)
    cmd = [sys.executable, "-m", "warehouse.measure_readers"]
    writer = subprocess.Popen(cmd + ["--role", "writer", "--db", str(db), "--done", str(done),
                                     "--editions", str(editions)],
                              env=env, stdout=subprocess.PIPE, text=True)
    reader = subprocess.Popen(cmd + ["--role", "reader", "--mode", mode, "--db", str(db), "--done", str(done)],
                              stdout=subprocess.PIPE, text=True)
    w_out, _ = writer.communicate(timeout=600)
    r_out, _ = reader.communicate(timeout=600)
    if writer.returncode or reader.returncode:
        raise RuntimeError(f"writer rc {writer.returncode}, reader rc {reader.returncode}")
    w = json.loads(w_out.strip().splitlines()[-1])
    r = json.loads(r_out.strip().splitlines()[-1])
    return {**r, **{f"writer_{k}" if not k.startswith("writer") else k: v for k, v in w.items()},
            "pause_s": pause, "editions": editions}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--role", choices=["measure", "writer", "reader"], default="measure")
    p.add_argument("--mode", choices=["snapshot", "live", "both"], default="both")
    p.add_argument("--db", type=Path)
    p.add_argument("--done", type=Path)
    p.add_argument("--editions", type=int, default=12)
    p.add_argument("--pause", type=float, default=0.05)
    args = p.parse_args(argv)
    if args.role == "writer":
        print(json.dumps(run_writer(args.db, args.editions, args.done)), flush=True)
    elif args.role == "reader":
        print(json.dumps(run_reader(args.db, args.mode, args.done)), flush=True)
    else:
        modes = ["snapshot", "live"] if args.mode == "both" else [args.mode]
        for mode in modes:
            print(json.dumps(measure(mode, args.editions, args.pause), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
