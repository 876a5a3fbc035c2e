"""HTML to PDF with WeasyPrint, fetching nothing from the network and no file outside our static
files.

`render_pdf(html, base_url=STATIC_BASE)` typesets a page as PDF/UA-1 (tagged, its language and
title from the HTML). Relative URLs in the page resolve against ``STATIC_BASE``, an address that
exists nowhere: the fetcher maps it onto the static files (``django.contrib.staticfiles``
finders). The fetcher serves only:

- ``data:`` URIs (QR codes and the like, made by us);
- ``STATIC_BASE`` + a static file's name;
- ``file://`` paths that, with links resolved, lie inside a static folder.

Everything else is refused: another ``file://`` would read any file on the server, and http(s)
would be server-side request forgery (an organisation's website is user input).
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

STATIC_BASE = "https://tsunagu.invalid/static/"
PDF_UA = "pdf/ua-1"


class FontsMissing(RuntimeError):
    """No Japanese font is installed: typesetting would fail or crash the worker (Pango without
    any font), so nothing is rendered. The message is for the person who asked for the PDF."""

    def __str__(self) -> str:
        from django.utils.translation import gettext as _

        return _(
            "PDF を作れません。サーバーに日本語のフォントが入っていません。システムの管理者に連絡してください。"
        )


def japanese_fonts_installed() -> bool:
    """Whether fontconfig (as a new process would see it) lists a Japanese font. Asked before
    every rendering — a few milliseconds, against seconds of typesetting — so a server whose
    fonts went missing answers with `FontsMissing` instead of a dead worker."""
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.strip())


class RefusedURL(ValueError):
    """A URL the renderer may not fetch (WeasyPrint logs it and leaves the resource out)."""


@functools.cache
def weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use: web workers that never print do not load it.

    It logs every rendering step (and its start-up) at INFO; we keep its warnings only.
    """
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint as module

    return module


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

        def __init__(self, roots: tuple[Path, ...] | None = None, **kwargs: Any) -> None:
            # the parent only ever sees data: URIs, and would refuse any other scheme anyway
            super().__init__(allowed_protocols=("data",), allow_redirects=False, **kwargs)
            self.roots = static_roots() if roots is None else tuple(r.resolve() for r in roots)

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
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


def render_pdf(
    html: str,
    *,
    base_url: str = STATIC_BASE,
    identifier: bytes | None = None,
    variant: str | None = PDF_UA,
    **options: Any,
) -> bytes:
    """The PDF of ``html``. ``identifier`` fixes the PDF's /ID (give a hash of the content for
    byte-identical output); ``options`` go to WeasyPrint's ``write_pdf``. Raises `FontsMissing`
    (nothing rendered) when no Japanese font is installed."""
    if not japanese_fonts_installed():
        raise FontsMissing()
    fetcher = local_only_fetcher_class()()
    document = weasyprint().HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=variant, pdf_identifier=identifier, **options)
