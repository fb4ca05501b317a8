"""Where an edition's page PDFs come from: an inbox folder or an e-paper site.

Two sources, both turning (paper, date) into the edition's files in page order:

* inbox: a publisher's drop folder, ``inbox/{paper}/{date:%Y-%m-%d}/*.pdf``;
  the matching files sorted by name. No file means no edition that day.
* http: ``page_url`` (``.../page_{page:02d}.pdf``, pages 1, 2, ... until the
  first 404) or ``index_url`` (an HTML page whose ``href``s ending in ``.pdf``
  are the pages, in document order). A 404 for page 1 (or the index) means the
  paper did not appear that day (Sundays, holidays): status ``no_edition``.

Downloads are streamed to a temp file while their sha256 is computed, checked
(size limit, ``%PDF-`` magic), then atomically renamed into a content-addressed
store: ``<store>/sha256/ab/abcdef....pdf``. The edition's files are hard links
to those blobs named in page order, ``<store>/editions/<paper>/<date>/page_01.pdf``
(index sources: ``01_<name from the URL>.pdf``), so page order and the
edition survive in the names the rest of the pipeline sees.

Re-fetching: every URL fetched gets a small manifest entry
``<store>/urls/<sha1(url)>.json`` (url, sha256, ETag, Last-Modified). On a
re-run a URL whose blob is in the store is not downloaded again: if the
server gave validators, a conditional GET is sent (304 -> the stored blob; 200
-> a corrected page replaces it); without validators the stored blob is used
without a request. ``refresh=True`` always re-downloads (dedup by sha256 still
keeps one copy of identical bytes).

Retries: 5xx, 429, timeouts, dropped connections and truncated bodies (fewer
bytes than Content-Length) raise ``TransientError`` and are retried by Prefect
with exponential backoff and +-50% jitter (``retries``/``retry_backoff`` from
the paper's config). 404, "not a PDF" and "too large" are not retried.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from prefect import task
from prefect.tasks import exponential_backoff

from flows.config import PaperConfig
from tasks.extract import file_sha256

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
USER_AGENT = "broadsheet/0.1 (newspaper archive ingest)"


class SourceError(Exception):
    """A page could not be fetched and retrying will not help."""


class TransientError(SourceError):
    """5xx, timeout, dropped connection, truncated body: worth retrying."""


class NotPDF(SourceError):
    """The server answered with something that is not a PDF."""


class TooLarge(SourceError):
    """The download is larger than the configured limit."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """One URL in the store."""

    url: str
    path: str  # <store>/sha256/ab/<sha>.pdf
    sha256: str
    size: int
    downloaded: bool  # False when the stored copy was reused (manifest or 304)


@dataclass(slots=True)
class EditionFiles:
    """What a source found for one (paper, date)."""

    publication: str
    edition_date: dt.date
    status: str  # ok | no_edition
    files: list[str] = field(default_factory=list)  # in page order
    sha256s: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # empty for inbox files
    downloaded: int = 0  # files actually transferred this time
    reason: str = ""
    looked_at: str = ""  # for no_edition: the inbox pattern or URL that had nothing

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["edition_date"] = self.edition_date.isoformat()
        return d


# --------------------------------------------------------------------------
# pure helpers
# --------------------------------------------------------------------------


def render(template: str, paper: str, date: dt.date, page: int | None = None) -> str:
    """Fill a path/URL template: ``{paper}``, ``{date:%Y%m%d}``, ``{page:02d}``."""
    values: dict[str, Any] = {"paper": paper, "date": date}
    if page is not None:
        values["page"] = page
    return template.format(**values)


def inbox_files(pattern: str, paper: str, date: dt.date) -> list[Path]:
    """Files matching the inbox pattern for (paper, date), sorted by name."""
    found = [Path(p) for p in glob.glob(render(pattern, paper, date)) if Path(p).is_file()]
    return sorted(found, key=lambda p: (p.name, str(p)))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag.lower() == "a":
            for name, value in attrs:
                if name.lower() == "href" and value:
                    self.hrefs.append(value.strip())


def pdf_links(html: str, base_url: str) -> list[str]:
    """Absolute URLs of the ``<a href>`` links ending in .pdf, in document order, once each."""
    parser = _Links()
    parser.feed(html)
    seen: set[str] = set()
    out: list[str] = []
    for href in parser.hrefs:
        url = urljoin(base_url, href)
        if not urlsplit(url).path.lower().endswith(".pdf") or url in seen:
            continue
        seen.add(url)
        out.append(url)
    return out


def blob_path(store: str | Path, sha256: str) -> Path:
    return Path(store) / "sha256" / sha256[:2] / f"{sha256}.pdf"


def _manifest_path(store: str | Path, url: str) -> Path:
    return Path(store) / "urls" / f"{hashlib.sha1(url.encode()).hexdigest()}.json"


def read_manifest(store: str | Path, url: str) -> dict[str, Any] | None:
    p = _manifest_path(store, url)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def edition_dir(store: str | Path, paper: str, date: dt.date) -> Path:
    return Path(store) / "editions" / paper / date.isoformat()


def link_edition(store: str | Path, paper: str, date: dt.date, pages: list[tuple[str, str]]) -> list[str]:
    """Hard-link each (name, blob path) into the edition's folder; drop files no longer listed."""
    folder = edition_dir(store, paper, date)
    folder.mkdir(parents=True, exist_ok=True)
    out: list[str] = []
    for name, blob in pages:
        target = folder / name
        if not (target.exists() and os.path.samefile(target, blob)):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.unlink(missing_ok=True)
            try:
                os.link(blob, tmp)
            except OSError:  # a file system without hard links
                shutil.copyfile(blob, tmp)
            os.replace(tmp, target)
        out.append(str(target))
    keep = {name for name, _ in pages}
    for old in folder.iterdir():
        if old.name not in keep and not old.name.startswith("."):
            old.unlink()
    return out


def page_file_name(n: int, url: str, indexed: bool) -> str:
    """``page_03.pdf`` for page URLs; ``03_A3.pdf`` (order + the URL's name) for index links."""
    if not indexed:
        return f"page_{n:02d}.pdf"
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(urlsplit(url).path).name) or "page.pdf"
    return f"{n:02d}_{base}"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _write_manifest(store: str | Path, url: str, entry: dict[str, Any]) -> None:
    _write_atomic(_manifest_path(store, url), json.dumps(entry, indent=1).encode())


def describe_bytes(head: bytes, content_type: str = "") -> str:
    """What a non-PDF response looks like, for the error message."""
    h = head.lstrip()[:512].lower()
    if h.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in h or "html" in content_type:
        return "looks like HTML (an error or login page?)"
    if h.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        return "looks like an image"
    if h.startswith(b"pk\x03\x04"):
        return "looks like a ZIP archive"
    if h.startswith((b"{", b"[")):
        return "looks like JSON"
    if not head:
        return "empty body"
    return f"starts with {head[:16]!r}"


def _status_error(url: str, status: int) -> SourceError:
    if status >= 500 or status in (408, 429):
        return TransientError(f"{url}: HTTP {status}")
    return SourceError(f"{url}: HTTP {status}")


def download(
    url: str,
    store: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    refresh: bool = False,
    client: httpx.Client | None = None,
) -> Fetched | None:
    """Stream ``url`` into the content-addressed store; None on 404/410.

    Raises TransientError (retry), NotPDF, TooLarge or SourceError.
    """
    store = Path(store)
    known = None if refresh else read_manifest(store, url)
    if known and not blob_path(store, known["sha256"]).exists():
        known = None
    headers = {"User-Agent": USER_AGENT}
    if known:
        if not (known.get("etag") or known.get("last_modified")):
            return Fetched(url, str(blob_path(store, known["sha256"])), known["sha256"], known["size"], False)
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
    own_client = client is None
    client = client or httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True)
    tmp_dir = store / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp_name = ""
    try:
        with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code == 304 and known:
                return Fetched(url, str(blob_path(store, known["sha256"])), known["sha256"], known["size"], False)
            if resp.status_code in (404, 410):
                return None
            if resp.status_code != 200:
                raise _status_error(url, resp.status_code)
            declared = resp.headers.get("Content-Length")
            expected = int(declared) if declared and declared.isdigit() else None
            if expected is not None and expected > max_bytes and not resp.headers.get("Content-Encoding"):
                raise TooLarge(f"{url}: {expected} bytes is over the {max_bytes}-byte limit")
            h = hashlib.sha256()
            size = 0
            head = b""
            fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")
            with os.fdopen(fd, "wb") as out:
                for chunk in resp.iter_bytes(1 << 16):  # decoded (gzip transfer) bytes
                    if len(head) < 1024:  # the PDF header may sit anywhere in the first 1024 bytes
                        head += chunk[: 1024 - len(head)]
                        if len(head) >= 1024 and PDF_MAGIC not in head:
                            raise NotPDF(f"{url}: not a PDF: {describe_bytes(head, resp.headers.get('Content-Type', ''))}")
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(f"{url}: more than {max_bytes} bytes")
                    h.update(chunk)
                    out.write(chunk)
            received = resp.num_bytes_downloaded  # on the wire, what Content-Length counts
            if expected is not None and received != expected:
                raise TransientError(f"{url}: truncated download: {received} of {expected} bytes")
            if PDF_MAGIC not in head:
                raise NotPDF(f"{url}: not a PDF: {describe_bytes(head, resp.headers.get('Content-Type', ''))}")
            sha = h.hexdigest()
            final = blob_path(store, sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                os.unlink(tmp_name)
            else:
                os.replace(tmp_name, final)
            tmp_name = ""
            _write_manifest(
                store,
                url,
                {
                    "url": url,
                    "sha256": sha,
                    "size": size,
                    "etag": resp.headers.get("ETag", ""),
                    "last_modified": resp.headers.get("Last-Modified", ""),
                    "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
            )
            return Fetched(url, str(final), sha, size, True)
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
        raise TransientError(f"{url}: {type(e).__name__}: {e}") from e
    finally:
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
        if own_client:
            client.close()


def get_text(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = 10 * 1024 * 1024) -> str | None:
    """A small text resource (an index page); None on 404/410."""
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True) as client:
            resp = client.get(url, headers={"User-Agent": USER_AGENT})
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
        raise TransientError(f"{url}: {type(e).__name__}: {e}") from e
    if resp.status_code in (404, 410):
        return None
    if resp.status_code != 200:
        raise _status_error(url, resp.status_code)
    if len(resp.content) > max_bytes:
        raise TooLarge(f"{url}: index page over {max_bytes} bytes")
    return resp.text


# --------------------------------------------------------------------------
# Prefect tasks (thin wrappers) and the per-edition fetch
# --------------------------------------------------------------------------


def retry_if_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect retry_condition_fn: retry only TransientError."""
    try:
        state.result()
    except TransientError:
        return True
    except BaseException:
        return False
    return False


@task(
    name="fetch-pdf",
    retries=4,
    retry_delay_seconds=exponential_backoff(backoff_factor=2.0),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_if_transient,
    task_run_name="fetch {url}",
)
def fetch_pdf(url: str, store: str, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
              refresh: bool = False) -> Fetched | None:
    """Download one page PDF into the store (None when the server says 404)."""
    return download(url, store, timeout=timeout, max_bytes=max_bytes, refresh=refresh)


@task(
    name="fetch-index",
    retries=4,
    retry_delay_seconds=exponential_backoff(backoff_factor=2.0),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_if_transient,
    task_run_name="index {url}",
)
def fetch_index(url: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    return get_text(url, timeout=timeout)


@task(name="list-inbox", task_run_name="inbox {paper} {date}")
def list_inbox(pattern: str, paper: str, date: dt.date) -> list[str]:
    return [str(p) for p in inbox_files(pattern, paper, date)]


def _with_retries(t: Any, paper: PaperConfig) -> Any:
    return t.with_options(
        retries=paper.retries,
        retry_delay_seconds=exponential_backoff(backoff_factor=paper.retry_backoff),
        retry_jitter_factor=0.5,
    )


def fetch_edition(paper: PaperConfig, date: dt.date, refresh: bool = False) -> EditionFiles:
    """The edition's files for (paper, date) from the paper's source, in page order.

    Call inside a flow: each download is its own (retried) Prefect task run.
    """
    if paper.source == "inbox":
        files = list_inbox(paper.inbox, paper.code, date)
        if not files:
            where = render(paper.inbox, paper.code, date)
            return EditionFiles(paper.code, date, "no_edition", reason=f"nothing at {where}", looked_at=where)
        return EditionFiles(paper.code, date, "ok", files, [file_sha256(f) for f in files])

    fetch = _with_retries(fetch_pdf, paper)
    got: list[Fetched] = []
    if paper.index_url:
        index = render(paper.index_url, paper.code, date)
        html = _with_retries(fetch_index, paper)(index, timeout=paper.timeout)
        urls = pdf_links(html, index) if html is not None else []
        if not urls:
            why = "index 404" if html is None else "index lists no PDFs"
            return EditionFiles(paper.code, date, "no_edition", reason=f"{index}: {why}", looked_at=index)
        for url in urls:
            f = fetch(url, paper.store, timeout=paper.timeout, max_bytes=paper.max_bytes, refresh=refresh)
            if f is None:
                raise SourceError(f"{url}: listed on {index} but 404")
            got.append(f)
    else:
        for page in range(1, paper.max_pages + 1):
            url = render(paper.page_url, paper.code, date, page)
            f = fetch(url, paper.store, timeout=paper.timeout, max_bytes=paper.max_bytes, refresh=refresh)
            if f is None:
                if page == 1:
                    return EditionFiles(paper.code, date, "no_edition", reason=f"{url}: 404", looked_at=url)
                break
            got.append(f)
    names = [(page_file_name(n, f.url, bool(paper.index_url)), f.path) for n, f in enumerate(got, start=1)]
    return EditionFiles(
        paper.code,
        date,
        "ok",
        link_edition(paper.store, paper.code, date, names),
        [f.sha256 for f in got],
        [f.url for f in got],
        downloaded=sum(f.downloaded for f in got),
    )
