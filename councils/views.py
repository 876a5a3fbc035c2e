"""Screens of the duty-bound body: read through the selectors, validate, call one service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.lib.forms import run_service
from platform_site.once import submit_once
from platform_site.permissions import platform_view

from . import selectors, services
from .capabilities import COUNCIL_MANAGE, COUNCIL_VIEW
from .forms import BodyForm, CouncilForm, EndForm, MeetingForm, SeatForm
from .models import Council


def _council(request: PlatformRequest) -> Council:
    council = selectors.council_for(platform=request.platform)
    if council is None:
        raise Http404
    council.platform = request.platform  # the same row: save a query
    return council


_run = run_service  # a service refused: the form shows why, nothing saved


def _home(request: PlatformRequest) -> HttpResponse:
    return redirect("councils:detail", platform=request.platform.slug)


@platform_view(COUNCIL_VIEW)
def council_detail(request: PlatformRequest) -> HttpResponse:
    return _detail_page(request)


def _detail_page(request: PlatformRequest, *, failed: tuple[int, EndForm] | None = None) -> HttpResponse:
    """The body's page; `failed` is a member body's end form sent without a valid date, shown
    again in its row (400) with the error summary at the top."""
    council = selectors.council_for(platform=request.platform)
    ctx: dict[str, Any] = {"council": council, "manage": COUNCIL_MANAGE in request.capabilities}
    if council is not None:
        ctx["bodies"] = selectors.bodies(council=council)
        ctx["meetings"] = selectors.meetings(council=council)
    if failed is not None:
        ctx["failed_pk"], ctx["end_form"] = failed
    return render(request, "councils/detail.html", ctx, status=400 if failed else 200)


def _end_form(data: Any, prefix: str, pk: int) -> EndForm:
    """The end date of one row: its id (`body-end-3-on`) is the one the row's box carries."""
    return EndForm(data, auto_id=f"{prefix}-{pk}-%s")


@platform_view(COUNCIL_MANAGE)
def council_edit(request: PlatformRequest) -> HttpResponse:
    council = selectors.council_for(platform=request.platform)
    form = CouncilForm(request.POST or None, instance=council)
    if request.method == "POST" and _run(
        form,
        lambda d: services.council_save(platform=request.platform, actor=request.user, data=d),
    ):
        messages.success(request, _("会議体を保存しました。"))
        return _home(request)
    return render(
        request, "councils/form.html", {"form": form, "title": _("会議体の登録・変更"), "once": False}
    )


@platform_view(COUNCIL_MANAGE)
@submit_once
def body_add(request: PlatformRequest) -> HttpResponse:
    council = _council(request)
    form = BodyForm(
        request.POST or None, organisations=selectors.registry_organisations(platform=request.platform)
    )
    if request.method == "POST" and _run(
        form,
        lambda d: services.body_add(
            council=council,
            actor=request.user,
            organisation=d.get("organisation"),
            department=d.get("department", ""),
            is_coordinating=d.get("is_coordinating", False),
            joined_on=d["joined_on"],
        ),
    ):
        messages.success(request, _("構成機関を加えました。"))
        return _home(request)
    return render(request, "councils/form.html", {"form": form, "title": _("構成機関を加える"), "once": True})


@platform_view(COUNCIL_MANAGE)
@require_POST
def body_end(request: PlatformRequest, body_id: int) -> HttpResponse:
    council = _council(request)
    body = council.bodies.filter(pk=body_id).first()
    if body is None:
        raise Http404
    form = _end_form(request.POST, "body-end", body.pk)
    if not _run(form, lambda d: services.body_end(body=body, actor=request.user, left_on=d["on"])):
        return _detail_page(request, failed=(body.pk, form))
    messages.success(
        request, _("構成機関が外れたことを記録しました。その機関の人の作業部会への参加も終わりました。")
    )
    return _home(request)


@platform_view(COUNCIL_MANAGE)
@submit_once
def meeting_create(request: PlatformRequest) -> HttpResponse:
    council = _council(request)
    form = MeetingForm(request.POST or None)
    meeting = (
        _run(form, lambda d: services.meeting_record(council=council, actor=request.user, data=d))
        if request.method == "POST"
        else None
    )
    if meeting:
        messages.success(request, _("会議を記録しました。"))
        return redirect("councils:meeting", platform=request.platform.slug, meeting_id=meeting.pk)
    return render(request, "councils/form.html", {"form": form, "title": _("会議を記録する"), "once": True})


@platform_view(COUNCIL_VIEW)
def meeting_detail(request: PlatformRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(council=_council(request), pk=meeting_id)
    if meeting is None:
        raise Http404
    return render(request, "councils/meeting.html", {"meeting": meeting})


@platform_view(COUNCIL_MANAGE)
@submit_once
def seats(request: PlatformRequest) -> HttpResponse:
    """Who acknowledged the duty (and may join a working group), and the form to record one."""
    council = _council(request)
    form = _seat_form(request, council, request.POST or None)
    if request.method == "POST" and _run(
        form,
        lambda d: services.duty_acknowledge(
            council=council,
            actor=request.user,
            user=d["user"],
            acknowledged_on=d["acknowledged_on"],
            body=d.get("body"),
            expertise=d.get("expertise", ""),
        ),
    ):
        messages.success(request, _("守秘義務の確認を記録しました。"))
        return redirect("councils:seats", platform=request.platform.slug)
    return _seats_page(request, council, form)


def _seat_form(request: PlatformRequest, council: Council, data: Any = None) -> SeatForm:
    return SeatForm(
        data,
        users=selectors.seatable_users(platform=request.platform),
        bodies=selectors.current_bodies(council=council),
    )


def _seats_page(
    request: PlatformRequest, council: Council, form: SeatForm, *, failed: tuple[int, EndForm] | None = None
) -> HttpResponse:
    ctx: dict[str, Any] = {"council": council, "form": form, "seats": selectors.seats(council=council)}
    if failed is not None:
        ctx["failed_pk"], ctx["end_form"] = failed
    return render(request, "councils/seats.html", ctx, status=400 if failed else 200)


@platform_view(COUNCIL_MANAGE)
@require_POST
def seat_end(request: PlatformRequest, seat_id: int) -> HttpResponse:
    seat = selectors.seat_get(council=_council(request), pk=seat_id)
    if seat is None:
        raise Http404
    council = _council(request)
    form = _end_form(request.POST, "seat-end", seat.pk)
    if not _run(form, lambda d: services.duty_end(seat=seat, actor=request.user, ended_on=d["on"])):
        return _seats_page(request, council, _seat_form(request, council), failed=(seat.pk, form))
    messages.success(request, _("参加の終了を記録しました。この人は作業部会のケースをもう閲覧できません。"))
    return redirect("councils:seats", platform=request.platform.slug)
