"""Paper config and page sources against a real local HTTP server and real Prefect retries."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import http.server
import io
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from prefect import flow

from flows.config import ConfigError, PaperConfig, load_config, parse_config
from flows.sources import (
    NotPDF,
    TooLarge,
    TransientError,
    blob_path,
    download,
    fetch_edition,
    inbox_files,
    pdf_links,
    read_manifest,
    render,
)

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------
# a small e-paper site with injectable faults
# --------------------------------------------------------------------------


def make_pdf(text: str) -> bytes:
    """A one-page PDF that says ``text`` (distinct text -> distinct bytes)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 400), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(30, 350, text)
    c.showPage()
    c.save()
    return buf.getvalue()


class EPaperSite:
    """path -> bytes, per-path queues of faults ("500", "slow", "truncate", "drop"), hit counts."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, list[str]] = defaultdict(list)
        self.hits: Counter[str] = Counter()
        self.etags = True
        self.slow_seconds = 1.5
        self.lock = threading.Lock()
        self.url = ""

    def add_edition(self, prefix: str, date: dt.date, pages: int) -> list[bytes]:
        """Pages at ``{prefix}/{YYYYMM}/{DD}/page_NN.pdf``."""
        out = []
        for n in range(1, pages + 1):
            data = make_pdf(f"{prefix} {date.isoformat()} page {n}")
            self.files[f"{prefix}/{date:%Y%m}/{date:%d}/page_{n:02d}.pdf"] = data
            out.append(data)
        return out


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        site: EPaperSite = self.server.site  # type: ignore[attr-defined]
        path = self.path.lstrip("/")
        with site.lock:
            site.hits[path] += 1
            fault = site.faults[path].pop(0) if site.faults[path] else None
        try:
            if fault == "500":
                self.send_error(500, "upstream hiccup")
                return
            if fault == "drop":
                self.close_connection = True
                return
            if fault == "slow":
                time.sleep(site.slow_seconds)
            body = site.files.get(path)
            if body is None:
                self.send_error(404)
                return
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            if site.etags and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            if fault == "gzip":
                body = gzip.compress(body)
            self.send_response(200)
            if fault == "gzip":
                self.send_header("Content-Encoding", "gzip")
            ctype = "text/html" if path.endswith((".html", "/")) else "application/pdf"
            self.send_header("Content-Type", ctype)
            if site.etags:
                self.send_header("ETag", etag)
            if fault == "truncate":
                self.send_header("Content-Length", str(len(body) + 1000))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def site():
    s = EPaperSite()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.site = s  # type: ignore[attr-defined]
    s.url = f"http://127.0.0.1:{server.server_address[1]}"
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield s
    server.shutdown()
    server.server_close()


def http_paper(site: EPaperSite, tmp_path: Path, code: str = "herald", **kw: object) -> PaperConfig:
    settings: dict[str, object] = dict(
        code=code, name="The Herald", language="en", timezone="America/New_York", cron="0 7 * * 1-6",
        source="http", page_url=site.url + "/" + code + "/{date:%Y%m}/{date:%d}/page_{page:02d}.pdf",
        store=str(tmp_path / "store"), db=str(tmp_path / "wh.duckdb"), timeout=0.5, retries=3,
        retry_backoff=0.01, max_pages=10,
    )
    settings.update(kw)
    return PaperConfig(**settings)  # type: ignore[arg-type]


@flow(name="test-fetch-edition")
def fetch_flow(paper: PaperConfig, date: dt.date) -> dict:
    return fetch_edition(paper, date).to_dict()


# --------------------------------------------------------------------------
# config
# --------------------------------------------------------------------------


def test_example_config_loads() -> None:
    papers = load_config(REPO / "broadsheet.toml")
    assert set(papers) == {"gxsb", "herald"}
    g = papers["gxsb"]
    assert g.timezone == "Asia/Shanghai" and g.source == "inbox"
    assert Path(g.inbox).is_absolute() and g.inbox.endswith("inbox/{paper}/{date:%Y-%m-%d}/*.pdf")
    assert papers["herald"].max_bytes == 200 * 1024 * 1024
    # "today" is the date where the paper is printed
    now = dt.datetime(2024, 3, 1, 20, 0, tzinfo=dt.timezone.utc)
    assert g.today(now) == dt.date(2024, 3, 2)
    assert papers["herald"].today(now) == dt.date(2024, 3, 1)


_OK = {"name": "X", "language": "en", "timezone": "Europe/London", "cron": "0 6 * * *",
       "source": "inbox", "inbox": "in/{paper}/{date:%Y%m%d}/*.pdf"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"cron": "every day"}, "not a 5-field cron"),
        ({"source": "ftp"}, "is not one of"),
        ({"inbox": ""}, "needs inbox"),
        ({"inbox": "in/{paper}/*.pdf"}, "no {date:...} placeholder"),
        ({"inbox": "in/{edition}/*.pdf"}, "does not format"),
        ({"source": "http", "inbox": ""}, "exactly one of page_url or index_url"),
        ({"source": "http", "page_url": "http://h/{date:%Y}/p.pdf"}, "{page:...}"),
        ({"colour": "blue"}, "unknown keys ['colour']"),
        ({"name": ""}, "'name' is required"),
        ({"retries": -1}, "not a non-negative number"),
    ],
)
def test_config_errors_say_what_is_wrong(change: dict, message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=None) as err:
        parse_config({"papers": {"x": {**_OK, **change}}}, tmp_path)
    assert message in str(err.value) and "papers.x" in str(err.value)


def test_smallest_valid_config_loads(tmp_path: Path) -> None:
    """Only the required keys: every documented-optional key takes its default."""
    path = tmp_path / "broadsheet.toml"
    path.write_text(
        '[papers.x]\nname = "X"\nlanguage = "en"\ntimezone = "UTC"\ncron = "0 6 * * *"\n'
        'source = "inbox"\ninbox = "in/{date:%Y-%m-%d}/*.pdf"\n',
        encoding="utf-8",
    )
    x = load_config(path)["x"]
    assert x.db == str(tmp_path / "warehouse.duckdb") and x.store == str(tmp_path / "store")
    assert (x.engine, x.timeout, x.retries, x.max_pages) == ("pdfium", 60.0, 4, 64)


@pytest.mark.parametrize("defaults", ['db = "w.duckdb"', 'store = "s"', 'engine = "pdfplumber"', 'retries = 1', ""])
def test_broadsheet_table_with_any_key_left_out(defaults: str, tmp_path: Path) -> None:
    """A [broadsheet] table that leaves out store (or anything else) still loads."""
    path = tmp_path / "broadsheet.toml"
    path.write_text(
        f"[broadsheet]\n{defaults}\n[papers.x]\nname = 'X'\nlanguage = 'en'\ntimezone = 'UTC'\n"
        "cron = '0 6 * * *'\nsource = 'http'\nindex_url = 'https://h/{date:%Y%m%d}/'\n",
        encoding="utf-8",
    )
    x = load_config(path)["x"]
    assert Path(x.store).is_absolute() and Path(x.db).is_absolute()


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[broadsheet]\nretries = 'many'\n", "[broadsheet].retries"),
        ("[broadsheet]\nstore = 3\n", "[broadsheet].store"),
        ("[broadsheet]\nengine = 'tesseract'\n", "[broadsheet].engine"),
        ("[broadsheet]\ncolour = 'x'\n", "colour"),
        ("broadsheet = 1\n", "broadsheet"),
    ],
)
def test_bad_default_values_name_the_key(toml: str, key: str, tmp_path: Path) -> None:
    path = tmp_path / "broadsheet.toml"
    path.write_text(toml + "[papers.x]\n" + "\n".join(f"{k} = {v!r}" for k, v in _OK.items()), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert key in str(err.value) and str(path) in str(err.value)


def test_config_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[papers.x\nname=1")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    empty = tmp_path / "empty.toml"
    empty.write_text("[broadsheet]\ndb='x.duckdb'\n")
    with pytest.raises(ConfigError, match="no papers"):
        load_config(empty)


# --------------------------------------------------------------------------
# pure helpers
# --------------------------------------------------------------------------


def test_render_and_links() -> None:
    d = dt.date(2024, 1, 7)
    assert render("x/{date:%Y%m}/{date:%d}/page_{page:02d}.pdf", "p", d, 3) == "x/202401/07/page_03.pdf"
    html = """<html><body><a href="A1.pdf">A1</a> <a href='/pdf/A2.PDF?x=1'>A2</a>
    <a href="A1.pdf">again</a> <a href="story.html">story</a> <A HREF="http://cdn/x/B1.pdf">B1</A></body></html>"""
    assert pdf_links(html, "http://h/2024-01-07/index.html") == [
        "http://h/2024-01-07/A1.pdf", "http://h/pdf/A2.PDF?x=1", "http://cdn/x/B1.pdf",
    ]


def test_inbox_files_sorted_by_name(tmp_path: Path) -> None:
    day = tmp_path / "inbox" / "gxsb" / "2024-01-05"
    day.mkdir(parents=True)
    for name in ("page_10.pdf", "page_02.pdf", "page_01.pdf", "notes.txt"):
        (day / name).write_bytes(b"%PDF-1.4\n")
    pattern = str(tmp_path / "inbox/{paper}/{date:%Y-%m-%d}/*.pdf")
    assert [p.name for p in inbox_files(pattern, "gxsb", dt.date(2024, 1, 5))] == [
        "page_01.pdf", "page_02.pdf", "page_10.pdf"]
    assert inbox_files(pattern, "gxsb", dt.date(2024, 1, 6)) == []


# --------------------------------------------------------------------------
# download into the content-addressed store
# --------------------------------------------------------------------------


def test_download_store_manifest_and_conditional_get(site: EPaperSite, tmp_path: Path) -> None:
    (data,) = site.add_edition("herald", dt.date(2024, 1, 5), 1)
    url = f"{site.url}/herald/202401/05/page_01.pdf"
    store = tmp_path / "store"
    got = download(url, store, timeout=2)
    sha = hashlib.sha256(data).hexdigest()
    assert got is not None and got.downloaded and got.sha256 == sha
    assert Path(got.path) == blob_path(store, sha) and Path(got.path).read_bytes() == data
    assert Path(got.path).parent.name == sha[:2]
    assert read_manifest(store, url)["etag"]
    assert not list((store / "tmp").iterdir())  # no temp files left behind

    again = download(url, store, timeout=2)  # ETag known: conditional GET, 304, nothing transferred
    assert again is not None and not again.downloaded and again.sha256 == sha
    assert site.hits["herald/202401/05/page_01.pdf"] == 2

    site.etags = False  # a server without validators: the manifest alone answers, no request
    url2 = f"{site.url}/herald/202401/05/page_01.pdf?v=2"
    site.files["herald/202401/05/page_01.pdf?v=2"] = data
    first = download(url2, store, timeout=2)
    second = download(url2, store, timeout=2)
    assert first.downloaded and not second.downloaded
    assert site.hits["herald/202401/05/page_01.pdf?v=2"] == 1
    assert first.path == got.path  # same bytes, one blob

    assert download(f"{site.url}/herald/202401/05/page_02.pdf", store, timeout=2) is None  # 404


def test_download_gzip_transfer_encoding(site: EPaperSite, tmp_path: Path) -> None:
    (data,) = site.add_edition("herald", dt.date(2024, 1, 5), 1)
    path = "herald/202401/05/page_01.pdf"
    site.faults[path] = ["gzip"]
    got = download(f"{site.url}/{path}", tmp_path, timeout=2)
    assert Path(got.path).read_bytes() == data and got.sha256 == hashlib.sha256(data).hexdigest()


def test_download_refuses_html_and_oversize(site: EPaperSite, tmp_path: Path) -> None:
    site.files["login.pdf"] = b"<!DOCTYPE html><html><body>Please log in</body></html>" + b" " * 2000
    with pytest.raises(NotPDF, match="not a PDF: looks like HTML"):
        download(f"{site.url}/login.pdf", tmp_path, timeout=2)
    site.files["big.pdf"] = make_pdf("big") + b"0" * 5000
    with pytest.raises(TooLarge):
        download(f"{site.url}/big.pdf", tmp_path, timeout=2, max_bytes=4000)
    assert not list((tmp_path / "tmp").iterdir())
    assert not (tmp_path / "sha256").exists()


def test_download_transient_failures(site: EPaperSite, tmp_path: Path) -> None:
    site.add_edition("herald", dt.date(2024, 1, 5), 1)
    path = "herald/202401/05/page_01.pdf"
    url = f"{site.url}/{path}"
    site.slow_seconds = 1.0
    site.faults[path] = ["truncate", "500", "slow", "drop"]
    with pytest.raises(TransientError, match="truncated|RemoteProtocolError"):
        download(url, tmp_path, timeout=0.3)
    with pytest.raises(TransientError, match="HTTP 500"):
        download(url, tmp_path, timeout=0.3)
    with pytest.raises(TransientError, match="Timeout"):
        download(url, tmp_path, timeout=0.3)
    with pytest.raises(TransientError):
        download(url, tmp_path, timeout=0.3)
    assert download(url, tmp_path, timeout=0.3).downloaded
    assert not (tmp_path / "sha256").exists() or len(list((tmp_path / "sha256").rglob("*.pdf"))) == 1


# --------------------------------------------------------------------------
# whole editions through Prefect tasks (real retries)
# --------------------------------------------------------------------------


def test_http_edition_survives_500_timeout_and_truncation(site: EPaperSite, tmp_path: Path) -> None:
    day = dt.date(2024, 1, 5)
    pages = site.add_edition("herald", day, 3)
    p1, p2, p3 = (f"herald/202401/05/page_{n:02d}.pdf" for n in (1, 2, 3))
    site.slow_seconds = 1.0
    site.faults[p1] = ["truncate"]
    site.faults[p2] = ["500", "500"]
    site.faults[p3] = ["slow"]
    paper = http_paper(site, tmp_path, timeout=0.3)

    result = fetch_flow(paper, day)
    assert result["status"] == "ok"
    assert result["sha256s"] == [hashlib.sha256(b).hexdigest() for b in pages]
    assert [Path(f).read_bytes() for f in result["files"]] == pages
    # page order and the edition are in the names ingest sees; the bytes are the store's blobs (hard links)
    assert [Path(f).relative_to(tmp_path / "store") for f in result["files"]] == [
        Path(f"editions/herald/2024-01-05/page_{n:02d}.pdf") for n in (1, 2, 3)]
    assert all(Path(f).samefile(blob_path(tmp_path / "store", sha))
               for f, sha in zip(result["files"], result["sha256s"]))
    assert site.hits[p1] == 2 and site.hits[p2] == 3 and site.hits[p3] == 2
    assert site.hits["herald/202401/05/page_04.pdf"] == 1  # the 404 that ends discovery, not retried
    assert result["downloaded"] == 3

    again = fetch_flow(paper, day)  # a re-run transfers nothing (ETag -> 304)
    assert again["sha256s"] == result["sha256s"] and again["downloaded"] == 0


def test_missing_sunday_is_no_edition(site: EPaperSite, tmp_path: Path) -> None:
    paper = http_paper(site, tmp_path)
    result = fetch_flow(paper, dt.date(2024, 1, 7))
    assert result["status"] == "no_edition" and result["files"] == []
    assert site.hits["herald/202401/07/page_01.pdf"] == 1


def test_persistent_5xx_fails_after_retries(site: EPaperSite, tmp_path: Path) -> None:
    day = dt.date(2024, 1, 5)
    site.add_edition("herald", day, 1)
    p1 = "herald/202401/05/page_01.pdf"
    site.faults[p1] = ["500"] * 10
    paper = http_paper(site, tmp_path, retries=2)
    with pytest.raises(TransientError, match="HTTP 500"):
        fetch_flow(paper, day)
    assert site.hits[p1] == 3  # one try + two retries


def test_html_instead_of_pdf_is_not_retried(site: EPaperSite, tmp_path: Path) -> None:
    day = dt.date(2024, 1, 5)
    site.files["herald/202401/05/page_01.pdf"] = b"<html><body>maintenance</body></html>" + b" " * 2000
    with pytest.raises(NotPDF, match="looks like HTML"):
        fetch_flow(http_paper(site, tmp_path), day)
    assert site.hits["herald/202401/05/page_01.pdf"] == 1


def test_index_page_source(site: EPaperSite, tmp_path: Path) -> None:
    day = dt.date(2024, 1, 5)
    site.files["idx/2024-01-05/A1.pdf"] = make_pdf("A1")
    site.files["idx/2024-01-05/A2.pdf"] = make_pdf("A2")
    site.files["idx/2024-01-05/index.html"] = (
        b'<ul><li><a href="A1.pdf">Front</a></li><li><a href="A2.pdf">News</a></li>'
        b'<li><a href="/about.html">about</a></li></ul>'
    )
    site.faults["idx/2024-01-05/index.html"] = ["500"]
    paper = http_paper(site, tmp_path, code="idx", page_url="",
                       index_url=site.url + "/idx/{date:%Y-%m-%d}/index.html")
    result = fetch_flow(paper, day)
    assert result["status"] == "ok"
    assert result["urls"] == [f"{site.url}/idx/2024-01-05/A1.pdf", f"{site.url}/idx/2024-01-05/A2.pdf"]
    assert [Path(f).name for f in result["files"]] == ["01_A1.pdf", "02_A2.pdf"]

    # the publisher drops a page and replaces another: the edition folder follows
    site.files["idx/2024-01-05/index.html"] = b'<a href="A2.pdf">News</a>'
    site.files["idx/2024-01-05/A2.pdf"] = make_pdf("A2 corrected")
    again = fetch_flow(paper, day)
    assert [Path(f).name for f in again["files"]] == ["01_A2.pdf"]
    assert sorted(p.name for p in Path(again["files"][0]).parent.iterdir()) == ["01_A2.pdf"]
    assert Path(again["files"][0]).read_bytes() == make_pdf("A2 corrected")
    assert fetch_flow(paper, dt.date(2024, 1, 7))["status"] == "no_edition"


def test_inbox_edition(tmp_path: Path) -> None:
    day = dt.date(2024, 1, 5)
    folder = tmp_path / "inbox" / "gxsb" / "2024-01-05"
    folder.mkdir(parents=True)
    (folder / "02.pdf").write_bytes(make_pdf("two"))
    (folder / "01.pdf").write_bytes(make_pdf("one"))
    paper = PaperConfig(code="gxsb", name="G", language="zh", timezone="Asia/Shanghai", cron="30 6 * * *",
                        source="inbox", inbox=str(tmp_path / "inbox/{paper}/{date:%Y-%m-%d}/*.pdf"))
    result = fetch_flow(paper, day)
    assert result["status"] == "ok" and [Path(f).name for f in result["files"]] == ["01.pdf", "02.pdf"]
    assert fetch_flow(paper, dt.date(2024, 1, 6))["status"] == "no_edition"
