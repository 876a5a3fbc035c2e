"""Event screens: fetch through the selectors (scoped to the role), validate, call one service,
redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.capabilities import CASES_EDIT
from cases.forms import IntakeForm
from cases.models import ReferralSource
from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.lib.forms import add_service_errors
from platform_site.once import submit_once
from platform_site.permissions import platform_view

from . import selectors, services
from .access import edits_as_organiser, may_edit, scope
from .capabilities import OUTREACH_EDIT, OUTREACH_VIEW
from .cases_link import case_start_from_event
from .forms import FORMSETS, EventForm, EventTypeForm, OrganiserEventForm, formset_rows, initial_rows
from .models import Event


def _year(request: PlatformRequest, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return years[0] if years else jp.fiscal_year(timezone.localdate())


@platform_view(OUTREACH_VIEW)
def event_list(request: PlatformRequest) -> HttpResponse:
    org_id = scope(request)
    years = selectors.fiscal_years(platform=request.platform, organisation_id=org_id)
    year = _year(request, years)
    events = list(selectors.event_list(platform=request.platform, fiscal_year=year, organisation_id=org_id))
    return render(
        request,
        "outreach/event_list.html",
        {
            "events": events,
            "year": year,
            "year_label": jp.fiscal_year_label(year),
            "years": [(y, jp.fiscal_year_label(y)) for y in sorted(set(years) | {year}, reverse=True)],
            "budget_total": sum(e.budget_yen or 0 for e in events if e.is_trial),
        },
    )


@platform_view(OUTREACH_VIEW)
def event_detail(request: PlatformRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(platform=request.platform, pk=pk, organisation_id=scope(request))
    editable = may_edit(request, event)
    history = selectors.event_history(event=event)[:20] if editable else []
    return render(
        request, "outreach/event_detail.html", {"event": event, "history": history, "editable": editable}
    )


def _forms(
    request: PlatformRequest, event: Event | None, *, organiser: bool = False
) -> tuple[EventForm | OrganiserEventForm, dict[str, Any]]:
    data = request.POST if request.method == "POST" else None
    initial = {} if event else {"fiscal_year": _year(request, [])}
    form_class = OrganiserEventForm if organiser else EventForm
    form = form_class(data, instance=event, platform=request.platform, initial=initial)
    formsets = {
        kind: cls(data, prefix=kind, initial=None if data else initial_rows(event, kind))
        for kind, cls in FORMSETS.items()
    }
    return form, formsets


def _save(request: PlatformRequest, event: Event | None, *, organiser: bool = False) -> HttpResponse:
    form, formsets = _forms(request, event, organiser=organiser)
    status = 200
    if request.method == "POST" and form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
        data = form.service_data()
        children = {kind: formset_rows(fs) for kind, fs in formsets.items()}
        participants = list(form.cleaned_data.get("participants") or [])
        try:
            if form.cleaned_data.get("contractor_new"):
                data["contractor"] = services.contractor_for(
                    platform=request.platform, name=form.cleaned_data["contractor_new"]
                )
            if event is not None and organiser:
                changed = services.event_update_by_organiser(
                    event=event,
                    actor=request.user,
                    organisation_id=request.role.organisation_id or 0,
                    data=data,
                    version=form.cleaned_data.get("version") or 0,
                    children=children,
                )
                messages.success(request, _("保存しました。") if changed else _("変更はありませんでした。"))
            elif event is None:
                event = services.event_create(
                    platform=request.platform,
                    actor=request.user,
                    data=data,
                    participants=participants,
                    children=children,
                )
                messages.success(request, _("登録しました。"))
            else:
                changed = services.event_update(
                    event=event,
                    actor=request.user,
                    data=data,
                    version=form.cleaned_data.get("version") or 0,
                    participants=participants,
                    children=children,
                )
                messages.success(request, _("保存しました。") if changed else _("変更はありませんでした。"))
        except services.ConcurrentEdit as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("outreach:detail", request.platform.slug, event.pk)
    return render(
        request,
        "outreach/event_form.html",
        {
            "form": form,
            "formsets": formsets,
            "event": event,
            "conflict": status == 409,
            "organiser_edit": organiser,
        },
        status=status,
    )


@platform_view(OUTREACH_EDIT)
@submit_once
def event_create(request: PlatformRequest) -> HttpResponse:
    return _save(request, None)


@platform_view(OUTREACH_VIEW)
def event_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    """Staff edit every event; the organiser's coordinator its own event and results (an event
    the coordinator does not see is 404, one it sees but does not organise 403)."""
    event = selectors.event_get(platform=request.platform, pk=pk, organisation_id=scope(request))
    if not may_edit(request, event):
        raise PermissionDenied
    return _save(request, event, organiser=edits_as_organiser(request, event))


@platform_view(OUTREACH_EDIT)
def event_types(request: PlatformRequest) -> HttpResponse:
    form = EventTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_type_create(
                platform=request.platform, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("種類を追加しました。"))
            return redirect("outreach:types", request.platform.slug)
    return render(
        request,
        "outreach/event_types.html",
        {"form": form, "types": selectors.event_types_for(request.platform)},
    )


@platform_view(CASES_EDIT)
def event_case_new(request: PlatformRequest, pk: int) -> HttpResponse:
    """Register a household found at this event as a case of the ledger (the ledger's intake form)."""
    if OUTREACH_VIEW not in request.capabilities:
        raise PermissionDenied
    event = selectors.event_get(platform=request.platform, pk=pk, organisation_id=scope(request))
    initial = {"source": ReferralSource.OUTREACH, "intake_date": event.date_start or timezone.localdate()}
    form = IntakeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_start_from_event(event=event, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("ケースを登録しました。続けて支援方針を決めてください。"))
            return redirect("cases:plan", platform=request.platform.slug, pk=case.pk)
    title = _("%(event)s で見つかった世帯（ケースの登録）") % {"event": event.name}
    return render(request, "cases/case_form.html", {"form": form, "title": title, "step": "intake"})
