"""Reading a PDF back the way a reader meets it: poppler's `pdftotext -bbox-layout` gives every
word with its box on its page. For the BIZ UD fonts (ascent + descent = 1 em) a word's box is
exactly as high as its font size, so sizes are measured from the PDF itself, not from the CSS."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def size(self) -> float:
        """The font size in points (the box height, see the module's docstring)."""
        return round(self.y1 - self.y0, 2)


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def filled(self, *, top_mm: float, bottom_mm: float) -> float:
        """How far down the content area (between the page margins) the text reaches, 0–1."""
        top, bottom = top_mm * MM, self.height - bottom_mm * MM
        inside = [w.y1 for w in self.words if top - 1 <= w.y0 and w.y1 <= bottom + 1]
        return (max(inside, default=top) - top) / (bottom - top)


def pdf_pages(data: bytes, tmp_path: Path) -> list[Page]:
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout
    root = ElementTree.fromstring(out)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [
            Word(w.text or "", *(float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        pages.append(Page(float(page.get("width", 0)), float(page.get("height", 0)), words))
    return pages


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
