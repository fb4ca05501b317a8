"""`broadsheet ingest` of many small editions against pdfplumber ``extract_text()``.

    python benchmarks/ingest_bench.py                       # 30 editions, 1-4 pages each
    python benchmarks/ingest_bench.py --large                # 8 editions of 20 pages
    python benchmarks/ingest_bench.py --editions 40 --pages-max 20 --pages-min 20
    python benchmarks/ingest_bench.py --ingest-args "--workers 1"
    python benchmarks/ingest_bench.py --json out.json
    python benchmarks/ingest_bench.py --repo ../main          # another checkout, same script

In one run, on the same pages:

- ``extract_text``: a fresh Python process opens every PDF with pdfplumber and
  calls ``page.extract_text()`` on every page (the baseline a user would
  write); wall clock of the whole process, start to exit;
- ``ingest``: ``broadsheet ingest <folder> --db <new file>`` as a subprocess,
  wall clock from start to exit, into a new warehouse each run.

Both figures are pages/s over the same page count; the ratio is
ingest / extract_text.  CPU seconds are those of every descendant: the
script is a subreaper, so a process that outlives its parent (the parse
pool's fork server, a server) is adopted, waited for and counted too.  Peak
memory is the largest single process of each (``ru_maxrss`` from
``wait4``).

The editions are made once by ``tasks.evaluation.corpus.generate_edition``
(Chinese, consecutive dates of two papers, ``--pages-min``..``--pages-max``
pages each) and cached under ``$TMPDIR/broadsheet-bench/``.  Prefect runs as
a new user's does (no ``PREFECT_API_URL``: a temporary local server), with a
``PREFECT_HOME`` kept between runs of this script so its database exists.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "broadsheet-bench"

_GENERATE = """
import datetime as dt, random, sys
from pathlib import Path
from tasks.evaluation.corpus import generate_edition
out, n, lo, hi = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(f"ingest-bench-{n}-{lo}-{hi}")
for i in range(n):
    pub = ("gxsb", "zzrb")[i % 2]
    date = dt.date(2023, 1, 1) + dt.timedelta(days=i // 2)
    if not (out / pub / date.isoformat()).exists():
        generate_edition(out, seed=1000 + i, language="zh", n_pages=rng.randint(lo, hi),
                         publication=pub, edition_date=date)
"""

_EXTRACT_TEXT = """
import sys, pdfplumber
from pathlib import Path
n = 0
for f in sorted(Path(sys.argv[1]).rglob("*.pdf")):
    with pdfplumber.open(f) as pdf:
        for p in pdf.pages:
            p.extract_text()
            n += 1
            p.close()
print(n)
"""


def editions_dir(n: int, lo: int, hi: int) -> Path:
    d = CACHE / f"editions-{n}x{lo}-{hi}"
    done = d / ".complete"
    if not done.exists():
        d.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", _GENERATE, str(d), str(n), str(lo), str(hi)],
                       check=True, cwd=REPO, env=_env())
        done.write_text("ok\n")
    return d


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


_CPU: dict[str, float] = {}


def _become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux ``PR_SET_CHILD_SUBREAPER``), so a process that
    outlives its parent (a fork server, a server a child started) is still counted here."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _role(cmdline: str, parent_cmdline: str) -> str:
    if "uvicorn" in cmdline and "prefect.server" in cmdline:
        return "Prefect temporary server"
    if "multiprocessing.forkserver" in cmdline:
        return "parse workers" if "multiprocessing.forkserver" in parent_cmdline else "pool fork server"
    if "tasks.guard" in cmdline:
        return "PDF reader children"
    if "flows.cli" in cmdline:
        return "CLI process (flow, writer)"
    if "spawn_main" in cmdline:
        return "parse workers"
    return cmdline.split(" ")[0].rsplit("/", 1)[-1] or "other"


class CpuSampler:
    """CPU seconds of each descendant by role, read from /proc every 0.1 s (the last
    sample of each process; a process's last <0.1 s and any process shorter than
    that are missed, so the sum is a little below the wait4 total)."""

    def __init__(self) -> None:
        import threading

        self.seen: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def _snapshot(self) -> None:
        procs: dict[int, tuple[int, float, str]] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
                cmd = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            procs[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / self._tick, cmd)
        mine, grew = {os.getpid()}, True
        while grew:
            grew = False
            for pid, (ppid, _cpu, _cmd) in procs.items():
                if ppid in mine and pid not in mine:
                    mine.add(pid)
                    grew = True
        for pid in mine - {os.getpid()}:
            ppid, cpu, cmd = procs[pid]
            if cmd:  # a zombie has no command line: keep its last live sample
                self.seen[pid] = (_role(cmd, procs.get(ppid, (0, 0.0, ""))[2]), cpu)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._snapshot()
            self._stop.wait(0.1)

    def __enter__(self) -> CpuSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def by_role(self) -> dict[str, tuple[int, float]]:
        out: dict[str, tuple[int, float]] = {}
        for role, cpu in self.seen.values():
            n, total = out.get(role, (0, 0.0))
            out[role] = (n + 1, total + cpu)
        return dict(sorted(out.items(), key=lambda kv: -kv[1][1]))


def run_measured(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str, str, int]:
    """(wall s, peak MB of the largest process, stdout, stderr, exit code) of ``cmd``;
    its CPU seconds (user + system of every descendant: waited ones, and orphans adopted
    as subreaper) go to ``_CPU["last"]``, and the seconds until the last descendant
    ended to ``_CPU["tail"]``."""
    subreaper = _become_subreaper()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss
        while subreaper:  # orphans reparented to us: wait for them too, count their CPU
            try:
                _p, _st, u = os.wait4(-1, 0)
            except ChildProcessError:
                break
            cpu += u.ru_utime + u.ru_stime
            peak = max(peak, u.ru_maxrss)
        _CPU["last"], _CPU["tail"] = cpu, time.perf_counter() - t - wall
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, peak / 1024.0, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), proc.returncode)


def count_pages(folder: Path) -> int:
    import pypdfium2

    n = 0
    for f in sorted(folder.rglob("*.pdf")):
        pdf = pypdfium2.PdfDocument(str(f))
        n += len(pdf)
        pdf.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--editions", type=int, default=None, help="editions (default 30, 8 with --large)")
    ap.add_argument("--pages-min", type=int, default=1)
    ap.add_argument("--pages-max", type=int, default=4)
    ap.add_argument("--large", action="store_true",
                    help="20-page editions (sets --pages-min/--pages-max 20; --editions 8 unless given)")
    ap.add_argument("--ingest-args", default="", help="extra arguments for broadsheet ingest (quoted)")
    ap.add_argument("--json", default=None, help="also write the figures here")
    ap.add_argument("--repo", default=None, metavar="DIR",
                    help="run the ingest of another checkout (e.g. the main branch, for a before/after)")
    args = ap.parse_args(argv)
    if args.repo:
        global REPO
        REPO = Path(args.repo).resolve()
    if args.large:
        args.pages_min = args.pages_max = 20
    if args.editions is None:
        args.editions = 8 if args.large else 30

    folder = editions_dir(args.editions, args.pages_min, args.pages_max)
    pages = count_pages(folder)
    load = os.getloadavg()[0]
    prefect_home = CACHE / "prefect-home"
    prefect_home.mkdir(parents=True, exist_ok=True)

    base_wall, base_mb, base_out, base_err, rc = run_measured(
        [sys.executable, "-c", _EXTRACT_TEXT, str(folder)], _env(), REPO)
    base_cpu = _CPU["last"]
    if rc != 0 or int(base_out.strip() or 0) != pages:
        print(base_err, file=sys.stderr)
        raise SystemExit(f"extract_text run failed (exit {rc})")

    with tempfile.TemporaryDirectory(prefix="broadsheet-ingest-bench-") as tmp:
        db = Path(tmp) / "bench.duckdb"
        cmd = [sys.executable, "-m", "flows.cli", "ingest", str(folder), "--db", str(db),
               *shlex.split(args.ingest_args)]
        env = _env(PREFECT_HOME=str(prefect_home))
        env.pop("PREFECT_API_URL", None)
        with CpuSampler() as sampler:
            ing_wall, ing_mb, ing_out, ing_err, rc = run_measured(cmd, env, Path(tmp))
        ing_cpu, ing_tail = _CPU["last"], _CPU["tail"]
        if rc != 0:
            print(ing_out[-3000:], ing_err[-3000:], sep="\n", file=sys.stderr)
            raise SystemExit(f"broadsheet ingest failed (exit {rc})")
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        loaded = con.execute("SELECT count(*), coalesce(sum(page_count), 0) FROM editions").fetchone()
        con.close()
        terminal_lines = len([ln for ln in (ing_out + ing_err).splitlines() if ln.strip()])

    load_after = os.getloadavg()[0]
    figures = {
        "editions": args.editions,
        "pages": pages,
        "editions_loaded": int(loaded[0]),
        "pages_loaded": int(loaded[1]),
        "cpus": os.cpu_count(),
        "load_average": round(load, 2),
        "load_average_after": round(load_after, 2),
        "extract_text_s": round(base_wall, 2),
        "extract_text_pages_s": round(pages / base_wall, 2),
        "extract_text_peak_mb": round(base_mb),
        "ingest_s": round(ing_wall, 2),
        "ingest_pages_s": round(pages / ing_wall, 2),
        "ingest_peak_mb": round(ing_mb),
        "ratio": round(base_wall / ing_wall, 2),
        "extract_text_cpu_s": round(base_cpu, 2),
        "ingest_cpu_s": round(ing_cpu, 2),
        "ingest_descendants_after_exit_s": round(ing_tail, 2),
        "ingest_args": args.ingest_args,
        "repo": str(REPO),
        "terminal_lines": terminal_lines,
    }
    print(f"{args.editions} editions, {pages} pages ({args.pages_min}-{args.pages_max} a edition), "
          f"{os.cpu_count()} CPUs, load average {load:.1f} before, {load_after:.1f} after")
    print(f"{'':24}{'wall s':>8}{'pages/s':>9}{'peak MB':>9}{'CPU s':>8}")
    print(f"{'pdfplumber extract_text':24}{base_wall:8.2f}{pages / base_wall:9.2f}{base_mb:9.0f}{base_cpu:8.1f}")
    print(f"{'broadsheet ingest':24}{ing_wall:8.2f}{pages / ing_wall:9.2f}{ing_mb:9.0f}{ing_cpu:8.1f}"
          f"   {args.ingest_args}")
    roles = sampler.by_role()
    figures["ingest_cpu_by_role"] = {k: {"processes": n, "cpu_s": round(c, 2)} for k, (n, c) in roles.items()}
    print("  ingest CPU s by process (sampled): " + ", ".join(f"{k} {c:.1f} ({n})" for k, (n, c) in roles.items()))
    if ing_tail > 0.05:
        print(f"  (processes the ingest left ran {ing_tail:.2f} s after it exited; their CPU is counted)")
    print(f"ratio ingest / extract_text: {figures['ratio']:.2f}x "
          f"({figures['editions_loaded']} editions, {figures['pages_loaded']} pages in the warehouse; "
          f"{terminal_lines} lines on the terminal)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
