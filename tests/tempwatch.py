"""Watch the system temp folder during a test: every file opened there is recorded, even one
deleted again before the test looks (openpyxl's writer removes its temp files when done, so an
empty folder afterwards proves nothing on its own).

Uses a Python audit hook (PEP 578: the "open" event of open() and os.open()). Hooks cannot be
removed, so one is installed once per process and records only while a watch is running.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

_watching: list[TempWatch] = []
_installed = False


@dataclass
class TempWatch:
    folder: Path
    opened: list[str] = field(default_factory=list)

    def files(self) -> list[Path]:
        return sorted(self.folder.rglob("*"))


def _hook(event: str, args: tuple) -> None:
    if event != "open" or not _watching or isinstance(args[0], int):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    for watch in _watching:
        if path.startswith(str(watch.folder)):
            watch.opened.append(path)


@contextmanager
def watch_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TempWatch]:
    """Point tempfile and TMPDIR at an empty folder and record what is opened in it."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    folder = (tmp_path / "system-temp").resolve()
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    watch = TempWatch(folder)
    _watching.append(watch)
    try:
        yield watch
    finally:
        _watching.remove(watch)
