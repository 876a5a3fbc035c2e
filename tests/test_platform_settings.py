"""The settings screen /p/<platform>/settings/: only the platform's administrators; what it
changes shows on the leaflet, the home panel and the pipeline; bad input saves nothing; every
change is in the audit trail; two administrators do not overwrite each other silently."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from orgs import services as org_services
from orgs.pdf import leaflet_source
from platform_site.models import MembershipTarget, Platform, PlatformChange, Role
from platform_site.platform_settings.forms import ISSUED_AUTO, ISSUED_FIXED
from platform_site.platform_settings.services import SETTINGS_FIELDS
from tests import factories as f
from tests.conftest import TOKYO, _client_for
from tests.jobs import follow_leaflet

# Labels and targets are dated (作成年月, 年度): the tests run at the pinned moment of tests/conftest.py.
pytestmark = pytest.mark.usefixtures("frozen_now")
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def url(platform: Platform) -> str:
    return reverse("platform_settings:edit", args=[platform.slug])


def form_data(platform: Platform, targets: dict[int, int] | None = None, **changes: Any) -> dict[str, Any]:
    """What the screen posts: every field as now, with `changes`; the targets as given (default:
    as now), plus two blank rows as the screen shows."""
    platform.refresh_from_db()
    data: dict[str, Any] = {name: getattr(platform, name) for name in SETTINGS_FIELDS}
    data["issued_mode"] = ISSUED_FIXED if platform.leaflet_issued_label else ISSUED_AUTO
    data["version"] = platform.version
    data |= changes
    if targets is None:
        targets = dict(
            MembershipTarget.objects.filter(platform=platform).values_list("fiscal_year", "target")
        )
    saved = MembershipTarget.objects.filter(platform=platform).count()
    rows = [*targets.items(), *[("", "")] * max(saved - len(targets), 0), ("", ""), ("", "")]
    data |= {"targets-TOTAL_FORMS": len(rows), "targets-INITIAL_FORMS": saved}
    for i, (year, target) in enumerate(rows):
        data |= {f"targets-{i}-fiscal_year": year, f"targets-{i}-target": target}
    return data


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def admin_b(platform_b):
    user = f.make_user("admin_b")
    f.make_role(user, platform_b, Role.ADMIN)
    return _client_for(user)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- who may open it ---


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anon", 302),
        ("secretariat_a", 403),
        ("coordinator_a", 403),
        ("admin_a", 200),
        ("secretariat_b", 404),
        ("admin_b", 404),
    ],
)
def test_who_may_open_it(request, platform_a, persona, expected):
    client = request.getfixturevalue(persona)
    response = client.get(url(platform_a))
    assert response.status_code == expected
    if persona == "anon":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("persona", "expected"), [("secretariat_a", 403), ("admin_b", 404), ("anon", 302)])
def test_nobody_else_can_save(request, platform_a, persona, expected):
    data = form_data(platform_a, leaflet_message="乗っ取り")
    assert request.getfixturevalue(persona).post(url(platform_a), data).status_code == expected
    platform_a.refresh_from_db()
    assert platform_a.leaflet_message != "乗っ取り"
    assert not PlatformChange.objects.exists()


def test_it_is_linked_for_administrators_only(admin_a, secretariat_a, platform_a):
    home = reverse("platform-home", args=[platform_a.slug])
    leaflet = reverse("orgs:leaflet-options", args=[platform_a.slug])
    assert url(platform_a) in admin_a.get(home).content.decode()
    assert url(platform_a) in admin_a.get(leaflet).content.decode()  # the leaflet page's hint
    assert url(platform_a) not in secretariat_a.get(home).content.decode()
    assert url(platform_a) not in secretariat_a.get(leaflet).content.decode()


def test_its_query_count(admin_a, platform_a, django_assert_num_queries):
    for i in range(3):
        admin_a.post(url(platform_a), form_data(platform_a, leaflet_title=f"相談先一覧 {i}"))
    # session, user, 2FA device, platform, role; targets (formset initial); recent changes with their
    # actors; the registry's last change (the automatic 作成年月 preview)
    with django_assert_num_queries(8):
        assert admin_a.get(url(platform_a)).status_code == 200


# --- what it changes ---


@needs_pdftotext
def test_the_leaflet_prints_the_new_message_and_issue_label(admin_a, platform_a, org_a, tmp_path):
    response = admin_a.post(
        url(platform_a),
        form_data(
            platform_a,
            leaflet_message="ひとりで抱えずに、話せる場所を探してみませんか",
            leaflet_contact="問い合わせ先 A市 福祉政策課 000-1111-2222",
            issued_mode=ISSUED_FIXED,
            leaflet_issued_label="令和8年(2026年)4月作成",
        ),
    )
    assert response.status_code == 302
    text = pdf_text(
        follow_leaflet(admin_a, reverse("orgs:leaflet", args=[platform_a.slug])).content, tmp_path
    )
    assert "ひとりで抱えずに、話せる場所を探してみませんか" in text
    assert "問い合わせ先 A市 福祉政策課 000-1111-2222" in text
    assert "令和8年(2026年)4月作成" in text


def test_the_automatic_issue_label_is_the_month_of_the_last_registry_change(
    admin_a, platform_a, platform_b, org_a, org_b
):
    platform_a.leaflet_issued_label = "令和5年(2023年)3月作成"
    platform_a.save()
    # 23:30 on 31 March in Tokyo is still March there (14:30 UTC)
    with time_machine.travel(dt.datetime(2025, 3, 31, 23, 30, tzinfo=TOKYO), tick=False):
        org_services.organisation_update(
            organisation=org_a, platform=platform_a, actor=None, data={"hours": "平日 9:00～17:00"}
        )
    with time_machine.travel(dt.datetime(2025, 5, 20, 10, 0, tzinfo=TOKYO), tick=False):
        # never printed: a contact person; another platform's organisation
        org_services.contacts_replace(
            organisation=org_a, platform=platform_a, actor=None, contacts=[{"name": "担当花子"}]
        )
        org_services.organisation_update(
            organisation=org_b, platform=platform_b, actor=None, data={"hours": "随時"}
        )
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=TOKYO), tick=False):
        f.login_verified(admin_a, admin_a.user)  # weeks on: a fresh session
        page = admin_a.get(url(platform_a)).content.decode()
        assert "いまは「令和7年(2025年)3月作成」と印刷されます" in page  # the preview
        assert leaflet_source(platform=platform_a).issued_label == "令和5年(2023年)3月作成"  # fixed
        response = admin_a.post(url(platform_a), form_data(platform_a, issued_mode=ISSUED_AUTO))
        assert response.status_code == 302
        platform_a.refresh_from_db()
        assert platform_a.leaflet_issued_label == ""
        assert leaflet_source(platform=platform_a).issued_label == "令和7年(2025年)3月作成"


def test_without_history_the_automatic_label_is_this_month(platform_a):
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=TOKYO), tick=False):
        assert leaflet_source(platform=platform_a).issued_label == "令和8年(2026年)3月作成"


@needs_pdftotext
def test_the_platforms_site_address_wins_over_site_url(
    admin_a, platform_a, platform_b, org_a, settings, tmp_path
):
    from orgs.pdf import render_leaflet_pdf

    settings.SITE_URL = "https://tsunagu.example.jp"
    response = admin_a.post(
        url(platform_a), form_data(platform_a, site_url="https://tsunagu.city-a.example.jp/")
    )
    assert response.status_code == 302
    platform_a.refresh_from_db()
    assert platform_a.site_url == "https://tsunagu.city-a.example.jp"  # stored without the slash
    text = pdf_text(render_leaflet_pdf(platform=platform_a)[1], tmp_path)
    assert f"https://tsunagu.city-a.example.jp/d/{platform_a.slug}/" in text
    hsds = admin_a.get(reverse("directory:hsds", args=[platform_a.slug])).json()
    assert hsds["organizations"][0]["uri"].startswith("https://tsunagu.city-a.example.jp/d/")
    # another city on the same installation keeps the installation's address
    text_b = pdf_text(render_leaflet_pdf(platform=platform_b)[1], tmp_path)
    assert f"https://tsunagu.example.jp/d/{platform_b.slug}/" in text_b


def test_it_changes_the_name_and_the_secretariat_on_the_home_page(admin_a, platform_a):
    data = form_data(
        platform_a,
        name="A市つながりプラットフォーム",
        secretariat="A市社会福祉協議会（委託）",
        secretariat_phone="000-222-3333",
    )
    assert admin_a.post(url(platform_a), data).status_code == 302
    page = admin_a.get(reverse("platform-home", args=[platform_a.slug])).content.decode()
    for text in (
        "A市つながりプラットフォーム",
        "A市社会福祉協議会（委託）",
        "000-222-3333",
        "設定を保存しました",
    ):
        assert text in page


# --- membership targets per 年度 ---


def test_each_years_target_shows_on_the_home_panel_and_the_pipeline(
    admin_a, secretariat_a, platform_a, org_a
):
    membership = org_a.memberships.get()
    membership.joined_on = dt.date(2023, 5, 1)
    f.save_membership(membership)
    targets = {2023: 15, 2024: 18, 2025: 21, 2026: 24, 2027: 30}  # 北九州: 15 → 30 over five years
    assert admin_a.post(url(platform_a), form_data(platform_a, targets=targets)).status_code == 302
    assert (
        dict(MembershipTarget.objects.filter(platform=platform_a).values_list("fiscal_year", "target"))
        == targets
    )
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=TOKYO), tick=False):
        home = secretariat_a.get(reverse("platform-home", args=[platform_a.slug])).content.decode()
        assert "目標 21（令和7年度）" in home
        pipeline = secretariat_a.get(reverse("orgs:pipeline", args=[platform_a.slug]))
    assert [(y.year, y.target) for y in pipeline.context["years"]] == [(2023, 15), (2024, 18), (2025, 21)]
    body = pipeline.content.decode()
    assert "目標（令和7年度）" in body
    assert url(platform_a) not in body  # the secretariat cannot change targets: no link


def test_a_year_without_target_shows_none_on_the_home_panel(secretariat_a, platform_a, org_a):
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2027, target=30)
    with time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=TOKYO), tick=False):
        home = secretariat_a.get(reverse("platform-home", args=[platform_a.slug])).content.decode()
    assert "目標" not in home


def test_a_target_is_changed_and_removed_and_each_change_is_recorded(admin_a, platform_a):
    admin_a.post(url(platform_a), form_data(platform_a, targets={2025: 15, 2026: 18}))
    admin_a.post(url(platform_a), form_data(platform_a, targets={2026: 20}))
    assert dict(
        MembershipTarget.objects.filter(platform=platform_a).values_list("fiscal_year", "target")
    ) == {2026: 20}
    first, second = PlatformChange.objects.filter(platform=platform_a).order_by("id")
    assert first.action == second.action == "platform.target.set"
    assert first.changes == {"target.2025": [None, 15], "target.2026": [None, 18]}
    assert second.changes == {"target.2025": [15, None], "target.2026": [18, 20]}
    assert second.actor == admin_a.user
    page = admin_a.get(url(platform_a)).content.decode()
    assert "「令和7年度（2025）の参加団体数の目標」を「15」から「（なし）」に変更しました。" in page
    assert "参加団体数の目標を変更" in page


@pytest.mark.parametrize(
    "removal",
    [{"targets-0-DELETE": "on"}, {"targets-0-fiscal_year": "", "targets-0-target": ""}],
    ids=["marked", "cleared"],
)
def test_a_saved_row_marked_for_deletion_or_cleared_is_removed(admin_a, platform_a, removal):
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2025, target=15)
    MembershipTarget.objects.create(platform=platform_a, fiscal_year=2026, target=18)
    data = form_data(platform_a) | removal
    assert admin_a.post(url(platform_a), data).status_code == 302
    assert dict(MembershipTarget.objects.values_list("fiscal_year", "target")) == {2026: 18}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            {"targets-0-fiscal_year": "1999", "targets-0-target": "10"},
            "年度は2000〜2100の西暦で入力してください",
        ),
        ({"targets-0-fiscal_year": "令和8", "targets-0-target": "10"}, "年度は西暦の数字で入力してください"),
        ({"targets-0-fiscal_year": "2026", "targets-0-target": "0"}, "目標は1以上の整数で入力してください"),
        ({"targets-0-fiscal_year": "2026", "targets-0-target": "-3"}, "目標は1以上の整数で入力してください"),
        ({"targets-0-fiscal_year": "2026", "targets-0-target": ""}, "目標の団体数を入力してください"),
        ({"targets-0-fiscal_year": "", "targets-0-target": "12"}, "年度を入力してください"),
        (
            {
                "targets-0-fiscal_year": "2026",
                "targets-0-target": "10",
                "targets-1-fiscal_year": "2026",
                "targets-1-target": "12",
            },
            "同じ年度が2回あります",
        ),
    ],
)
def test_bad_targets_save_nothing(admin_a, platform_a, rows, message):
    data = form_data(platform_a, leaflet_message="保存されないはずの文言") | rows
    response = admin_a.post(url(platform_a), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    platform_a.refresh_from_db()
    assert platform_a.leaflet_message != "保存されないはずの文言"
    assert not MembershipTarget.objects.exists()
    assert not PlatformChange.objects.exists()


# --- bad settings ---


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "このフィールドは必須です"),
        ({"site_url": "http://tsunagu.city-a.example.jp"}, "https:// で始まる公開サイトのアドレス"),
        ({"site_url": "https://localhost:8000"}, "https:// で始まる公開サイトのアドレス"),
        ({"site_url": "https://tsunagu.example.jp/?utm=x"}, "? や # 以降"),
        ({"secretariat_phone": "でんわ"}, "電話番号は数字とハイフンで入力してください"),
        ({"issued_mode": ISSUED_FIXED, "leaflet_issued_label": ""}, "その表記を入力してください"),
        ({"issued_mode": "sometimes"}, "正しく選択してください"),
        ({"leaflet_title": "相談先\x07一覧"}, "使えない制御文字が含まれています"),
        ({"leaflet_contact": "x" * 201}, "200 文字以下"),
    ],
)
def test_bad_settings_save_nothing(admin_a, platform_a, changes, message):
    data = form_data(platform_a, targets={2026: 20}, leaflet_message="保存されないはずの文言", **changes)
    response = admin_a.post(url(platform_a), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    platform_a.refresh_from_db()
    assert platform_a.leaflet_message != "保存されないはずの文言"
    assert not MembershipTarget.objects.exists()
    assert not PlatformChange.objects.exists()
    assert platform_a.version == 1


# --- the audit trail and the version check ---


def test_a_settings_change_is_recorded_field_by_field(admin_a, platform_a):
    old_message = platform_a.leaflet_message
    data = form_data(platform_a, leaflet_message="新しいメッセージ", leaflet_title="相談先いちらん")
    assert admin_a.post(url(platform_a), data).status_code == 302
    change = PlatformChange.objects.get(platform=platform_a)
    assert change.action == "platform.settings.updated"
    assert change.actor == admin_a.user
    assert change.changes == {
        "leaflet_title": [platform_a.leaflet_title, "相談先いちらん"],
        "leaflet_message": [old_message, "新しいメッセージ"],
    }
    platform_a.refresh_from_db()
    assert platform_a.version == 2
    page = admin_a.get(url(platform_a)).content.decode()
    assert "プラットフォームの設定を変更" in page
    assert "「住民へのメッセージ」を「（空欄）」から「新しいメッセージ」に変更しました。" in page


def test_saving_without_changes_records_nothing(admin_a, platform_a):
    response = admin_a.post(url(platform_a), form_data(platform_a), follow=True)
    assert "変更はありませんでした" in response.content.decode()
    assert not PlatformChange.objects.exists()
    platform_a.refresh_from_db()
    assert platform_a.version == 1


def test_a_second_administrator_does_not_overwrite_the_first(admin_a, platform_a):
    other = f.make_user("admin_a2")
    f.make_role(other, platform_a, Role.ADMIN)
    second = _client_for(other)
    first_form = form_data(platform_a, leaflet_message="一人目のメッセージ")
    second_form = form_data(platform_a, leaflet_message="二人目のメッセージ", targets={2026: 99})
    assert admin_a.post(url(platform_a), first_form).status_code == 302
    response = second.post(url(platform_a), second_form)
    assert response.status_code == 409
    assert "他の管理者が変更しました" in response.content.decode()
    platform_a.refresh_from_db()
    assert platform_a.leaflet_message == "一人目のメッセージ"
    assert not MembershipTarget.objects.exists()
    assert PlatformChange.objects.count() == 1


def test_a_post_without_the_version_saves_nothing(admin_a, platform_a):
    data = form_data(platform_a, leaflet_message="版なし")
    del data["version"]
    response = admin_a.post(url(platform_a), data)
    assert response.status_code == 200
    assert "画面を開き直してから" in response.content.decode()
    platform_a.refresh_from_db()
    assert platform_a.leaflet_message != "版なし"
