"""Which code made a row: package version, git commit when known, parser version."""

from __future__ import annotations

import functools
import subprocess
from importlib import metadata
from pathlib import Path

from tasks import PARSER_VERSION


@functools.cache
def code_version() -> str:
    """``broadsheet 0.1.0+g1a2b3c4 parser 1`` (the commit only inside a git checkout)."""
    try:
        version = metadata.version("broadsheet")
    except metadata.PackageNotFoundError:
        version = "0+unknown"
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=Path(__file__).resolve().parent, capture_output=True, text=True, timeout=5,
        ).stdout.strip()
        if sha:
            version += f"+g{sha}" + (".dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return f"broadsheet {version} parser {PARSER_VERSION}"
