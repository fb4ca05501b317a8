"""``broadsheet``: the command line, one sub-command per Python entry point.

    broadsheet ingest PATH... [--db FILE] [--paper CODE] [--date YYYY-MM-DD]
    broadsheet eval [GROUND_TRUTH_DIR ...] [--predictions FILE.jsonl] [--json OUT] [--probes DIR [--pdf-dir DIR]]
    broadsheet eval --entities [FILE.jsonl] [--split all|tune|unseen] [--errors N] [--no-people-list] [--json OUT]
    broadsheet eval [--suite] [--reportlab DIR | --reportlab-seed N | --no-reportlab] [--files]
    broadsheet corpus OUT_DIR [--seed N]
    broadsheet samples [OUT_DIR]
    broadsheet backfill --paper P --from D1 --to D2 [--concurrency N] [--force]
    broadsheet serve [--config broadsheet.toml]
    broadsheet search "防汛 预警" [--db FILE] [--limit N]
    broadsheet export --format parquet|jsonl|csv --out DIR [--paper P] [--from D1 --to D2]
    broadsheet inspect FILE.pdf [--page N] [--out page.png|report.html]
    broadsheet summary [--db FILE]

Every command that touches the warehouse takes ``--db FILE`` (default
``warehouse/broadsheet.duckdb``, or ``$BROADSHEET_DB``).

Bad input (a missing file, an unreadable folder, a file that is not a
warehouse, a warehouse another writer holds past ``--lock-timeout``, a bad
broadsheet.toml, a bad date or range) is one line on stderr,
``broadsheet: <what is wrong>``, and exit status 2; it is checked before any
Prefect flow run starts, so nothing is written.  ``-v`` or
``BROADSHEET_DEBUG=1`` also prints the traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import traceback
from pathlib import Path
from typing import IO, Sequence

_out: IO[str] | None = None

DEFAULT_LOCK_TIMEOUT = 60.0  # seconds to wait for another writer (--lock-timeout, $BROADSHEET_LOCK_TIMEOUT)


class CliError(Exception):
    """Input the user can fix: ``main`` prints ``broadsheet: <message>`` on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is a ``CliError`` (one line) rather than usage text and exit."""

    def error(self, message: str):  # type: ignore[override]
        raise CliError(f"{message} (see {self.prog} --help)")


def echo(*parts: object) -> None:
    """print() to the stream ``main`` was given (stdout by default)."""
    print(*parts, file=_out or sys.stdout)


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
        why = ""
        if m:
            try:
                dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError as exc:
                why = f" ({exc})"
        raise argparse.ArgumentTypeError(f"not a date: {s}{why}; use YYYY-MM-DD") from None


def _date_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise CliError(f"--from {date_from} is after --to {date_to}")


def _lock_timeout(args: argparse.Namespace) -> float:
    value = getattr(args, "lock_timeout", None)
    if value is None:
        env = os.environ.get("BROADSHEET_LOCK_TIMEOUT", "")
        try:
            value = float(env) if env else DEFAULT_LOCK_TIMEOUT
        except ValueError:
            raise CliError(f"BROADSHEET_LOCK_TIMEOUT={env!r} is not a number of seconds") from None
    if value < 0:
        raise CliError(f"--lock-timeout {value:g} is negative")
    return float(value)


# --------------------------------------------------------------------------
# checks made before any flow run: bad input fails here, nothing written
# --------------------------------------------------------------------------


def _raise_unreadable(err: OSError) -> None:
    raise CliError(f"cannot read folder {err.filename}: {(err.strerror or str(err)).lower()}")


def check_inputs(paths: Sequence[str]) -> None:
    """Every path exists and can be read, and every folder holds a PDF or .txt file."""
    from tasks.pipeline import SUFFIXES

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise CliError(f"no such file or folder: {raw}")
        if not p.is_dir():
            _check_readable(p, raw)
            continue
        found = False
        for root, dirs, files in os.walk(p, onerror=_raise_unreadable):
            dirs.sort()
            for name in sorted(files):
                if Path(name).suffix.lower() in SUFFIXES:
                    _check_readable(Path(root) / name, str(Path(root) / name))
                    found = True
        if not found:
            raise CliError(f"no PDF or .txt files under {raw}")


def _check_readable(path: Path, shown: str) -> None:
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise CliError(f"cannot read {shown}: {(exc.strerror or str(exc)).lower()}") from None


def _not_duckdb(path: Path) -> str | None:
    """Why an existing file is not a DuckDB database (what it looks like), or None when it is one."""
    from tasks.extract import describe_non_pdf

    if path.is_dir():
        return "a folder"
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head or head[8:12] == b"DUCK":
        return None  # DuckDB writes "DUCK" at offset 8; an empty file it initialises
    return "a PDF" if head.startswith(b"%PDF-") else describe_non_pdf(head)


def check_warehouse_file(db: str) -> None:
    """``db`` (and its snapshot, if any) is a DuckDB file, when it exists;
    a ``ducklake:`` string is well formed and its catalog file, if local and
    present, is a DuckDB file."""
    from warehouse import is_lake
    from warehouse.store import snapshot_path

    if is_lake(db):
        from warehouse.lake import parse_spec

        try:
            spec = parse_spec(db)
        except ValueError as exc:
            raise CliError(str(exc)) from None
        if spec.kind == "file" and Path(spec.catalog).exists():
            what = _not_duckdb(Path(spec.catalog))
            if what:
                raise CliError(f"{spec.catalog} is not a DuckLake catalog file ({what})")
        return

    for path in (Path(db), snapshot_path(db)):
        if path.exists():
            what = _not_duckdb(path)
            if what:
                raise CliError(f"{path} is not a DuckDB warehouse file ({what}); pass --db with a warehouse file")


def check_writer(db: str, timeout: float) -> None:
    """The warehouse can be opened for writing within ``timeout`` s (created and migrated if new)."""
    import duckdb

    import warehouse
    from flows.locks import LockTimeout, writer_lock

    check_warehouse_file(db)
    locked = (f"warehouse {db} is locked by another writer (waited {timeout:g} s; "
              "--lock-timeout or BROADSHEET_LOCK_TIMEOUT sets how long to wait)")
    try:
        with writer_lock(db, timeout=timeout), warehouse.connect(db, timeout=timeout):
            pass
    except LockTimeout:
        raise CliError(locked) from None
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise CliError(locked) from None
        raise


def check_reader(db: str) -> None:
    """There is a warehouse (or its snapshot, or a lake catalog) at ``db`` to read."""
    import warehouse

    check_warehouse_file(db)
    if not warehouse.exists(db):
        raise CliError(f"no warehouse at {db}; ingest something first or pass --db")


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def describe_error(exc: BaseException) -> tuple[str, int]:
    """One line saying what went wrong, and the exit status (2: bad input, 1: a fault)."""
    import duckdb

    from flows.config import ConfigError
    from flows.locks import LockTimeout
    from tasks.extract import UnreadableFile

    from tasks.inspect import PageNotFound

    if isinstance(exc, (CliError, ConfigError, PageNotFound)):
        return _one_line(exc.args[0] if exc.args else exc), 2
    if isinstance(exc, UnreadableFile):
        return _one_line(f"cannot read it as a PDF ({exc.status}): {exc.reason}"), 2
    if isinstance(exc, LockTimeout):
        return _one_line(f"{exc} (--lock-timeout or BROADSHEET_LOCK_TIMEOUT sets how long to wait)"), 2
    if isinstance(exc, duckdb.Error):
        first = (str(exc).splitlines() or [""])[0]
        return _one_line(f"warehouse error: {first}"), 2
    if isinstance(exc, OSError) and exc.filename:
        return _one_line(f"{(exc.strerror or str(exc)).lower()}: {exc.filename}"), 2
    first = (str(exc).splitlines() or [""])[0]
    return _one_line(f"unexpected {type(exc).__name__}: {first} (run with -v or BROADSHEET_DEBUG=1 for the traceback)"), 1


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        default=None,
        help="warehouse file, or a DuckLake: 'ducklake:<catalog file>' or "
        "'ducklake:postgres:<libpq string> DATA_PATH=<folder>' (default $BROADSHEET_DB, [warehouse] in "
        "./broadsheet.toml, or warehouse/broadsheet.duckdb)",
    )


def _resolve_db(db: str | None) -> str:
    """``--db``, else ``$BROADSHEET_DB``, else ``[warehouse]`` of ./broadsheet.toml, else the default file."""
    import os

    from warehouse.store import default_db_path

    if db:
        return str(db)
    if not os.environ.get("BROADSHEET_DB"):
        from flows.config import warehouse_from_config

        configured = warehouse_from_config(Path("broadsheet.toml"))
        if configured:
            return configured
    return str(default_db_path())


def cmd_ingest(args: argparse.Namespace) -> int:
    from flows.batch import run_paths as run_ingest  # parsing starts before Prefect is imported

    from flows import prefect_api

    db = _resolve_db(args.db)
    check_inputs(args.paths)
    prefect_api.start_early()  # the temporary Prefect server (if one is needed) starts while we work
    check_writer(db, _lock_timeout(args))
    summaries = run_ingest(
        args.paths,
        publication=args.paper,
        edition_date=args.date,
        db=db,
        force=args.force,
        engine=args.engine,
        workers=args.workers,
        dask_address=args.dask_address,
        report_dir=args.report,
        ocr=args.ocr,
    )
    loaded = 0
    echo(f"\nwarehouse: {db}")
    for s in summaries:
        q = s.get("quarantined_files", [])
        echo(
            f"  {s['publication']} {s['edition_date']}: {s['status']:<17} files {s['files']:>3}  "
            f"pages {s['pages']:>3}  articles {s['articles']:>3}  quarantined {len(q)}"
            f"  ({s.get('date_source', '-')})"
        )
        for item in q:
            echo(f"      ! {item['path']}: {item['status']}: {item['reason']}")
        if s.get("report"):
            echo(f"      report: {s['report']}")
        if s["status"] in ("loaded", "unchanged", "replaced", "skipped_unchanged"):
            loaded += 1
    _print_loaded(db)
    return 0 if loaded else 1


def _print_loaded(db: str) -> None:
    from warehouse import open_reader

    try:
        with open_reader(db) as wh:
            rows = wh.sample_articles(limit=200)
            counts = wh.summary()
    except Exception as exc:  # the summary is a courtesy; the load already happened
        echo(f"  (could not read back the warehouse: {exc})")
        return
    echo("  tables: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    shown: dict[str, int] = {}
    for r in rows:  # a few of each edition, in reading order
        key = f"{r['publication']} {r['edition_date']}"
        shown[key] = shown.get(key, 0) + 1
        if shown[key] > 4:
            continue
        people = ", ".join(dict.fromkeys(r.get("people") or []))  # 文/图: one name, two roles
        echo(f"  - [{r['publication']} {r['edition_date']} p{r['pages']}] {r['headline'] or '(no headline)'}"
              f"{'  — ' + people if people else ''}")


def cmd_eval(args: argparse.Namespace) -> int:
    for d in args.truth_dir or []:
        if not Path(d).is_dir():
            raise CliError(f"no such folder: {d}")
    if args.scan:
        import json

        from tasks.evaluation.scan import format_scan_report, run_scan_eval

        report = run_scan_eval([Path(d) for d in args.truth_dir] or None, tuple(args.dpi or (300, 200)),
                               args.max_editions, Path(args.work_dir) if args.work_dir else None)
        echo(format_scan_report(report))
        if args.json:
            Path(args.json).write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2, default=str) + "\n",
                                       encoding="utf-8")
        return 0
    if args.entities is not None:
        from tasks.evaluation.entities_eval import DEFAULT_CORPUS, format_entity_report, run_entity_eval

        path = Path(args.entities) if args.entities else DEFAULT_CORPUS
        if not path.exists():
            raise CliError(f"no entity corpus at {path} (it ships beside the repo in ../shared/corpora)")
        reports = run_entity_eval(path, split=args.split, out_json=Path(args.json) if args.json else None,
                                  people_list=not args.no_people_list)
        echo(format_entity_report(reports, errors=args.errors))
        return 0
    from tasks.evaluation.evaluate import format_report, run_eval

    if args.probes:
        from tasks.evaluation.probes import default_pdf_dir, format_probe_report, score_probes

        pdf_dir = Path(args.pdf_dir) if args.pdf_dir else default_pdf_dir()
        if not pdf_dir.is_dir():
            echo(f"real-page probes: {pdf_dir} not found, skipped")
        else:
            echo(format_probe_report(score_probes(Path(args.probes), pdf_dir, engine=args.engine)))
        if not args.truth_dir and not args.suite:
            return 0
    if args.suite or not args.truth_dir or len(args.truth_dir) > 1:
        return _eval_suite(args)
    report = run_eval(
        Path(args.truth_dir[0]),
        predictions=Path(args.predictions) if args.predictions else None,
        engine=args.engine,
        out_json=Path(args.json) if args.json else None,
    )
    echo(format_report(report))
    return 0


def _eval_suite(args: argparse.Namespace) -> int:
    """Each corpus on its own: the reportlab corpus, the Typst corpus (dev, held-out), the probes."""
    from tasks.evaluation.suite import PROBES, Corpus, default_corpora, format_suite, run_suite, write_json

    if args.predictions:
        raise CliError("eval --predictions scores one GROUND_TRUTH_DIR")
    if args.truth_dir:
        corpora = [Corpus(d, path=Path(d)) for d in args.truth_dir]
    else:
        corpora = default_corpora(Path(args.reportlab) if args.reportlab else None,
                                  None if args.no_reportlab else args.reportlab_seed)
    probes = None if (args.probes or args.truth_dir) else PROBES  # --probes was printed above
    result = run_suite(corpora, engine=args.engine, baseline=args.baseline, probes=probes,
                       pdf_dir=Path(args.pdf_dir) if args.pdf_dir else None)
    echo(format_suite(result, files=args.files))
    if args.json:
        write_json(result, Path(args.json))
    return 0


def cmd_corpus(args: argparse.Namespace) -> int:
    from tasks.evaluation.corpus import generate_corpus

    paths = generate_corpus(Path(args.out_dir), seed=args.seed)
    echo(f"wrote {len(paths)} editions under {args.out_dir}")
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from tasks.evaluation.corpus import write_samples

    write_samples(Path(args.out_dir))
    echo(f"wrote the sample editions under {args.out_dir}")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from flows.backfill import run_backfill_cli

    _date_range(args.date_from, args.date_to)
    if args.db:
        check_warehouse_file(args.db)
    return run_backfill_cli(args)  # checks the config and the paper before any flow run


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.config import load_config
    from flows.serve import serve_papers

    serve_papers(load_config(Path(args.config)), db=args.db, config_file=Path(args.config))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from warehouse import open_reader

    check_reader(_resolve_db(args.db))
    with open_reader(_resolve_db(args.db)) as wh:
        hits = wh.search(args.query, limit=args.limit, publication=args.paper)
    if args.json:
        echo(json.dumps(hits, ensure_ascii=False, default=str, indent=1))
        return 0
    for h in hits:
        echo(f"{h['score']:7.3f}  {h['publication']} {h['edition_date']}  {h['headline'] or h['body'][:30]}")
    if not hits:
        echo("no matches")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse import open_reader

    _date_range(args.date_from, args.date_to)
    check_reader(_resolve_db(args.db))
    with open_reader(_resolve_db(args.db)) as wh:
        written = wh.export(Path(args.out), fmt=args.format, publication=args.paper,
                            date_from=args.date_from, date_to=args.date_to)
    for table, target in written.items():
        echo(f"{table:<16} {target}")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    """SQL on the snapshot (or ``--live`` file), read-only, with the fts extension loaded."""
    from warehouse import open_reader

    check_reader(_resolve_db(args.db))
    with open_reader(_resolve_db(args.db), prefer_snapshot=not args.live) as wh:
        wh.load_fts()
        if args.command_sql is not None:
            return _run_sql(wh.con, args.command_sql, args.csv)
        if not sys.stdin.isatty():
            return _run_sql(wh.con, sys.stdin.read(), args.csv)
        if getattr(wh, "backend", "") == "ducklake":
            echo(f"broadsheet sql: {args.db or _resolve_db(None)} (attached read-only as lake; "
                 "lake.snapshots() lists snapshots, FROM t AT (VERSION => n) reads one)")
        else:
            echo(f"broadsheet sql: {wh.path} (read-only, fts loaded; search_articles('word word', n := 10) works)")
        echo("end statements with ';'; .tables lists the tables and views; .quit or Ctrl-D leaves")
        return _repl(wh.con, args.csv)


def _run_sql(con: object, text: str, as_csv: bool) -> int:
    """Run every statement in ``text``; print each result. 1 on the first error."""
    import csv

    import duckdb

    try:
        statements = con.extract_statements(text)  # type: ignore[attr-defined]
        for st in statements:
            rel = con.sql(st.query)  # type: ignore[attr-defined]
            if rel is None:
                continue
            if as_csv:
                writer = csv.writer(_out or sys.stdout, lineterminator="\n")
                writer.writerow(rel.columns)
                writer.writerows(rel.fetchall())
            else:
                echo(str(rel).rstrip("\n"))
    except duckdb.Error as exc:
        print(f"broadsheet sql: {type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
        return 1
    return 0


def _repl(con: object, as_csv: bool) -> int:
    buffer: list[str] = []
    while True:
        try:
            line = input("broadsheet> " if not buffer else "       ...> ")
        except (EOFError, KeyboardInterrupt):
            echo("")
            return 0
        if not buffer and line.strip() in (".quit", ".exit"):
            return 0
        if not buffer and line.strip() == ".tables":
            _run_sql(con, "SELECT table_name, table_type FROM information_schema.tables "
                          "WHERE table_schema = 'main' ORDER BY table_type, table_name", as_csv)
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            _run_sql(con, "\n".join(buffer), as_csv)
            buffer = []


def cmd_fts_path(args: argparse.Namespace) -> int:
    from warehouse.search import fts_extension_path

    echo(fts_extension_path())
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from tasks.inspect import inspect_file

    path = Path(args.file)
    if not path.exists():
        raise CliError(f"no such file or folder: {args.file}")
    if path.is_dir():
        check_inputs([args.file])
    else:
        from tasks.extract import UnreadableFile, sniff_file

        _check_readable(path, args.file)
        try:
            sniff_file(path)
        except UnreadableFile as exc:  # not a PDF: say what it is
            raise CliError(f"{args.file} is not a PDF ({exc.status}): {exc.reason}") from None
    out, pictures = inspect_file(path, page=args.page, out=Path(args.out) if args.out else None, engine=args.engine)
    echo(f"wrote {out}: " + ", ".join(p.label for p in pictures))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    check_reader(_resolve_db(args.db))
    _print_loaded(_resolve_db(args.db))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="broadsheet", description="Newspaper PDFs into a DuckDB warehouse.")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="print the traceback of an error too, and Prefect's own log lines")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="ingest PDF/text files or folders (one ingest-edition run per edition)")
    s.add_argument("paths", nargs="+")
    _db_arg(s)
    s.add_argument("--paper", default=None, help="publication code (else from the path <paper>/<date>/)")
    s.add_argument("--date", type=_date, default=None, help="edition date (else from the path, else the header)")
    s.add_argument("--force", action="store_true", help="reload even if the same files were loaded already")
    s.add_argument("--engine", choices=["pdfium", "pdfplumber"], default="pdfium", help="char source")
    s.add_argument("--ocr", choices=["auto", "off", "force"], default="auto",
                   help="OCR scanned pages: auto = pages with no or a garbled text layer, or one much sparser "
                        "than the ink; force = every page; off = quarantine them as needs_ocr")
    s.add_argument("--workers", type=int, default=0, help="parallel parse processes (default: one per CPU)")
    s.add_argument("--dask-address", default=None, help="run the parse tasks on this Dask scheduler")
    s.add_argument("--report", default=None, metavar="DIR",
                   help="also write each edition's inspect report (HTML) here and link it from the run")
    s.add_argument("--lock-timeout", type=float, default=None, metavar="SECONDS",
                   help=f"how long to wait for another writer of the warehouse (default $BROADSHEET_LOCK_TIMEOUT "
                        f"or {DEFAULT_LOCK_TIMEOUT:g})")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("eval", help="score the pipeline (and the naive baseline) against ground truth")
    s.add_argument("truth_dir", nargs="*", default=None,
                   help="ground-truth tree(s); none: every corpus, each on its own (reportlab, typst dev and "
                        "held-out, real-page probes)")
    s.add_argument("--suite", action="store_true", help="every corpus, each on its own (the default with no DIR)")
    s.add_argument("--reportlab", default=None, metavar="DIR", help="suite: read the reportlab corpus from DIR")
    s.add_argument("--reportlab-seed", type=int, default=0, help="suite: else generate it for this seed (0)")
    s.add_argument("--no-reportlab", action="store_true", help="suite: leave the reportlab corpus out")
    s.add_argument("--files", action="store_true", help="suite: a row per file, not only the overall rows")
    s.add_argument("--baseline", action="store_true", help="suite: also score the naive baseline")
    s.add_argument("--probes", default=None, metavar="DIR",
                   help="also score the real-page probes in DIR (tests/probes) on the PDFs of --pdf-dir")
    s.add_argument("--pdf-dir", default=None, help="where the probed PDFs are (default ../shared/real_pdfs)")
    s.add_argument("--entities", nargs="?", const="", default=None, metavar="JSONL",
                   help="score person/organisation/place tagging on annotated texts "
                        "(default ../shared/corpora/rmrb1998_ne_dev.jsonl)")
    s.add_argument("--split", choices=["all", "tune", "unseen"], default="all",
                   help="with --entities: the part of the file to score (split by a hash of the id)")
    s.add_argument("--errors", type=int, default=0, metavar="N",
                   help="with --entities: also print the N most frequent false positives and misses")
    s.add_argument("--no-people-list", action="store_true",
                   help="with --entities: tag without the well-known people list (tasks/data/zh_people.txt)")
    s.add_argument("--scan", action="store_true",
                   help="read the truth's pages from scans made of them (rendered, turned, blurred, noisy; "
                        "image-only PDFs) by OCR, beside the born-digital reading (default DIR: the Typst dev corpus)")
    s.add_argument("--dpi", type=int, action="append", default=None, metavar="N",
                   help="with --scan: scan resolution, repeatable (default 300 and 200)")
    s.add_argument("--max-editions", type=int, default=None, metavar="N",
                   help="with --scan: score only N editions (one of each paper in turn); OCR is slow")
    s.add_argument("--work-dir", default=None, metavar="DIR",
                   help="with --scan: keep the scans and the OCR cache here (a second run re-scores without OCR)")
    s.add_argument("--predictions", default=None, help="score this JSONL of articles instead of the pipeline")
    s.add_argument("--json", default=None, help="also write the figures as JSON here")
    s.add_argument("--engine", choices=["pdfium", "pdfplumber"], default="pdfium")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("corpus", help="generate the ground-truth corpus (PDFs + truth.json)")
    s.add_argument("out_dir")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=cmd_corpus)

    s = sub.add_parser("samples", help="regenerate the bundled sample editions")
    s.add_argument("out_dir", nargs="?", default="samples")
    s.set_defaults(func=cmd_samples)

    s = sub.add_parser("backfill", help="ingest a paper over a date range")
    s.add_argument("--paper", required=True)
    s.add_argument("--from", dest="date_from", type=_date, required=True)
    s.add_argument("--to", dest="date_to", type=_date, required=True)
    s.add_argument("--concurrency", type=int, default=1, help="editions in flight at once")
    s.add_argument("--force", action="store_true", help="reload editions already loaded from the same files")
    s.add_argument("--refresh", action="store_true", help="download again even if the store has the page")
    s.add_argument("--max-editions", type=int, default=None, help="stop after this many editions loaded or failed")
    s.add_argument("--workers", type=int, default=1, help="parallel parse processes per edition")
    s.add_argument("--dask-address", default=None, help="run parse tasks on this Dask scheduler ('local': a temporary cluster)")
    s.add_argument("--config", default="broadsheet.toml")
    s.add_argument("--db", default=None, help="warehouse file (default: the paper's db in the config)")
    s.set_defaults(func=cmd_backfill)

    s = sub.add_parser("serve", help="serve a scheduled daily deployment per paper (Prefect serve)")
    s.add_argument("--config", default="broadsheet.toml")
    s.add_argument("--db", default=None, help="warehouse file (default: each paper's db in the config)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("search", help="full-text search (BM25) over articles")
    s.add_argument("query")
    _db_arg(s)
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--paper", default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("export", help="export articles as Parquet / JSONL / CSV")
    s.add_argument("--format", choices=["parquet", "jsonl", "csv"], default="parquet")
    s.add_argument("--out", required=True)
    s.add_argument("--paper", default=None)
    s.add_argument("--from", dest="date_from", type=_date, default=None)
    s.add_argument("--to", dest="date_to", type=_date, default=None)
    _db_arg(s)
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("sql", help="SQL on the warehouse snapshot, read-only, with fts loaded (a shell, or -c SQL)")
    _db_arg(s)
    s.add_argument("-c", dest="command_sql", default=None, metavar="SQL",
                   help="run these statements and exit (else read stdin, or an interactive shell on a terminal)")
    s.add_argument("--csv", action="store_true", help="print results as CSV (every row) instead of tables")
    s.add_argument("--live", action="store_true", help="open the live file instead of the snapshot (waits for the writer)")
    s.set_defaults(func=cmd_sql)

    s = sub.add_parser("fts-path", help="print the path of the fts extension to LOAD in other DuckDB clients")
    s.set_defaults(func=cmd_fts_path)

    s = sub.add_parser("inspect", help="draw what the engine saw on a page (PNG) or an edition (HTML)")
    s.add_argument("file")
    s.add_argument("--page", type=int, default=None)
    s.add_argument("--out", default=None)
    s.add_argument("--engine", choices=["pdfium", "pdfplumber"], default="pdfium")
    s.set_defaults(func=cmd_inspect)

    s = sub.add_parser("summary", help="what the warehouse holds")
    _db_arg(s)
    s.set_defaults(func=cmd_summary)
    for s in sub.choices.values():  # -v works after the sub-command too
        s.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                       help="print the traceback of an error too")
    return p


def _prefect_defaults() -> None:
    """Sane defaults for a machine with no Prefect server configured.

    Without ``PREFECT_API_URL`` Prefect starts a temporary local server; its
    first start creates its database, which takes longer than Prefect's 20 s
    default on a small machine.  Telemetry is off: these machines are offline.
    """
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Run a command; its report goes to ``stdout`` (default ``sys.stdout``).

    Any error is one line on stderr (``broadsheet: ...``) and a non-zero
    status (2 for bad input, 1 for a fault); ``-v`` or ``BROADSHEET_DEBUG``
    adds the traceback.
    """
    global _out
    _prefect_defaults()
    debug = os.environ.get("BROADSHEET_DEBUG", "") not in ("", "0")
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = debug or any(a in ("-v", "--verbose") for a in argv)
    _out = stdout
    restore = [] if debug else _quiet_prefect()
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("broadsheet: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place errors become a message
        if debug:
            traceback.print_exc(file=sys.stderr)
        message, status = describe_error(exc)
        print(f"broadsheet: {message}", file=sys.stderr)
        return status
    finally:
        _out = None
        for handler, level in restore:
            handler.setLevel(level)


def _quiet_prefect() -> list[tuple[object, int]]:
    """Keep Prefect's own INFO lines (flow and task run states, "Created flow run ...") off the
    terminal: they stay in the run logs and the UI; the command prints its own report, and
    warnings still show.  ``-v`` keeps them.  Returns the handlers changed, to restore."""
    import logging

    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")  # for a later setup
    changed = []
    if "prefect" in sys.modules:  # logging already configured (imported by the caller)
        for logger in [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]:
            for h in getattr(logger, "handlers", []):
                if type(h).__name__ == "PrefectConsoleHandler" and h.level < logging.WARNING:
                    changed.append((h, h.level))
                    h.setLevel(logging.WARNING)
    return changed


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
