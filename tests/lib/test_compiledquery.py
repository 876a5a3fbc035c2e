"""A query compiled once answers exactly what the QuerySet it was built from answers."""

from __future__ import annotations

import pytest
from django.db.models import Count, Max

from orgs.models import Membership
from orgs.selectors_public import _directory_version_query, directory_version
from platform_site.lib.compiledquery import CompiledValues
from platform_site.models import Platform

pytestmark = pytest.mark.django_db


def by_slug(slug):
    return (
        Platform.objects.filter(slug=slug)
        .annotate(n=Count("memberships"), last=Max("memberships__updated_at"))
        .values_list("pk", "name", "n", "last", "created_at")
        .order_by("pk")[:1]
    )


def test_it_gives_the_querysets_row_with_its_types(platform_a, org_a, other_org_a, platform_b):
    query = CompiledValues(Platform, by_slug)
    for platform in (platform_a, platform_b):
        assert query.first(platform.slug) == by_slug(platform.slug).first()
    assert query.first("no-such-platform") is None
    row = query.first(platform_a.slug)
    assert (
        row is not None
        and row[3] == Membership.objects.filter(platform=platform_a).latest("updated_at").updated_at
    )


def test_it_is_one_logged_query(platform_a, django_assert_num_queries):
    query = CompiledValues(Platform, by_slug)
    query.first(platform_a.slug)
    with django_assert_num_queries(1):
        query.first(platform_a.slug)


def test_an_argument_that_is_not_a_parameter_is_refused(platform_a):
    query = CompiledValues(Platform, lambda slug: Platform.objects.values_list("pk").order_by("pk")[:1])
    with pytest.raises(ValueError):
        query.first(platform_a.slug)


def test_the_directory_version_is_the_querysets(platform_a, org_a, platform_b):
    platform_a.is_public = True
    platform_a.save()
    row = _directory_version_query(platform_a.slug).first()
    version = directory_version(platform_a.slug)
    assert row is not None and version is not None and version[0] == "|".join(str(v) for v in row)
    assert directory_version("no-such-platform") is None
