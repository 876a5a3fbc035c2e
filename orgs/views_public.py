"""The public directory for residents (no login): pick worries, see who to talk to.

Shows exactly what the leaflet prints (plus a plain line on what to expect when calling),
from the same selector, so the web and the paper never disagree. Platform.is_public=False,
unlisted organisations and another platform's organisations all answer 404.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from platform_site.lib.pagecache import cached_public_page
from platform_site.models import Platform

from .hsds import hsds_document
from .members.selectors import public_working_facts, working_profile_of_id
from .selectors_public import (
    DirectoryQuery,
    default_what_to_expect,
    directory_search,
    directory_version,
    offered_languages,
    public_contact,
    public_entries,
    public_entry,
    public_platform,
    worry_categories,
)

PRINT_LIMIT = 500


class DirectoryForm(forms.Form):
    worry = forms.TypedMultipleChoiceField(
        label=_("どんなことで悩んでいますか（いくつでも選べます）"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("選べない項目が含まれています。もう一度選んでください。")},
    )
    language = forms.ChoiceField(label=_("日本語ではないことばで相談したい"), required=False)
    lgbtq = forms.BooleanField(label=_("LGBTQ+ にくわしい相談先だけを出す"), required=False)
    q = forms.CharField(
        label=_("ことばで探す（団体の名前、活動、困っていることなど）"),
        required=False,
        max_length=50,
        error_messages={"max_length": _("ことばは%(limit_value)d文字以内で入力してください。")},
    )

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = worry_categories(platform=platform)
        cast(forms.ChoiceField, self.fields["worry"]).choices = [(c.pk, c.name) for c in self.categories]
        cast(forms.ChoiceField, self.fields["language"]).choices = [("", _("選ばない"))] + [
            (lang.code, lang.local_name) for lang in offered_languages(platform=platform)
        ]

    def worry_options(self) -> list[tuple[Any, Any]]:
        """(checkbox, category) pairs, so the template can show each worry's plain description."""
        return list(zip(self["worry"], self.categories, strict=False))

    def query(self) -> DirectoryQuery:
        d = self.cleaned_data
        return DirectoryQuery(
            worries=tuple(d["worry"]), language=d["language"], lgbtq=d["lgbtq"], word=d["q"].strip()
        )


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The language switch: this same page (with its query) in each language, named in itself."""
    current = get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def _search_context(request: HttpRequest, platform: Platform, page_size: int | None = None) -> dict[str, Any]:
    form = DirectoryForm(request.GET or None, platform=platform)
    ctx: dict[str, Any] = {
        "platform": platform,
        "form": form,
        "searched": bool(request.GET),
        "entries": [],
        "contact": public_contact(platform=platform),
        "language_links": language_links(request),
    }
    if request.GET and form.is_valid():
        query = form.query()
        page_obj, entries = directory_search(
            platform=platform, query=query, page=request.GET.get("page", 1), page_size=page_size
        )
        chosen = [c.local_name for c in form.categories if c.pk in query.worries]
        ctx.update(
            page_obj=page_obj,
            entries=entries,
            chosen=chosen,
            query=query,
            default_expect=default_what_to_expect(platform=platform),
        )
    return ctx


@require_GET
@cached_public_page(directory_version)
def directory_index(request: HttpRequest, platform: str) -> HttpResponse:
    plat = public_platform(slug=platform)
    ctx = _search_context(request, plat)
    if request.GET:
        params = request.GET.copy()
        params.pop("page", None)
        ctx["querystring"] = params.urlencode()
    return render(request, "directory/index.html", ctx, status=400 if ctx["form"].errors else 200)


@require_GET
@cached_public_page(directory_version)
def directory_print(request: HttpRequest, platform: str) -> HttpResponse:
    """All matching organisations on one page, laid out for paper (no pagination)."""
    plat = public_platform(slug=platform)
    ctx = _search_context(request, plat, page_size=PRINT_LIMIT)
    if not request.GET:
        ctx.update(
            entries=public_entries(platform=plat),
            searched=True,
            default_expect=default_what_to_expect(platform=plat),
        )
    return render(request, "directory/print.html", ctx, status=400 if ctx["form"].errors else 200)


@require_GET
@cached_public_page(directory_version)
def directory_org(request: HttpRequest, platform: str, pk: int) -> HttpResponse:
    plat = public_platform(slug=platform)
    entry = public_entry(platform=plat, pk=pk)
    facts = public_working_facts(working_profile_of_id(pk))
    return render(
        request,
        "directory/org.html",
        {
            "platform": plat,
            "entry": entry,
            "public_facts": facts,
            "default_expect": default_what_to_expect(platform=plat),
            "contact": public_contact(platform=plat),
            "language_links": language_links(request),
        },
    )


@require_GET
def directory_hsds(request: HttpRequest, platform: str) -> JsonResponse:
    """Open data: the directory shaped after Open Referral HSDS 3.0, for city and national sites."""
    plat = public_platform(slug=platform)
    response = JsonResponse(
        hsds_document(platform=plat, request=request), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=600"
    return response
