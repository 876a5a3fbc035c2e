"""The demo 北九州 responses, imported like a real file, reproduce the published figures."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from surveys.demo import KITAKYUSHU_TITLE, kitakyushu_csv
from surveys.models import Response, Survey, SurveyChange
from surveys.selectors import survey_results
from tests import factories as f

from .helpers import item


@pytest.mark.django_db
def test_kitakyushu_demo_reproduces_2179_311_and_42():
    call_command("load_demo", stdout=io.StringIO())
    survey = Survey.objects.get(title=KITAKYUSHU_TITLE)
    assert survey.is_fictional
    results = survey_results(survey)
    assert results.responses == 2179
    assert results.by_channel == {"mail": 1691, "web": 488}
    assert results.response_rate_pct == Decimal("31.1")
    top = next(r for r in item(results, "direct").rows if r.label == "しばしばある・常にある")
    assert top.pct == Decimal("4.2")
    assert results.n_scored < 2179  # some respondents left an UCLA item blank: no score
    # running the demo again changes nothing
    changes = SurveyChange.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Response.objects.filter(survey=survey).count() == 2179
    assert SurveyChange.objects.count() == changes
    assert Survey.objects.filter(title__startswith="愛媛県").get().published.count() == 7


def test_the_demo_file_is_cp932_and_deterministic():
    data = kitakyushu_csv()
    assert data == kitakyushu_csv()
    assert data.decode("cp932").startswith("respondent_id,channel,direct,ucla_1")


@pytest.mark.django_db
def test_demo_pages_render(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    call_command("load_demo", stdout=io.StringIO())
    f.login_verified(client, get_user_model().objects.get(username="houboku"))
    survey = Survey.objects.get(title=KITAKYUSHU_TITLE)
    page = client.get(reverse("surveys:detail", args=["kitakyushu", survey.pk]))
    html = page.content.decode()
    assert "31.1%" in html and "架空" in html and "4.2" in html
    home = client.get(reverse("platform-home", args=["kitakyushu"]))
    assert KITAKYUSHU_TITLE in home.content.decode()
