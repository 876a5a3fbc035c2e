"""Staff list /p/<platform>/orgs/: 五十音 order, filters, pagination, constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from orgs.models import ActivityField, Language, MembershipStatus
from tests import factories as f


def url(platform) -> str:
    return reverse("orgs:list", args=[platform.slug])


def names(response) -> list[str]:
    return [m.organisation.name for m in response.context["page"].object_list]


def test_it_works(secretariat_a, platform_a, org_a, other_org_a, org_b):
    response = secretariat_a.get(url(platform_a))
    assert response.status_code == 200
    assert names(response) == ["あおぞら相談室", "みどり食堂"]
    assert "B市フードバンク" not in response.content.decode()


def test_it_requires_login(anon, platform_a):
    response = anon.get(url(platform_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_other_platform(secretariat_b, platform_a):
    assert secretariat_b.get(url(platform_a)).status_code == 404


def test_coordinators_may_read_it(coordinator_a, platform_a, org_a):
    assert coordinator_a.get(url(platform_a)).status_code == 200


def test_it_sorts_by_reading_not_code_point(secretariat_a, platform_a):
    # Kanji code points would put 北 before 熊 before 愛; readings say ア, ク, ホ.
    f.make_org(platform_a, name="北の家", name_kana="ホクノイエ")
    f.make_org(platform_a, name="熊の会", name_kana="クマノカイ")
    f.make_org(platform_a, name="愛の会", name_kana="アイノカイ")
    f.make_org(platform_a, name="グループ", name_kana="グループ")
    assert names(secretariat_a.get(url(platform_a))) == ["愛の会", "熊の会", "グループ", "北の家"]


def test_it_matches_hiragana_input_against_the_reading(secretariat_a, platform_a, org_a, other_org_a):
    response = secretariat_a.get(url(platform_a), {"q": "みどり"})
    assert names(response) == ["みどり食堂"]
    response = secretariat_a.get(url(platform_a), {"q": "あおぞらそうだん"})  # hiragana → アオゾラソウダン
    assert names(response) == ["あおぞら相談室"]
    response = secretariat_a.get(url(platform_a), {"q": "ｱｵｿﾞﾗ"})  # half-width katakana
    assert names(response) == ["あおぞら相談室"]


def test_it_filters_by_category_field_language_lgbtq_status_and_core(
    secretariat_a, platform_a, org_a, other_org_a
):
    cat = f.make_category(platform_a, name="生活に困窮")
    field = ActivityField.objects.create(platform=platform_a, name="食支援")
    lang = Language.objects.create(code="vi", name="ベトナム語")
    other_org_a.worry_categories.add(cat)
    other_org_a.activity_fields.add(field)
    org_a.languages.add(lang)
    org_a.lgbtq_support = True
    org_a.save()
    candidate = f.make_org(
        platform_a,
        name="候補の会",
        name_kana="コウホノカイ",
        membership={"status": MembershipStatus.CANDIDATE},
    )
    core = f.make_org(platform_a, name="コアの会", name_kana="コアノカイ", membership={"is_core": True})
    assert names(secretariat_a.get(url(platform_a), {"worry_category": cat.pk})) == ["みどり食堂"]
    assert names(secretariat_a.get(url(platform_a), {"activity_field": field.pk})) == ["みどり食堂"]
    assert names(secretariat_a.get(url(platform_a), {"language": lang.pk})) == ["あおぞら相談室"]
    assert names(secretariat_a.get(url(platform_a), {"lgbtq": "on"})) == ["あおぞら相談室"]
    assert names(secretariat_a.get(url(platform_a), {"status": "candidate"})) == [candidate.name]
    assert names(secretariat_a.get(url(platform_a), {"core": "on"})) == [core.name]


def test_it_ignores_another_platforms_category_as_filter(secretariat_a, platform_a, platform_b, org_a):
    cat_b = f.make_category(platform_b, name="B市のカテゴリ")
    org_a.worry_categories.add(cat_b)
    response = secretariat_a.get(url(platform_a), {"worry_category": cat_b.pk})
    assert response.status_code == 200
    assert response.context["form"].errors  # not a choice of this platform
    assert "B市のカテゴリ" not in response.content.decode()


def test_it_shows_columns(secretariat_a, platform_a, org_a):
    cat = f.make_category(platform_a, name="孤独・孤立")
    org_a.worry_categories.add(cat)
    org_a.languages.add(Language.objects.create(code="en", name="英語"))
    org_a.verified_on = dt.date(2025, 1, 20)
    org_a.lgbtq_support = True
    org_a.save()
    m = org_a.memberships.get()
    m.joined_on, m.is_core = dt.date(2024, 6, 1), True
    f.save_membership(m)
    body = secretariat_a.get(url(platform_a)).content.decode()
    for text in [
        "NPO法人 あおぞら相談室",
        "孤独・孤立",
        "英語",
        "LGBTQ+",
        "参加",
        "コア",
        "令和6年度",
        "2025-01-20",
    ]:
        assert text in body


def test_it_paginates_by_50(secretariat_a, platform_a):
    for i in range(51):
        f.make_org(platform_a, name=f"団体{i:02}", name_kana=f"ダンタイ{i:02}")
    first = secretariat_a.get(url(platform_a))
    assert len(first.context["page"].object_list) == 50
    second = secretariat_a.get(url(platform_a), {"page": 2})
    assert names(second) == ["団体50"]


def _many(platform, n: int) -> None:
    cat = f.make_category(platform)
    lang = Language.objects.get_or_create(code="en", defaults={"name": "英語"})[0]
    for _ in range(n):
        org = f.make_org(platform)
        org.worry_categories.add(cat)
        org.languages.add(lang)


# Expected queries: session, user, 2FA device, platform, role, COUNT(*), page rows (membership ⋈ organisation),
# prefetch worry categories, prefetch languages, and the three filter choice lists
# (categories, activity fields, languages).
LIST_QUERIES = 12


@pytest.mark.parametrize("n", [3, 60])
def test_its_query_count_does_not_grow(secretariat_a, platform_a, django_assert_num_queries, n):
    _many(platform_a, n)
    with django_assert_num_queries(LIST_QUERIES):
        response = secretariat_a.get(url(platform_a))
    assert response.status_code == 200


def test_its_query_count_with_filters(secretariat_a, platform_a, django_assert_num_queries):
    _many(platform_a, 5)
    cat = platform_a.worry_categories.get()
    # LIST_QUERIES + validating the chosen category against this platform's list + the platform's
    # categories and activity fields whose texts the words may match (orgs.searchtext).
    with django_assert_num_queries(LIST_QUERIES + 3):
        response = secretariat_a.get(url(platform_a), {"worry_category": cat.pk, "q": "テスト", "core": ""})
    assert response.status_code == 200


def test_filter_checkboxes_sit_inside_their_labels(secretariat_a, platform_a):
    html = secretariat_a.get(url(platform_a)).content.decode()
    assert '<label class="check" for="id_lgbtq"><input type="checkbox" name="lgbtq"' in html
    assert '<label class="check" for="id_core"><input type="checkbox" name="core"' in html
