"""A re-sent create form shows what the first send created (platform_site/once.py): the browser's
"send again", a double click, a reload after a slow answer. Counts do not double; a form with
errors may be sent again with the same token; two sends at the very same moment on PostgreSQL
create one object."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case, Handoff
from orgs.models import Organisation
from platform_site import once
from platform_site.models import FormSubmission
from surveys.models import Survey
from tests import factories as f
from tests.cases.test_plausible_input import intake

pytestmark = pytest.mark.usefixtures("frozen_now")


def token() -> str:
    return once.new_token()


def test_the_create_forms_carry_a_token(secretariat_a, platform_a, case_a):
    for url in (
        reverse("cases:create", kwargs={"platform": platform_a.slug}),
        reverse("cases:referral-create", kwargs={"platform": platform_a.slug, "pk": case_a.pk}),
        reverse("orgs:create", args=[platform_a.slug]),
    ):
        assert 'name="once"' in secretariat_a.get(url).text, url


def test_a_case_sent_twice_is_created_once(secretariat_a, platform_a):
    url = reverse("cases:create", kwargs={"platform": platform_a.slug})
    data = intake() | {"once": token()}
    first = secretariat_a.post(url, data)
    again = secretariat_a.post(url, data, follow=True)
    assert Case.objects.count() == 1
    assert again.redirect_chain[0][0] == first["Location"]
    assert "この内容はすでに保存されています" in again.text
    another = secretariat_a.post(url, intake() | {"once": token()})  # a new form: a new case
    assert another.status_code == 302 and Case.objects.count() == 2


def test_a_form_with_errors_can_be_sent_again_with_its_token(secretariat_a, platform_a):
    url = reverse("cases:create", kwargs={"platform": platform_a.slug})
    sent = token()
    response = secretariat_a.post(url, intake(intake_date="2999-01-01") | {"once": sent})
    assert response.status_code == 200 and f'value="{sent}"' in response.text  # kept in the form
    assert not FormSubmission.objects.exists()
    assert secretariat_a.post(url, intake() | {"once": sent}).status_code == 302
    assert Case.objects.count() == 1


def test_a_handoff_sent_twice_is_recorded_and_counted_once(coordinator_a, case_a, referral_a, platform_a):
    from cases import services

    services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)
    url = reverse(
        "cases:handoff-create",
        kwargs={"platform": platform_a.slug, "pk": case_a.pk, "referral_id": referral_a.pk},
    )
    data = {"date": timezone.localdate().isoformat(), "given": "米5kg", "once": token()}
    assert coordinator_a.post(url, data).status_code == 302
    assert coordinator_a.post(url, data).status_code == 302
    assert Handoff.objects.count() == 1
    case_a.refresh_from_db()
    assert case_a.handoff_count == 1
    assert case_selectors.figures(platform=platform_a)["totals"]["handoffs"] == 1


def test_a_token_is_each_users_own(secretariat_a, admin_a, platform_a):
    url = reverse("cases:create", kwargs={"platform": platform_a.slug})
    data = intake() | {"once": token()}
    secretariat_a.post(url, data)
    assert admin_a.post(url, data).status_code == 302  # not sent to the other person's case
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "data", "model"),
    [
        (
            "orgs:create",
            {"name": "二重送信の団体", "name_kana": "ニジュウソウシン", "membership-status": "candidate"},
            Organisation,
        ),
        ("surveys:create", {"title": "二重送信の調査", "kind": "resident", "fiscal_year": 2025}, Survey),
    ],
)
def test_other_creates_are_idempotent_too(secretariat_a, platform_a, name, data, model):
    url = reverse(name, args=[platform_a.slug])
    before = model.objects.count()
    data = data | {"once": token()}
    first = secretariat_a.post(url, data)
    assert first.status_code == 302, first.context and [
        f.errors for f in first.context["form"] if hasattr(f, "errors")
    ]
    secretariat_a.post(url, data)
    assert model.objects.count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_on_postgresql_create_one_case(secretariat_a, platform_a):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests need a server database; SQLite writers take turns")
    url = reverse("cases:create", kwargs={"platform": platform_a.slug})
    data = intake() | {"once": token()}
    barrier = threading.Barrier(2)
    answers: list[object] = []

    def send() -> None:
        client = f.login_verified(Client(), secretariat_a.user)  # with a verified second factor
        try:
            barrier.wait(5)
            answers.append(client.post(url, data).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            answers.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert answers == [302, 302], answers
    assert Case.objects.count() == 1


def test_a_repeat_of_the_last_delivery_tapped_twice_is_recorded_once(
    coordinator_a, case_a, referral_a, platform_a
):
    from cases import services

    services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)
    url = reverse(
        "cases:handoff-create",
        kwargs={"platform": platform_a.slug, "pk": case_a.pk, "referral_id": referral_a.pk},
    )
    coordinator_a.post(url, {"date": timezone.localdate().isoformat(), "given": "米5kg", "once": token()})
    page = coordinator_a.get(url).text
    assert page.count('name="once"') == 2  # the repeat button's form and the full form, each its own
    repeat = {"date": timezone.localdate().isoformat(), "given": "米5kg", "quantity": "", "once": token()}
    coordinator_a.post(url, repeat)
    coordinator_a.post(url, repeat)
    assert Handoff.objects.count() == 2
