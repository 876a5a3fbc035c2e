"""The HSDS 3.0 API: every response validated against the standard's own schemas.

The schemas are read from ../shared/standards/hsds-3.0/ (never copied into the project): each
endpoint's response is checked against the response schema its openapi.json declares for that
path, so the list envelope (Page: total_items, total_pages, …) and the items of `contents`
(compiled/service_list.json, compiled/organization_list.json, taxonomy.json …) are both
checked, and `/services/{id}` against compiled/service.json. The openapi document names the
schemas by their published addresses; the registry below maps those to the local files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from orgs.hsds import hsds_id
from orgs.models import Phone
from orgs.searchtext import search_text_refresh
from tests.directory.registry import SECRET_WORDS

STANDARD = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "hsds-3.0"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _registry() -> Registry:
    resources = []
    for path in [*STANDARD.glob("*.json"), *STANDARD.glob("compiled/*.json")]:
        relative = path.relative_to(STANDARD).as_posix()
        resource = Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)
        resources.append((PUBLISHED + relative, resource))
    return Registry().with_resources(resources)


REGISTRY = _registry() if STANDARD.exists() else None


def validate(path: str, document: Any) -> None:
    """Validate against the 200 response schema of `path` in the standard's openapi.json."""
    if REGISTRY is None:
        pytest.fail(f"the HSDS 3.0 schemas are missing: {STANDARD}")
    pointer = "/".join(
        ["#", "paths", path.replace("/", "~1"), "get", "responses", "200", "content"]
        + ["application~1json", "schema"]
    )
    validator = Draft202012Validator(
        {"$ref": PUBLISHED + "openapi.json" + pointer}, registry=REGISTRY, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


ENVELOPE = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def api(client, name: str, platform, **params: Any):
    kwargs = {"platform": platform.slug} | ({"pk": params.pop("pk")} if "pk" in params else {})
    return client.get(reverse(f"hsds:{name}", kwargs=kwargs), params)


def test_the_root_says_version_and_profile(anon, platform_a, registry):
    response = api(anon, "root", platform_a)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    validate("/", response.json())
    assert response.json()["version"] == "3.0"


def test_services_are_paginated_in_the_standards_envelope(anon, platform_a, registry):
    first = api(anon, "services", platform_a, per_page=2).json()
    validate("/services", first)
    assert set(first) >= ENVELOPE
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (3, 2, 1, 2)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    second = api(anon, "services", platform_a, per_page=2, page=2).json()
    validate("/services", second)
    assert (second["page_number"], second["first_page"], second["last_page"]) == (2, False, True)
    names = [s["name"] for s in first["contents"] + second["contents"]]
    assert names == ["あおぞら相談室", "あんしんシェルター", "みどり食堂"]  # each once, 五十音 order
    beyond = api(anon, "services", platform_a, per_page=2, page=3).json()
    validate("/services", beyond)
    assert beyond["empty"] is True and beyond["contents"] == []
    service = first["contents"][0]
    assert service["organization"]["id"] == service["organization_id"]


def test_services_filter_by_search_and_taxonomy_term(anon, platform_a, registry):
    found = api(anon, "services", platform_a, search="ＬＩＮＥ").json()  # a phone note, typed full width
    validate("/services", found)
    assert [s["name"] for s in found["contents"]] == ["あおぞら相談室"]
    money = hsds_id("term", platform_a.pk, "worry", registry.money.pk)
    by_term = api(anon, "services", platform_a, taxonomy_term_id=money).json()
    assert {s["name"] for s in by_term["contents"]} == {"あおぞら相談室", "みどり食堂"}
    lgbtq = hsds_id("term", platform_a.pk, "support", "lgbtq")
    assert [
        s["name"] for s in api(anon, "services", platform_a, taxonomy_term_id=lgbtq).json()["contents"]
    ] == ["あおぞら相談室"]
    org_id = hsds_id("organization", registry.shelter.pk)
    assert [
        s["name"] for s in api(anon, "services", platform_a, organization_id=org_id).json()["contents"]
    ] == ["あんしんシェルター"]
    full = api(anon, "services", platform_a, full="true").json()
    validate("/services", full)
    assert all("phones" in s for s in full["contents"])


def test_a_service_is_the_full_compiled_shape_with_its_location_and_half_width_phones(
    anon, platform_a, registry
):
    Phone.objects.create(
        organisation=registry.listed, number="０９６－３３３－４４４４", note="夜間", order=1
    )
    search_text_refresh(ids=[registry.listed.pk])
    sid = hsds_id("service", platform_a.pk, registry.listed.pk)
    response = api(anon, "service", platform_a, pk=sid)
    assert response.status_code == 200
    service = response.json()
    validate("/services/{id}", service)
    assert [p["number"] for p in service["phones"]] == ["096-111-2222", "096-333-4444"]
    (link,) = service["service_at_locations"]
    assert link["service_id"] == sid and link["location"]["id"] == link["location_id"]
    assert link["location"]["addresses"][0]["address_1"] == "熊本市中央区手取本町1-1"
    assert service["organization"]["name"] == "あおぞら相談室"
    assert service["contacts"] == []
    shelter = api(
        anon, "service", platform_a, pk=hsds_id("service", platform_a.pk, registry.shelter.pk)
    ).json()
    validate("/services/{id}", shelter)
    assert shelter["service_at_locations"] == []  # a hidden address is never published


def test_organizations_list_and_detail_validate(anon, platform_a, registry):
    page = api(anon, "organizations", platform_a).json()
    validate("/organizations", page)
    assert page["total_items"] == 3 and set(page) >= ENVELOPE
    org = api(anon, "organization", platform_a, pk=hsds_id("organization", registry.listed.pk)).json()
    validate("/organizations/{id}", org)
    assert org["services"][0]["id"] == hsds_id("service", platform_a.pk, registry.listed.pk)
    assert org["locations"][0]["id"] == org["services"][0]["service_at_locations"][0]["location_id"]


def test_taxonomies_and_terms_validate(anon, platform_a, registry):
    taxonomies = api(anon, "taxonomies", platform_a).json()
    validate("/taxonomies", taxonomies)
    assert taxonomies["total_items"] == 3
    terms = api(anon, "taxonomy-terms", platform_a, per_page=100).json()
    validate("/taxonomy_terms", terms)
    assert {"孤独・孤立", "生活に困窮", "住まい", "相談", "LGBTQ+ に詳しい"} <= {
        t["name"] for t in terms["contents"]
    }
    one = api(anon, "taxonomy", platform_a, pk=taxonomies["contents"][0]["id"]).json()
    validate("/taxonomies/{id}", one)
    term = api(anon, "taxonomy-term", platform_a, pk=terms["contents"][0]["id"]).json()
    validate("/taxonomy_terms/{id}", term)
    worry_tax = hsds_id("taxonomy", platform_a.pk, "worry")
    worries = api(anon, "taxonomy-terms", platform_a, taxonomy_id=worry_tax).json()
    assert {t["name"] for t in worries["contents"]} == {"孤独・孤立", "生活に困窮", "住まい"}


def test_it_publishes_nothing_private_and_nothing_of_another_platform(anon, platform_a, registry, org_b):
    texts = [
        api(anon, "services", platform_a, full="true").content.decode(),
        api(anon, "organizations", platform_a).content.decode(),
        api(
            anon, "organization", platform_a, pk=hsds_id("organization", registry.shelter.pk)
        ).content.decode(),
        api(
            anon, "service", platform_a, pk=hsds_id("service", platform_a.pk, registry.listed.pk)
        ).content.decode(),
    ]
    for text in texts:
        for secret in (*SECRET_WORDS, "B市フードバンク"):
            assert secret not in text, secret
    for name in ("unlisted", "candidate", "withdrawn"):
        pk = hsds_id("service", platform_a.pk, getattr(registry, name).pk)
        assert api(anon, "service", platform_a, pk=pk).status_code == 404
    assert api(anon, "organization", platform_a, pk=hsds_id("organization", org_b.pk)).status_code == 404


def test_bad_paging_is_refused_with_400(anon, platform_a, registry):
    for params in ({"page": "0"}, {"page": "x"}, {"per_page": "-1"}, {"modified_after": "yesterday"}):
        response = api(anon, "services", platform_a, **params)
        assert response.status_code == 400, params
        assert response.json()["parameter"] in params
