"""The kumamoto demo leaflet: every publicly listed member, under each of its categories."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.cache import cache

from orgs import demo
from orgs.models import ContactPerson, Organisation
from orgs.pdf import render_leaflet_pdf
from orgs.selectors_public import listed_organisations
from platform_site.models import Platform

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed"
)


def _key(name: str) -> str:
    """The start of a name: a long name may wrap inside its card (pdftotext then splits it)."""
    return name.replace(" ", "")[:10]


def _segments(text: str, headings: list[str]) -> dict[str, str]:
    """Leaflet text cut at the category headings (each printed on a line of its own)."""
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index(headings[0])
    segments: dict[str, list[str]] = {}
    current = None
    for line in lines[start:]:
        if line in headings:
            current = line
            segments.setdefault(current, [])
        elif current:
            segments[current].append(line.replace(" ", ""))
    return {k: "".join(v) for k, v in segments.items()}


def test_kumamoto_lists_every_public_member_under_each_category(db, tmp_path):
    demo.load()
    cache.clear()
    platform = Platform.objects.get(slug="kumamoto")
    ContactPerson.objects.create(
        organisation=Organisation.objects.get(ref="KUM-16"), name="担当花子", phone="090-0000-1234"
    )
    _name, data = render_leaflet_pdf(platform=platform)
    path = tmp_path / "kumamoto.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    listed = list(listed_organisations(platform=platform))
    assert len(listed) == 34
    headings = [
        c.name
        for c in platform.worry_categories.order_by("order")
        if c.organisations.filter(pk__in=[o.pk for o in listed]).exists()
    ]
    segments = _segments(text, headings)
    assert list(segments) == headings
    for org in listed:
        categories = [c.name for c in org.worry_categories.all()]
        assert categories, org.ref
        for category in categories:
            assert _key(org.name) in segments[category], f"{org.ref} {org.name} missing under {category}"

    unlisted = Organisation.objects.filter(ref__startswith="KUM").exclude(pk__in=[o.pk for o in listed])
    assert unlisted.exists()  # the R4 draft-only entries (グリーンコープ…) are candidates, not members
    flat = text.replace(" ", "").replace("\n", "")
    for org in unlisted:
        assert _key(org.name) not in flat, org.ref
    assert "担当花子" not in text and "090-0000-1234" not in text
    assert "34 団体" in text
    assert "令和7年(2025年)3月作成" in text
    assert "リーフレットに関する問い合わせ先 熊本市 健康福祉政策課" in text
