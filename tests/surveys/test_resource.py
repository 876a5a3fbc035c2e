"""Resource survey → recruitment: match by 法人番号, then by normalised name; add the unknown as
membership candidates with the survey as their source."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orgs.models import Membership, MembershipSource, MembershipStatus, Organisation
from platform_site.lib import japanese as jp
from surveys.models import SurveyKind
from surveys.resource import normalise_name

from .helpers import csv_bytes, make_survey


def number(base12: str) -> str:
    return f"{jp.corporate_number_check_digit(base12)}{base12}"


@pytest.fixture
def survey(platform_a):
    return make_survey(
        platform_a, kind=SurveyKind.RESOURCE, title="A市 リソース調査", sample_size=619, sampling="list"
    )


def test_normalised_names_ignore_legal_form_width_and_spaces():
    assert normalise_name("特定非営利活動法人　でんでん虫の会") == normalise_name("でんでん虫の会")
    assert normalise_name("ＮＰＯ法人 あおぞら相談室") == normalise_name("あおぞら相談室")
    assert normalise_name("(株)みどり") == normalise_name("株式会社 みどり")


def test_match_then_add_candidates(secretariat_a, survey, org_a, other_org_a, platform_b):
    org_a.corporate_number = number("123456789012")
    org_a.save()
    elsewhere = Organisation.objects.create(name="ひだまり食堂", name_kana="ヒダマリショクドウ", sort_key="x")
    Membership.objects.create(platform=platform_b, organisation=elsewhere, status=MembershipStatus.MEMBER)
    data = csv_bytes(
        [
            ["団体名", "名称カナ", "法人格", "法人番号"],
            ["あおぞら（旧名）", "", "", number("123456789012")],  # by number
            ["NPO法人 みどり食堂", "", "", ""],  # by name
            ["ひだまり食堂", "", "", ""],  # known, not in this platform
            ["こもれびサロン", "こもれびさろん", "任意団体", ""],  # unknown, kana given (hiragana → katakana)
            ["つばさの会", "", "", ""],  # unknown, no kana: cannot be added
        ],
        "cp932",
    )
    url = reverse("surveys:resource", args=[survey.platform.slug, survey.pk])
    page = secretariat_a.post(url, {"file": SimpleUploadedFile("orgs.csv", data)})
    assert page.status_code == 302
    page = secretariat_a.get(url)
    matches = {m.respondent.name: m for m in page.context["matches"]}
    assert (matches["あおぞら（旧名）"].method, matches["あおぞら（旧名）"].organisation) == (
        "corporate_number",
        org_a,
    )
    assert (matches["NPO法人 みどり食堂"].method, matches["NPO法人 みどり食堂"].organisation) == (
        "name",
        other_org_a,
    )
    assert matches["ひだまり食堂"].addable and matches["ひだまり食堂"].membership is None
    assert matches["こもれびサロン"].addable and not matches["つばさの会"].addable
    ids = [m.respondent.pk for m in matches.values()]
    done = secretariat_a.post(
        reverse("surveys:resource-add", args=[survey.platform.slug, survey.pk]), {"respondent": ids}
    )
    assert done.status_code == 302
    new = Organisation.objects.get(name="こもれびサロン")
    assert new.name_kana == "コモレビサロン"
    for org in (new, elsewhere):
        m = Membership.objects.get(platform=survey.platform, organisation=org)
        assert (m.status, m.source) == (MembershipStatus.CANDIDATE, MembershipSource.RESOURCE_SURVEY)
        assert "A市 リソース調査" in m.source_note
    assert not Organisation.objects.filter(name="つばさの会").exists()
    assert (
        Membership.objects.get(platform=survey.platform, organisation=org_a).status == MembershipStatus.MEMBER
    )
    # adding again adds nothing
    secretariat_a.post(
        reverse("surveys:resource-add", args=[survey.platform.slug, survey.pk]), {"respondent": ids}
    )
    assert Membership.objects.filter(platform=survey.platform).count() == 4


def test_bad_organisation_file_saves_nothing(secretariat_a, survey):
    data = csv_bytes([["団体名", "法人番号", "住所"], ["x", "1234567890123"]])
    url = reverse("surveys:resource", args=[survey.platform.slug, survey.pk])
    page = secretariat_a.post(url, {"file": SimpleUploadedFile("orgs.csv", data)})
    html = page.content.decode()
    assert "1行目 3列目「住所」" in html
    assert survey.organisations.count() == 0
    data = csv_bytes([["団体名", "法人番号"], ["x", "1234567890123"]])
    page = secretariat_a.post(url, {"file": SimpleUploadedFile("orgs.csv", data)})
    assert "2行目「法人番号」" in page.content.decode()


def test_resource_pages_rights(coordinator_a, secretariat_b, survey):
    url = reverse("surveys:resource", args=[survey.platform.slug, survey.pk])
    assert coordinator_a.get(url).status_code == 403
    assert secretariat_b.get(url).status_code == 404
