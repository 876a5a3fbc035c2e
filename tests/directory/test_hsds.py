"""Open data: the directory as Open Referral HSDS 3.0 shaped JSON."""

from __future__ import annotations

import json

from django.urls import reverse

from tests.directory.registry import SECRET_WORDS


def test_it_publishes_listed_members_as_hsds(anon, platform_a, registry, django_assert_num_queries):
    url = reverse("directory:hsds", args=[platform_a.slug])
    # platform; categories and fields (taxonomy); organisations, phones, categories, fields, languages
    with django_assert_num_queries(8):
        response = anon.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["hsds_version"] == "3.0"
    assert doc["total_items"] == 3
    names = [o["name"] for o in doc["organizations"]]
    assert names == ["あおぞら相談室", "あんしんシェルター", "みどり食堂"]  # 五十音 order
    aozora = doc["organizations"][0]
    assert aozora["legal_status"] == "NPO法人"
    assert aozora["contacts"] == []
    service = aozora["services"][0]
    assert service["organization_id"] == aozora["id"]
    assert service["phones"][0] == {**service["phones"][0], "number": "096-111-2222", "description": "LINE相談も可"}
    assert service["schedules"][0]["description"] == "平日 9:00～17:00"
    assert {lang["code"] for lang in service["languages"]} == {"ja", "en"}
    terms = {a["taxonomy_term"]["name"] for a in service["attributes"] if a["taxonomy_term"]}
    assert terms == {"孤独・孤立", "生活に困窮", "相談"}
    assert any(a["value"] == "lgbtq_expertise" for a in service["attributes"])
    assert aozora["locations"][0]["addresses"][0]["address_1"] == "熊本市中央区手取本町1-1"
    assert aozora["uri"].endswith(reverse("directory:org", args=[platform_a.slug, registry.listed.pk]))
    shelter = doc["organizations"][1]
    assert shelter["locations"] == []
    assert {t["name"] for t in doc["taxonomy_terms"]} >= {"孤独・孤立", "生活に困窮", "住まい"}


def test_it_never_publishes_secrets_or_other_platforms(anon, platform_a, registry):
    text = json.dumps(anon.get(reverse("directory:hsds", args=[platform_a.slug])).json(), ensure_ascii=False)
    for secret in (*SECRET_WORDS, "B市フードバンク"):
        assert secret not in text, secret


def test_ids_are_stable(anon, platform_a, registry):
    url = reverse("directory:hsds", args=[platform_a.slug])
    first, second = anon.get(url).json(), anon.get(url).json()
    assert [o["id"] for o in first["organizations"]] == [o["id"] for o in second["organizations"]]
