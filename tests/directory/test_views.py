"""The public directory: no login, per platform, only listed members, best matches first."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from orgs.models import Phone
from tests import factories as f
from tests.directory.registry import SECRET_WORDS


def index(platform) -> str:
    return reverse("directory:index", args=[platform.slug])


def org_url(platform, org) -> str:
    return reverse("directory:org", args=[platform.slug, org.pk])


def test_it_works_without_login(anon, platform_a, registry):
    response = anon.get(index(platform_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "<fieldset" in body and "<legend>" in body
    assert 'type="checkbox" name="worry"' in body
    assert "孤独・孤立" in body and "ひとりぼっちと感じる" in body
    assert "検索結果" not in body  # nothing chosen yet


def test_it_finds_by_two_worries_best_match_first(anon, platform_a, registry):
    response = anon.get(index(platform_a), {"worry": [registry.lonely.pk, registry.money.pk]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "検索結果 3件" in body
    # あおぞら相談室 matches both worries; then one-match orgs in kana order (アンシン, ミドリ)
    assert body.index("あおぞら相談室") < body.index("あんしんシェルター") < body.index("みどり食堂")
    assert "選んだ悩みのうち 2 つに対応" in body
    assert 'href="tel:0961112222"' in body
    # what happens when you call: once per card with a phone (the default line), none without one
    assert body.count("電話に出た人に") == 1 and body.count('class="expect"') == 1
    for secret in (*SECRET_WORDS, "B市フードバンク"):
        assert secret not in body, secret


def test_filters_language_lgbtq_and_word(anon, platform_a, registry):
    body = anon.get(index(platform_a), {"language": "en"}).content.decode()
    assert "検索結果 1件" in body and "あおぞら相談室" in body
    body = anon.get(index(platform_a), {"lgbtq": "on"}).content.decode()
    assert "検索結果 1件" in body
    body = anon.get(index(platform_a), {"q": "みどり"}).content.decode()
    assert "検索結果 1件" in body and "みどり食堂" in body
    body = anon.get(
        index(platform_a), {"q": "あおぞら"}
    ).content.decode()  # hiragana finds the kana reading too
    assert "あおぞら相談室" in body


def test_what_to_expect_is_the_organisations_own_line_when_written(anon, platform_a, registry):
    registry.other_listed.what_to_expect = "食べ物を受け取りに来てください。"
    registry.other_listed.save()
    body = anon.get(index(platform_a), {"worry": registry.money.pk}).content.decode()
    assert "食べ物を受け取りに来てください。" not in body  # no phone: no "when you call" line
    Phone.objects.create(organisation=registry.other_listed, number="096-222-3333")
    body = anon.get(index(platform_a), {"worry": registry.money.pk}).content.decode()
    assert body.count("食べ物を受け取りに来てください。") == 1
    assert "相談するとどうなる？" not in body


def test_bad_input_gets_a_japanese_message(anon, platform_a, registry):
    response = anon.get(index(platform_a), {"worry": "abc", "q": "x" * 60})
    assert response.status_code == 400
    body = response.content.decode()
    assert "入力を確かめてください" in body
    assert "選べない項目が含まれています" in body
    assert "50文字以内" in body
    assert "検索結果" not in body


def _tag(body: str, pattern: str) -> str:
    found = re.search(pattern, body, re.S)
    assert found is not None, pattern
    return found.group(0)


def test_a_refused_worry_is_described_on_its_group(anon, platform_a, registry):
    """The one error pattern for a group: its fieldset names the message, the boxes are invalid."""
    response = anon.get(index(platform_a), {"worry": "abc"})
    assert response.status_code == 400
    body = response.content.decode()
    fieldset = _tag(body, r'<fieldset class="worries"[^>]*>')
    assert 'aria-describedby="id_worry_error"' in fieldset
    assert re.search(r'id="id_worry_error"[^>]*>.*選べない項目が含まれています', body, re.S)
    boxes = re.findall(r'<input type="checkbox" name="worry"[^>]*>', body)
    assert boxes and all('aria-invalid="true"' in b for b in boxes)
    assert 'href="#id_worry_0"' in _tag(body, r'<div class="error-summary".*?</div>')


def test_a_search_word_over_the_limit_points_at_its_message(anon, platform_a, registry):
    response = anon.get(index(platform_a), {"q": "x" * 51})
    assert response.status_code == 400
    body = response.content.decode()
    box = _tag(body, r'<input[^>]*id="id_q"[^>]*>')
    assert 'aria-invalid="true"' in box
    described = re.search(r'aria-describedby="([^"]*)"', box)
    assert described is not None and "id_q_error" in described.group(1).split()
    assert re.search(r'id="id_q_error"[^>]*>.*ことばは50文字以内で入力してください。', body, re.S)
    assert 'href="#id_q"' in _tag(body, r'<div class="error-summary".*?</div>')
    assert "検索結果" not in body
    # at the limit, the search runs
    assert anon.get(index(platform_a), {"q": "x" * 50}).status_code == 200


def test_another_platforms_worry_id_is_refused(anon, platform_a, platform_b, registry):
    other = f.make_category(platform_b, name="B市の悩み")
    assert anon.get(index(platform_a), {"worry": other.pk}).status_code == 400


def test_no_match_says_so(anon, platform_a, registry):
    body = anon.get(index(platform_a), {"worry": registry.housing.pk}).content.decode()
    assert "検索結果 0件" in body and "見つかりませんでした" in body


def test_unpublished_platform_is_404(anon, platform_a, registry):
    platform_a.is_public = False
    platform_a.save()
    assert anon.get(index(platform_a)).status_code == 404
    assert anon.get(org_url(platform_a, registry.listed)).status_code == 404
    assert anon.get(reverse("directory:hsds", args=[platform_a.slug])).status_code == 404
    assert anon.get(reverse("directory:print", args=[platform_a.slug])).status_code == 404


def test_unknown_platform_is_404(anon, db):
    assert anon.get(reverse("directory:index", args=["nowhere"])).status_code == 404


def test_organisation_page_works(anon, platform_a, registry):
    response = anon.get(org_url(platform_a, registry.listed))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body and "あおぞら相談室" in body
    assert "096-111-2222" in body and "LINE相談も可" in body and "熊本市中央区手取本町1-1" in body
    for secret in SECRET_WORDS:
        assert secret not in body


def test_organisation_page_hides_private_address(anon, platform_a, registry):
    body = anon.get(org_url(platform_a, registry.shelter)).content.decode()
    assert "あんしんシェルター" in body and "24時間" in body
    assert "秘密町" not in body and "所在地" not in body


@pytest.mark.parametrize("which", ["unlisted", "candidate", "withdrawn"])
def test_unlisted_organisations_are_404(anon, platform_a, registry, which):
    assert anon.get(org_url(platform_a, getattr(registry, which))).status_code == 404


def test_other_platforms_organisation_is_404(anon, platform_a, registry, org_b):
    assert anon.get(org_url(platform_a, org_b)).status_code == 404
    assert anon.get(org_url(org_b.memberships.get().platform, org_b)).status_code == 200


def test_print_view_lists_everything_listed(anon, platform_a, registry):
    response = anon.get(reverse("directory:print", args=[platform_a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 団体" in body
    for name in ("あおぞら相談室", "あんしんシェルター", "みどり食堂"):
        assert name in body
    for secret in SECRET_WORDS:
        assert secret not in body


def test_print_view_keeps_the_search(anon, platform_a, registry):
    body = anon.get(
        reverse("directory:print", args=[platform_a.slug]), {"worry": registry.money.pk}
    ).content.decode()
    assert "2 団体" in body and "あんしんシェルター" not in body


def test_it_rejects_post(anon, platform_a, registry):
    assert anon.post(index(platform_a)).status_code == 405


def test_no_inline_scripts_or_styles(anon, platform_a, registry):
    body = anon.get(index(platform_a), {"worry": registry.lonely.pk}).content.decode()
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert "Content-Security-Policy" in anon.get(index(platform_a)).headers


def test_results_query_count_is_constant(anon, platform_a, registry, django_assert_num_queries):
    params = {"worry": [registry.lonely.pk, registry.money.pk]}
    # the directory's version (the page cache's key); platform; categories and offered
    # languages (the form); count; page of organisations; phones, categories, fields,
    # languages of that page
    with django_assert_num_queries(10):
        anon.get(index(platform_a), params)
    for n in range(40):
        f.make_org(platform_a, name=f"追加団体{n}", name_kana=f"ツイカダンタイ{n}").worry_categories.set(
            [registry.lonely]
        )
    with django_assert_num_queries(10):
        body = anon.get(index(platform_a), params).content.decode()
    assert "検索結果 43件" in body and "次の20件" in body and "1 / 3 ページ" in body


@pytest.mark.parametrize(
    "word", ["山田", "090-9999", "hanako", "秘密町", "ひみつの会", "こうほ", "やめた", "ヒミツ"]
)
def test_search_words_never_reach_unlisted_members_contacts_or_hidden_addresses(
    anon, platform_a, registry, word
):
    """A resident cannot probe for a contact person, a shelter's address or an unlisted member by typing it."""
    for path in (index(platform_a), reverse("directory:print", args=[platform_a.slug])):
        response = anon.get(path, {"q": word})
        assert response.status_code == 200
        body = response.content.decode().replace(
            f'value="{word}"', ""
        )  # the search box shows the words typed
        assert "あんしんシェルター" not in body and "あおぞら相談室" not in body
        for secret in SECRET_WORDS:
            assert secret not in body, (path, secret)


def test_a_language_only_an_unlisted_member_offers_is_not_offered(anon, platform_a, registry):
    from orgs.models import Language

    korean, _ = Language.objects.get_or_create(code="ko", defaults={"name": "韓国語"})
    registry.unlisted.languages.set([korean])
    registry.candidate.languages.set([korean])
    assert "韓国語" not in anon.get(index(platform_a)).content.decode()
    assert anon.get(index(platform_a), {"language": "ko"}).status_code == 400


@pytest.mark.parametrize("word", ["ＮＰＯ法人　あおぞら", "あおぞら 電話", "ｱｵｿﾞﾗ", "  あおぞら  "])
def test_words_as_residents_type_them(anon, platform_a, registry, word):
    """Full-width letters and spaces from a Japanese keyboard, several words (all must match), half-width kana."""
    body = anon.get(index(platform_a), {"q": word}).content.decode()
    assert "検索結果 1件" in body and "あおぞら相談室" in body


def test_several_words_must_all_match(anon, platform_a, registry):
    body = anon.get(index(platform_a), {"q": "あおぞら みどり"}).content.decode()
    assert "検索結果 0件" in body


def test_the_call_link_dials_numbers_written_with_full_width_digits_and_brackets(anon, platform_a, registry):
    from orgs.models import Phone

    Phone.objects.create(organisation=registry.other_listed, number="０９６（３３３）４４４４", note="")
    Phone.objects.create(organisation=registry.other_listed, number="+81 96-555-6666", note="")
    body = anon.get(org_url(platform_a, registry.other_listed)).content.decode()
    assert 'href="tel:0963334444"' in body and "０９６（３３３）４４４４" in body  # shown as written
    assert 'href="tel:+81965556666"' in body


@pytest.mark.parametrize("page", ["index", "org", "print"])
def test_the_secretariat_can_be_called_from_every_page(anon, platform_a, registry, page):
    """Organisations without a phone send residents to the secretariat: its number is a call link."""
    platform_a.leaflet_contact = "問い合わせ先 A市 福祉課"
    platform_a.secretariat_phone = "０００-１１１-２２２２"
    platform_a.save()
    path = {
        "index": index(platform_a),
        "org": org_url(platform_a, registry.other_listed),
        "print": reverse("directory:print", args=[platform_a.slug]),
    }[page]
    body = anon.get(path).content.decode()
    assert "問い合わせ先 A市 福祉課" in body
    assert '<a href="tel:0001112222" class="phone">０００-１１１-２２２２</a>' in body


def test_odd_input_never_breaks_the_pages(anon, platform_a, registry):
    """Out-of-range ids (a 500 on PostgreSQL's integer columns if they reached it), odd pages, a huge list."""
    assert anon.get(f"/d/{platform_a.slug}/o/{'9' * 30}/").status_code == 404
    assert anon.get(index(platform_a), {"worry": "9" * 30}).status_code == 400
    assert anon.get(index(platform_a), {"worry": registry.lonely.pk, "page": "9" * 30}).status_code == 200
    assert anon.get(index(platform_a), {"worry": [registry.lonely.pk] * 500}).status_code == 200
    assert anon.get(reverse("directory:print", args=[platform_a.slug]), {"page": "x"}).status_code == 200
