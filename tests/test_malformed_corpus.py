"""Every import screen refuses every malformed upload of the corpus (tests/corpus/) with its
Japanese message, a page of bounded size, and nothing saved: the registry, survey responses,
the resource survey's organisations, and events."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Organisation
from outreach.models import Event
from surveys.models import Response
from tests.corpus import MALFORMED


def _counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Response.objects.count(), Event.objects.count()


@pytest.fixture
def screens(platform_a, survey_a, resource_survey_a):
    slug = platform_a.slug
    return {
        "registry": reverse("orgs:import", args=[slug]),
        "responses": reverse("surveys:import", args=[slug, survey_a.pk]),
        "resource survey": reverse("surveys:resource", args=[slug, resource_survey_a.pk]),
        "events": reverse("outreach:import", args=[slug]),
    }


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_every_import_screen_refuses_the_file_in_japanese(secretariat_a, screens, case):
    filename, data, message = MALFORMED[case]
    before = _counts()
    for screen, url in screens.items():
        response = secretariat_a.post(url, {"file": SimpleUploadedFile(filename, data)}, follow=True)
        assert response.status_code in (200, 400), (screen, response.status_code)
        assert message in response.text, screen
        assert len(response.content) < 100_000, screen
    assert _counts() == before
