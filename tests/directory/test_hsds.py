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
    assert service["phones"][0] == {
        **service["phones"][0],
        "number": "096-111-2222",
        "description": "LINE相談も可",
    }
    assert service["schedules"][0]["description"] == "平日 9:00～17:00"
    assert {lang["code"] for lang in service["languages"]} == {"ja", "en"}
    terms = {a["taxonomy_term"]["name"] for a in service["attributes"]}
    assert terms == {"孤独・孤立", "生活に困窮", "相談", "LGBTQ+ に詳しい"}
    assert any(a.get("value") == "lgbtq_expertise" for a in service["attributes"])
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


def _nulls(value, path="$"):
    """Every path holding JSON null: HSDS 3.0 types its fields as strings, arrays or objects."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return []


def test_it_follows_the_hsds_schema_shape(anon, platform_a, registry):
    """Required fields present and typed (no nulls); the LGBTQ+ mark is a taxonomy term like the others."""
    doc = anon.get(reverse("directory:hsds", args=[platform_a.slug])).json()
    assert _nulls(doc) == []
    by_name = {o["name"]: o for o in doc["organizations"]}
    for org in doc["organizations"]:  # organization: id, name, description required
        assert org["id"] and org["name"] and isinstance(org["description"], str) and org["description"]
        for service in org["services"]:  # service: id, name, status
            assert service["id"] and service["name"] and service["status"] == "active"
            for attribute in service["attributes"]:  # attribute: id, link_type (+ a term we publish)
                assert attribute["id"] and attribute["link_type"] and attribute["taxonomy_term_id"]
    # みどり食堂 wrote no activity: its description says what it is a place for
    assert "生活に困窮" in by_name["みどり食堂"]["description"]
    terms = {t["id"]: t for t in doc["taxonomy_terms"]}
    taxonomies = {t["id"] for t in doc["taxonomies"]}
    for term in terms.values():  # taxonomy_term: id, name, description
        assert term["name"] and isinstance(term["description"], str) and term["taxonomy_id"] in taxonomies
    aozora = by_name["あおぞら相談室"]["services"][0]
    lgbtq = [terms[a["taxonomy_term_id"]]["name"] for a in aozora["attributes"]]
    assert "LGBTQ+ に詳しい" in lgbtq
    assert not any(
        "LGBTQ" in terms[a["taxonomy_term_id"]]["name"]
        for a in by_name["みどり食堂"]["services"][0]["attributes"]
    )


def test_an_address_names_its_own_city_not_the_platforms(anon, platform_a, registry):
    """address: id, address_1, city, state_province, postal_code, country, address_type required.

    あおぞら相談室 is in 熊本市 although the platform is テスト市: printing テスト市 would be false data.
    """
    org = registry.listed
    org.address, org.postal_code = "熊本県熊本市中央区手取本町1-1", "860-0806"
    org.save()
    doc = anon.get(reverse("directory:hsds", args=[platform_a.slug])).json()
    address = doc["organizations"][0]["locations"][0]["addresses"][0]
    assert address == {
        **address,
        "address_1": "熊本県熊本市中央区手取本町1-1",
        "postal_code": "860-0806",
        "country": "JP",
        "address_type": "physical",
        "state_province": "熊本県",
    }
    assert address["city"] in ("", "熊本市")
    platform_a.municipality = "熊本市"
    platform_a.save()
    address = anon.get(reverse("directory:hsds", args=[platform_a.slug])).json()["organizations"][0][
        "locations"
    ][0]["addresses"][0]
    assert address["city"] == "熊本市"
