"""Registry screens for city staff and NPO coordinators: fetch through the permission helper,
validate the form, call one service, redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.lib.forms import add_service_errors
from platform_site.once import submit_once
from platform_site.permissions import platform_view

from . import selectors, services
from .capabilities import APPLICATIONS_REVIEW, MEMBERSHIP_MANAGE, ORGS_EDIT_ANY, ORGS_EDIT_OWN, ORGS_VIEW
from .forms import (
    ContactFormSet,
    MembershipCreateForm,
    MembershipForm,
    OrganisationForm,
    OrgFilterForm,
    PhoneFormSet,
    formset_rows,
)
from .members.selectors import applications_open
from .models import Membership

PAGE_SIZE = 50


def _scope(request: PlatformRequest) -> dict[str, Any]:
    """What of the registry the role sees: those who do not manage the pipeline (coordinators)
    see current members and their own organisation, not candidates or withdrawn ones."""
    return {
        "members_only": MEMBERSHIP_MANAGE not in request.capabilities,
        "own_organisation_id": request.role.organisation_id,
    }


def _membership_for_editor(request: PlatformRequest, pk: int) -> Membership:
    """404 outside this platform; 403 unless the role edits any entry or this is its own."""
    membership = selectors.membership_get(platform=request.platform, organisation_id=pk, **_scope(request))
    caps = request.capabilities
    own = ORGS_EDIT_OWN in caps and request.role.organisation_id == membership.organisation_id
    if not (ORGS_EDIT_ANY in caps or own):
        raise PermissionDenied
    return membership


@platform_view(ORGS_VIEW)
def org_list(request: PlatformRequest) -> HttpResponse:
    scope = _scope(request)
    form = OrgFilterForm(
        request.GET or None, platform=request.platform, with_status=not scope["members_only"]
    )
    filters = form.cleaned_data if form.is_valid() else {}
    orgs = selectors.organisation_list(platform=request.platform, filters=filters, **scope)
    page: Page[Any] = Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page"))  # rows become Memberships
    page.object_list = selectors.membership_rows(organisations=page.object_list, platform=request.platform)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orgs/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": ORGS_EDIT_ANY in request.capabilities,
        },
    )


@platform_view(ORGS_VIEW)
def org_detail(request: PlatformRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_detail(platform=request.platform, organisation_id=pk, **_scope(request))
    caps = request.capabilities
    can_edit = ORGS_EDIT_ANY in caps or (ORGS_EDIT_OWN in caps and request.role.organisation_id == pk)
    working = getattr(membership.organisation, "working_profile", None)  # read with the membership
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "membership": membership,
            "org": membership.organisation,
            "can_edit": can_edit,
            "can_manage": MEMBERSHIP_MANAGE in caps,
            "working": working,
            "places": working.places_in(timezone.localdate().replace(day=1)) if working else None,
        },
    )


def _edit_forms(request: PlatformRequest, membership: Membership) -> tuple[OrganisationForm, Any, Any]:
    org = membership.organisation
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(
        data, instance=org, platform=request.platform, can_edit_ref=ORGS_EDIT_ANY in request.capabilities
    )
    phones = PhoneFormSet(
        data, prefix="phones", initial=[{"number": p.number, "note": p.note} for p in org.phones.all()]
    )
    contacts = ContactFormSet(
        data,
        prefix="contacts",
        initial=[
            {"name": c.name, "title": c.title, "phone": c.phone, "email": c.email} for c in org.contacts.all()
        ],
    )
    return form, phones, contacts


@platform_view()
def org_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    membership = _membership_for_editor(request, pk)
    form, phones, contacts = _edit_forms(request, membership)
    status = 200
    if request.method == "POST" and all([form.is_valid(), phones.is_valid(), contacts.is_valid()]):
        try:
            changed = services.organisation_edit(
                organisation=membership.organisation,
                platform=request.platform,
                actor=request.user,
                data=form.service_data(),
                phones=formset_rows(phones),
                contacts=formset_rows(contacts),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except services.ConcurrentEdit as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("保存しました。") if changed else _("変更はありませんでした。"))
            return redirect("orgs:detail", request.platform.slug, pk)
    return render(
        request,
        "orgs/organisation_form.html",
        {
            "form": form,
            "phones": phones,
            "contacts": contacts,
            "org": membership.organisation,
            "conflict": status == 409,
        },
        status=status,
    )


@platform_view()
@require_POST
def org_verify(request: PlatformRequest, pk: int) -> HttpResponse:
    membership = _membership_for_editor(request, pk)
    services.organisation_verify(
        organisation=membership.organisation,
        platform=request.platform,
        actor=request.user,
        on=timezone.localdate(),
    )
    messages.success(request, _("内容を確認したことを記録しました。"))
    return redirect("orgs:detail", request.platform.slug, pk)


@platform_view(ORGS_EDIT_ANY)
@submit_once
def org_create(request: PlatformRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, platform=request.platform)
    member_form = MembershipCreateForm(data, prefix="membership")
    if request.method == "POST" and form.is_valid() and member_form.is_valid():
        try:
            org = services.organisation_create(
                platform=request.platform,
                actor=request.user,
                data=form.service_data(),
                membership=member_form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("団体を登録しました。電話番号と担当者は編集画面で追加できます。"))
            return redirect("orgs:detail", request.platform.slug, org.pk)
    return render(request, "orgs/organisation_form.html", {"form": form, "member_form": member_form})


@platform_view(MEMBERSHIP_MANAGE)
def membership_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    membership = selectors.membership_get(platform=request.platform, organisation_id=pk)
    form = MembershipForm(request.POST or None, instance=membership)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                actor=request.user,
                data=form.service_data(),
                today=timezone.localdate(),
                expected_updated_at=form.cleaned_data["seen"],
            )
        except services.ConcurrentEdit as error:
            form.add_error(None, error)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("参加状況を保存しました。"))
            return redirect("orgs:detail", request.platform.slug, pk)
    return render(
        request,
        "orgs/membership_form.html",
        {
            "form": form,
            "membership": membership,
            "org": membership.organisation,
            "conflict": status == 409,
        },
        status=status,
    )


@platform_view(MEMBERSHIP_MANAGE)
def pipeline(request: PlatformRequest) -> HttpResponse:
    platform, today = request.platform, timezone.localdate()
    return render(
        request,
        "orgs/membership_pipeline.html",
        {
            "board": selectors.recruitment_board(platform=platform),
            "years": selectors.membership_by_fiscal_year(platform=platform, today=today),
            "panel": selectors.platform_dashboard(platform=platform, role=request.role, today=today),
            "applications": (
                list(applications_open(platform=platform))
                if APPLICATIONS_REVIEW in request.capabilities
                else None
            ),
        },
    )


@platform_view(ORGS_VIEW)
def org_history(request: PlatformRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    membership = selectors.membership_get(platform=request.platform, organisation_id=pk, **scope)
    entries = selectors.org_history_entries(
        organisation_id=pk, platform=request.platform, staff=not scope["members_only"]
    )
    return render(
        request, "orgs/organisation_history.html", {"org": membership.organisation, "entries": entries}
    )
