"""Keyset pages: a stable order through ties, the next cursor, tampered cursors, one query a page
whatever its number, and a cursor that carries no text of the rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from platform_site.lib.keyset import keyset_page
from platform_site.models import Platform, RoleChange
from platform_site.team.services import ROLE_ADDED
from tests import factories as f

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def changes(platform_a):
    """23 log rows: 10 share one time stamp to the microsecond, the rest are a second apart."""
    user = f.make_user("山田花子")
    rows = [
        RoleChange(platform=platform_a, target=user, actor=user, action=ROLE_ADDED, at=T0, changes={})
        for _ in range(10)
    ]
    rows += [
        RoleChange(
            platform=platform_a,
            target=user,
            actor=user,
            action=ROLE_ADDED,
            at=T0 + dt.timedelta(seconds=n, microseconds=n),
            changes={},
        )
        for n in range(-6, 8)
        if n
    ]
    RoleChange.objects.bulk_create(rows)
    return RoleChange.objects.filter(platform=platform_a)


def _walk(qs, order, size, limit=100):
    seen, cursor, pages = [], None, 0
    while pages < limit:
        page = keyset_page(qs, order=order, cursor=cursor, size=size)
        seen += [r.pk for r in page.rows]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize("size", [1, 3, 10, 23, 50])
def test_pages_cover_every_row_once_in_a_stable_order_through_ties(changes, size):
    expected = list(changes.order_by("-at", "-pk").values_list("pk", flat=True))
    seen, pages = _walk(changes, ["-at"], size)
    assert seen == expected
    assert pages == -(-23 // size)  # no empty page after a full last one


def test_ascending_order_and_an_explicit_primary_key(changes):
    expected = list(changes.order_by("at", "id").values_list("pk", flat=True))
    assert _walk(changes, ["at", "id"], 4)[0] == expected
    assert _walk(changes, ["at"], 4)[0] == expected


def test_several_sort_fields(platform_a, platform_b):
    more = [f.make_platform() for _ in range(5)]
    Platform.objects.filter(pk__in=[p.pk for p in more[:3]]).update(created_at=T0)
    qs = Platform.objects.all()
    expected = list(qs.order_by("-created_at", "pk").values_list("pk", flat=True))
    assert _walk(qs, ["-created_at", "pk"], 2)[0] == expected


def test_the_next_cursor_starts_right_after_the_last_row(changes):
    first = keyset_page(changes, order=["-at"], cursor=None, size=5)
    second = keyset_page(changes, order=["-at"], cursor=first.next_cursor, size=5)
    expected = list(changes.order_by("-at", "-pk").values_list("pk", flat=True))
    assert [r.pk for r in first.rows] == expected[:5] and [r.pk for r in second.rows] == expected[5:10]
    last = keyset_page(changes, order=["-at"], cursor=None, size=23)
    assert len(last.rows) == 23 and last.next_cursor is None
    assert keyset_page(changes.none(), order=["-at"], cursor=None, size=5).rows == []


def test_the_cursor_carries_no_text_of_the_rows(changes):
    cursor = keyset_page(changes, order=["-at"], cursor=None, size=5).next_cursor
    assert cursor is not None
    assert re.fullmatch(r"[0-9.]+:[A-Za-z0-9_-]+", cursor)
    assert "山田" not in cursor


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # the signature
        lambda c: "1" + c,  # the values
        lambda c: c.split(":")[0],  # no signature
        lambda c: "9" * 30 + ".1",
        lambda c: "x.y:abc",
        lambda c: "",
        lambda c: ":" * 5,
        lambda c: "\x00" * 3,
    ],
)
def test_a_tampered_cursor_gives_the_first_page(changes, tamper):
    first = keyset_page(changes, order=["-at"], cursor=None, size=5)
    cursor = keyset_page(changes, order=["-at"], cursor=first.next_cursor, size=5).next_cursor
    page = keyset_page(changes, order=["-at"], cursor=tamper(cursor), size=5)
    assert [r.pk for r in page.rows] == [r.pk for r in first.rows]


def test_a_cursor_of_another_list_gives_the_first_page(changes, platform_a):
    newest = keyset_page(changes, order=["-at"], cursor=None, size=5)
    oldest = keyset_page(changes, order=["at"], cursor=None, size=5)
    assert keyset_page(changes, order=["at"], cursor=newest.next_cursor, size=5).rows == oldest.rows
    platforms = keyset_page(Platform.objects.all(), order=["-created_at"], cursor=None, size=1)
    assert [p.pk for p in platforms.rows] == [platform_a.pk]
    # the same order over another model: the cursor does not verify there
    again = keyset_page(Platform.objects.all(), order=["-created_at"], cursor=newest.next_cursor, size=1)
    assert again.rows == platforms.rows


def test_a_page_is_one_query_whatever_its_number(changes, django_assert_num_queries):
    cursor = None
    for _ in range(7):
        with django_assert_num_queries(1):
            page = keyset_page(changes, order=["-at"], cursor=cursor, size=3)
        cursor = page.next_cursor
    assert cursor is not None


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (["action"], "dates, time stamps or integers"),  # text: it would travel in the cursor
        (["-changes"], "dates, time stamps or integers"),
        (["actor"], "non-null"),  # nullable: NULLs fall out of the comparisons
        (["platform__created_at"], "own fields"),
        (["pk", "at"], "primary key must be the last"),
        ([], "sort order"),
    ],
)
def test_sort_fields_that_cannot_page_safely_are_refused(changes, order, message):
    with pytest.raises(ValueError, match=message):
        keyset_page(changes, order=order, cursor=None, size=5)


def test_a_page_holds_at_least_one_row(changes):
    with pytest.raises(ValueError, match="at least one"):
        keyset_page(changes, order=["-at"], cursor=None, size=0)
