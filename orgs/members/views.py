"""The members' side's screens: fetch through the permission helpers, validate the form, call one
service, redirect. The public application form is the one screen without an account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.lib.forms import add_service_errors
from platform_site.once import submit_once
from platform_site.permissions import platform_view

from ..capabilities import APPLICATIONS_REVIEW, NOTICES_POST, ORGS_VIEW
from ..selectors_public import public_platform
from ..views import _membership_for_editor
from . import selectors, services
from .forms import (
    ApplicationForm,
    DecisionForm,
    MembersDirectoryForm,
    NoticeEmailForm,
    NoticeForm,
    WorkingProfileForm,
)

DIRECTORY_LIMIT = 200


def _month_label(month: dt.date) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


# --- working together ---


@platform_view(ORGS_VIEW)
def members_directory(request: PlatformRequest) -> HttpResponse:
    """Who takes which kind of person, where, this month: the working-together facts of the
    platform's current members (signed-in members only)."""
    month = selectors.this_month()
    form = MembersDirectoryForm(request.GET or None)
    rows = None
    if request.GET and form.is_valid():
        rows = list(
            selectors.members_directory(platform=request.platform, filters=form.cleaned_data, month=month)[
                :DIRECTORY_LIMIT
            ]
        )
    return render(
        request,
        "orgs/members/directory.html",
        {
            "form": form,
            "rows": rows,
            "month": month,
            "month_label": _month_label(month),
            "limit": DIRECTORY_LIMIT,
        },
    )


@platform_view()
def working_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    """The organisation keeps its own working-together facts (its coordinator; the secretariat too)."""
    membership = _membership_for_editor(request, pk)
    org = membership.organisation
    month = selectors.this_month()
    profile = selectors.working_profile_of(org)
    initial: dict[str, Any] = {}
    if profile is not None and profile.available_month != month:
        initial["available_places"] = None  # what was said for another month is not this month's
    form = WorkingProfileForm(
        request.POST if request.method == "POST" else None,
        instance=profile,
        initial=initial,
        month_label=_month_label(month),
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data() | {"available_month": month}
        try:
            changed = services.working_profile_save(
                organisation=org, platform=request.platform, actor=request.user, data=data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("保存しました。") if changed else _("変更はありませんでした。"))
            return redirect("orgs:detail", request.platform.slug, pk)
    return render(
        request,
        "orgs/members/working_form.html",
        {"form": form, "org": org, "month_label": _month_label(month)},
    )


# --- applications to be listed ---


def _client_address(request: HttpRequest) -> str:
    """The sender's address as the sign-in lock-out reads it (settings: AXES_IPWARE_*)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


@never_cache
def apply(request: HttpRequest, platform: str) -> HttpResponse:
    """The public form: a group applies to join the platform or its public list (no account)."""
    plat = public_platform(slug=platform)
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        key = services.sender_key(_client_address(request))
        if services.throttled(key=key):
            return render(request, "orgs/members/apply_throttled.html", {"platform": plat}, status=429)
        if form.is_valid():
            if form.is_bot:  # the honeypot: answered like a success, nothing kept
                return redirect("directory:apply-sent", plat.slug)
            try:
                services.application_submit(platform=plat, data=form.service_data(), key=key)
            except services.Throttled:
                return render(request, "orgs/members/apply_throttled.html", {"platform": plat}, status=429)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("directory:apply-sent", plat.slug)
        status = 400
    return render(request, "orgs/members/apply.html", {"platform": plat, "form": form}, status=status)


def apply_sent(request: HttpRequest, platform: str) -> HttpResponse:
    plat = public_platform(slug=platform)
    return render(request, "orgs/members/apply_sent.html", {"platform": plat})


@platform_view(APPLICATIONS_REVIEW)
def application_list(request: PlatformRequest) -> HttpResponse:
    platform = request.platform
    return render(
        request,
        "orgs/members/applications.html",
        {
            "open": list(selectors.applications_open(platform=platform)),
            "decided": list(selectors.applications_decided(platform=platform)),
            "by_meeting": platform.applications_decided_by == "representatives",
        },
    )


@platform_view(APPLICATIONS_REVIEW)
def application_detail(request: PlatformRequest, application_id: int) -> HttpResponse:
    """One application with its contact details (each view recorded), and the decision form."""
    application = selectors.application_get(platform=request.platform, pk=application_id)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        platform=request.platform,
        initial={"decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decided, emailed = services.application_decide(
                application=application,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("「%(status)s」を記録しました。") % {"status": decided.get_status_display()}
            )
            if not emailed:
                messages.warning(
                    request, _("申込者へのメールを送れませんでした。電話などで知らせてください。")
                )
            if decided.organisation_id:
                return redirect("orgs:detail", request.platform.slug, decided.organisation_id)
            return redirect("orgs:applications", request.platform.slug)
    services.application_viewed(application=application, actor=request.user)
    return render(
        request,
        "orgs/members/application_detail.html",
        {
            "application": application,
            "form": form,
            "by_meeting": request.platform.applications_decided_by == "representatives",
        },
    )


# --- notices to members ---


@platform_view(ORGS_VIEW)
def notice_list(request: PlatformRequest) -> HttpResponse:
    """Staff: every notice with its date and audience. Coordinators: those meant for them."""
    if NOTICES_POST in request.capabilities:
        notices = list(selectors.notice_list(platform=request.platform)[:200])
    else:
        notices = selectors.notices_for(platform=request.platform, role=request.role)
    return render(
        request,
        "orgs/members/notices.html",
        {
            "notices": notices,
            "email_form": NoticeEmailForm(
                initial={"receive": selectors.emails_wanted(platform=request.platform, user=request.user)}
            ),
        },
    )


@platform_view(ORGS_VIEW)
def notice_detail(request: PlatformRequest, notice_id: int) -> HttpResponse:
    notice = selectors.notice_get(platform=request.platform, pk=notice_id, role=request.role)
    return render(request, "orgs/members/notice_detail.html", {"notice": notice})


@platform_view(NOTICES_POST)
@submit_once
def notice_create(request: PlatformRequest) -> HttpResponse:
    form = NoticeForm(
        request.POST if request.method == "POST" else None,
        platform=request.platform,
        initial={"to_all": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_post(
                platform=request.platform, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("お知らせを出しました（%(n)d団体）。メールは順に送ります。") % {"n": len(notice.audience)},
            )
            return redirect("orgs:notice", request.platform.slug, notice.pk)
    return render(request, "orgs/members/notice_form.html", {"form": form})


@platform_view(ORGS_VIEW)
@require_POST
def notice_email(request: PlatformRequest) -> HttpResponse:
    """The person's own choice of receiving notices by email."""
    form = NoticeEmailForm(request.POST)
    form.is_valid()
    receive = bool(form.cleaned_data.get("receive"))
    services.notice_email_choice(platform=request.platform, user=request.user, receive=receive)
    messages.success(
        request, _("お知らせをメールでも受け取ります。") if receive else _("お知らせのメールを止めました。")
    )
    return redirect("orgs:notices", request.platform.slug)
