"""The platform's worry categories and activity fields, kept by the secretariat."""

from django.urls import reverse

from orgs.models import ActivityField, WorryCategory
from tests import factories as f


def url(platform, kind="worries"):
    return reverse("orgs:categories", args=[platform.slug, kind])


def management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_unknown_kind_is_404(secretariat_a, platform_a):
    assert secretariat_a.get(url(platform_a, "colours")).status_code == 404


def test_it_lists_only_this_platforms_categories(secretariat_a, platform_a, platform_b):
    f.make_category(platform_a, name="生活に困窮")
    f.make_category(platform_b, name="B市だけの悩み")
    page = secretariat_a.get(url(platform_a)).content.decode()
    assert "生活に困窮" in page
    assert "B市だけの悩み" not in page


def test_it_adds_renames_and_reorders(secretariat_a, platform_a):
    cat = f.make_category(platform_a, name="孤独", order=0)
    data = management("worries", 2, 1) | {
        "worries-0-id": cat.pk,
        "worries-0-name": "孤独・孤立",
        "worries-0-description": "",
        "worries-0-order": "5",
        "worries-1-name": "住まい",
        "worries-1-description": "住む場所に困っている",
        "worries-1-order": "1",
    }
    response = secretariat_a.post(url(platform_a), data)
    assert response.status_code == 302
    names = list(WorryCategory.objects.filter(platform=platform_a).values_list("name", flat=True))
    assert names == ["住まい", "孤独・孤立"]  # ordered by 表示順


def test_a_category_in_use_cannot_be_deleted(secretariat_a, platform_a, org_a):
    cat = f.make_category(platform_a, name="孤独・孤立")
    org_a.worry_categories.add(cat)
    data = management("worries", 1, 1) | {
        "worries-0-id": cat.pk,
        "worries-0-name": cat.name,
        "worries-0-order": "0",
        "worries-0-DELETE": "on",
    }
    response = secretariat_a.post(url(platform_a), data)
    assert response.status_code == 200
    assert "1 団体が使っているため削除できません" in response.content.decode()
    assert WorryCategory.objects.filter(pk=cat.pk).exists()


def test_an_unused_field_is_deleted(secretariat_a, platform_a):
    field = ActivityField.objects.create(platform=platform_a, name="食支援", mark="食")
    data = management("fields", 1, 1) | {
        "fields-0-id": field.pk,
        "fields-0-name": field.name,
        "fields-0-mark": "食",
        "fields-0-order": "0",
        "fields-0-DELETE": "on",
    }
    assert secretariat_a.post(url(platform_a, "fields"), data).status_code == 302
    assert not ActivityField.objects.filter(pk=field.pk).exists()


def test_duplicate_names_save_nothing(secretariat_a, platform_a):
    data = management("worries", 2, 0) | {
        "worries-0-name": "仕事",
        "worries-0-order": "0",
        "worries-1-name": "仕事",
        "worries-1-order": "1",
    }
    response = secretariat_a.post(url(platform_a), data)
    assert response.status_code == 200
    assert "同じ名前が二つあります" in response.content.decode()
    assert not WorryCategory.objects.filter(platform=platform_a).exists()


def test_another_platforms_category_cannot_be_edited_through_this_one(secretariat_a, platform_a, platform_b):
    theirs = f.make_category(platform_b, name="B市の悩み")
    data = management("worries", 1, 1) | {
        "worries-0-id": theirs.pk,
        "worries-0-name": "書き換え",
        "worries-0-order": "0",
    }
    secretariat_a.post(url(platform_a), data)
    theirs.refresh_from_db()
    assert theirs.name == "B市の悩み"
