"""System checks: fail loudly when PDFs would print empty boxes instead of Japanese."""

from __future__ import annotations

import shutil
import subprocess

from django.conf import settings
from django.core.checks import Error, register


def japanese_font_path(family: str) -> str | None:
    """The file fontconfig picks for `family` when it can draw Japanese, else None."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "--format=%{file}|%{family}", f"{family}:lang=ja"],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout
        listed = subprocess.run(
            ["fc-list", ":lang=ja", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path = out.split("|", 1)[0]
    return path if path and path in listed else None


@register("pdf")
def check_japanese_font(app_configs, **kwargs) -> list[Error]:  # noqa: ARG001
    if japanese_font_path(settings.PDF_FONT_FAMILY):
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
