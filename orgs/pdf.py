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

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import segno
from django.conf import settings
from django.core.cache import cache
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from platform_site.lib.pdf import MEMORY_BASE, STATIC_BASE, render_pdf
from platform_site.lib.phonelines import PhoneLine
from platform_site.models import Platform
from platform_site.selectors import leaflet_issued_label, leaflet_phone_lines, public_site_url

from .selectors_public import (
    GROUP_REFER,
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
VARIANT_A4 = "a4"  # A4, two columns of cards, body 11 pt
VARIANT_LARGE = "large"  # large print: A4, one column, body 14 pt
VARIANTS = (VARIANT_A4, VARIANT_LARGE)
# a phone number inside free text (the contact line): 096-328-2340, 0120-000-000, #9999
PHONE_IN_TEXT = re.compile(r"[#＃][0-9０-９]{4}|[0-9０-９]{2,5}[-－‐][0-9０-９]{1,4}[-－‐][0-9０-９]{3,4}")


@dataclass(frozen=True)
class LeafletOptions:
    grouping: str = GROUP_REFER
    category: int | None = None  # only this worry category
    variant: str = VARIANT_A4
    language: str = "ja"  # a code of settings.LANGUAGES: "en" prints the English leaflet

    def __post_init__(self) -> None:
        if self.grouping not in GROUPINGS:
            raise ValueError(f"unknown grouping {self.grouping!r}")
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant {self.variant!r}")
        if self.language not in dict(settings.LANGUAGES):
            raise ValueError(f"unknown language {self.language!r}")


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
    phone_lines: list[PhoneLine]
    fingerprint: str
    modified: dt.datetime

    @property
    def filename(self) -> str:
        suffix = "" if self.options.variant == VARIANT_A4 else f"-{self.options.variant}"
        lang = "" if self.options.language == "ja" else f"-{self.options.language}"
        return f"{self.platform.slug}-leaflet{suffix}{lang}.pdf"


@functools.lru_cache(maxsize=4096)
def qr_png(url: str) -> tuple[str, bytes]:
    """A QR code (error correction M) as a 1-bit PNG, one pixel per module: (name, bytes).

    Printed with `image-rendering: pixelated` (no interpolation) it stays perfectly sharp at
    any size. Measured against segno's SVG: WeasyPrint spends ~6 ms drawing each SVG path;
    the PNG costs nothing to draw. Encoding (with the standard's best-mask search) costs ~2 ms,
    so codes are kept per process and in the shared cache: websites rarely change. The name
    is a hash of the address, so the renderer's image cache can keep the decoded image.
    """
    digest = hashlib.sha256(url.encode()).hexdigest()
    key = f"orgs:qrpng:{digest}"
    png = cache.get(key)
    if png is None:
        buffer = io.BytesIO()
        segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=1, border=0)
        png = buffer.getvalue()
        cache.set(key, png, None)
    return f"qr-{digest[:32]}.png", png


def qr_data_uri(url: str) -> str:
    """The same QR code as a data: URI (what a page that inlines its images would use)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url)[1]).decode()


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
    platform: Platform,
    options: LeafletOptions,
    issued: str,
    groups: list[LeafletGroup],
    legend: list[Any],
    lines: list[PhoneLine],
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
        "lines": [dataclasses.astuple(line) for line in lines],
        "render": _render_version(),
    }
    return hashlib.sha256(json.dumps(printed, default=str, ensure_ascii=False).encode()).hexdigest()


def leaflet_source(
    *, platform: Platform, options: LeafletOptions | None = None, today: dt.date | None = None
) -> LeafletSource:
    """Read what the leaflet prints (about nine queries, however many organisations), in the
    options' language (English names and descriptions where the registry has them)."""
    options = options or LeafletOptions()
    with translation.override(options.language):
        return _leaflet_source(platform=platform, options=options, today=today)


def _leaflet_source(*, platform: Platform, options: LeafletOptions, today: dt.date | None) -> LeafletSource:
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
        (f.mark or f.name[:1], f.local_name)
        for f in activity_fields(platform=platform)
        if f.local_name in used_fields
    ]
    languages = [
        (lang.code.upper(), lang.local_name)
        for lang in offered_languages(platform=platform)
        if lang.code in used_languages
    ]
    lgbtq = any(e.lgbtq for e in entries)
    lines = leaflet_phone_lines(platform)
    fingerprint = _fingerprint(platform, options, issued, groups, [fields, languages, lgbtq], lines)
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
        phone_lines=lines,
        fingerprint=fingerprint,
        modified=modified,
    )


def _contact_lines(e: PublicEntry) -> list[tuple[str, str]]:
    """(label, value) of the contact lines after the phones.

    Printed as one paragraph with `white-space: pre-line` and newline characters rather than
    one element per line: WeasyPrint lays out ~25% faster with fewer boxes.
    """
    return [
        (label, value)
        for label, value in (
            (_("受付"), e.hours),
            (_("メール"), e.email),
            (_("HP"), e.website),
            (_("所在地"), f"〒{e.postal_code} {e.address}" if e.postal_code and e.address else e.address),
        )
        if value
    ]


def _marks(e: PublicEntry) -> list[tuple[str, str, str]]:
    """(css class, mark, the words beside it): a mark is never printed without its meaning."""
    marks = [("mk-lang", code.upper(), name) for code, name in e.languages]
    if e.lgbtq:
        marks.append(("mk-lgbt", "LGBTQ+", _("詳しい")))
    marks += [("mk-field", mark, name) for name, mark in e.fields]
    return marks


def _cards(source: LeafletSource, qr: dict[int, str], secretariat: list[PhoneLine]) -> list[dict[str, Any]]:
    """Each group's cards in reading order, with the national lines where no card has a phone.

    Grouping "refer": an organisation under several worries is printed in full the first time
    (in the platform's order of worries) and elsewhere by name, phone numbers and the worry its
    full card is under — so every worry still lists every place to call, without repeating
    texts. (Not a page number: WeasyPrint lays every page out again for each target-counter
    pass, which made the leaflet 2.7 times as long to typeset.)
    """
    refer = source.options.grouping == GROUP_REFER
    per_row = 1 if source.options.variant == VARIANT_LARGE else 2
    seen: dict[int, str] = {}  # organisation → the worry its full card is under
    groups = []
    for g in source.groups:
        cards: list[dict[str, Any]] = []
        for e in g.entries:
            full = not (refer and e.pk in seen)
            seen.setdefault(e.pk, g.category.name if g.category else _("その他の相談先"))
            lines = _contact_lines(e) if full else []
            if full and not (e.phones or e.email or e.website) and not secretariat:
                lines.append((_("連絡"), _("ページ下の問い合わせ先へおたずねください")))
            cards.append(
                {
                    "kind": "full" if full else "ref",
                    "entry": e,
                    "see": seen[e.pk],
                    "qr": qr.get(e.pk, "") if full else "",
                    "marks": _marks(e) if full else [],
                    # an organisation with no way to reach it directly: the secretariat's phone
                    "phones": e.phones,
                    "via": [] if (e.phones or e.email or e.website) else secretariat,
                    "lines": lines
                    if full
                    else ([(_("メール"), e.email)] if e.email and not e.phones else []),
                }
            )
        if not any(c["entry"].phones for c in cards):
            fallback = source.phone_lines or secretariat
            if fallback:
                cards.insert(0, {"kind": "fallback", "lines": fallback})
        groups.append(
            {"category": g.category, "rows": [cards[i : i + per_row] for i in range(0, len(cards), per_row)]}
        )
    return groups


def _phone_parts(text: str) -> list[tuple[str, bool]]:
    """Free text cut into (text, is a phone number) so that numbers print at the phone size."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in PHONE_IN_TEXT.finditer(text):
        if m.start() > pos:
            parts.append((text[pos : m.start()], False))
        parts.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        parts.append((text[pos:], False))
    return parts


@functools.cache
def _stylesheet_source() -> str:
    return cast(DjangoTemplate, get_template(STYLESHEET)).template.source


def stylesheet(font_family: str) -> str:
    """The leaflet's stylesheet with the font family (given to the renderer, parsed once)."""
    return _stylesheet_source() + f'\nhtml {{ font-family: "{font_family}", sans-serif; }}\n'


def _html(source: LeafletSource, *, inline: bool = False) -> tuple[str, dict[str, bytes]]:
    """The leaflet's HTML and the images it refers to (name → PNG bytes, served by the
    renderer; the stylesheet is `stylesheet()`). inline: everything in the page itself — the
    stylesheet in <style>, the images as data: URIs — as a page rendered without ours would be."""
    images: dict[str, bytes] = {}

    def image(url: str) -> str:
        if inline:
            return qr_data_uri(url)
        name, png = qr_png(url)
        images[name] = png
        return MEMORY_BASE + name

    platform = source.platform
    refer = source.options.grouping == GROUP_REFER
    qr = {e.pk: image(e.website) for e in source.entries if e.website}
    contact = platform.leaflet_contact or platform.secretariat
    phone = "" if platform.secretariat_phone in contact else platform.secretariat_phone  # not twice
    secretariat = (
        [PhoneLine(platform.secretariat, platform.secretariat_phone)] if platform.secretariat_phone else []
    )
    url = _directory_url(platform)
    with translation.override(source.options.language):
        html = render_to_string(
            TEMPLATE,
            {
                "platform": platform,
                "language": source.options.language,
                "inline_css": stylesheet(settings.PDF_FONT_FAMILY) if inline else "",
                "variant": source.options.variant,
                "title": platform.leaflet_title or _("相談先一覧"),
                "groups": _cards(source, qr, secretariat),
                "refer": refer and any(len(e.categories) > 1 for e in source.entries),
                "phone_lines": source.phone_lines,
                "issued_label": source.issued_label,
                "legend_fields": source.legend_fields,
                "legend_languages": source.legend_languages,
                "legend_lgbtq": source.legend_lgbtq,
                "count": len(source.entries),
                "qr_codes": bool(qr),
                "contact_parts": _phone_parts(contact),
                "contact_line": contact,
                "secretariat_phone": phone,
                "directory_url": url,
                "directory_qr": image(url) if url else "",
                "modified": source.modified.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        )
    return html, images


REUSED_BLOCKS = ("card",)  # laid out once per content (platform_site.lib.pdf_blocks)


def leaflet_pdf_bytes(source: LeafletSource) -> bytes:
    """Typeset the leaflet (no PDF cache). PDF/UA-1: tagged, with title and language set. The
    cards' layouts are kept by the worker and reused when a card is printed again unchanged."""
    html, images = _html(source)
    return render_pdf(
        html,
        base_url=STATIC_BASE,
        identifier=source.fingerprint[:32].encode(),
        lean=True,
        images=images,
        css=stylesheet(settings.PDF_FONT_FAMILY),
        reuse=REUSED_BLOCKS,
    )


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


def leaflet_bytes(
    *,
    platform: Platform,
    variant: str = VARIANT_A4,
    language: str = "ja",
    grouping: str = GROUP_REFER,
    category: int | None = None,
) -> bytes:
    """The leaflet's PDF from plain arguments (what a background task is handed): served from
    the cache when this registry state was typeset before."""
    options = LeafletOptions(grouping=grouping, category=category, variant=variant, language=language)
    return render_leaflet_pdf(platform=platform, options=options)[1]
