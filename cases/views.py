"""Thin views of the handoff ledger: fetch through cases.access, validate, call one service, redirect.

Every case URL goes through case_view (404 unless the user may know the case, then 403 for a
missing right); every view of a case writes an access-log entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.lib.forms import run_service
from platform_site.models import Role
from platform_site.once import submit_once
from platform_site.permissions import platform_view
from platform_site.stepup import step_up_required

from . import events as ev
from . import exporters, forms, selectors, services, steps
from .access import CaseAccess, case_view
from .capabilities import (
    AUDIT_VIEW,
    CASES_CONSENT_OVERRIDE,
    CASES_EDIT,
    CASES_EXPORT,
    CASES_RESPOND,
    CASES_STATS,
    CASES_VIEW_ALL,
    CASES_WG_CONSENT_OVERRIDE,
    CASES_WORKING_GROUPS,
)
from .models import Case, CaseStatus, CaseWorkingGroupMember, ReferralStatus


def _detail(case: Case) -> HttpResponse:
    return redirect("cases:detail", platform=case.platform.slug, pk=case.pk)


_run = run_service  # a service refused: the form shows why, nothing saved


def _form_page(
    request: PlatformRequest, form: BaseForm, *, title: str, case: Case | None = None, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "case": case, **extra}
    if extra.get("step"):
        context["steps"] = steps.form_steps(extra["step"])
    return render(request, "cases/case_form.html", context)


@platform_view()
def case_list(request: PlatformRequest) -> HttpResponse:
    """The ledger for the secretariat; for a coordinator, the inbox of referrals to their organisation."""
    caps, role = request.capabilities, request.role
    status, stale, cursor = (
        request.GET.get("status", ""),
        request.GET.get("stale", ""),
        request.GET.get("after"),
    )
    ctx: dict[str, Any] = {
        "status": status,
        "stale": stale,
        "statuses": CaseStatus.choices,
        "today": timezone.localdate(),
    }
    if CASES_VIEW_ALL in caps:
        ctx["page"] = selectors.case_list(
            platform=request.platform, status=status, stale=stale, cursor=cursor
        )
        ev.event_log(
            platform=request.platform,
            actor=request.user,
            action=ev.CASE_LIST_VIEWED,
            data={"status": status, "stale": stale, "page": bool(cursor)},
        )
        return render(request, "cases/case_list.html", ctx)
    if CASES_RESPOND not in caps or role.role != Role.COORDINATOR or role.organisation_id is None:
        raise PermissionDenied
    ctx["page"] = selectors.inbox(
        platform=request.platform,
        organisation_id=role.organisation_id,
        status=status,
        stale=stale,
        cursor=cursor,
    )
    ctx["referral_statuses"] = ReferralStatus.choices
    ctx["wg_cases"] = selectors.working_group_cases(platform=request.platform, user=request.user)
    return render(request, "cases/inbox.html", ctx)


@platform_view(CASES_VIEW_ALL)
def case_search(request: PlatformRequest) -> HttpResponse:
    """Find a person's case by name or phone: posted (never in the URL), each search logged
    with its number of results, not its words."""
    form = forms.LedgerSearchForm(request.POST or None)
    results, total = None, 0
    if request.method == "POST" and form.is_valid():
        results, total = selectors.search_cases(platform=request.platform, query=form.cleaned_data["q"])
        ev.event_log(
            platform=request.platform,
            actor=request.user,
            action=ev.CASE_SEARCHED,
            data={"results": total},
        )
    return render(
        request,
        "cases/case_search.html",
        {"form": form, "results": results, "total": total, "limit": selectors.SEARCH_LIMIT},
    )


@platform_view(CASES_EDIT)
@submit_once
def case_create(request: PlatformRequest) -> HttpResponse:
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST":
        case = _run(
            form, lambda d: services.case_create(platform=request.platform, actor=request.user, data=d)
        )
        if case:
            messages.success(request, _("ケースを登録しました。続けて支援方針を決めてください。"))
            return redirect("cases:plan", platform=request.platform.slug, pk=case.pk)
    return _form_page(request, form, title=_("1. 当事者の発見（ケースの登録）"), step="intake")


def _detail_context(request: PlatformRequest, case: Case, access: CaseAccess) -> dict[str, Any]:
    detail = selectors.case_detail(
        case=case, organisation_id=None if access.full else access.organisation_id, scoped=not access.full
    )
    consents = list(case.consents.all())
    ledger_steps = steps.ledger_steps(
        case=case,
        consents=consents,
        referrals=detail["referrals"],
        handoffs=detail["handoffs"],
        today=timezone.localdate(),
    )
    return {
        "case": case,
        "access": access,
        **detail,
        "consents": consents,
        "steps": ledger_steps,
        "next": steps.next_action(
            case=case,
            steps=ledger_steps,
            referrals=detail["referrals"],
            handoffs=detail["handoffs"],
            access=access,
            may_edit=CASES_EDIT in request.capabilities,
        ),
        "stale_days": case.platform.reminder_unanswered_days,
        "action_label": ev.action_label,
        # a coordinator's own hand-ons from this case (to whom, answered or not): nothing more of them
        "handed_on": (
            selectors.handed_on_by(case=case, organisation_id=access.organisation_id)
            if not access.full and access.organisation_id and access.open_referral
            else []
        ),
    }


@case_view()
def case_detail(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    return _case_page(request, case, access)


def _case_page(
    request: PlatformRequest, case: Case, access: CaseAccess, *, failed: forms.RevokeForm | None = None
) -> HttpResponse:
    """The case page (its view is logged); `failed` is a consent's withdrawal sent with an error,
    shown again under its consent (400) with the error summary at the top."""
    context = _detail_context(request, case, access)
    if access.full and CASES_EDIT in request.capabilities and not case.is_closed:
        for consent in context["consents"]:  # each open consent's withdrawal form
            if not consent.revoked_on:
                same = failed is not None and failed.consent.pk == consent.pk
                consent.revoke_form = failed if same else forms.RevokeForm(consent=consent)
    context["revoke_form"] = failed
    services.case_viewed(case=case, actor=request.user, level=access.level, basis=access.basis)
    return render(request, "cases/case_detail.html", context, status=400 if failed else 200)


@case_view()
def case_print(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    """A printable summary: what this person may see of the case, on paper. The print is logged."""
    context = _detail_context(request, case, access)
    services.case_printed(case=case, actor=request.user, level=access.level, basis=access.basis)
    return render(request, "cases/case_print.html", {**context, "printed_at": timezone.localtime()})


def _edit(
    request: PlatformRequest, case: Case, access: CaseAccess, form_class: type, title: str, step: str
) -> HttpResponse:
    if case.is_closed:
        messages.error(request, _("終了したケースは編集できません。"))
        return _detail(case)
    form = form_class(
        request.POST or None, instance=Case.objects.get(pk=case.pk), initial={"version": case.version}
    )
    if request.method != "POST":  # the form shows the person's data: reading it is logged like the case page
        services.case_viewed(case=case, actor=request.user, level=access.level, page=step, basis=access.basis)
    else:
        done = _run(
            form,
            lambda d: services.case_update(case=case, actor=request.user, version=d.pop("version"), data=d),
        )
        if done:
            messages.success(request, _("保存しました。"))
            return _detail(case)
    return _form_page(request, form, title=title, case=case, step=step)


@case_view(CASES_EDIT)
def case_edit(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    return _edit(request, case, access, forms.IntakeEditForm, _("1. 当事者の発見（編集）"), "intake")


@case_view(CASES_EDIT)
def case_plan(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    return _edit(request, case, access, forms.PlanForm, _("2. 支援方針の決定"), "plan")


@case_view(CASES_EDIT)
@submit_once
def consent_create(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    orgs = selectors.platform_organisations(platform=request.platform)
    form = forms.ConsentForm(request.POST or None, organisations=orgs)
    if request.method == "POST":

        def call(d: dict[str, Any]) -> Any:
            chosen = d.pop("organisations")
            return services.consent_record(case=case, actor=request.user, data=d, organisations=chosen)

        if _run(form, call):
            messages.success(request, _("同意を記録しました。"))
            return _detail(case)
    return _form_page(request, form, title=_("3. 食支援受給の意思確認（同意）"), case=case, step="consent")


@case_view(CASES_EDIT)
@require_POST
def consent_revoke(request: PlatformRequest, case: Case, access: CaseAccess, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(case.consents.all(), pk=consent_id)
    form = forms.RevokeForm(request.POST, consent=consent)
    if _run(
        form,
        lambda d: services.consent_revoke(
            consent=consent, actor=request.user, revoked_on=d["revoked_on"], note=d["note"]
        ),
    ):
        messages.success(request, _("同意の撤回を記録しました。"))
        return _detail(case)
    return _case_page(request, case, access, failed=form)


@case_view(CASES_EDIT)
@submit_once
def referral_create(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    may_override = CASES_CONSENT_OVERRIDE in request.capabilities
    orgs = selectors.platform_organisations(platform=request.platform)
    form = forms.ReferralForm(
        request.POST or None,
        organisations=orgs,
        may_override=may_override,
        initial={"support_type": case.support_type},
    )
    covered = selectors.consented_organisations(case=case, today=timezone.localdate())
    if not covered and not may_override:
        # No consent covers any organisation: the form would only refuse once filled in.
        return render(
            request, "cases/referral_blocked.html", {"case": case, "steps": steps.form_steps("referral")}
        )
    if request.method == "POST":

        def call(d: dict[str, Any]) -> Any:
            org, reason = d.pop("organisation"), d.pop("override_reason", "")
            return services.referral_send(
                case=case,
                actor=request.user,
                organisation=org,
                data=d,
                override_reason=reason,
                may_override=may_override,
            )

        if _run(form, call):
            messages.success(request, _("団体へ依頼しました。団体にはリンクだけを知らせるメールが届きます。"))
            return _detail(case)
    return _form_page(
        request,
        form,
        title=_("4. 団体への依頼"),
        case=case,
        step="referral",
        may_override=may_override,
        covered=covered,
    )


def _own_referral(case: Case, access: CaseAccess, referral_id: int) -> Any:
    referral = selectors.referral_for_organisation(
        case=case, pk=referral_id, organisation_id=access.organisation_id
    )
    if referral is None:
        raise Http404
    return referral


def _respond(request: PlatformRequest, form: BaseForm, referral: Any, *, on_behalf: bool = False) -> Any:
    """The answer of the respond form, by the organisation or (on_behalf) by the secretariat."""
    return _run(
        form,
        lambda d: services.referral_respond(
            referral=referral,
            actor=request.user,
            accept=d["decision"] == "accept",
            reason=d["reason"],
            note=d["note"],
            on_behalf=on_behalf,
        ),
    )


@case_view(CASES_RESPOND)
def referral_respond(
    request: PlatformRequest, case: Case, access: CaseAccess, referral_id: int
) -> HttpResponse:
    referral = _own_referral(case, access, referral_id)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST":
        done = _respond(request, form, referral)
        if done:
            if done.status == ReferralStatus.ACCEPTED:
                # Straight on to the first handoff: the phone flow of a coordinator (issue: ≤ 4 taps).
                messages.success(
                    request, _("受諾しました。自治体に伝わります。続けて引き渡しを記録できます。")
                )
                return redirect(
                    "cases:handoff-create", platform=case.platform.slug, pk=case.pk, referral_id=referral.pk
                )
            messages.success(request, _("応答を記録しました。自治体に伝わります。"))
            return _detail(case)
    return _form_page(request, form, title=_("依頼への応答"), case=case, referral=referral, step="respond")


@case_view(CASES_RESPOND)
@submit_once
def handoff_create(
    request: PlatformRequest, case: Case, access: CaseAccess, referral_id: int
) -> HttpResponse:
    referral = _own_referral(case, access, referral_id)
    form = forms.HandoffForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST":
        if _run(form, lambda d: services.handoff_record(referral=referral, actor=request.user, data=d)):
            messages.success(request, _("引き渡しを記録しました。"))
            return _detail(case)
    return render(
        request,
        "cases/handoff_form.html",
        {
            "form": form,
            "case": case,
            "referral": referral,
            "steps": steps.form_steps("handoffs"),
            "last": selectors.last_handoff(referral=referral),
            "today": timezone.localdate(),
        },
    )


def _open_referral(case: Case, referral_id: int) -> Any:
    referral = case.referrals.select_related("organisation").filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


@case_view(CASES_EDIT)
def referral_respond_phone(
    request: PlatformRequest, case: Case, access: CaseAccess, referral_id: int
) -> HttpResponse:
    """The organisation answered by phone: the secretariat records the answer on its behalf."""
    referral = _open_referral(case, referral_id)
    if referral.status != ReferralStatus.SENT:
        messages.error(request, _("この依頼にはすでに応答があります。"))
        return _detail(case)
    form = forms.RespondForm(request.POST or None)
    if request.method == "POST":
        done = _respond(request, form, referral, on_behalf=True)
        if done:
            messages.success(request, _("電話で聞いた応答を、団体に代わって記録しました。"))
            return _detail(case)
    return _form_page(
        request,
        form,
        title=_("電話で聞いた応答の記録（%(org)s）") % {"org": referral.organisation.name},
        case=case,
        referral=referral,
        step="respond",
        on_behalf=True,
    )


@case_view(CASES_EDIT)
@submit_once
def handoff_phone(request: PlatformRequest, case: Case, access: CaseAccess, referral_id: int) -> HttpResponse:
    """The organisation reported a handoff by phone: the secretariat records it on its behalf."""
    referral = _open_referral(case, referral_id)
    if referral.status != ReferralStatus.ACCEPTED or case.is_closed:
        messages.error(request, _("受諾中の依頼にだけ引き渡しを記録できます。"))
        return _detail(case)
    form = forms.HandoffForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and _run(
        form, lambda d: services.handoff_record(referral=referral, actor=request.user, data=d, on_behalf=True)
    ):
        messages.success(request, _("電話で聞いた引き渡しを、団体に代わって記録しました。"))
        return _detail(case)
    return render(
        request,
        "cases/handoff_form.html",
        {
            "form": form,
            "case": case,
            "referral": referral,
            "on_behalf": True,
            "steps": steps.form_steps("handoffs"),
        },
    )


@case_view(CASES_EDIT)
@require_POST
def report_read(request: PlatformRequest, case: Case, access: CaseAccess, handoff_id: int) -> HttpResponse:
    handoff = get_object_or_404(case.handoffs.select_related("case__platform"), pk=handoff_id)
    if services.report_mark_read(handoff=handoff, actor=request.user):
        messages.success(request, _("団体からの報告を既読にしました。"))
    return _detail(case)


@case_view(CASES_EDIT)
def case_close(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    form = forms.CloseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST":
        done = _run(
            form,
            lambda d: services.case_close(
                case=case,
                actor=request.user,
                reason=d["reason"],
                note=d["note"],
                closed_on=d["closed_on"],
                version=d["version"],
            ),
        )
        if done:
            messages.success(request, _("支援を終了しました。依頼先の団体にお知らせが届きます。"))
            return _detail(case)
    return _form_page(request, form, title=_("支援の終了"), case=case, step="close")


@case_view(CASES_EDIT)
def consent_correct(
    request: PlatformRequest, case: Case, access: CaseAccess, consent_id: int
) -> HttpResponse:
    """Correct a mistaken withdrawal, with a reason; the original stays beside the correction."""
    consent = get_object_or_404(case.consents.all(), pk=consent_id)
    if not consent.revoked_on:
        messages.error(request, _("この同意は撤回されていないため、訂正するものがありません。"))
        return _detail(case)
    form = forms.RevocationCorrectForm(request.POST or None, consent=consent)
    if request.method == "POST" and _run(
        form,
        lambda d: services.consent_revocation_correct(
            consent=consent, actor=request.user, revoked_on=d["revoked_on"], reason=d["reason"]
        ),
    ):
        messages.success(request, _("撤回の記録を訂正しました。訂正前の記録も残っています。"))
        return _detail(case)
    return _form_page(
        request, form, title=_("同意の撤回の記録を訂正"), case=case, step="correct", consent=consent
    )


@case_view(CASES_WORKING_GROUPS)
def working_group(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    users = selectors.users_for_working_group(platform=request.platform)
    may_override = CASES_WG_CONSENT_OVERRIDE in request.capabilities
    form = forms.WorkingGroupAddForm(request.POST or None, users=users, may_override=may_override)
    if request.method == "POST" and _run(
        form,
        lambda d: services.working_group_add(
            case=case,
            actor=request.user,
            user=d["user"],
            override_reason=d.get("override_reason", ""),
            may_override=may_override,
        ),
    ):
        messages.success(request, _("作業部会にメンバーを追加しました。"))
        return redirect("cases:working-group", platform=case.platform.slug, pk=case.pk)
    members = selectors.working_group_members(case=case)
    closure = getattr(case, "working_group_closure", None)
    return render(
        request,
        "cases/working_group.html",
        {"case": case, "form": form, "members": members, "closure": closure},
    )


@case_view(CASES_WORKING_GROUPS)
@require_POST
def working_group_close(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    """The support provider is decided: close the working group (its members lose access now)."""
    try:
        services.working_group_close(case=case, actor=request.user)
        messages.success(
            request,
            _("支援先が決まったため作業部会を閉じました。メンバーはこのケースを閲覧できなくなりました。"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:working-group", platform=case.platform.slug, pk=case.pk)


@case_view(CASES_WORKING_GROUPS)
@require_POST
def working_group_remove(
    request: PlatformRequest, case: Case, access: CaseAccess, member_id: int
) -> HttpResponse:
    member = get_object_or_404(
        CaseWorkingGroupMember.objects.select_related("case__platform"), case=case, pk=member_id
    )
    try:
        services.working_group_remove(member=member, actor=request.user)
        messages.success(request, _("作業部会からメンバーを外しました。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:working-group", platform=case.platform.slug, pk=case.pk)


@case_view(AUDIT_VIEW)
def case_audit(request: PlatformRequest, case: Case, access: CaseAccess) -> HttpResponse:
    page = selectors.events_for_case(case=case, cursor=request.GET.get("after"))
    ev.event_log(platform=case.platform, actor=request.user, action=ev.AUDIT_VIEWED, case=case)
    return render(
        request,
        "cases/audit.html",
        {"case": case, "page": page, "rows": page.rows, "action_label": ev.action_label},
    )


@platform_view(AUDIT_VIEW)
def user_audit_index(request: PlatformRequest) -> HttpResponse:
    """Who may be asked about: every user of the platform, each linked to their own access log."""
    roles = selectors.audit_users(platform=request.platform)
    return render(request, "cases/audit_users.html", {"roles": roles})


@platform_view(AUDIT_VIEW)
def user_audit(request: PlatformRequest, user_id: int) -> HttpResponse:
    subject = selectors.audit_subject(platform=request.platform, user_id=user_id)
    if subject is None:
        raise Http404
    page = selectors.events_for_user(
        platform=request.platform, user_id=user_id, cursor=request.GET.get("after")
    )
    ev.event_log(
        platform=request.platform, actor=request.user, action=ev.AUDIT_VIEWED, data={"user": user_id}
    )
    return render(
        request,
        "cases/audit.html",
        {"subject": subject, "page": page, "rows": page.rows, "action_label": ev.action_label},
    )


def _may_export(request: PlatformRequest) -> None:
    """Only the secretariat's view of the ledger, or a coordinator's own cases, can be exported."""
    if CASES_VIEW_ALL not in request.capabilities and not (
        request.role.role == Role.COORDINATOR and request.role.organisation_id
    ):
        raise PermissionDenied


@platform_view(CASES_EXPORT)
def ledger_export(request: PlatformRequest) -> HttpResponse:
    """The 引き継ぎ簿 XLSX: every case for the secretariat, only their own for a coordinator."""
    _may_export(request)
    return _ledger_export(request)


@step_up_required(
    purpose=_l(
        "引き継ぎ簿の書き出しには個人情報が含まれます。本人であることを確かめるため、もう一度パスワードを入力してください。"
        "確認後15分間は再入力なしで書き出せます。書き出しはすべて記録されます。"
    ),
    button=_l("確認して書き出す"),
)
def _ledger_export(request: PlatformRequest) -> HttpResponse:
    caps, role = request.capabilities, request.role
    org_id = None if CASES_VIEW_ALL in caps else role.organisation_id
    filename, content_type, body = exporters.ledger_xlsx(
        platform=request.platform, actor=request.user, organisation_id=org_id
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@platform_view(CASES_STATS)
def ledger_stats(request: PlatformRequest) -> HttpResponse:
    try:
        fy = int(request.GET["fy"]) if request.GET.get("fy") else None
    except ValueError:
        fy = None
    if fy is not None and not 2000 <= fy <= 2100:
        fy = None
    ctx = selectors.figures(platform=request.platform, fiscal_year=fy)
    if request.GET.get("format") == "csv":
        filename, content_type, body = exporters.figures_csv(figures=ctx, platform=request.platform)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "cases/stats.html", ctx)
