"""Thin views of the team screen: fetch, validate, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_site.once import submit_once

from ..capabilities import USERS_MANAGE
from ..extensions import member_links
from ..http import PlatformRequest
from ..models import PlatformRole, Role
from ..permissions import capability_label, platform_view
from ..selectors import role_changes, role_get, team_roles
from ..signin import selectors as signin_selectors
from ..signin import services as signin_services
from . import services
from .forms import ExistingUserForm, NewUserForm, RoleForm


def _role_or_404(request: PlatformRequest, pk: int) -> PlatformRole:
    role = role_get(platform=request.platform, pk=pk)
    if role is None:
        raise Http404
    return role


@platform_view(USERS_MANAGE)
def team_list(request: PlatformRequest) -> HttpResponse:
    roles = team_roles(platform=request.platform)
    locked = signin_selectors.locked_usernames([r.user.username for r in roles])
    enrolled = signin_selectors.users_with_second_factor([r.user_id for r in roles])
    rows = [
        {
            "role": r,
            "grant_labels": [capability_label(g) for g in r.grants or []],
            "links": member_links(request, r),
            "locked": r.user.username in locked,
            "second_factor": r.user_id in enrolled,
        }
        for r in roles
    ]
    return render(
        request, "team/list.html", {"rows": rows, "changes": role_changes(platform=request.platform)}
    )


@platform_view(USERS_MANAGE)
@submit_once
def team_add(request: PlatformRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None, platform=request.platform)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.user_create_with_role(
            platform=request.platform,
            actor=request.user,
            username=d["username"],
            full_name=d["full_name"],
            email=d["email"],
            password=d["password"],
            role=d["role"],
            organisation=d["organisation"],
            grants=d["grants"],
        )
        messages.success(request, _("利用者を追加しました。"))
        return redirect("team:list", platform=request.platform.slug)
    return render(request, "team/form.html", {"form": form, "title": _("利用者を追加")})


@platform_view(USERS_MANAGE)
def team_grant(request: PlatformRequest) -> HttpResponse:
    form = ExistingUserForm(request.POST or None, platform=request.platform)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.role_set(
            platform=request.platform,
            actor=request.user,
            user=d["username"],
            role=d["role"],
            organisation=d["organisation"],
            grants=d["grants"],
        )
        messages.success(request, _("役割を与えました。"))
        return redirect("team:list", platform=request.platform.slug)
    return render(request, "team/form.html", {"form": form, "title": _("既存の利用者に役割を与える")})


@platform_view(USERS_MANAGE)
def team_edit(request: PlatformRequest, pk: int) -> HttpResponse:
    role = _role_or_404(request, pk)
    initial = {"role": role.role, "organisation": role.organisation, "grants": role.grants}
    form = RoleForm(request.POST or None, platform=request.platform, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if role.user_id == request.user.pk and d["role"] != Role.ADMIN:
            form.add_error("role", _("自分自身の管理者の役割は外せません。"))
        else:
            services.role_set(
                platform=request.platform,
                actor=request.user,
                user=role.user,
                role=d["role"],
                organisation=d["organisation"],
                grants=d["grants"],
            )
            messages.success(request, _("役割を変更しました。"))
            return redirect("team:list", platform=request.platform.slug)
    title = _("%(name)s の役割") % {"name": role.user.get_full_name() or role.user.username}
    return render(request, "team/form.html", {"form": form, "title": title, "role": role})


@require_POST
@platform_view(USERS_MANAGE)
def team_remove(request: PlatformRequest, pk: int) -> HttpResponse:
    role = _role_or_404(request, pk)
    try:
        services.role_remove(platform=request.platform, actor=request.user, role=role)
        messages.success(request, _("役割を外しました。"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("team:list", platform=request.platform.slug)


@require_POST
@platform_view(USERS_MANAGE)
def team_unlock(request: PlatformRequest, pk: int) -> HttpResponse:
    """Lift a member's sign-in lock-out (from every address). Logged."""
    role = _role_or_404(request, pk)
    signin_services.signin_unlock(platform=request.platform, actor=request.user, user=role.user)
    messages.success(request, _("%(name)s のログインのロックを解除しました。") % {"name": role.user.username})
    return redirect("team:list", platform=request.platform.slug)


@require_POST
@platform_view(USERS_MANAGE)
def team_second_factor_reset(request: PlatformRequest, pk: int) -> HttpResponse:
    """A lost phone: the member's authenticator and recovery codes go, their sessions end, and
    they set up a new authenticator at their next sign-in. Logged."""
    role = _role_or_404(request, pk)
    if role.user_id == request.user.pk:
        messages.error(request, _("自分自身の二要素認証はリセットできません。別の管理者に依頼してください。"))
    else:
        signin_services.second_factor_reset(platform=request.platform, actor=request.user, user=role.user)
        messages.success(
            request, _("%(name)s の二要素認証をリセットしました。") % {"name": role.user.username}
        )
    return redirect("team:list", platform=request.platform.slug)
