"""The PDF renderer: the fetcher serves data: URIs and static files only (no network, no file
outside the static folders), and a small Japanese page renders to a PDF whose text reads back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from platform_site.lib.pdf import STATIC_BASE, RefusedURL, local_only_fetcher_class, render_pdf, static_roots

STATIC = Path(settings.BASE_DIR) / "static"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@pytest.fixture
def fetcher():
    return local_only_fetcher_class()()


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8000/admin/",
        "https://example.com/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "HTTPS://EXAMPLE.COM/x.css",
        "ftp://example.com/x.css",
        "file:///etc/passwd",
        f"file://{settings.BASE_DIR}/platform_site/settings.py",  # our own code, outside static
        f"file://{STATIC}/../platform_site/settings.py",
        f"file://{STATIC}/%2e%2e/platform_site/settings.py",
        f"file://example.com{STATIC}/css/app.css",  # a file on another host
        f"{STATIC_BASE}../../platform_site/settings.py",
        f"{STATIC_BASE}%2e%2e/%2e%2e/platform_site/settings.py",
        f"{STATIC_BASE}/etc/passwd",
        f"{STATIC_BASE}css/missing.css",
        STATIC_BASE,
        "https://tsunagu.invalid/other/app.css",
        "javascript:alert(1)",
        "relative/path.css",
    ],
)
def test_the_fetcher_refuses_the_network_and_files_outside_static(fetcher, target):
    with pytest.raises(RefusedURL, match="refused"):
        fetcher.fetch(target)


def test_a_link_out_of_the_static_folder_is_refused(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "ok.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.css").symlink_to(tmp_path / "secret.txt")
    fetcher = local_only_fetcher_class()(roots=(root,))
    assert fetcher.fetch(f"file://{root}/ok.css").read() == b"p { color: red }"
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"file://{root}/link.css")


def test_the_fetcher_serves_data_uris_and_static_files(fetcher):
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    css = fetcher.fetch(f"{STATIC_BASE}css/app.css?v=2")
    assert b"--primary" in css.read() and css.content_type == "text/css"
    as_file = fetcher.fetch(f"file://{STATIC}/css/app.css")
    assert b"--primary" in as_file.read()


def test_the_static_folders_are_the_allowed_roots():
    assert STATIC.resolve() in static_roots()
    assert Path(settings.BASE_DIR).resolve() not in static_roots()


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>相談先一覧</title>
<link rel="stylesheet" href="css/app.css"><style>body {{ font-family: "{font}" }}</style></head>
<body><h1>つながる相談先</h1><p>ひとりで悩まず、お電話ください。</p>
<img src="https://example.com/tracker.png" alt=""></body></html>"""


@needs_poppler
def test_a_japanese_page_renders_to_a_pdf_whose_text_reads_back(tmp_path, monkeypatch):
    seen: list[str] = []
    cls = local_only_fetcher_class()
    original = cls.fetch

    def fetch(self, u, headers=None):
        seen.append(u)
        return original(self, u, headers)

    monkeypatch.setattr(cls, "fetch", fetch)
    pdf = render_pdf(PAGE.format(font=settings.PDF_FONT_FAMILY), base_url=STATIC_BASE, identifier=b"0" * 32)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf, tmp_path)
    assert "つながる相談先" in text and "ひとりで悩まず、お電話ください。" in text
    # the stylesheet came from the static files; the tracker was asked for and refused
    assert f"{STATIC_BASE}css/app.css" in seen and "https://example.com/tracker.png" in seen


@needs_poppler
def test_the_pdf_is_tagged_pdf_ua_and_repeatable(tmp_path):
    html = PAGE.format(font=settings.PDF_FONT_FAMILY)
    first = render_pdf(html, base_url=STATIC_BASE, identifier=b"a" * 32)
    assert first == render_pdf(html, base_url=STATIC_BASE, identifier=b"a" * 32)
    path = tmp_path / "ua.pdf"
    path.write_bytes(first)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info and "相談先一覧" in info


def test_the_fetcher_serves_only_the_images_it_was_handed():
    from platform_site.lib.pdf import MEMORY_BASE

    fetcher = local_only_fetcher_class()(memory={"qr-1.png": b"\x89PNG"})
    assert fetcher.fetch(f"{MEMORY_BASE}qr-1.png").read() == b"\x89PNG"
    for target in (f"{MEMORY_BASE}qr-2.png", f"{MEMORY_BASE}../static/css/app.css"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(target)


@needs_poppler
@pytest.mark.parametrize(
    "html",
    [
        # well-formed XHTML: the fast parser
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"/><title>t</title></head>'
        "<body><p>相談先<br/>電話</p></body></html>",
        # not XML (an HTML <br>): WeasyPrint's own parser takes over, same text
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head>'
        "<body><p>相談先<br>電話</p></body></html>",
    ],
)
def test_the_lean_renderer_reads_xhtml_and_falls_back_for_html(html, tmp_path):
    from platform_site.lib.pdf import xhtml_tree

    assert (xhtml_tree(html) is not None) == ("<br/>" in html)
    text = _text(render_pdf(html, lean=True, css="p { font-size: 20pt }"), tmp_path)
    assert "相談先" in text and "電話" in text
