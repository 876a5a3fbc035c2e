"""System checks: fail loudly when PDFs would print empty boxes instead of Japanese."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


def _fc_match(family: str) -> tuple[str, list[str]]:
    """(file, family names) of the font fontconfig substitutes for `family` with Japanese."""
    out = subprocess.run(
        ["fc-match", "--format=%{file}|%{family}", f"{family}:lang=ja"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    ).stdout
    path, _sep, names = out.partition("|")
    return path, [n.strip() for n in names.split(",") if n.strip()]


def japanese_font_path(family: str) -> str | None:
    """The file fontconfig picks for `family` when it can draw Japanese, else None."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "--format=%{file}|%{family}", f"{family}:lang=ja"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
        listed = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path = out.split("|", 1)[0]
    return path if path and path in listed else None


@register("pdf")
def check_japanese_font(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:  # noqa: ARG001
    family = settings.PDF_FONT_FAMILY
    if japanese_font_path(family):
        try:
            _path, names = _fc_match(family)
        except (OSError, subprocess.SubprocessError):
            return []
        if names and family.casefold() not in {n.casefold() for n in names}:
            return [
                Warning(
                    f"PDF_FONT_FAMILY={family!r} is not installed: the leaflet is printed in {names[0]!r} instead.",
                    hint="Check the family name with `fc-list :lang=ja family` (e.g. 'BIZ UDGothic').",
                    id="platform_site.W002",
                )
            ]
        return []
    return [
        Error(
            f"No Japanese font found for PDF_FONT_FAMILY={settings.PDF_FONT_FAMILY!r}: "
            "the leaflet would print empty boxes.",
            hint="Install fonts-morisawa-bizud-gothic or fonts-noto-cjk (make setup does), "
            "or set PDF_FONT_FAMILY to an installed Japanese font.",
            id="platform_site.E001",
        )
    ]


@register("pdf", deploy=True)
def check_site_url(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:  # noqa: ARG001
    """The leaflet prints SITE_URL (and its QR code) on paper: in production it must be the real address."""
    if settings.DEV_MODE:
        return []
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme == "https" and parts.hostname and parts.hostname not in {"localhost", "127.0.0.1", "::1"}:
        return []
    return [
        Error(
            f"SITE_URL={settings.SITE_URL!r} is not the public https address: the leaflet would print it "
            "and its QR code for residents, and email links would point there.",
            hint="Set SITE_URL to the site's public address, e.g. https://tsunagu.example.lg.jp",
            id="platform_site.E002",
        )
    ]


@register("security", deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None, **kwargs: object) -> list[CheckMessage]:  # noqa: ARG001
    """Outside development and tests a real secret key is required (sessions and CSRF depend on it)."""
    from .startup import secret_key_missing

    if settings.DEV_MODE or not secret_key_missing():
        return []
    return [
        Error(
            "SECRET_KEY is not set: sessions and CSRF tokens cannot be signed, and the web server refuses to start.",
            hint="Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value; see docs/configuration.md.",
            id="platform_site.E003",
        )
    ]


# Secret keys that were published (in .env.example, the docs or the development settings):
# anyone can sign a session cookie with them.
PLACEHOLDER_SECRET_MARKERS = (
    "change-me",
    "changeme",
    "insecure-",
    "django-insecure",
    "placeholder",
    "secret-key",
)


def secret_key_is_placeholder(key: str) -> bool:
    folded = key.casefold()
    return any(marker in folded for marker in PLACEHOLDER_SECRET_MARKERS)


@register("security", deploy=True)
def check_secret_key_placeholder(
    app_configs: Sequence[AppConfig] | None, **kwargs: object
) -> list[CheckMessage]:  # noqa: ARG001
    """A key copied from .env.example or the development settings is no secret: refuse it."""
    from .startup import secret_key_missing

    if settings.DEV_MODE or secret_key_missing() or not secret_key_is_placeholder(settings.SECRET_KEY):
        return []
    return [
        Error(
            "SECRET_KEY is a published placeholder (from .env.example or the development settings): "
            "anyone could sign sessions and CSRF tokens.",
            hint="Generate one: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="platform_site.E004",
        )
    ]
