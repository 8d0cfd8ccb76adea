"""fetch against a local http.server on 127.0.0.1: lock file, changed file refused, 404, timeout,
interrupted download, HTTPS only."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from pdfmaker import Writer
from test_cli import ok, one_line_error

from wtcompare import fetch as fetch_module
from wtcompare.fetch import read_lock
from wtcompare.registry import Registry


def small_pdf(text: str) -> bytes:
    w = Writer()
    w.new_page()
    w.heading("Chapter 1: Fetched", 18)
    w.paragraph("1.1", text)
    return w.finish()


class Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        if self.path == "/slow.pdf":
            time.sleep(3)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if self.path == "/truncated.pdf":
            self.send_header("Content-Length", str(len(body) * 2))  # promise more than is sent
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # clients that hang up on purpose are expected
        pass


@pytest.fixture
def server():
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.files = {
        "/wt.pdf": small_pdf("The first fictional text."),
        "/slow.pdf": b"%PDF-1.4 slow",
        "/truncated.pdf": small_pdf("Truncated."),
    }
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def texts(tmp_path, server):
    folder = tmp_path / "texts"
    folder.mkdir()
    entries = "".join(
        f'[[edition]]\nid = "{name}"\ntitle = "Fetched {name}"\nyear = 2030\nurl = "{server}/{name}.pdf"\n\n'
        for name in ("wt", "missing", "slow", "truncated")
    )
    (folder / "editions.toml").write_text(
        entries + '[[edition]]\nid = "plain"\ntitle = "P"\nurl = "http://example.org/x.pdf"\n'
    )
    return folder


def test_fetch_downloads_locks_and_registers(run, texts):
    out = ok(run("--texts", str(texts), "fetch", "wt"))
    assert out.stdout.startswith("downloaded wt:")
    lock = read_lock(texts)["wt"]
    assert lock["bytes"] == len(Handler.files["/wt.pdf"]) and len(lock["sha256"]) == 64 and lock["retrieved"]
    registry = Registry(texts)
    edition = registry.get("wt")
    assert edition.format == "pdf" and edition.sha256 == lock["sha256"]
    assert [p.text for p in registry.load("wt").paragraphs()] == ["The first fictional text."]
    assert ok(run("--texts", str(texts), "fetch", "wt")).stdout.startswith("unchanged wt:")


def test_changed_file_is_refused_unless_update(run, texts):
    ok(run("--texts", str(texts), "fetch", "wt"))
    before = (texts / "wt.pdf").read_bytes()
    Handler.files["/wt.pdf"] = small_pdf("A changed fictional text.")
    one_line_error(run("--texts", str(texts), "fetch", "wt"), 1, "changed since it was locked", "--update")
    assert (texts / "wt.pdf").read_bytes() == before and not list(texts.glob(".fetch-*"))
    assert ok(run("--texts", str(texts), "fetch", "wt", "--update")).stdout.startswith("updated wt:")
    assert (texts / "wt.pdf").read_bytes() == Handler.files["/wt.pdf"]
    kept = list(texts.glob("wt.pdf.replaced-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == before


def test_404(run, texts):
    one_line_error(run("--texts", str(texts), "fetch", "missing"), 1, "404")
    assert not list(texts.glob("missing*")) and not list(texts.glob(".fetch-*"))


def test_timeout_leaves_nothing(run, texts, monkeypatch):
    import httpx

    monkeypatch.setattr(fetch_module, "TIMEOUT", httpx.Timeout(0.5))
    one_line_error(run("--texts", str(texts), "fetch", "slow"), 1, "timed out", "ingest")
    assert not list(texts.glob("slow*")) and not list(texts.glob(".fetch-*"))


def test_interrupted_download_leaves_nothing(run, texts):
    one_line_error(run("--texts", str(texts), "fetch", "truncated"), 1, "truncated")
    assert not list(texts.glob("truncated*")) and not list(texts.glob(".fetch-*"))
    assert "truncated" not in read_lock(texts)


def test_only_https_is_fetched(run, texts):
    one_line_error(run("--texts", str(texts), "fetch", "plain"), 2, "only HTTPS")


def test_offline_says_to_use_ingest(run, texts, monkeypatch):
    (texts / "editions.toml").write_text('[[edition]]\nid = "off"\ntitle = "Off"\nurl = "http://127.0.0.1:9/x.pdf"\n')
    one_line_error(run("--texts", str(texts), "fetch", "off"), 1, "cannot download", "ingest")


def test_edition_without_address(run, texts):
    one_line_error(run("--texts", str(texts), "fetch", "wt1991"), 2, "no known official address", "ingest")
