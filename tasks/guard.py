"""A long-lived guarded reader: ``extract_file_guarded``'s ceilings without a new Python per file.

``extract_file_guarded`` starts a fresh interpreter for every PDF (~0.2 s of
start-up and imports against ~0.03 s of reading a small page).  A
``GuardedReader`` keeps one child with the same address-space ceiling
(``RLIMIT_AS``) and answers file after file over its pipes; the parent waits
for each answer at most ``timeout_s`` seconds.  A child that runs out of
time is killed, one that dies (out of memory, a crash in the PDF library)
is reaped, and either way the file gets the same status and reason the
one-shot guard gives it (``timeout``, ``memory``, ``corrupt``) and the next
file gets a new child.  The child is also replaced after ``max_files`` files
so heap growth never eats into the next file's ceiling.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tasks.extract import (
    ExtractResult,
    Limits,
    UnreadableFile,
    _child_failure,
    _unpack_page,
    child_answer,
    sniff_file,
)

_HEADER = struct.Struct("<Q")


def _read_exact(stream, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def _serve() -> None:
    """Child side: length-prefixed pickles in on stdin, answers out on stdout, until EOF."""
    import resource

    max_memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the answer pipe
    if max_memory_mb:
        cap = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    while True:
        head = _read_exact(inp, _HEADER.size)
        if head is None:
            return
        path, engine, limits, ocr = pickle.loads(_read_exact(inp, _HEADER.unpack(head)[0]) or b"")
        data = child_answer(path, engine, limits, ocr, max_memory_mb)
        out.write(_HEADER.pack(len(data)) + data)
        out.flush()


class GuardedReader:
    """Extract PDFs one after another in a reused child with time and memory ceilings."""

    def __init__(self, max_files: int = 200) -> None:
        self.max_files = max_files
        self._proc: subprocess.Popen | None = None
        self._err = None
        self._memory_mb = 0
        self._served = 0
        self.children_started = 0

    def _start(self, memory_mb: int) -> subprocess.Popen:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        self._err = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from tasks.guard import _serve; _serve()", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err, env=env, bufsize=0,
        )
        self._memory_mb, self._served = memory_mb, 0
        self.children_started += 1
        return self._proc

    def _stop(self, kill: bool = False) -> tuple[int, str]:
        proc, self._proc = self._proc, None
        if proc is None:
            return 0, ""
        if kill:
            proc.kill()
        else:
            try:
                proc.stdin.close()
            except OSError:
                pass
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        err = ""
        if self._err is not None:
            self._err.seek(0)
            err = self._err.read().decode("utf-8", "replace")[-4000:]
            self._err.close()
            self._err = None
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except (OSError, AttributeError):
                pass
        return code, err

    def close(self) -> None:
        self._stop()

    def __enter__(self) -> GuardedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def extract(self, path: str | Path, engine: str = "pdfium", limits: Limits = Limits(),
                timeout_s: float = 60.0, max_memory_mb: int = 1024, ocr: str = "off") -> ExtractResult:
        """Like ``extract_file_guarded``: pages, or ``UnreadableFile`` with the guard's status."""
        path = str(path)
        sniff_file(path)  # cheap answers need no child
        proc = self._proc
        if proc is None or proc.poll() is not None or self._memory_mb != max_memory_mb or self._served >= self.max_files:
            self._stop()
            proc = self._start(max_memory_mb)
        self._served += 1
        req = pickle.dumps((path, engine, limits, ocr), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            proc.stdin.write(_HEADER.pack(len(req)) + req)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            code, err = self._stop(kill=True)
            raise _child_failure(code, err, max_memory_mb) from None
        deadline = time.monotonic() + timeout_s
        data = self._read(proc, deadline)
        if data is None:
            timed_out = time.monotonic() >= deadline
            code, err = self._stop(kill=True)
            if timed_out:
                raise UnreadableFile("timeout", f"reading it took longer than {timeout_s:g} s (killed)") from None
            raise _child_failure(code, err, max_memory_mb)
        answer = pickle.loads(data)
        if answer[0] == "ok":
            return ExtractResult([_unpack_page(p) for p in answer[1]], answer[2])
        raise UnreadableFile(answer[1], answer[2])

    @staticmethod
    def _read(proc: subprocess.Popen, deadline: float) -> bytes | None:
        """One answer, or None when the child died or the deadline passed."""
        fd = proc.stdout.fileno()
        buf = bytearray()
        need = _HEADER.size
        have_header = False
        while True:
            while len(buf) < need:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    return None
                chunk = os.read(fd, max(65536, need - len(buf)))
                if not chunk:
                    return None
                buf += chunk
            if have_header:
                return bytes(buf[_HEADER.size:need])
            need = _HEADER.size + _HEADER.unpack(bytes(buf[:_HEADER.size]))[0]
            have_header = True
