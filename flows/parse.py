"""The parse task: one file through extract + layout, cached across runs.

The cache key is the file's sha256, the parser version (``tasks.PARSER_VERSION``,
read at call time), the engine and the OCR mode with the OCR engine's version
(``tasks.ocr.engine_version``), so an unchanged page is parsed once however
many runs see it, and bumping the parser version re-parses everything.
Results are persisted to Prefect's local result storage
(``$PREFECT_HOME/storage`` unless ``PREFECT_LOCAL_STORAGE_PATH`` says otherwise).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from prefect import task
from prefect.context import TaskRunContext

import tasks
from tasks.extract import file_sha256
from tasks.pipeline import ParsedFile, parse_file


def parser_version() -> str:
    return str(tasks.PARSER_VERSION)


def parse_cache_key(context: TaskRunContext | None, parameters: dict[str, Any]) -> str:
    """``<sha256>-<parser version>-<engine>-ocr-<mode>[-<OCR engine version>]`` of the file being parsed."""
    from tasks.ocr import engine_version

    sha = parameters.get("sha256") or file_sha256(parameters["path"])
    ocr = parameters.get("ocr", "auto")
    ocr_key = f"ocr-{ocr}" if ocr == "off" else f"ocr-{ocr}-{engine_version().replace(' ', '')}"
    return f"parse-{sha}-{parser_version()}-{parameters.get('engine', 'pdfium')}-{ocr_key}"


@task(
    name="parse-file",
    cache_key_fn=parse_cache_key,
    persist_result=True,
    task_run_name="parse {path}",
)
def parse_file_task(path: str, engine: str = "pdfium", sha256: str | None = None, ocr: str = "auto") -> ParsedFile:
    """tasks.pipeline.parse_file as a cached Prefect task (``sha256`` saves re-hashing)."""
    return parse_file(path, engine, ocr=ocr)


def repath(parsed: ParsedFile, path: str) -> ParsedFile:
    """A cached result made from the same bytes at another path, pointed at ``path``."""
    if parsed.path == path:
        return parsed
    layouts = [dataclasses.replace(lay, source_file=path) for lay in parsed.layouts]
    problems = [dataclasses.replace(q, path=path) for q in parsed.problems]
    return dataclasses.replace(parsed, path=path, layouts=layouts, problems=problems)


def parse_files(paths: list[str], engine: str = "pdfium", ocr: str = "auto") -> list[ParsedFile]:
    """Parse every file on the flow's task runner (inside a flow), in the given order."""
    futures = parse_file_task.map([str(p) for p in paths], engine, ocr=ocr)
    return [repath(f.result(), str(p)) for f, p in zip(futures, paths)]
