"""Users and roles of a platform: only its administrators, only its own roles, every change logged."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cases.capabilities import CASES_EXPORT
from platform_site.audit import AuditEntryImmutable
from platform_site.models import PlatformRole, Role, RoleChange
from platform_site.permissions import user_can


def url(name, platform, *args):
    return reverse(f"team:{name}", args=[platform.slug, *args])


def test_it_lists_only_this_platforms_roles(admin_a, secretariat_a, secretariat_b, platform_a):
    page = admin_a.get(url("list", platform_a)).content.decode()
    assert "secretariat_a" in page
    assert "secretariat_b" not in page


def test_admin_adds_a_coordinator_and_it_is_logged(admin_a, platform_a, org_a, django_assert_max_num_queries):
    response = admin_a.post(
        url("add", platform_a),
        {
            "username": "new_coord",
            "full_name": "新しい 担当",
            "email": "",
            "password": "long-enough-pass-42",
            "role": Role.COORDINATOR,
            "organisation": org_a.pk,
            "grants": [CASES_EXPORT],
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="new_coord")
    role = PlatformRole.objects.get(user=user, platform=platform_a)
    assert role.organisation == org_a
    assert user_can(user, platform_a, CASES_EXPORT)
    change = RoleChange.objects.get(target=user)
    assert change.action == "platform.role.added"
    assert change.actor == admin_a.user


def test_coordinator_needs_an_organisation(admin_a, platform_a):
    response = admin_a.post(
        url("add", platform_a),
        {
            "username": "nocoord",
            "full_name": "x",
            "password": "long-enough-pass-42",
            "role": Role.COORDINATOR,
        },
    )
    assert response.status_code == 200
    assert "所属団体を選んでください" in response.content.decode()
    assert not get_user_model().objects.filter(username="nocoord").exists()


def test_organisation_of_another_platform_is_not_a_choice(admin_a, platform_a, org_b):
    response = admin_a.post(
        url("add", platform_a),
        {
            "username": "cross",
            "full_name": "x",
            "password": "long-enough-pass-42",
            "role": Role.COORDINATOR,
            "organisation": org_b.pk,
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="cross").exists()


def test_role_of_another_platform_is_404(admin_a, secretariat_b, platform_a, platform_b):
    other = PlatformRole.objects.get(user=secretariat_b.user, platform=platform_b)
    assert admin_a.get(url("edit", platform_a, other.pk)).status_code == 404
    assert admin_a.post(url("remove", platform_a, other.pk)).status_code == 404
    assert PlatformRole.objects.filter(pk=other.pk).exists()


def test_admin_changes_and_removes_a_role(admin_a, secretariat_a, platform_a):
    role = PlatformRole.objects.get(user=secretariat_a.user, platform=platform_a)
    response = admin_a.post(url("edit", platform_a, role.pk), {"role": Role.ADMIN})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.role == Role.ADMIN
    assert admin_a.post(url("remove", platform_a, role.pk)).status_code == 302
    assert not PlatformRole.objects.filter(pk=role.pk).exists()
    assert list(RoleChange.objects.filter(target=secretariat_a.user).values_list("action", flat=True)) == [
        "platform.role.removed",
        "platform.role.changed",
    ]


def test_admin_cannot_remove_their_own_role(admin_a, platform_a):
    role = PlatformRole.objects.get(user=admin_a.user, platform=platform_a)
    admin_a.post(url("remove", platform_a, role.pk))
    assert PlatformRole.objects.filter(pk=role.pk).exists()
    admin_a.post(url("edit", platform_a, role.pk), {"role": Role.SECRETARIAT})
    role.refresh_from_db()
    assert role.role == Role.ADMIN


def test_remove_rejects_get(admin_a, secretariat_a, platform_a):
    role = PlatformRole.objects.get(user=secretariat_a.user, platform=platform_a)
    assert admin_a.get(url("remove", platform_a, role.pk)).status_code == 405


def test_role_change_log_is_append_only(admin_a, secretariat_a, platform_a):
    role = PlatformRole.objects.get(user=secretariat_a.user, platform=platform_a)
    admin_a.post(url("edit", platform_a, role.pk), {"role": Role.ADMIN})
    change = RoleChange.objects.get(target=secretariat_a.user)
    with pytest.raises(AuditEntryImmutable):
        change.delete()
    with pytest.raises(AuditEntryImmutable):
        change.save()
    with pytest.raises(AuditEntryImmutable):
        RoleChange.objects.filter(pk=change.pk).update(action="platform.role.added")
    with pytest.raises(AuditEntryImmutable):
        RoleChange.objects.filter(pk=change.pk).delete()
    assert RoleChange.objects.get(pk=change.pk).action == "platform.role.changed"


def test_the_add_form_speaks_japanese_and_does_not_preselect_administrator(admin_a, platform_a):
    """Django 6.1's empty choice "- Select an option -" is untranslated; and a new user's role
    must be chosen, not default to the most powerful one (least privilege)."""
    response = admin_a.get(url("add", platform_a))
    html = response.content.decode()
    assert "Select an option" not in html
    assert "選択してください" in html
    assert response.context["form"]["role"].value() in (None, "")
    response = admin_a.post(
        url("add", platform_a), {"username": "norole", "full_name": "x", "password": "long-enough-pass-42"}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="norole").exists()


@pytest.mark.parametrize("name", ["add", "grant", "edit", "remove"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anon", 302), ("secretariat_a", 403), ("coordinator_a", 403), ("secretariat_b", 404)],
)
def test_team_screens_deny_everyone_but_the_administrator(
    request, platform_a, admin_a, name, persona, expected
):
    """A refused request to a team URL, GET or a POST carrying a role, changes nothing (every
    persona's status of each team URL is in tests/test_permissions_matrix.py)."""
    client = request.getfixturevalue(persona)
    role = PlatformRole.objects.get(user=admin_a.user, platform=platform_a)
    target = url(name, platform_a) if name in ("add", "grant") else url(name, platform_a, role.pk)
    before = list(PlatformRole.objects.values_list("pk", "role"))
    statuses = {client.get(target).status_code, client.post(target, {"role": Role.SECRETARIAT}).status_code}
    if name == "remove":  # POST only: a GET is refused before anything else
        statuses.discard(405)
    assert statuses == {expected}
    assert list(PlatformRole.objects.values_list("pk", "role")) == before
    assert not RoleChange.objects.exists()


def test_each_change_link_names_its_user(admin_a, secretariat_a, platform_a):
    """Four links all read 「変更」 to a screen reader listing links (WCAG 2.4.4)."""
    role = PlatformRole.objects.get(user=secretariat_a.user, platform=platform_a)
    html = admin_a.get(url("list", platform_a)).content.decode()
    assert (
        f'<a href="{url("edit", platform_a, role.pk)}">変更<span class="visually-hidden">'
        "（secretariat_a の役割）</span></a>"
    ) in html


def test_an_administrator_gives_a_role_to_someone_who_already_has_an_account(
    admin_a, secretariat_b, platform_a, platform_b, org_a
):
    """A person may work in several platforms (a prefecture's and a city's); before, the add
    form refused the existing username and no screen could give them a second role."""
    user = secretariat_b.user
    response = admin_a.post(
        url("grant", platform_a),
        {"username": user.username, "role": Role.COORDINATOR, "organisation": org_a.pk},
    )
    assert response.status_code == 302
    assert PlatformRole.objects.get(user=user, platform=platform_a).organisation == org_a
    assert PlatformRole.objects.get(user=user, platform=platform_b).role == Role.SECRETARIAT  # untouched
    change = RoleChange.objects.get(target=user)
    assert (change.action, change.platform, change.actor) == ("platform.role.added", platform_a, admin_a.user)


def test_granting_needs_an_existing_user_without_a_role_here(admin_a, secretariat_a, platform_a):
    for username, message in (
        ("nobody", "このユーザー名の利用者はいません"),
        ("secretariat_a", "すでにこのプラットフォームで役割を持っています"),
    ):
        response = admin_a.post(url("grant", platform_a), {"username": username, "role": Role.ADMIN})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert PlatformRole.objects.get(user=secretariat_a.user, platform=platform_a).role == Role.SECRETARIAT
    assert not RoleChange.objects.exists()


def test_team_list_links_each_user_to_their_access_log(admin_a, secretariat_a, platform_a):
    page = admin_a.get(url("list", platform_a)).content.decode()
    assert reverse("cases:user-audit", args=[platform_a.slug, secretariat_a.user.pk]) in page
