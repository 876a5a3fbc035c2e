"""Thin views of the two-way flow and of つながりサポーター's reports.

- A member organisation's coordinator asks the city to take on a person it met (NPO → 行政); the
  request lands in the secretariat's intake, which takes it into a case or answers it. The
  organisation sees what it sent and the answer (cases.access.get_request_for_user).
- A coordinator hands a person on to another member (NPO → NPO) from an accepted referral, under
  the consent gate of every referral (services.referral_hand_on).
- A supporter sends a short report from a phone to the person the platform names; it is not a
  case until that person makes it one. The supporter sees only that it was received.
Every view of a request's or a report's text is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.models import Role
from platform_site.once import submit_once
from platform_site.permissions import platform_view, require

from . import forms, selectors, services, steps
from .access import CaseAccess, case_view, get_report_for_user, get_request_for_user
from .capabilities import (
    CASES_EDIT,
    CASES_REQUEST,
    CASES_RESPOND,
    CASES_SUPPORTER_INTAKE,
    CASES_SUPPORTER_REPORT,
    CASES_SUPPORTERS,
    CASES_VIEW_ALL,
)
from .models import Case, IntakeRequestStatus, ReferralStatus, SupporterReportStatus
from .views import _detail, _run


def _own_org(request: PlatformRequest) -> int:
    role = request.role
    if role.role != Role.COORDINATOR or role.organisation_id is None:
        raise PermissionDenied
    return role.organisation_id


def _own_organisation(request: PlatformRequest) -> Any:
    _own_org(request)
    return request.role.organisation  # joined by role_for


@platform_view(CASES_REQUEST)
@submit_once
def request_create(request: PlatformRequest) -> HttpResponse:
    """NPO → 行政: a coordinator asks the city to take on a person or household it met."""
    organisation = _own_organisation(request)
    platform = request.platform
    form = forms.IntakeRequestForm(
        request.POST or None, allow_without_consent=platform.urgent_request_without_consent
    )
    if request.method == "POST":
        sent = _run(
            form,
            lambda d: services.intake_request_send(
                platform=platform,
                actor=request.user,
                organisation=organisation,
                data=d,
            ),
        )
        if sent:
            messages.success(
                request, _("市（事務局）へ依頼を送りました。回答はこの依頼のページに表示されます。")
            )
            return redirect("cases:request-detail", platform=platform.slug, request_id=sent.pk)
    return render(request, "cases/request_form.html", {"form": form, "platform": platform})


@platform_view()
def request_list(request: PlatformRequest) -> HttpResponse:
    """The secretariat's intake of members' requests; for a coordinator, their organisation's sent ones."""
    status, cursor = request.GET.get("status", ""), request.GET.get("after")
    if CASES_VIEW_ALL in request.capabilities:
        org_id = None
    else:
        require(request, CASES_REQUEST)
        org_id = _own_org(request)
    page = selectors.intake_requests(
        platform=request.platform, organisation_id=org_id, status=status, cursor=cursor
    )
    return render(
        request,
        "cases/request_list.html",
        {
            "page": page,
            "status": status,
            "statuses": IntakeRequestStatus.choices,
            "intake": org_id is None,
        },
    )


@platform_view()
def request_detail(request: PlatformRequest, request_id: int) -> HttpResponse:
    intake_request = get_request_for_user(request, request_id)
    services.intake_request_viewed(intake_request=intake_request, actor=request.user)
    return render(
        request,
        "cases/request_detail.html",
        {
            "req": intake_request,
            "intake": CASES_VIEW_ALL in request.capabilities,
            "may_answer": CASES_EDIT in request.capabilities
            and intake_request.status == IntakeRequestStatus.SENT,
        },
    )


def _open_request(request: PlatformRequest, request_id: int) -> Any:
    """The request (404 unless the user may know it), then the right to answer (403)."""
    intake_request = get_request_for_user(request, request_id)
    require(request, CASES_EDIT)
    return intake_request


@platform_view()
@submit_once
def request_accept(request: PlatformRequest, request_id: int) -> HttpResponse:
    """Take the request into a case: step 1 of the ledger, prefilled from what the member sent."""
    intake_request = _open_request(request, request_id)
    if intake_request.status != IntakeRequestStatus.SENT:
        messages.error(request, _("この依頼にはすでに回答しています。"))
        return redirect("cases:request-detail", platform=request.platform.slug, request_id=intake_request.pk)
    initial = {
        "intake_date": timezone.localtime(intake_request.sent_at).date(),
        "person_name": intake_request.person_name,
        "contact": intake_request.contact,
        "age": intake_request.age,
        "household": intake_request.household,
        "situation": intake_request.situation,
    }
    form = forms.CaseFromRequestForm(request.POST or None, initial=initial)
    if request.method != "POST":
        services.intake_request_viewed(intake_request=intake_request, actor=request.user)
    else:

        def call(d: dict[str, Any]) -> Case:
            answer = d.pop("answer", "")
            return services.intake_request_accept(
                intake_request=intake_request, actor=request.user, data=d, answer=answer
            )

        case = _run(form, call)
        if case:
            messages.success(
                request,
                _(
                    "ケースとして受け付けました。依頼した団体に回答が表示されます。続けて支援方針を決めてください。"
                ),
            )
            return redirect("cases:plan", platform=request.platform.slug, pk=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "title": _("団体からの依頼をケースとして受け付ける"),
            "source_note": _("依頼元: %(org)s") % {"org": intake_request.organisation.name},
            "steps": steps.form_steps("intake"),
            "step": "intake",
        },
    )


@platform_view()
def request_answer(request: PlatformRequest, request_id: int) -> HttpResponse:
    """Answer the member without opening a case (already known, another window...)."""
    intake_request = _open_request(request, request_id)
    form = forms.RequestAnswerForm(request.POST or None)
    if request.method == "POST" and _run(
        form,
        lambda d: services.intake_request_answer(
            intake_request=intake_request, actor=request.user, answer=d["answer"]
        ),
    ):
        messages.success(request, _("回答しました。依頼した団体に表示されます。"))
        return redirect("cases:request-detail", platform=request.platform.slug, request_id=intake_request.pk)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "title": _("団体からの依頼に回答する（ケースにはしない）"), "case": None},
    )


@case_view(CASES_RESPOND)
@submit_once
def hand_on(request: PlatformRequest, case: Case, access: CaseAccess, referral_id: int) -> HttpResponse:
    """NPO → NPO: hand the person on to another member the person's consent covers."""
    referral = selectors.referral_for_organisation(
        case=case, pk=referral_id, organisation_id=access.organisation_id
    )
    if referral is None:
        raise Http404
    if referral.status != ReferralStatus.ACCEPTED or case.is_closed:
        messages.error(request, _("受諾中の依頼からだけ、ほかの団体へ引き継げます。"))
        return _detail(case)
    targets = selectors.hand_on_targets(
        case=case, own_organisation_id=referral.organisation_id, today=timezone.localdate()
    )
    if not targets:
        return render(request, "cases/hand_on_blocked.html", {"case": case, "referral": referral})
    form = forms.ReferralForm(
        request.POST or None,
        organisations=targets,
        may_override=False,
        initial={"support_type": referral.support_type},
    )
    if request.method == "POST":

        def call(d: dict[str, Any]) -> Any:
            org = d.pop("organisation")
            return services.referral_hand_on(
                case=case, actor=request.user, from_referral=referral, organisation=org, data=d
            )

        if _run(form, call):
            messages.success(request, _("ほかの団体へ引き継ぎました。相手の団体と市（事務局）に伝わります。"))
            return _detail(case)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "case": case,
            "title": _("ほかの参加団体へ引き継ぐ"),
            "hand_on": True,
            "covered": targets,
        },
    )


# --- つながりサポーター ------------------------------------------------------------------------------


@platform_view(CASES_SUPPORTER_REPORT)
@submit_once
def supporter_report_create(request: PlatformRequest) -> HttpResponse:
    form = forms.SupporterReportForm(request.POST or None)
    if request.method == "POST" and _run(
        form, lambda d: services.supporter_report_send(platform=request.platform, actor=request.user, data=d)
    ):
        messages.success(request, _("受け付けました。ありがとうございます。"))
        return redirect("cases:supporter-reports-mine", platform=request.platform.slug)
    return render(request, "cases/supporter_report_form.html", {"form": form})


@platform_view(CASES_SUPPORTER_REPORT)
def supporter_reports_mine(request: PlatformRequest) -> HttpResponse:
    reports = selectors.my_supporter_reports(platform=request.platform, user=request.user)
    return render(request, "cases/supporter_reports_mine.html", {"reports": reports})


@platform_view(CASES_SUPPORTER_INTAKE)
def supporter_reports(request: PlatformRequest) -> HttpResponse:
    page = selectors.supporter_reports(platform=request.platform, cursor=request.GET.get("after"))
    return render(request, "cases/supporter_reports.html", {"page": page})


@platform_view()
def supporter_report(request: PlatformRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    services.supporter_report_viewed(report=report, actor=request.user)
    return render(
        request,
        "cases/supporter_report.html",
        {
            "report": report,
            "open": report.status == SupporterReportStatus.RECEIVED,
            "may_open_case": CASES_EDIT in request.capabilities,
        },
    )


@platform_view()
@require_POST
def supporter_report_handled(request: PlatformRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    try:
        services.supporter_report_handle(report=report, actor=request.user)
        messages.success(request, _("対応済みにしました。サポーターには「対応しました」と表示されます。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:supporter-report", platform=request.platform.slug, report_id=report.pk)


@platform_view()
@submit_once
def supporter_report_case(request: PlatformRequest, report_id: int) -> HttpResponse:
    """Turn a report into a case (step 1), once the intake has spoken with the person."""
    report = get_report_for_user(request, report_id)
    require(request, CASES_EDIT)
    if report.status != SupporterReportStatus.RECEIVED:
        messages.error(request, _("この報告はすでに対応済みです。"))
        return redirect("cases:supporter-report", platform=request.platform.slug, report_id=report.pk)
    form = forms.CaseFromRequestForm(
        request.POST or None,
        with_answer=False,
        initial={"intake_date": timezone.localdate(), "situation": report.body},
    )
    if request.method != "POST":
        services.supporter_report_viewed(report=report, actor=request.user)
    else:
        case = _run(
            form, lambda d: services.supporter_report_open_case(report=report, actor=request.user, data=d)
        )
        if case:
            messages.success(request, _("ケースを登録しました。続けて支援方針を決めてください。"))
            return redirect("cases:plan", platform=request.platform.slug, pk=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "title": _("サポーターからの報告をケースにする"),
            "source_note": _("発見の経緯: つながりサポーターからの報告"),
            "steps": steps.form_steps("intake"),
            "step": "intake",
        },
    )


@platform_view(CASES_SUPPORTERS)
def supporter_register(request: PlatformRequest) -> HttpResponse:
    """The register of the platform's supporters: training, refresher due, badge."""
    form = forms.SupporterForm(
        request.POST or None, users=selectors.supporter_users(platform=request.platform)
    )
    if request.method == "POST" and _run(
        form,
        lambda d: services.supporter_record(
            platform=request.platform, actor=request.user, user=d.pop("user"), data=d
        ),
    ):
        messages.success(request, _("サポーターの研修記録を保存しました。"))
        return redirect("cases:supporters", platform=request.platform.slug)
    return render(
        request,
        "cases/supporters.html",
        {
            "form": form,
            "supporters": selectors.supporters(platform=request.platform),
            "today": timezone.localdate(),
            "intake_named": bool(services.supporter_intake_users(platform=request.platform)),
        },
    )
