"""HTML to PDF with WeasyPrint, fetching nothing from the network and no file outside our static
files.

`render_pdf(html, base_url=STATIC_BASE)` typesets a page as PDF/UA-1 (tagged, its language and
title from the HTML). Relative URLs in the page resolve against ``STATIC_BASE``, an address that
exists nowhere: the fetcher maps it onto the static files (``django.contrib.staticfiles``
finders). The fetcher serves only:

- ``data:`` URIs (QR codes and the like, made by us);
- ``STATIC_BASE`` + a static file's name;
- ``file://`` paths that, with links resolved, lie inside a static folder.

- ``MEMORY_BASE`` + a name the caller hands over in ``images`` (QR codes made in memory).

Everything else is refused: another ``file://`` would read any file on the server, and http(s)
would be server-side request forgery (an organisation's website is user input).

**Speed** (``lean=True``, the leaflet): WeasyPrint's plain ``HTML(string=…).write_pdf()`` spends
much of its time on work a document we generate ourselves does not need. Measured on the
leaflet (see bench/bench_leaflet.py, which renders it both ways in one run):

- the HTML5 parser is pure Python (~10% of a render; with 300 QR codes inlined as ``data:`` URIs
  it reads every character of them). Our templates are well-formed XHTML, so the C XML parser
  (expat) builds the same tree; anything it rejects falls back to WeasyPrint's parser;
- the HTML5 user-agent stylesheet: its selectors that cannot be indexed by tag name are tried
  on every element (~40% of the cascade); ``pdf_assets/print_ua.css`` keeps what we print;
- images by address (``images``): small documents, decoded once per process through
  WeasyPrint's image cache instead of parsed out of the HTML and decoded on every render;
- the document's own stylesheet given as text (``css``) is parsed once per process, not on every
  render (cssselect2 compiles each selector: ~15% of a render when inlined in a <style>);
- one FontConfiguration per thread, kept: fonts are looked up and loaded once;
- the URL fetcher shares one SSL context (never used: we fetch nothing over the network)
  instead of building one, and loading the system's certificates, for every render (~18 ms);
- pydyf (WeasyPrint's PDF writer) rebuilds the list of all pages each time a tagged element
  names its page: ``weasyprint()`` makes that list once per page count (PDF/UA tags one element
  per box, so this grew with pages × boxes: ~15% of a 300-organisation leaflet);
- pydyf compresses every stream at zlib's level 9, twice the time of zlib's own default (6) for
  about 1% less size: lean renders use level 6;
- ``reuse``: blocks named by class (the leaflet's cards) are laid out once per content and
  surroundings and copied after that, within a render and between renders of a worker
  (``pdf_blocks``; about half of a render's layout, and byte-identical output);
- a render makes several hundred thousand short-lived objects, and at Python's default threshold
  (700) the cyclic garbage collector runs hundreds of times during one, its older generations
  walking every object of the process (Django's, the kept layouts): lean renders raise the
  first generation's threshold to ``LEAN_GC_THRESHOLD`` while they run (about a sixth of a
  warm render) and put it back after; what is garbage is still collected, a little later.
"""

from __future__ import annotations

import functools
import gc
import logging
import mimetypes
import os
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

from platform_site.lib import pdf_blocks

STATIC_BASE = "https://tsunagu.invalid/static/"
MEMORY_BASE = "https://tsunagu.invalid/memory/"
PDF_UA = "pdf/ua-1"
PRINT_UA = Path(__file__).resolve().parent / "pdf_assets" / "print_ua.css"
IMAGE_CACHE_LIMIT = 4096  # decoded images kept per process (QR codes: a few hundred bytes each)
LEAN_COMPRESSION = 6  # zlib's level for lean renders (pydyf's own is 9)
LEAN_GC_THRESHOLD = 50_000  # the cyclic collector's first threshold during a lean render

_local = threading.local()
_gc_lock = threading.Lock()
_gc_state: dict[str, Any] = {"renders": 0, "saved": None}


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic collector's first threshold raised while any lean render runs (process-wide:
    the last render to finish puts the saved thresholds back)."""
    with _gc_lock:
        if _gc_state["renders"] == 0:
            saved = _gc_state["saved"] = gc.get_threshold()
            gc.set_threshold(max(saved[0], LEAN_GC_THRESHOLD), *saved[1:])
        _gc_state["renders"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["renders"] -= 1
            if _gc_state["renders"] == 0:
                gc.set_threshold(*_gc_state["saved"])


class FontsMissing(RuntimeError):
    """No Japanese font is installed: typesetting would fail or crash the worker (Pango without
    any font), so nothing is rendered. The message is for the person who asked for the PDF."""

    def __str__(self) -> str:
        from django.utils.translation import gettext as _

        return _(
            "PDF を作れません。サーバーに日本語のフォントが入っていません。システムの管理者に連絡してください。"
        )


FONT_CHECK_SECONDS = 60  # a positive answer is trusted this long (per fontconfig environment)
_fonts_seen: dict[tuple[str | None, str | None], float] = {}


def japanese_fonts_installed() -> bool:
    """Whether fontconfig (as a new process would see it) lists a Japanese font. Asked before
    every rendering — a few milliseconds, against seconds of typesetting — so a server whose
    fonts went missing answers with `FontsMissing` instead of a dead worker. A font found is
    believed for FONT_CHECK_SECONDS (the check is a process start, ~8 ms of a render); a missing
    one is asked again every time."""
    key = (os.environ.get("FONTCONFIG_FILE"), os.environ.get("FONTCONFIG_PATH"))
    seen = _fonts_seen.get(key)
    if seen is not None and time.monotonic() - seen < FONT_CHECK_SECONDS:
        return True
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    if not listed.strip():
        return False
    _fonts_seen[key] = time.monotonic()
    return True


class RefusedURL(ValueError):
    """A URL the renderer may not fetch (WeasyPrint logs it and leaves the resource out)."""


@functools.cache
def weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use: web workers that never print do not load it.

    It logs every rendering step (and its start-up) at INFO; we keep its warnings only.
    """
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint as module

    _page_references_once()
    _compression_level_once()
    return module


def _compression_level_once() -> None:
    """pydyf's zlib, whose ``compressobj`` takes this thread's level when a render set one."""
    import zlib

    import pydyf  # type: ignore[import-untyped]

    if isinstance(pydyf.zlib, _Zlib):
        return
    pydyf.zlib = _Zlib(zlib)


class _Zlib:
    """zlib as pydyf sees it: the same, but with the level of a lean render (`render_pdf`)."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return self._module.compressobj(getattr(_local, "compress_level", None) or level, *args, **kwargs)


def _page_references_once() -> None:
    """pydyf.PDF.page_references, kept until a page is added (same values, made once)."""
    import pydyf

    if getattr(pydyf.PDF, "_tsunagu_page_references", False):
        return

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        kept = self.__dict__.get("_page_references")
        if kept is None or kept[0] != len(kids):
            kept = self._page_references = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._tsunagu_page_references = True


@functools.cache
def _unused_ssl_context() -> ssl.SSLContext:
    """Handed to every fetcher, which otherwise makes its own for HTTPS it is never allowed."""
    return ssl.create_default_context()


def static_roots() -> tuple[Path, ...]:
    """The folders the static files come from (STATICFILES_DIRS and each app's static/)."""
    roots = [Path(d[1] if isinstance(d, tuple | list) else d) for d in settings.STATICFILES_DIRS]
    roots += [Path(app.path) / "static" for app in apps.get_app_configs()]
    return tuple(root.resolve() for root in roots if root.is_dir())


@functools.cache
def local_only_fetcher_class() -> type[Any]:
    """The URL fetcher class (WeasyPrint's URLFetcher is imported with WeasyPrint, on first use)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    weasyprint()

    class LocalOnlyFetcher(URLFetcher):
        """Serves data: URIs and our own static files; refuses everything else."""

        def __init__(
            self,
            roots: tuple[Path, ...] | None = None,
            memory: Mapping[str, bytes] | None = None,
            **kwargs: Any,
        ) -> None:
            # the parent only ever sees data: URIs, and would refuse any other scheme anyway
            kwargs.setdefault("ssl_context", _unused_ssl_context())
            super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
            self.roots = static_roots() if roots is None else tuple(r.resolve() for r in roots)
            self.memory = memory or {}

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if url.startswith(MEMORY_BASE) and url[len(MEMORY_BASE) :] in self.memory:
                name = url[len(MEMORY_BASE) :]
                mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=self.memory[name], headers={"Content-Type": mime})
            path: Path | None = None
            if url.startswith(STATIC_BASE):
                name = unquote(urlsplit(url[len(STATIC_BASE) :]).path)
                if name and ".." not in name.split("/") and not name.startswith("/"):
                    found = finders.find(name)
                    path = Path(found) if isinstance(found, str) else None
            elif scheme == "file":
                parts = urlsplit(url)
                if parts.netloc in ("", "localhost"):
                    path = Path(url2pathname(unquote(parts.path)))
            if path is not None:
                real = path.resolve()
                if real.is_file() and any(real.is_relative_to(root) for root in self.roots):
                    mime = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=real.read_bytes(), headers={"Content-Type": mime})
            raise RefusedURL(f"refused to fetch {url[:40]!r}: only data: URIs and static files")

    return LocalOnlyFetcher


def _font_config() -> Any:
    """This thread's FontConfiguration, kept between renders (fonts found and loaded once)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        weasyprint()
        config = _local.font_config = FontConfiguration()
    return config


def _image_cache() -> dict[str, Any]:
    """This thread's WeasyPrint image cache (keyed by address; bounded)."""
    cache: dict[str, Any] | None = getattr(_local, "images", None)
    if cache is None or len(cache) > IMAGE_CACHE_LIMIT:
        cache = _local.images = {}
    return cache


def xhtml_tree(html: str) -> ElementTree.Element | None:
    """The document parsed as XML (expat, in C), or None when it is not well-formed XHTML."""
    head, sep, rest = html.partition(">") if html[:9].lower() == "<!doctype" else ("", "", html)
    try:
        return ElementTree.fromstring(rest if sep else html)
    except ElementTree.ParseError:
        return None


@functools.lru_cache(maxsize=32)
def parsed_stylesheet(css: str) -> Any:
    """A stylesheet parsed (and its selectors compiled) once per process."""
    return weasyprint().CSS(string=css)


@functools.cache
def lean_html_class() -> type[Any]:
    """WeasyPrint's HTML with the XML fast path and the lean user-agent stylesheet."""
    import cssselect2  # type: ignore[import-untyped]

    wp = weasyprint()
    ua = wp.CSS(string=PRINT_UA.read_text(encoding="utf-8"))

    class LeanHTML(wp.HTML):  # type: ignore[name-defined]
        def __init__(self, *, string: str, base_url: str, url_fetcher: Any) -> None:
            root = xhtml_tree(string)
            if root is None:  # not XHTML: WeasyPrint's own HTML5 parser
                super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
                return
            self.base_url = base_url
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [ua]

    return LeanHTML


def render_pdf(
    html: str,
    *,
    base_url: str = STATIC_BASE,
    identifier: bytes | None = None,
    variant: str | None = PDF_UA,
    lean: bool = False,
    images: Mapping[str, bytes] | None = None,
    css: str = "",
    reuse: tuple[str, ...] = (),
    **options: Any,
) -> bytes:
    """The PDF of ``html``. ``identifier`` fixes the PDF's /ID (give a hash of the content for
    byte-identical output); ``options`` go to WeasyPrint's ``write_pdf``.

    ``lean``: the fast path for a template we know (well-formed XHTML, using only the elements
    of ``pdf_assets/print_ua.css``). ``images``: name → bytes served at ``MEMORY_BASE + name``
    (give names that change with the content, e.g. a hash: decoded images are cached by address).
    ``css``: an author stylesheet applied after the document's own, parsed once per process.
    ``reuse`` (with ``lean``): class names of inline blocks laid out once per content and
    surroundings (`pdf_blocks`; the stylesheet must keep its rules, `stylesheet_problems`).

    Raises `FontsMissing` (nothing rendered) when no Japanese font is installed.
    """
    if not japanese_fonts_installed():
        raise FontsMissing()
    fetcher = local_only_fetcher_class()(memory=images)
    if lean:
        document = lean_html_class()(string=html, base_url=base_url, url_fetcher=fetcher)
        options.setdefault("cache", _image_cache())
    else:
        document = weasyprint().HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    if css:
        options["stylesheets"] = [*options.get("stylesheets", ()), parsed_stylesheet(css)]
    options.update(pdf_variant=variant, pdf_identifier=identifier, font_config=_font_config())
    if not lean:
        return document.write_pdf(**options)
    if len(options.get("stylesheets", ())) != (1 if css else 0) and reuse:
        raise ValueError("reuse: give the author stylesheet as css, and no other")
    _local.compress_level = LEAN_COMPRESSION
    try:
        with _fewer_collections():
            if not reuse:
                return document.write_pdf(**options)
            root = document.etree_element
            in_page = tuple(
                (e.tag, tuple(e.attrib.items()), e.text) for e in root.iter() if e.tag in ("style", "link")
            )
            with pdf_blocks.reusing(reuse, (base_url, css, in_page), root):
                return document.write_pdf(**options)
    finally:
        _local.compress_level = None
