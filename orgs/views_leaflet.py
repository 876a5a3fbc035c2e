"""The leaflet for administrators and the secretariat (LEAFLET_MAKE): options page and PDF."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from platform_site.http import PlatformRequest
from platform_site.jobs.services import job_start
from platform_site.lib.pdf import FontsMissing, japanese_fonts_installed
from platform_site.models import Platform
from platform_site.permissions import platform_view
from platform_site.signin.middleware import keeps_cache_control

from .capabilities import LEAFLET_MAKE
from .jobs import LEAFLET
from .pdf import VARIANT_A4, VARIANT_LARGE, LeafletOptions, cached_leaflet_pdf, leaflet_source
from .selectors_public import GROUP_EACH, GROUP_FIRST, GROUP_REFER, listed_organisations, worry_categories


class LeafletForm(forms.Form):
    grouping = forms.ChoiceField(
        label=_("複数の悩みに当てはまる団体"),
        initial=GROUP_REFER,
        required=False,
        choices=[
            (GROUP_REFER, _("くわしい内容は1か所に、ほかのカテゴリには名前と電話番号を載せる")),
            (GROUP_EACH, _("当てはまるすべてのカテゴリにくわしく載せる")),
            (GROUP_FIRST, _("最初のカテゴリにだけ載せる")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("載せ方を一覧から正しく選んでください。")},
    )
    variant = forms.ChoiceField(
        label=_("版"),
        initial=VARIANT_A4,
        required=False,
        choices=[
            (VARIANT_A4, _("A4・2列（本文11ポイント）")),
            (VARIANT_LARGE, _("大きな文字（A4・1列、本文14ポイント）")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("版を一覧から正しく選んでください。")},
    )
    category = forms.TypedChoiceField(
        label=_("カテゴリ"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("カテゴリを一覧から正しく選んでください。")},
    )

    language = forms.ChoiceField(
        label=_("言語"),
        initial="ja",
        required=False,
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("言語を一覧から正しく選んでください。")},
    )

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("すべてのカテゴリ"))] + [
            (c.pk, c.name) for c in worry_categories(platform=platform)
        ]

    def options(self) -> LeafletOptions:
        data = self.cleaned_data
        return LeafletOptions(
            grouping=data.get("grouping") or GROUP_REFER,
            category=data.get("category"),
            variant=data.get("variant") or VARIANT_A4,
            language=data.get("language") or settings.LANGUAGE_CODE,
        )


@require_GET
@platform_view(LEAFLET_MAKE)
def leaflet_options(request: PlatformRequest) -> HttpResponse:
    form = LeafletForm(platform=request.platform)
    count = listed_organisations(platform=request.platform).count()
    return render(request, "orgs/leaflet_options.html", {"form": form, "count": count})


@keeps_cache_control  # the leaflet prints published entries only: revalidated by its ETag
@require_GET
@platform_view(LEAFLET_MAKE)
def leaflet_download(request: PlatformRequest) -> HttpResponse:
    """The PDF. Same registry state → same bytes and ETag; a repeat is served from the cache.

    A leaflet not typeset yet for this registry state is handed to the background worker
    (a 300-organisation leaflet takes seconds): the person goes to the job's status page and
    downloads it there; the next request for the same state is answered from the cache."""
    options = LeafletOptions()
    if request.GET:
        form = LeafletForm(request.GET, platform=request.platform)
        if not form.is_valid():
            count = listed_organisations(platform=request.platform).count()
            return render(request, "orgs/leaflet_options.html", {"form": form, "count": count}, status=400)
        options = form.options()
    source = leaflet_source(platform=request.platform, options=options)
    etag = f'"{source.fingerprint[:40]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponse(status=304, headers=headers)
    pdf = cached_leaflet_pdf(source)
    if pdf is None:
        if not japanese_fonts_installed():  # say so now, not after the worker fails
            raise FontsMissing()
        params = dataclasses.asdict(options)  # options only: ids and codes
        job = job_start(
            platform=request.platform, owner=request.user, kind=LEAFLET, params=params, reuse=True
        )
        return redirect("jobs:status", request.platform.slug, job.pk)
    response = HttpResponse(pdf, content_type="application/pdf", headers=headers)
    response["Content-Disposition"] = f'inline; filename="{source.filename}"'
    return response
