"""Every registry URL × every persona → the expected status (after pretix test_permissions.py).

Rules under test: anonymous → 302 to the login page; another platform → 404 (no leak that the
object exists); same platform without the capability → 403.

Other engineers: append rows to MATRIX for new orgs: URLs (or put the name in
COVERED_ELSEWHERE when another test file holds its matrix). test_every_orgs_url_is_covered
fails for a registry name missing here.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from platform_site.permissions import capabilities_of, role_for


class Row(NamedTuple):
    name: str  # url name in the orgs namespace
    org: str | None  # None, "own" (org_a, coordinator_a's) or "other" (other_org_a)
    method: str
    persona: str
    status: int


PERSONAS = ("anon", "secretariat_a", "admin_a", "coordinator_a", "secretariat_b")


def rows(name: str, org: str | None, method: str = "get", **statuses: int) -> list[Row]:
    """One row per persona; anon → 302 and secretariat_b → 404 unless given."""
    expected = {"anon": 302, "secretariat_b": 404} | statuses
    return [Row(name, org, method, p, expected[p]) for p in PERSONAS]


OK = {"secretariat_a": 200, "admin_a": 200}
MATRIX: list[Row] = [
    *rows("list", None, **OK, coordinator_a=200),
    *rows("create", None, **OK, coordinator_a=403),
    *rows("pipeline", None, **OK, coordinator_a=403),
    *rows("detail", "own", **OK, coordinator_a=200),
    *rows("detail", "other", **OK, coordinator_a=200),
    *rows("edit", "own", **OK, coordinator_a=200),
    *rows("edit", "other", **OK, coordinator_a=403),
    *rows("membership", "own", **OK, coordinator_a=403),
    *rows("membership", "other", **OK, coordinator_a=403),
    *rows("history", "own", **OK, coordinator_a=200),
    *rows("history", "other", **OK, coordinator_a=200),
    # POST-only: success redirects back to the detail page.
    *rows("verify", "own", "post", secretariat_a=302, admin_a=302, coordinator_a=302),
    *rows("verify", "other", "post", secretariat_a=302, admin_a=302, coordinator_a=403),
    *rows("verify", "own", "get", secretariat_a=405, admin_a=405, coordinator_a=405),
]

# The registry screens this file owns: each must have rows above.
OWN_NAMES = {"list", "create", "pipeline", "detail", "edit", "verify", "membership", "history"}
# Names whose matrix lives in another test file (import/export, leaflet).
COVERED_ELSEWHERE = {"import", "import-confirm", "export", "leaflet", "leaflet-options", "categories"}


def _url(row: Row, platform, org_a, other_org_a) -> str:
    if row.org is None:
        return reverse(f"orgs:{row.name}", args=[platform.slug])
    org = org_a if row.org == "own" else other_org_a
    return reverse(f"orgs:{row.name}", args=[platform.slug, org.pk])


@pytest.mark.parametrize("row", MATRIX, ids=lambda r: f"{r.name}-{r.org or 'pf'}-{r.method}-{r.persona}")
def test_matrix(row: Row, request, platform_a, org_a, other_org_a):
    client = request.getfixturevalue(row.persona)
    url = _url(row, platform_a, org_a, other_org_a)
    response = getattr(client, row.method)(url)
    assert response.status_code == row.status, f"{row.method.upper()} {url} as {row.persona}"
    if row.persona == "anon":
        assert response.url.startswith(reverse("login"))


def _walk(patterns) -> Iterator[tuple[str, object]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name, pattern.callback


def _orgs_names() -> dict[str, object]:
    """url name → view callable, for every pattern in the orgs namespace."""
    _prefix, resolver = get_resolver().namespace_dict["orgs"]
    return dict(_walk(resolver.url_patterns))


def test_every_orgs_url_is_covered():
    names = set(_orgs_names())
    in_matrix = {r.name for r in MATRIX}
    assert OWN_NAMES <= names, "a registry screen lost its URL"
    assert OWN_NAMES <= in_matrix, f"registry URLs without matrix rows: {OWN_NAMES - in_matrix}"
    unknown = names - in_matrix - COVERED_ELSEWHERE
    if unknown:  # another engineer's new URL: checked generically below, rows welcome
        warnings.warn(f"orgs URLs without explicit matrix rows: {sorted(unknown)}", stacklevel=1)


def test_every_other_orgs_url_denies_strangers(request, platform_a, org_a):
    """URLs of the namespace taking only the platform: anon, other tenant, missing capability."""
    coordinator = request.getfixturevalue("coordinator_a")
    caps = capabilities_of(role_for(coordinator.user, platform_a))
    for name, view in _orgs_names().items():
        if name in OWN_NAMES:
            continue
        try:
            url = reverse(f"orgs:{name}", args=[platform_a.slug])
        except NoReverseMatch:  # takes more than the platform: its owner's tests cover it
            continue
        for persona, expected in (("anon", 302), ("secretariat_b", 404)):
            client = request.getfixturevalue(persona)
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url)
            assert response.status_code == expected, f"{name} as {persona}"
        capability = getattr(view, "required_capability", None)
        if capability and capability not in caps:
            statuses = {coordinator.get(url).status_code, coordinator.post(url).status_code}
            assert 403 in statuses and statuses <= {403, 405}, f"{name} as coordinator_a: {statuses}"
