"""Throughput and peak memory of every stage against the pdfplumber baseline.

    python benchmarks/bench.py --pages 20 --json out.json
    python benchmarks/bench.py --scaling            # 10 / 100 pages
    python benchmarks/bench.py --scaling --scaling-max 1000

Each row is measured in a fresh Python process so its peak RSS (VmHWM from
/proc/self/status, which sees C allocations too; ``ru_maxrss`` would carry
the parent's peak over fork+exec) is its own.  With more than one
worker the pages are split over a process pool and the row's time is the
slowest worker's; memory is reported per process.  Stages that need earlier
stages (layout needs pages, segment needs layouts...) run those untimed first.
Rows whose module is missing print "not available".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

EDITION_DATE = dt.date(2022, 4, 6)
PUBLICATION = "bench"

ROWS: list[tuple[str, str]] = [
    ("plumber_text", "pdfplumber extract_text() (baseline)"),
    ("imports", "Python with every stage imported, no work (memory floor)"),
    ("plumber_chars", "pdfplumber .chars"),
    ("plumber_extract", "tasks.extract engine=pdfplumber (chars, rulings, boxes)"),
    ("pdfium_extract", "tasks.extract engine=pdfium (chars, rulings, boxes)"),
    ("layout", "tasks.layout.layout_page"),
    ("segment", "tasks.segment.segment_edition"),
    ("tag", "tasks.tag.tag_article"),
    ("load", "warehouse.store load_edition_atomic"),
    ("pipeline", "tasks.pipeline.process_files (extract→tag, no load)"),
]
BASELINE = "plumber_text"


# --------------------------------------------------------------------------
# the load: N single-page files of dense 7-column CJK text
# --------------------------------------------------------------------------


def page_text_kind() -> str:
    """Generated news text when the corpus text bank exists, else random characters."""
    import importlib.util

    return "news" if importlib.util.find_spec("tasks.evaluation.texts") else "random"


def make_pages(n: int, workdir: Path) -> list[Path]:
    """``n`` one-page PDFs of 7 columns of 7 pt CJK text (~11k chars each), cached in ``workdir``."""
    from tasks.evaluation.hostile import write_dense_pdf

    kind = page_text_kind()
    d = workdir / f"dense7-{kind}"
    d.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        f = d / f"page_{i + 1:04d}.pdf"
        if not f.exists():
            write_dense_pdf(f, pages=1, columns=7, size=7.0, seed=i, first_page=i + 1, text=kind)
        files.append(f)
    return files


# --------------------------------------------------------------------------
# one row = a function of some files -> (pages, seconds of the timed stage)
# --------------------------------------------------------------------------


_CPU: list[float] = []  # CPU seconds of the last timed stage in this process


def _timed(fn: Callable[[], object]) -> tuple[object, float]:
    """``fn()`` and its wall seconds; its CPU seconds go to ``_CPU``."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    _CPU[:] = [time.process_time() - c]
    return out, time.perf_counter() - t


def row_imports(files: list[str]) -> tuple[int, float]:
    _CPU[:] = [0.0]
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    for mod in ("tasks.extract", "tasks.layout", "tasks.segment", "tasks.tag", "tasks.pipeline", "warehouse.store"):
        try:
            __import__(mod)
        except ImportError:
            pass
    return len(files), 0.0


def row_plumber_text(files: list[str]) -> tuple[int, float]:
    import pdfplumber

    def run():
        n = 0
        for f in files:
            with pdfplumber.open(f) as pdf:
                for p in pdf.pages:
                    p.extract_text()
                    n += 1
                    p.close()
        return n

    return _timed(run)  # type: ignore[return-value]


def row_plumber_chars(files: list[str]) -> tuple[int, float]:
    import pdfplumber

    def run():
        n = 0
        for f in files:
            with pdfplumber.open(f) as pdf:
                for p in pdf.pages:
                    len(p.chars)
                    n += 1
                    p.close()
        return n

    return _timed(run)  # type: ignore[return-value]


def _extract(files: list[str], engine: str):
    from tasks.extract import extract_pages

    return [p for f in files for p in extract_pages(f, engine=engine)]


def row_plumber_extract(files: list[str]) -> tuple[int, float]:
    pages, s = _timed(lambda: _extract(files, "pdfplumber"))
    return len(pages), s  # type: ignore[arg-type]


def row_pdfium_extract(files: list[str]) -> tuple[int, float]:
    pages, s = _timed(lambda: _extract(files, "pdfium"))
    return len(pages), s  # type: ignore[arg-type]


def _layouts(files: list[str]):
    from tasks.layout import layout_page

    return [layout_page(p) for p in _extract(files, "pdfium")]


def row_layout(files: list[str]) -> tuple[int, float]:
    from tasks.layout import layout_page

    pages = _extract(files, "pdfium")
    layouts, s = _timed(lambda: [layout_page(p) for p in pages])
    return len(layouts), s  # type: ignore[arg-type]


def row_segment(files: list[str]) -> tuple[int, float]:
    from tasks.segment import segment_edition

    layouts = _layouts(files)
    _arts, s = _timed(lambda: segment_edition(layouts, PUBLICATION, EDITION_DATE))
    return len(layouts), s


def row_tag(files: list[str]) -> tuple[int, float]:
    from tasks.segment import segment_edition
    from tasks.tag import tag_article

    layouts = _layouts(files)
    articles = segment_edition(layouts, PUBLICATION, EDITION_DATE)
    _tagged, s = _timed(lambda: [tag_article(a) for a in articles])
    return len(layouts), s


def row_load(files: list[str]) -> tuple[int, float]:
    from tasks.pipeline import process_files
    from warehouse.store import load_edition_atomic

    edition = process_files(list(files), publication=PUBLICATION, edition_date=EDITION_DATE)
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as d:
        db = Path(d) / "bench.duckdb"
        _res, s = _timed(lambda: load_edition_atomic(db, edition, run_id="bench", code_version="bench"))
    return len(edition.pages), s


def row_pipeline(files: list[str]) -> tuple[int, float]:
    from tasks.pipeline import process_files

    edition, s = _timed(lambda: process_files(list(files), publication=PUBLICATION, edition_date=EDITION_DATE))
    return len(edition.pages), s  # type: ignore[attr-defined]


ROW_FUNCS: dict[str, Callable[[list[str]], tuple[int, float]]] = {
    "imports": row_imports,
    "plumber_text": row_plumber_text,
    "plumber_chars": row_plumber_chars,
    "plumber_extract": row_plumber_extract,
    "pdfium_extract": row_pdfium_extract,
    "layout": row_layout,
    "segment": row_segment,
    "tag": row_tag,
    "load": row_load,
    "pipeline": row_pipeline,
}

ROW_NEEDS: dict[str, tuple[str, ...]] = {
    "layout": ("tasks.layout",),
    "segment": ("tasks.layout", "tasks.segment"),
    "tag": ("tasks.layout", "tasks.segment", "tasks.tag"),
    "load": ("tasks.pipeline", "warehouse.store"),
    "pipeline": ("tasks.pipeline",),
}


def available(row: str) -> str | None:
    """None when the row's modules exist, else why not (found, not imported:
    the parent stays small because children inherit nothing of it)."""
    import importlib.util

    for mod in ROW_NEEDS.get(row, ()):
        try:
            if importlib.util.find_spec(mod) is None:
                return f"not available ({mod} is missing)"
        except ImportError as e:
            return f"not available ({mod}: {e})"
    return None


# --------------------------------------------------------------------------
# measuring one row in this (fresh) process
# --------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (MB) since it was exec'd."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _warm(_: int) -> int:
    import tasks.extract  # noqa: F401

    return os.getpid()


def _chunk_worker(args: tuple[str, list[str]]) -> tuple[int, float, float, float]:
    row, files = args
    pages, seconds = ROW_FUNCS[row](files)
    return pages, seconds, _CPU[0], _peak_rss_mb()


def measure(row: str, files: list[str], workers: int) -> dict:
    """Run one row here; pages, seconds and peak RSS (MB) of this process and its workers."""
    if workers <= 1:
        pages, seconds = ROW_FUNCS[row](files)
        return {"pages": pages, "seconds": seconds, "cpu_seconds": _CPU[0], "rss_mb": _peak_rss_mb(),
                "worker_rss_mb": None}
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    chunks = [files[k::workers] for k in range(workers)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        list(pool.map(_warm, range(workers)))  # start-up is not the stage's cost
        results = list(pool.map(_chunk_worker, [(row, c) for c in chunks if c]))
    return {
        "pages": sum(r[0] for r in results),
        "seconds": max(r[1] for r in results),
        "cpu_seconds": max(r[2] for r in results),  # the busiest worker's CPU time
        "rss_mb": _peak_rss_mb(),
        "worker_rss_mb": max(r[3] for r in results),
    }


def measure_in_subprocess(row: str, files: list[Path], workers: int, timeout_s: float) -> dict:
    """``measure`` in a fresh interpreter, so peak memory is the row's own."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump([str(f) for f in files], fh)
        list_path = fh.name
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--_measure", row, "--_files", list_path, "--workers", str(workers)],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            cwd=str(REPO),
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:g} s"}
    finally:
        os.unlink(list_path)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"failed: {tail}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------


def _fmt(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def run_table(files: list[Path], workers_list: list[int], rows: list[str], timeout_s: float) -> list[dict]:
    """Every row at every worker count; speed ratios are on CPU time (robust to a busy machine)."""
    results: list[dict] = []
    base: dict | None = None
    print(f"{len(files)} pages of dense 7-column CJK text ({page_text_kind()}, ~11k chars a page), "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n")
    head = (f"{'row':<16} {'workers':>7} {'pages/s':>8} {'cpu p/s':>8} {'x base':>7} {'cpu s/pg':>8} "
            f"{'peak MB':>8} {'x mem':>6}  what")
    print(head)
    print("-" * len(head))
    for workers in workers_list:
        for row in rows:
            why = available(row)
            entry: dict = {"row": row, "workers": workers, "what": dict(ROWS)[row]}
            if why:
                entry["error"] = why
            else:
                entry.update(measure_in_subprocess(row, files, workers, timeout_s))
            results.append(entry)
            if "error" in entry:
                print(f"{row:<16} {workers:>7} {entry['error']}")
                continue
            pages, wall, cpu = entry["pages"], entry["seconds"], entry["cpu_seconds"]
            entry["peak_mb"] = max(entry["rss_mb"], entry.get("worker_rss_mb") or 0.0)
            entry["pages_per_s"] = pages / wall if wall > 0 else None
            entry["cpu_pages_per_s"] = pages / cpu if cpu > 0 else None  # with N workers: busiest worker
            entry["cpu_s_per_page"] = cpu / pages if pages else None
            if row == BASELINE and workers == 1:
                base = entry
            if base and entry["cpu_pages_per_s"] and base.get("cpu_pages_per_s"):
                entry["speed_vs_baseline"] = entry["cpu_pages_per_s"] / base["cpu_pages_per_s"]
            if base and base.get("peak_mb"):
                entry["memory_vs_baseline"] = entry["peak_mb"] / base["peak_mb"]
            if row == "imports":
                print(f"{row:<16} {workers:>7} {'':>8} {'':>8} {'':>7} {'':>8} {entry['peak_mb']:8.0f} "
                      f"{_fmt(entry.get('memory_vs_baseline'), '5.2f')}x  {entry['what']}")
                continue
            print(
                f"{row:<16} {workers:>7} {_fmt(entry['pages_per_s'], '8.2f')} {_fmt(entry['cpu_pages_per_s'], '8.2f')} "
                f"{_fmt(entry.get('speed_vs_baseline'), '6.2f')}x {_fmt(entry['cpu_s_per_page'], '8.3f')} "
                f"{entry['peak_mb']:8.0f} {_fmt(entry.get('memory_vs_baseline'), '5.2f')}x  {entry['what']}"
            )
        print()
    return results


def run_scaling(workdir: Path, sizes: list[int], rows: list[str], timeout_s: float) -> list[dict]:
    print("scaling: seconds per page should stay flat if the cost is linear\n")
    print(f"{'row':<16} " + " ".join(f"{n:>10}p" for n in sizes) + "   (CPU s/page)")
    out: list[dict] = []
    for row in rows:
        why = available(row)
        cells = []
        for n in sizes:
            entry: dict = {"row": row, "pages_requested": n, "workers": 1}
            if why:
                entry["error"] = why
            else:
                entry.update(measure_in_subprocess(row, make_pages(n, workdir), 1, timeout_s))
            if "error" not in entry and entry["pages"]:
                entry["s_per_page"] = entry["seconds"] / entry["pages"]
                entry["cpu_s_per_page"] = entry["cpu_seconds"] / entry["pages"]
                cells.append(f"{entry['cpu_s_per_page']:>11.4f}")
            else:
                cells.append(f"{'n/a':>11}")
            out.append(entry)
        errors = sorted({e["error"] for e in out if e["row"] == row and "error" in e})
        print(f"{row:<16} " + " ".join(cells) + (f"   {errors[0]}" if errors else ""))
    print()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20, help="dense pages to generate (default 20)")
    ap.add_argument("--workers", default="1,2", help="worker counts, comma separated (default 1,2)")
    ap.add_argument("--rows", default=",".join(r for r, _ in ROWS), help="rows to run, comma separated")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--scaling", action="store_true", help="cost per page at 10, 100 (and --scaling-max) pages")
    ap.add_argument("--scaling-max", type=int, default=100, help="largest scaling size (e.g. 1000)")
    ap.add_argument("--scaling-rows", default="pdfium_extract,layout,pipeline")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "broadsheet-bench")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per measurement")
    ap.add_argument("--_measure", help=argparse.SUPPRESS)
    ap.add_argument("--_files", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._measure:  # child: one row, one JSON line on stdout
        files = json.loads(Path(args._files).read_text())
        try:
            result = measure(args._measure, files, int(args.workers))
        except ImportError as e:
            result = {"error": f"not available ({e})"}
        print(json.dumps(result))
        return 0

    report: dict = {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": sys.version.split()[0],
        "page_text": page_text_kind(),
    }
    if args.scaling:
        sizes = [n for n in (10, 100, 1000) if n <= args.scaling_max]
        if args.scaling_max not in sizes:
            sizes.append(args.scaling_max)
        report["scaling"] = run_scaling(args.workdir, sizes, args.scaling_rows.split(","), args.timeout)
    else:
        files = make_pages(args.pages, args.workdir)
        workers = [int(w) for w in args.workers.split(",")]
        report["pages"] = len(files)
        report["rows"] = run_table(files, workers, args.rows.split(","), args.timeout)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
