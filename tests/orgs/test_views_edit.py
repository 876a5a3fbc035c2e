"""Edit /p/<platform>/orgs/<pk>/edit/: any org for the secretariat, only their own for a
coordinator; phones and contacts as formsets; a version check against lost updates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from orgs.models import ContactPerson, Organisation, OrgChange, Phone
from tests import factories as f


def url(platform, org) -> str:
    return reverse("orgs:edit", args=[platform.slug, org.pk])


def payload(
    org: Organisation,
    phones: list[dict[str, str]] | None = None,
    contacts: list[dict[str, str]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """What the browser posts: the entry as it stands, plus the formsets' management forms."""
    data: dict[str, Any] = {
        "version": org.version,
        "name": org.name,
        "name_kana": org.name_kana,
        "legal_form": org.legal_form,
        "ref": org.ref,
        "corporate_number": org.corporate_number,
        "website": org.website,
        "email": org.email,
        "postal_code": org.postal_code,
        "address": org.address,
        "hours": org.hours,
        "activity": org.activity,
        "what_to_expect": org.what_to_expect,
        "worry_categories": [c.pk for c in org.worry_categories.all()],
        "activity_fields": [a.pk for a in org.activity_fields.all()],
        "languages": [lang.pk for lang in org.languages.all()],
    }
    for flag in ("address_private", "lgbtq_support", "public_listing"):
        if getattr(org, flag):
            data[flag] = "on"
    for prefix, rows in (("phones", phones or []), ("contacts", contacts or [])):
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for i, row in enumerate(rows):
            data |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    data.update(overrides)
    return data


def test_it_works(secretariat_a, platform_a, other_org_a):
    response = secretariat_a.get(url(platform_a, other_org_a))
    assert response.status_code == 200
    data = payload(
        other_org_a,
        phones=[{"number": "093-111-2222", "note": "LINE相談も可"}],
        hours="平日 9:00～17:00",
        name_kana="みどりしょくどう",
    )
    response = secretariat_a.post(url(platform_a, other_org_a), data)
    assert response.status_code == 302
    other_org_a.refresh_from_db()
    assert other_org_a.hours == "平日 9:00～17:00"
    assert other_org_a.name_kana == "ミドリショクドウ"  # hiragana typed, katakana stored
    assert other_org_a.version == 2
    assert [str(p) for p in other_org_a.phones.all()] == ["093-111-2222 LINE相談も可"]


def test_a_coordinator_edits_their_own_organisation(coordinator_a, platform_a, org_a):
    response = coordinator_a.post(
        url(platform_a, org_a), payload(org_a, activity="食支援を始めました", ref="HACK-1")
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.activity == "食支援を始めました"
    assert org_a.ref == ""  # the import key is not theirs to change


def test_it_requires_login(anon, platform_a, org_a):
    response = anon.get(url(platform_a, org_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a, org_a):
    assert secretariat_b.get(url(platform_a, org_a)).status_code == 404
    assert secretariat_b.post(url(platform_a, org_a), payload(org_a, hours="x")).status_code == 404
    org_a.refresh_from_db()
    assert org_a.hours == ""


def test_it_requires_capability(coordinator_a, platform_a, other_org_a):
    """A coordinator may not edit another organisation of the same platform."""
    assert coordinator_a.get(url(platform_a, other_org_a)).status_code == 403
    assert (
        coordinator_a.post(url(platform_a, other_org_a), payload(other_org_a, hours="x")).status_code == 403
    )
    other_org_a.refresh_from_db()
    assert other_org_a.hours == ""


def test_it_writes_history(secretariat_a, platform_a, other_org_a):
    secretariat_a.post(
        url(platform_a, other_org_a),
        payload(other_org_a, hours="随時", contacts=[{"name": "佐藤一郎", "title": "事務局長"}]),
    )
    changes = {c.action: c for c in OrgChange.objects.filter(organisation=other_org_a)}
    assert changes["orgs.organisation.updated"].changes == {"hours": ["", "随時"]}
    assert changes["orgs.organisation.updated"].actor == secretariat_a.user
    assert changes["orgs.contacts.updated"].changes == {"contacts_count": [0, 1]}
    assert "佐藤" not in str(changes["orgs.contacts.updated"].changes)


def test_it_saves_and_deletes_contact_persons(secretariat_a, platform_a, org_a):
    ContactPerson.objects.create(organisation=org_a, name="旧担当", order=0)
    data = payload(
        org_a, contacts=[{"name": "旧担当", "DELETE": "on"}, {"name": "新担当", "email": "new@example.jp"}]
    )
    assert secretariat_a.post(url(platform_a, org_a), data).status_code == 302
    assert list(org_a.contacts.values_list("name", "email")) == [("新担当", "new@example.jp")]


def test_bad_input_saves_nothing_and_says_why(secretariat_a, platform_a, org_a):
    data = payload(org_a, name_kana="漢字の読み", phones=[{"number": "abc", "note": ""}], hours="変えたい")
    response = secretariat_a.post(url(platform_a, org_a), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "保存されていません" in body
    assert "電話番号は数字とハイフンで入力してください" in body
    org_a.refresh_from_db()
    assert (org_a.hours, org_a.version, Phone.objects.count(), OrgChange.objects.count()) == ("", 1, 0, 0)


def test_a_model_rule_from_the_service_comes_back_as_a_message(secretariat_a, platform_a, org_a):
    response = secretariat_a.post(url(platform_a, org_a), payload(org_a, name_kana="漢字", hours="変えたい"))
    assert response.status_code == 200
    assert "名称カナはカタカナで入力してください" in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.hours == ""


def test_it_offers_only_this_platforms_categories(secretariat_a, platform_a, platform_b, org_a):
    mine = f.make_category(platform_a, name="孤独・孤立")
    theirs = f.make_category(platform_b, name="B市の分類")
    body = secretariat_a.get(url(platform_a, org_a)).content.decode()
    assert "孤独・孤立" in body and "B市の分類" not in body
    response = secretariat_a.post(
        url(platform_a, org_a), payload(org_a, worry_categories=[mine.pk, theirs.pk])
    )
    assert response.status_code == 200
    assert not org_a.worry_categories.exists()
    assert (
        secretariat_a.post(url(platform_a, org_a), payload(org_a, worry_categories=[mine.pk])).status_code
        == 302
    )
    assert list(org_a.worry_categories.all()) == [mine]


def test_it_keeps_another_platforms_categories(secretariat_a, platform_a, platform_b, org_a):
    theirs = f.make_category(platform_b, name="B市の分類")
    org_a.worry_categories.add(theirs)
    secretariat_a.post(url(platform_a, org_a), payload(org_a, worry_categories=[]))
    assert list(org_a.worry_categories.all()) == [theirs]


def test_two_edits_from_the_same_version_do_not_overwrite_each_other(
    secretariat_a, admin_a, platform_a, org_a
):
    first = payload(org_a, hours="平日 9:00～17:00")
    second = payload(org_a, hours="随時", phones=[{"number": "096-999-9999", "note": ""}])
    assert secretariat_a.post(url(platform_a, org_a), first).status_code == 302
    response = admin_a.post(url(platform_a, org_a), second)
    assert response.status_code == 409
    assert "他の人が更新しました" in response.content.decode()
    assert "最新の内容で編集画面を開き直す" in response.content.decode()
    org_a.refresh_from_db()
    assert (org_a.hours, org_a.version) == ("平日 9:00～17:00", 2)
    assert not org_a.phones.exists()
    assert OrgChange.objects.filter(organisation=org_a).count() == 1


def test_a_phone_only_edit_also_bumps_the_version(secretariat_a, admin_a, platform_a, org_a):
    first = payload(org_a, phones=[{"number": "096-111-1111", "note": ""}])
    second = payload(org_a, contacts=[{"name": "別の担当"}])
    assert secretariat_a.post(url(platform_a, org_a), first).status_code == 302
    assert admin_a.post(url(platform_a, org_a), second).status_code == 409
    assert not org_a.contacts.exists()


def test_checkbox_groups_are_named_by_a_legend_before_their_choices(secretariat_a, platform_a, org_a):
    """A group of checkboxes is a fieldset whose legend comes first (WCAG 1.3.1); a single
    checkbox sits inside its own label. Before: the group's label was printed after its
    choices, right above the next group, so 「悩みのカテゴリ:」 seemed to name the activity fields."""
    f.make_category(platform_a, name="生活に困窮")
    html = secretariat_a.get(url(platform_a, org_a)).content.decode()
    legend = html.index("<legend>悩みのカテゴリ</legend>")
    assert legend < html.index("生活に困窮") < html.index("<legend>活動分野</legend>")
    assert '<label class="check" for="id_lgbtq_support"><input type="checkbox" name="lgbtq_support"' in html


def test_control_characters_pasted_from_word_are_not_saved(secretariat_a, platform_a, org_a):
    """Word's line break (U+000B) becomes a line break; other control characters go (XLSX
    cannot hold them, and the export failed on them)."""
    data = payload(org_a, activity="食支援\x0bあり\x1b", contacts=[{"name": "山田\x07 花子"}])
    assert secretariat_a.post(url(platform_a, org_a), data).status_code == 302
    org_a.refresh_from_db()
    assert org_a.activity == "食支援\nあり"
    assert [c.name for c in org_a.contacts.all()] == ["山田 花子"]


def test_the_edit_forms_save_button_is_at_the_top_as_well(secretariat_a, platform_a, org_a):
    page = secretariat_a.get(reverse("orgs:edit", args=[platform_a.slug, org_a.pk])).content.decode()
    form = page[page.index('<form method="post"') :]
    assert form.count('<button type="submit" class="primary">保存する</button>') == 2
    assert form.index("保存する") < form.index('name="name"')  # before the first field
