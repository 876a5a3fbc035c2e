"""Reused card layouts (platform_site.lib.pdf_blocks): the leaflet typeset with its cards'
layouts kept is byte-for-byte the leaflet typeset without, within one render, between renders,
and after an edit (which lays out the edited card anew); the leaflet's stylesheet keeps the rules
that make this sound; the kept layouts are bounded."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from orgs import demo
from orgs import pdf as leaflet
from orgs.models import Organisation
from platform_site.lib import pdf_blocks
from platform_site.lib.pdf import render_pdf, xhtml_tree
from platform_site.models import Platform

pytestmark = pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig not installed")


@pytest.fixture
def kumamoto(db) -> Iterator[Platform]:
    demo.load()
    pdf_blocks.clear()
    yield Platform.objects.get(slug="kumamoto")
    pdf_blocks.clear()


def _typeset(platform: Platform, *, reuse: bool, **options: Any) -> bytes:
    source = leaflet.leaflet_source(platform=platform, options=leaflet.LeafletOptions(**options))
    html, images = leaflet._html(source)
    return render_pdf(
        html,
        identifier=source.fingerprint[:32].encode(),
        lean=True,
        images=images,
        css=leaflet.stylesheet(settings.PDF_FONT_FAMILY),
        reuse=leaflet.REUSED_BLOCKS if reuse else (),
    )


def test_reused_cards_give_the_same_pdf_byte_for_byte(kumamoto):
    plain = _typeset(kumamoto, reuse=False)
    first = _typeset(kumamoto, reuse=True)
    hits, misses = pdf_blocks.last_render()
    # within the first render already: rows moved to the next page, organisations listed by name
    # under a second worry
    assert misses > 30 and hits > 0
    again = _typeset(kumamoto, reuse=True)
    assert pdf_blocks.last_render() == (hits + misses, 0)
    assert plain == first == again


def test_the_view_path_reuses_the_cards(kumamoto):
    """leaflet_pdf_bytes (the worker's and the view's path) asks for the reuse."""
    assert leaflet.REUSED_BLOCKS == ("card",)
    data = leaflet.leaflet_pdf_bytes(leaflet.leaflet_source(platform=kumamoto))
    hits, misses = pdf_blocks.last_render()
    assert misses > 30 and hits > 0
    assert data == _typeset(kumamoto, reuse=False)


def test_after_an_edit_only_the_edited_card_is_laid_out_anew(kumamoto, tmp_path):
    _typeset(kumamoto, reuse=True)
    org = (
        Organisation.objects.filter(public_listing=True, memberships__platform=kumamoto)
        .exclude(activity="")
        .first()
    )
    assert org is not None
    org.activity = org.activity + "（毎月第2土曜日は休み）"
    org.save()
    warm = _typeset(kumamoto, reuse=True)
    hits, misses = pdf_blocks.last_render()
    assert 1 <= misses <= 3  # its full card (and any row that moved with it)
    assert hits > 30
    pdf_blocks.clear()
    assert warm == _typeset(kumamoto, reuse=False)
    assert "毎月第2土曜日は休み" in _text(warm, tmp_path)


def test_each_variant_and_language_keeps_its_own_layouts(kumamoto):
    _typeset(kumamoto, reuse=True)
    large = _typeset(kumamoto, reuse=True, variant=leaflet.VARIANT_LARGE)
    assert pdf_blocks.last_render() == (0, 0)  # large print's cards are blocks in the flow: never kept
    english = _typeset(kumamoto, reuse=True, language="en")
    assert pdf_blocks.last_render()[1] > 30  # none of the Japanese cards' layouts fits
    pdf_blocks.clear()
    assert large == _typeset(kumamoto, reuse=False, variant=leaflet.VARIANT_LARGE)
    assert english == _typeset(kumamoto, reuse=False, language="en")


def test_the_leaflet_stylesheet_keeps_the_rules_of_reuse(kumamoto):
    source = leaflet.leaflet_source(platform=kumamoto)
    root = xhtml_tree(leaflet._html(source)[0])
    assert root is not None
    inside = {
        name
        for card in root.iter()
        if "card" in (card.get("class") or "").split()
        for element in card.iter()
        for name in (element.get("class") or "").split()
    }
    assert {"card", "name", "phone", "qr", "mk"} <= inside
    assert pdf_blocks.stylesheet_problems(leaflet.stylesheet(settings.PDF_FONT_FAMILY), inside) == []


@pytest.mark.parametrize(
    ("css", "problem"),
    [
        (".card:first-child { margin: 0 }", "positional"),
        (".row .card:nth-of-type(2) { margin: 0 }", "positional"),
        (".cat ~ .card { margin: 0 }", "positional"),
        (".phone { string-set: tel content(text) }", "page-dependent"),
        (".card { counter-increment: card }", "page-dependent"),
        ("p { string-set: x content(text) }", "page-dependent"),
        (".name { position: running(head) }", "page-dependent"),
    ],
)
def test_the_check_names_what_would_break_reuse(css, problem):
    problems = pdf_blocks.stylesheet_problems(
        css + "\n.cat { string-set: cat content(text) }", {"card", "phone", "name"}
    )
    assert len(problems) == 1 and problem in problems[0]


def test_the_kept_layouts_are_bounded(kumamoto, monkeypatch):
    _typeset(kumamoto, reuse=True)
    kept = len(pdf_blocks._memo())
    assert kept == pdf_blocks.last_render()[1]  # one per distinct card
    org = Organisation.objects.filter(public_listing=True, memberships__platform=kumamoto).exclude(
        activity=""
    )[0]
    for n in range(3):  # edits: each new version replaces the old one
        org.activity += f"（{n}）"
        org.save()
        _typeset(kumamoto, reuse=True)
        assert len(pdf_blocks._memo()) == kept
    _typeset(kumamoto, reuse=True, language="en")  # another scope keeps its own beside
    assert len(pdf_blocks._memo()) > kept
    monkeypatch.setattr(pdf_blocks, "MAX_BLOCKS", 10)
    pdf_blocks.clear()
    _typeset(kumamoto, reuse=True)
    assert len(pdf_blocks._memo()) == 10


def _text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout.replace(" ", "").replace("\n", "")


def test_a_pseudo_elements_box_is_not_taken_for_its_elements(db):
    """A card's ::before as an inline block of its own: laid out as itself, not as the card."""
    cards = "".join(
        f'<div class="row"><div class="card"><p>相談{i % 2}</p></div><div class="card"><p>窓口</p></div></div>'
        for i in range(6)
    )
    html = f'<html lang="ja"><head><title>t</title></head><body>{cards}</body></html>'
    css = (
        f'html {{ font-family: "{settings.PDF_FONT_FAMILY}" }} .card {{ display: inline-block; width: 60mm }}'
        ' .card::before { content: "◆"; display: inline-block; width: 8mm }'
    )
    pdf_blocks.clear()
    plain = render_pdf(html, identifier=b"0" * 32, lean=True, css=css)
    reused = render_pdf(html, identifier=b"0" * 32, lean=True, css=css, reuse=("card",))
    assert pdf_blocks.last_render() == (9, 3)  # three distinct cards, nine repeats
    assert reused == plain


def test_a_lean_render_collects_garbage_less_often_and_puts_the_threshold_back(db):
    import gc

    from platform_site.lib import pdf

    saved = gc.get_threshold()
    with pdf._fewer_collections():
        assert gc.get_threshold() == (pdf.LEAN_GC_THRESHOLD, *saved[1:])
        with pdf._fewer_collections():  # another thread's render at the same time
            pass
        assert gc.get_threshold()[0] == pdf.LEAN_GC_THRESHOLD  # still rendering: still raised
    assert gc.get_threshold() == saved
    with pytest.raises(RuntimeError), pdf._fewer_collections():
        raise RuntimeError("a failed render")
    assert gc.get_threshold() == saved
    render_pdf('<html lang="ja"><head><title>t</title></head><body><p>相談</p></body></html>', lean=True)
    assert gc.get_threshold() == saved
