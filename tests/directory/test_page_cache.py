"""The public directory's pages cost almost nothing while the registry does not change: a
conditional request answers 304, and a resident's request is served from the page cache; any
edit of what the page shows gives a new ETag and a fresh page. Signed-in people are never
served a cached page (theirs shows their name), and nothing personal is ever cached."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.urls import reverse

from orgs import services as org_services
from orgs.models import Organisation
from tests import factories as f
from tests.directory.registry import SECRET_WORDS, build


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CACHES = settings.CACHES | {
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"}
    }
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


@pytest.fixture
def registry(platform_a, org_a, other_org_a, org_b):
    return build(platform_a, org_a, other_org_a)


def index(platform) -> str:
    return reverse("directory:index", args=[platform.slug])


def test_a_repeat_is_served_from_the_cache(anon, platform_a, registry, django_assert_num_queries):
    params = {"worry": [registry.lonely.pk]}
    first = anon.get(index(platform_a), params)
    assert first.status_code == 200 and first["Cache-Control"] == "public, no-cache"
    assert first["ETag"] and first["Last-Modified"]
    # only the version is read (one query: platform, last registry change, memberships)
    with django_assert_num_queries(1):
        again = anon.get(index(platform_a), params)
    assert again.status_code == 200 and again.content == first.content and again["ETag"] == first["ETag"]
    assert "Content-Security-Policy" in again.headers  # the middleware still adds its headers


def test_if_none_match_answers_304(anon, platform_a, registry):
    etag = anon.get(index(platform_a))["ETag"]
    response = anon.get(index(platform_a), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    other = anon.get(index(platform_a), {"q": "食堂"}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200  # another search, another page


def test_an_edit_shows_at_once(anon, admin_a, platform_a, registry):
    org_page = reverse("directory:org", args=[platform_a.slug, registry.listed.pk])
    first = anon.get(org_page)
    org = Organisation.objects.get(pk=registry.listed.pk)
    org_services.organisation_update(
        organisation=org, platform=platform_a, actor=admin_a.user, data={"activity": "新しい活動の説明"}
    )
    again = anon.get(org_page)
    assert again["ETag"] != first["ETag"]
    assert "新しい活動の説明" in again.content.decode()
    assert anon.get(org_page, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_new_member_shows_at_once(anon, platform_a, registry):
    first = anon.get(index(platform_a), {"q": "架空のあたらしい会"})
    made = f.make_org(platform_a, name="架空のあたらしい会", name_kana="カクウノアタラシイカイ")
    made.worry_categories.set([registry.lonely])
    again = anon.get(index(platform_a), {"q": "架空のあたらしい会"})
    assert again["ETag"] != first["ETag"] and "架空のあたらしい会" in again.content.decode()


def test_signed_in_people_get_their_own_page_uncached(secretariat_a, anon, platform_a, registry, page_cache):
    anon.get(index(platform_a))
    mine = secretariat_a.get(index(platform_a))
    assert "ETag" not in mine and "ログアウト" in mine.content.decode()
    assert not any("ログアウト".encode() in v for v in page_cache._cache.values())
    assert "ログアウト" not in anon.get(index(platform_a)).content.decode()


def test_nothing_personal_is_cached(anon, platform_a, registry, page_cache):
    for path in (index(platform_a), reverse("directory:print", args=[platform_a.slug])):
        for params in ({}, {"q": "山田"}, {"worry": [registry.lonely.pk]}):
            anon.get(path, params)
    blob = b"".join(page_cache._cache.values())  # LocMemCache keeps each value pickled
    assert b"<html" in blob  # pages were cached
    for word in SECRET_WORDS:
        assert word.encode() not in blob


def test_a_public_page_sets_no_cookie(anon, platform_a, registry):
    """Nothing on a resident's page makes a CSRF token (it has no form to post), so no cookie
    is set and the page can be kept by the cache and by shared proxies."""
    for params in ({}, {"worry": [registry.lonely.pk]}, {"q": "食堂"}):
        first = anon.get(index(platform_a), params)
        again = anon.get(index(platform_a), params)
        assert first.status_code == again.status_code == 200
        assert not first.cookies and not again.cookies
        assert not anon.cookies
