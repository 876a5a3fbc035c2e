"""Users and roles of one platform, managed by its administrators (USERS_MANAGE).

A user may hold roles in several platforms; an administrator here sees and changes only the
roles of this platform, never the user's roles elsewhere.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from orgs.models import Organisation, Platform, PlatformRole, Role
from orgs.permissions import CAPABILITY_LABELS, GRANTABLE, USERS_MANAGE, platform_view

from . import converters  # noqa: F401  (registers <id:…>)
from .models import RoleChange

User = get_user_model()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_l("役割"), choices=[("", _l("選択してください")), *Role.choices])  # no default: least privilege
    organisation = forms.ModelChoiceField(label=_l("所属団体（コーディネーターのみ）"), queryset=Organisation.objects.none(), required=False)
    grants = forms.MultipleChoiceField(
        label=_l("追加の権限"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, CAPABILITY_LABELS[c]) for c in sorted(GRANTABLE)],
    )

    def __init__(self, *args: Any, platform: Platform, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__platform=platform).order_by("sort_key")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") == Role.COORDINATOR and not data.get("organisation"):
            self.add_error("organisation", _("コーディネーターには所属団体を選んでください。"))
        if data.get("role") != Role.COORDINATOR:
            data["organisation"] = None
        return data


class NewUserForm(RoleForm):
    username = forms.RegexField(label=_l("ユーザー名"), regex=r"^[A-Za-z0-9@.+_-]{3,150}$",
                                error_messages={"invalid": _l("半角英数字と @ . + - _ で3文字以上入力してください。")})
    full_name = forms.CharField(label=_l("氏名"), max_length=150)
    email = forms.EmailField(label=_l("メールアドレス"), required=False)
    password = forms.CharField(label=_l("初期パスワード"), widget=forms.PasswordInput, help_text=_l("10文字以上。本人に別の経路で伝え、初回ログイン後に変更してもらいます。"))

    field_order = ["username", "full_name", "email", "password", "role", "organisation", "grants"]

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if User.objects.filter(username=name).exists():
            raise ValidationError(_("このユーザー名はすでに使われています。その人に役割を与えるときは「既存の利用者に役割を与える」を使ってください。"))
        return name

    def clean_password(self) -> str:
        validate_password(self.cleaned_data["password"])
        return self.cleaned_data["password"]


class ExistingUserForm(RoleForm):
    """A role here for someone who already has an account (e.g. in the prefecture's platform)."""

    username = forms.CharField(label=_l("ユーザー名"), max_length=150)
    field_order = ["username", "role", "organisation", "grants"]

    def clean_username(self) -> Any:
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise ValidationError(_("このユーザー名の利用者はいません。新しい人は「利用者を追加」から登録してください。"))
        if PlatformRole.objects.filter(platform=self.platform, user=user).exists():
            raise ValidationError(_("この利用者はすでにこのプラットフォームで役割を持っています。一覧の「変更」から変えてください。"))
        return user


def _snapshot(role: PlatformRole | None) -> dict[str, Any]:
    if role is None:
        return {}
    return {"role": role.role, "organisation": role.organisation_id, "grants": sorted(role.grants or [])}


@transaction.atomic
def role_set(*, platform: Platform, actor: Any, user: Any, role: str, organisation: Organisation | None, grants: list[str]) -> PlatformRole:
    existing = PlatformRole.objects.select_for_update().filter(platform=platform, user=user).first()
    before = _snapshot(existing)
    obj = existing or PlatformRole(platform=platform, user=user)
    obj.role, obj.organisation, obj.grants = role, organisation, sorted(set(grants) & GRANTABLE)
    obj.full_clean()
    obj.save()
    after = _snapshot(obj)
    if before != after:
        RoleChange.objects.create(platform=platform, actor=actor, target=user,
                                  action="platform.role.changed" if existing else "platform.role.added",
                                  changes={k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]})
    return obj


@transaction.atomic
def role_remove(*, platform: Platform, actor: Any, role: PlatformRole) -> None:
    if role.user_id == actor.pk:
        raise ValidationError(_("自分自身の役割は外せません。別の管理者に依頼してください。"))
    RoleChange.objects.create(platform=platform, actor=actor, target=role.user, action="platform.role.removed", changes={"role": [role.role, None]})
    role.delete()


@platform_view(USERS_MANAGE)
def team_list(request: HttpRequest) -> HttpResponse:
    roles = list(PlatformRole.objects.filter(platform=request.platform).select_related("user", "organisation").order_by("role", "user__username"))
    for r in roles:
        r.grant_labels = [CAPABILITY_LABELS.get(g, g) for g in r.grants or []]
    changes = RoleChange.objects.filter(platform=request.platform).select_related("actor", "target")[:20]
    return render(request, "team/list.html", {"roles": roles, "changes": changes})


@platform_view(USERS_MANAGE)
def team_add(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None, platform=request.platform)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            user = User.objects.create_user(username=d["username"], email=d["email"], password=d["password"], last_name=d["full_name"])
            role_set(platform=request.platform, actor=request.user, user=user, role=d["role"], organisation=d["organisation"], grants=d["grants"])
        messages.success(request, _("利用者を追加しました。"))
        return redirect("team:list", platform=request.platform.slug)
    return render(request, "team/form.html", {"form": form, "title": _("利用者を追加")})


@platform_view(USERS_MANAGE)
def team_grant(request: HttpRequest) -> HttpResponse:
    form = ExistingUserForm(request.POST or None, platform=request.platform)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        role_set(platform=request.platform, actor=request.user, user=d["username"], role=d["role"],
                 organisation=d["organisation"], grants=d["grants"])
        messages.success(request, _("役割を与えました。"))
        return redirect("team:list", platform=request.platform.slug)
    return render(request, "team/form.html", {"form": form, "title": _("既存の利用者に役割を与える")})


@platform_view(USERS_MANAGE)
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(PlatformRole, pk=pk, platform=request.platform)
    initial = {"role": role.role, "organisation": role.organisation, "grants": role.grants}
    form = RoleForm(request.POST or None, platform=request.platform, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if role.user_id == request.user.pk and d["role"] != Role.ADMIN:
            form.add_error("role", _("自分自身の管理者の役割は外せません。"))
        else:
            role_set(platform=request.platform, actor=request.user, user=role.user, role=d["role"], organisation=d["organisation"], grants=d["grants"])
            messages.success(request, _("役割を変更しました。"))
            return redirect("team:list", platform=request.platform.slug)
    return render(request, "team/form.html", {"form": form, "title": _("%(name)s の役割") % {"name": role.user.get_full_name() or role.user.username}, "role": role})


@require_POST
@platform_view(USERS_MANAGE)
def team_remove(request: HttpRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(PlatformRole, pk=pk, platform=request.platform)
    try:
        role_remove(platform=request.platform, actor=request.user, role=role)
        messages.success(request, _("役割を外しました。"))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("team:list", platform=request.platform.slug)


app_name = "team"
urlpatterns = [
    path("", team_list, name="list"),
    path("new/", team_add, name="add"),
    path("existing/", team_grant, name="grant"),
    path("<id:pk>/", team_edit, name="edit"),
    path("<id:pk>/remove/", team_remove, name="remove"),
]


