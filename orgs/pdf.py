"""The 相談先一覧 leaflet as a PDF, typeset with WeasyPrint from the registry.

Why the cache is Django's cache framework (CACHES, keyed by a fingerprint) and not a model
field or a file: the PDF is derived data, it holds nothing that is not already public, and
the cache backend is what a multi-worker deployment already shares (CACHE_URL); it leaves no
files behind. The fingerprint is a hash of *everything printed* — the platform's leaflet
texts, the issue label, the options, and every printed field of every listed organisation
(phones, categories, fields, languages included) — plus the template, the stylesheet, the
font family and the WeasyPrint version. Reading that costs five small queries; hashing the
printed values rather than max(updated_at) and counts also catches edits that change a
phone number or move an organisation between categories without touching updated_at.
The same fingerprint is the download's ETag, and fixes the PDF's identifier and dates, so
the same registry state always gives byte-identical PDFs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import segno
from django.conf import settings
from django.core.cache import cache
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platform_site.lib.pdf import STATIC_BASE, render_pdf
from platform_site.models import Platform
from platform_site.selectors import leaflet_issued_label, public_site_url

from .selectors_public import (
    GROUP_EACH,
    GROUPINGS,
    LeafletGroup,
    PublicEntry,
    activity_fields,
    leaflet_groups,
    offered_languages,
    public_entries,
    worry_categories,
)

TEMPLATE = "orgs/pdf/leaflet.html"
STYLESHEET = "orgs/pdf/leaflet.css"
CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class LeafletOptions:
    grouping: str = GROUP_EACH
    category: int | None = None  # only this worry category

    def __post_init__(self) -> None:
        if self.grouping not in GROUPINGS:
            raise ValueError(f"unknown grouping {self.grouping!r}")


@dataclass
class LeafletSource:
    """Everything the leaflet prints, read once; `fingerprint` identifies it."""

    platform: Platform
    options: LeafletOptions
    groups: list[LeafletGroup]
    entries: list[PublicEntry]  # the organisations printed (once each), in kana order
    legend_fields: list[tuple[str, str]]
    legend_languages: list[tuple[str, str]]
    legend_lgbtq: bool
    issued_label: str
    fingerprint: str
    modified: dt.datetime

    @property
    def filename(self) -> str:
        return f"{self.platform.slug}-leaflet.pdf"


@functools.lru_cache(maxsize=4096)
def qr_data_uri(url: str) -> str:
    """A QR code (error correction M) as a 1-bit PNG data: URI, one pixel per module.

    Printed with `image-rendering: pixelated` (no interpolation) it stays perfectly sharp at
    any size. Measured against segno's SVG: WeasyPrint spends ~6 ms drawing each SVG path,
    about a third of a 34-organisation leaflet; the PNG costs nothing to draw. Encoding (with
    the standard's best-mask search) costs ~2 ms, so codes are kept per process and in the
    shared cache: websites rarely change.
    """
    key = "orgs:qr:" + hashlib.sha256(url.encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        uri = segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=0)
        cache.set(key, uri, None)
    return uri


@functools.cache
def _render_version() -> str:
    """Changes when the template, stylesheet, font or WeasyPrint change (cache invalidation)."""
    parts = [importlib.metadata.version("weasyprint"), settings.PDF_FONT_FAMILY]
    for name in (TEMPLATE, STYLESHEET):
        origin = cast(DjangoTemplate, get_template(name)).origin.name  # the Django template engine
        parts.append(hashlib.sha256(Path(origin).read_bytes()).hexdigest())
    return "|".join(parts)


def _directory_url(platform: Platform) -> str:
    """The public directory's address printed on the leaflet ("" when it is not published)."""
    if not platform.is_public:
        return ""
    return public_site_url(platform) + reverse("directory:index", args=[platform.slug])


def _fingerprint(
    platform: Platform, options: LeafletOptions, issued: str, groups: list[LeafletGroup], legend: list[Any]
) -> str:
    printed = {
        "platform": [
            platform.pk,
            platform.name,
            platform.leaflet_title,
            platform.leaflet_header,
            platform.leaflet_message,
            platform.leaflet_contact,
            platform.secretariat,
            platform.secretariat_phone,
            issued,
            _directory_url(platform),
        ],
        "options": dataclasses.asdict(options),
        "groups": [
            [
                g.category.pk if g.category else None,
                g.category.name if g.category else "",
                g.category.description if g.category else "",
                [dataclasses.astuple(e) for e in g.entries],
            ]
            for g in groups
        ],
        "legend": legend,
        "render": _render_version(),
    }
    return hashlib.sha256(json.dumps(printed, default=str, ensure_ascii=False).encode()).hexdigest()


def leaflet_source(
    *, platform: Platform, options: LeafletOptions | None = None, today: dt.date | None = None
) -> LeafletSource:
    """Read what the leaflet prints (about nine queries, however many organisations)."""
    options = options or LeafletOptions()
    entries = public_entries(platform=platform)
    groups = leaflet_groups(
        entries=entries,
        categories=worry_categories(platform=platform),
        grouping=options.grouping,
        only_category=options.category,
    )
    printed_pks = {e.pk for g in groups for e in g.entries}
    entries = [e for e in entries if e.pk in printed_pks]  # one category only: fewer than all listed
    today = today or timezone.localdate()
    issued = leaflet_issued_label(platform=platform, today=today)
    # the legend explains the marks this leaflet prints, not marks no printed organisation has
    used_fields = {name for e in entries for name, _mark in e.fields}
    used_languages = {code for e in entries for code, _name in e.languages}
    fields = [
        (f.mark or f.name[:1], f.name) for f in activity_fields(platform=platform) if f.name in used_fields
    ]
    languages = [
        (lang.code.upper(), lang.name)
        for lang in offered_languages(platform=platform)
        if lang.code in used_languages
    ]
    lgbtq = any(e.lgbtq for e in entries)
    fingerprint = _fingerprint(platform, options, issued, groups, [fields, languages, lgbtq])
    modified = max((e.updated_at for e in entries), default=platform.created_at)
    return LeafletSource(
        platform=platform,
        options=options,
        groups=groups,
        entries=entries,
        legend_fields=fields,
        legend_languages=languages,
        legend_lgbtq=lgbtq,
        issued_label=issued,
        fingerprint=fingerprint,
        modified=modified,
    )


def _contact_lines(e: PublicEntry) -> list[tuple[str, str, str, bool]]:
    """(label, value, note, bold) per printed contact line.

    Printed as one paragraph with `white-space: pre-line` and newline characters rather than
    one element per line: WeasyPrint lays out ~25% faster with fewer boxes.
    """
    lines = [(_("電話"), p.number, p.note, True) for p in e.phones]
    lines += [
        (label, value, "", False)
        for label, value in (
            (_("受付"), e.hours),
            (_("メール"), e.email),
            (_("HP"), e.website),
            (_("所在地"), f"〒{e.postal_code} {e.address}" if e.postal_code and e.address else e.address),
        )
        if value
    ]
    if not (e.phones or e.email or e.website):
        lines.append((_("連絡"), _("ページ下の問い合わせ先へおたずねください"), "", False))
    return lines


def _html(source: LeafletSource) -> str:
    qr = {e.pk: qr_data_uri(e.website) for e in source.entries if e.website}
    lines = {e.pk: _contact_lines(e) for e in source.entries}
    groups = [
        {
            "category": g.category,
            "rows": [
                [(e, qr.get(e.pk, ""), lines[e.pk]) for e in g.entries[i : i + 2]]
                for i in range(0, len(g.entries), 2)
            ],
        }
        for g in source.groups
    ]
    return render_to_string(
        TEMPLATE,
        {
            "platform": source.platform,
            "groups": groups,
            "issued_label": source.issued_label,
            "legend_fields": source.legend_fields,
            "legend_languages": source.legend_languages,
            "legend_lgbtq": source.legend_lgbtq,
            "count": len(source.entries),
            "qr_codes": bool(qr),
            "font_family": settings.PDF_FONT_FAMILY,
            "directory_url": (url := _directory_url(source.platform)),
            "directory_qr": qr_data_uri(url) if url else "",
            "modified": source.modified.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )


def leaflet_pdf_bytes(source: LeafletSource) -> bytes:
    """Typeset the leaflet (no cache). PDF/UA-1: tagged, with title and language set."""
    return render_pdf(_html(source), base_url=STATIC_BASE, identifier=source.fingerprint[:32].encode())


def _cache_key(source: LeafletSource) -> str:
    return f"orgs:leaflet:{source.platform.pk}:{source.fingerprint}"


def cached_leaflet_pdf(source: LeafletSource) -> bytes | None:
    """The PDF for this registry state if it was typeset already (the view serves it at once;
    otherwise it hands the typesetting to the worker)."""
    return cache.get(_cache_key(source))


def leaflet_pdf(source: LeafletSource) -> bytes:
    """The PDF for this registry state, typeset only when nothing printed is cached."""
    key = _cache_key(source)
    pdf = cache.get(key)
    if pdf is None:
        pdf = leaflet_pdf_bytes(source)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def render_leaflet_pdf(
    *, platform: Platform, options: LeafletOptions | None = None, today: dt.date | None = None
) -> tuple[str, bytes]:
    """(filename, PDF bytes) for the platform's leaflet, as the view and the command use it."""
    source = leaflet_source(platform=platform, options=options, today=today)
    return source.filename, leaflet_pdf(source)
