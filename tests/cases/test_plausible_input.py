"""Implausible dates and counts are refused on the ledger's screens with a Japanese message and
nothing saved; a pick-up time of year 1 never reaches the database (where SQLite failed on it and
PostgreSQL kept a date it could not give back); a case with pick-up times at the edges of what
may be stored still renders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Case, Referral
from tests.conftest import FROZEN_TODAY
from tests.ledger import REFERRAL_DATA, SITUATION


def _url(name, platform, **kw):
    return reverse(f"cases:{name}", kwargs={"platform": platform.slug, **kw})


def intake(**kw):
    data = {
        "intake_date": FROZEN_TODAY.isoformat(),
        "person_name": "架空 太郎",
        "age": "42",
        "sex": "male",
        "source": "self",
        "situation": SITUATION,
        "hardship_reason": "困窮",
        "willingness_reason": "意思あり",
        "household": "",
        "contact": "",
    }
    return data | kw


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2999-01-01", "未来の日付は入力できません。"),
        (f"{FROZEN_TODAY.year}-12-31" if FROZEN_TODAY.month < 12 else "", "未来の日付は入力できません。"),
        ("0001-01-01", "までの日付を入力してください。"),
        ("1899-12-31", "までの日付を入力してください。"),
        ("99999-01-01", "日付を正しく入力してください。"),
    ],
)
def test_an_implausible_intake_date_is_refused(secretariat_a, platform_a, day, message):
    response = secretariat_a.post(_url("create", platform_a), intake(intake_date=day))
    assert response.status_code == 200 and message in response.text
    assert not Case.objects.exists()


def test_a_plausible_intake_date_goes_in(secretariat_a, platform_a):
    response = secretariat_a.post(
        _url("create", platform_a), intake(intake_date=f"{FROZEN_TODAY.year - 2}-04-01")
    )
    assert response.status_code == 302 and Case.objects.count() == 1


def referral(org, **kw):
    return REFERRAL_DATA | {"organisation": org.pk, "override_reason": "緊急", "food_needs": []} | kw


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pickup_at", "0001-01-01T00:00", "までの日付を入力してください。"),
        ("pickup_at", "9999-12-31T23:59", "までの日付を入力してください。"),
        ("pickup_at", "2999-01-01T10:00", "までの日付を入力してください。"),
        ("days", "0", "日数は1〜31日分で入力してください。"),
        ("adults", "99999", "大人は0〜20人で入力してください。"),
        ("children", "21", "子どもは0〜20人で入力してください。"),
    ],
)
def test_an_implausible_referral_is_refused(secretariat_a, case_a, org_a, platform_a, field, value, message):
    before = Referral.objects.count()
    response = secretariat_a.post(
        _url("referral-create", platform_a, pk=case_a.pk), referral(org_a, **{field: value})
    )
    assert response.status_code == 200 and message in response.text
    assert Referral.objects.count() == before


def test_the_database_refuses_a_year_one_pickup_time(referral_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral_a.pk).update(pickup_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    "moment",
    [dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(2199, 12, 31, 23, 59, tzinfo=dt.UTC)],
    ids=["earliest", "latest"],
)
def test_a_case_whose_pickup_time_is_at_the_edge_still_renders(
    secretariat_a, coordinator_a, case_a, referral_a, platform_a, moment
):
    Referral.objects.filter(pk=referral_a.pk).update(pickup_at=moment)
    for client, url in (
        (secretariat_a, _url("detail", platform_a, pk=case_a.pk)),
        (coordinator_a, reverse("platform-home", args=[platform_a.slug])),
    ):
        response = client.get(url)
        assert response.status_code == 200


def test_a_handoff_in_the_future_or_long_ago_is_refused(coordinator_a, case_a, referral_a, platform_a):
    from cases import services

    services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)
    url = _url("handoff-create", platform_a, pk=case_a.pk, referral_id=referral_a.pk)
    for day, message in (
        ("2999-01-01", "未来の日付は記録できません。"),
        ("0001-01-01", "までの日付を入力してください。"),
    ):
        response = coordinator_a.post(url, {"date": day, "given": "米5kg"})
        assert response.status_code == 200 and message in response.text
    assert not referral_a.handoffs.exists()
