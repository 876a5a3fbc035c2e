"""The English catalogue: complete for the residents' pages and the leaflet, and compiled."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What residents read in English: the public directory, the leaflet and the layout around them.
PUBLIC: tuple[str, ...] = (
    "templates/directory/",
    "templates/orgs/pdf/",
    "templates/base.html",
    "orgs/views_public.py",
    "orgs/selectors_public.py",
    "orgs/pdf.py",
)


def _entries() -> list[tuple[list[str], str, list[str]]]:
    """(reference files, msgid, msgstrs) of every entry of the .po."""
    out = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        refs = [r.split(":")[0] for line in re.findall(r"^#: (.*)$", block, re.M) for r in line.split()]
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if msgid:
            text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', msgid.group(1)))
            out.append((refs, text, ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s)) for s in strs]))
    return out


def test_every_string_of_the_public_pages_and_the_leaflet_has_its_english():
    missing = [
        msgid
        for refs, msgid, strs in _entries()
        if msgid and any(ref.startswith(PUBLIC) for ref in refs) and not all(strs)
    ]
    assert not missing, "untranslated (run `make messages`, then translate):\n" + "\n".join(missing)
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_the_committed_mo_is_the_compiled_po():
    if shutil.which("msgfmt") is None:
        pytest.fail("msgfmt (GNU gettext) is missing: scripts/system-deps.sh test installs it")
    fresh = subprocess.run(["msgfmt", "--check", "-o", "-", str(PO)], capture_output=True, check=True).stdout
    committed = gettext.GNUTranslations(io.BytesIO(MO.read_bytes()))
    compiled = gettext.GNUTranslations(io.BytesIO(fresh))
    assert committed._catalog == compiled._catalog  # type: ignore[attr-defined]  # run `make messages`


def test_every_string_written_in_the_public_sources_is_in_the_catalogue():
    """The check above reads the .po; this one reads the sources, so a public string added
    without `make messages` fails too (simple literals: `{% translate "…" %}`, `_("…")`)."""
    translated = {msgid for _refs, msgid, strs in _entries() if msgid and all(strs)}
    patterns = (
        re.compile(r'\{%\s*translate\s+"((?:[^"\\]|\\.)+)"'),
        re.compile(r'(?<![\w.])(?:_|gettext|gettext_lazy|pgettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]'),
    )
    missing = set()
    for entry in PUBLIC:
        path = ROOT / entry
        for file in sorted(path.rglob("*.*")) if path.is_dir() else [path]:
            text = file.read_text(encoding="utf-8")
            for pattern in patterns:
                missing |= {m for m in pattern.findall(text) if re.search(r"[^\x00-\x7f]", m)} - translated
    assert not missing, "not in the English catalogue (run `make messages`, then translate):\n" + "\n".join(
        sorted(missing)
    )
