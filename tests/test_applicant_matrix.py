"""The anonymous applicant × every URL: a group that has just sent the public application form
(no account, its own browser session) gets no further than any anonymous visitor — the public
pages, the form and its thanks; everything under /p/ sends it to sign in, including the review
of its own application. Walks every named URL of the resolver (the rows of the main matrix,
tests/test_permissions_matrix.py) and expects the anonymous column, with no exception."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from orgs.models import ListingApplication
from tests.test_permissions_matrix import MATRIX, kwargs_for, served_urls, world  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_now")

ANON = 0  # the anonymous column of the main matrix
EXCEPTIONS: dict[tuple[str, str, str], int] = {}  # (name, method, variant) → status: none


def test_the_applicant_sees_what_anyone_sees(world):  # noqa: F811
    applicant = Client()
    sent = applicant.post(
        reverse("directory:apply", args=[world.platform.slug]),
        {
            "wish": "join",
            "name": "はなみずき食堂（架空）",
            "name_kana": "ハナミズキショクドウ",
            "activity": "子ども食堂",
            "contact_name": "架空 次郎",
            "contact_email": "jiro@example.jp",
            "consent_listing": "on",
        },
    )
    assert sent.status_code == 302
    own = ListingApplication.objects.get(name="はなみずき食堂（架空）")
    served = served_urls()
    wrong = []
    for r in MATRIX:
        with transaction.atomic():  # the row's objects (a variant's) and its request, rolled back
            url = reverse(r.name, kwargs=kwargs_for(r.name, served[r.name][1], world, r.variant))
            response = getattr(applicant, r.method)(url)
            transaction.set_rollback(True)
        expected = EXCEPTIONS.get((r.name, r.method, r.variant), r.statuses[ANON])
        if response.status_code != expected:
            wrong.append(f"{r.method.upper()} {url}: expected {expected}, got {response.status_code}")
        elif expected == 302 and not response["Location"].startswith(reverse("login")):
            if not (r.name == "logout" or r.name.startswith("signin:")):
                wrong.append(f"{r.method.upper()} {url}: sent to {response['Location']}, not to sign in")
    own_review = reverse("orgs:application", args=[world.platform.slug, own.pk])
    assert applicant.get(own_review).status_code == 302
    assert not wrong, "\n".join(wrong)
    assert {n for n, *_ in served.items()} >= {"directory:apply", "orgs:application"}
