"""The case page leads: its steps line and its one primary button follow the case's state, the
referral form is not offered without consent, the secretariat records what an organisation
reported by phone, reports to the city are marked read, and a printed summary is logged."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import CaseEvent, Handoff, ReferralStatus
from tests.ledger import REFERRAL_DATA, consent_data, make_case

pytestmark = pytest.mark.usefixtures("frozen_now")

NEXT = re.compile(
    r'<div class="next-step">.*?(?:href|action)="([^"]+)"[^>]*>(?:<input[^>]*>)?(?:<button[^>]*>)?([^<]+)<',
    re.S,
)


def detail(client, case):
    return client.get(reverse("cases:detail", kwargs={"platform": case.platform.slug, "pk": case.pk})).text


def next_step(page: str) -> tuple[str, str]:
    match = NEXT.search(page)
    assert match, "the case page offers no next step"
    return match.group(1), match.group(2).strip()


def current_step(page: str) -> str:
    match = re.search(r'aria-current="step"><strong>([^<]+)</strong>', page)
    assert match, "no current step"
    return match.group(1)


def test_the_next_step_follows_the_case_from_intake_to_close(secretariat_a, coordinator_a, platform_a, org_a):
    case = make_case(platform_a, secretariat_a.user)
    page = detail(secretariat_a, case)
    assert current_step(page) == "支援方針"
    url, label = next_step(page)
    assert label == "2. 支援方針を決める" and url.endswith("/plan/")

    services.case_update(
        case=case, actor=secretariat_a.user, version=case.version, data={"frequency_per_month": 2}
    )
    page = detail(secretariat_a, case)
    assert current_step(page) == "同意"
    assert next_step(page)[1] == "3. 同意を記録する"

    services.consent_record(case=case, actor=secretariat_a.user, data=consent_data(), organisations=[org_a])
    page = detail(secretariat_a, case)
    assert current_step(page) == "団体へ依頼"
    url, label = next_step(page)
    assert label == "4. 団体へ依頼する"
    assert "<form" in secretariat_a.get(url).text  # consent covers org_a: the form is offered

    services.referral_send(case=case, actor=secretariat_a.user, organisation=org_a, data=dict(REFERRAL_DATA))
    page = detail(secretariat_a, case)
    assert current_step(page) == "団体の応答"
    url, label = next_step(page)
    assert label == "電話で聞いた応答を記録する"
    # the organisation's coordinator is led to answer
    assert next_step(detail(coordinator_a, case))[1] == "依頼に応答する（受諾・辞退）"

    # the organisation accepted by phone: the secretariat records it on its behalf
    assert secretariat_a.post(url, {"decision": "accept"}).status_code == 302
    referral = case.referrals.get()
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_on_behalf
    assert referral.responded_by == secretariat_a.user
    accepted = CaseEvent.objects.filter(case=case, action="cases.referral.accepted").get()
    assert accepted.data["on_behalf"] is True

    page = detail(secretariat_a, case)
    assert current_step(page) == "引き渡し"
    url, label = next_step(page)
    assert label == "電話で聞いた引き渡しを記録する"
    assert next_step(detail(coordinator_a, case))[1] == "引き渡しを記録する"

    form = secretariat_a.get(url).text
    assert "大人1名／子ども2名 × 3日分" in form  # the referral's needs beside the form
    response = secretariat_a.post(
        url, {"date": "2026-04-15", "given": "米5kg、缶詰", "quantity": "3日分", "report_to_city": "on"}
    )
    assert response.status_code == 302
    handoff = Handoff.objects.get(case=case)
    assert handoff.on_behalf and handoff.organisation_id == org_a.pk
    assert handoff.report_read_at is not None  # the secretariat heard the report itself
    # the organisation sees it on its case page, marked as recorded for it
    assert "事務局が電話で聞き取り記録" in detail(coordinator_a, case)

    page = detail(secretariat_a, case)
    assert current_step(page) == "終了"
    url, label = next_step(page)
    assert label == "支援を終了する" and url.endswith("/close/")


def test_without_consent_the_referral_page_says_what_to_do_instead(secretariat_a, platform_a, org_a):
    case = make_case(platform_a, secretariat_a.user)
    page = secretariat_a.get(
        reverse("cases:referral-create", kwargs={"platform": platform_a.slug, "pk": case.pk})
    ).text
    assert "まだ有効な同意がありません" in page
    assert 'name="organisation"' not in page  # no form to fill in only to be refused
    assert reverse("cases:consent-create", kwargs={"platform": platform_a.slug, "pk": case.pk}) in page


def test_a_phone_handoff_cannot_be_recorded_before_the_organisation_accepted(
    secretariat_a, case_a, platform_a
):
    referral = case_a.referrals.get()
    url = reverse(
        "cases:handoff-phone",
        kwargs={"platform": platform_a.slug, "pk": case_a.pk, "referral_id": referral.pk},
    )
    response = secretariat_a.post(url, {"date": "2026-04-15", "given": "米"}, follow=True)
    assert "受諾中の依頼にだけ引き渡しを記録できます。" in response.text
    assert not Handoff.objects.filter(case=case_a).exists()


def test_a_report_to_the_city_stays_new_until_the_secretariat_reads_it(
    secretariat_a, coordinator_a, case_a, platform_a
):
    referral = case_a.referrals.get()
    services.referral_respond(referral=referral, actor=coordinator_a.user, accept=True)
    referral.refresh_from_db()
    handoff = services.handoff_record(
        referral=referral,
        actor=coordinator_a.user,
        data={
            "date": referral.sent_at.date(),
            "given": "米5kg",
            "noticed": "体調がすぐれない様子",
            "report_to_city": True,
        },
    )
    ledger = reverse("cases:list", kwargs={"platform": platform_a.slug})
    assert f"/cases/{case_a.pk}/" in secretariat_a.get(ledger, {"stale": "reports"}).text
    page = detail(secretariat_a, case_a)
    url, label = next_step(page)
    assert label == "団体からの報告を既読にする"

    assert secretariat_a.post(url).status_code == 302
    handoff.refresh_from_db()
    assert handoff.report_read_by == secretariat_a.user and handoff.report_read_at is not None
    assert f"/cases/{case_a.pk}/" not in secretariat_a.get(ledger, {"stale": "reports"}).text
    assert CaseEvent.objects.filter(case=case_a, action="cases.handoff.report_read").count() == 1
    secretariat_a.post(url)  # twice: nothing more happens
    assert CaseEvent.objects.filter(case=case_a, action="cases.handoff.report_read").count() == 1
    # a coordinator cannot mark the city's reading
    assert coordinator_a.post(url).status_code == 403


def test_a_printed_summary_shows_what_the_reader_may_see_and_is_logged(
    secretariat_a, coordinator_a, case_a, platform_a
):
    from tests.ledger import PERSON_NAME

    url = reverse("cases:print", kwargs={"platform": platform_a.slug, "pk": case_a.pk})
    page = secretariat_a.get(url).text
    assert PERSON_NAME in page and "この印刷は記録されています" in page
    coordinator_page = coordinator_a.get(url).text
    assert PERSON_NAME not in coordinator_page  # the consent does not cover the name
    printed = CaseEvent.objects.filter(case=case_a, action="cases.case.printed").order_by("id")
    assert [(e.actor, e.data["level"]) for e in printed] == [
        (secretariat_a.user, "secretariat"),
        (coordinator_a.user, "coordinator"),
    ]


def test_the_ledger_is_searched_by_name_and_phone_and_each_search_is_logged(
    secretariat_a, coordinator_a, platform_a
):
    one = make_case(
        platform_a, secretariat_a.user, person_name="架空 はなこ", contact="０９０－１２３４－５６７８"
    )
    make_case(platform_a, secretariat_a.user, person_name="架空 次郎", contact="080-0000-0000")
    url = reverse("cases:search", kwargs={"platform": platform_a.slug})
    for query in ("ハナコ", "架空はなこ", "架空　ﾊﾅｺ", "09012345678", "5678"):
        page = secretariat_a.post(url, {"q": query}).text
        assert f"/cases/{one.pk}/" in page, query
        assert "架空 次郎" not in page, query
    assert "見つかりませんでした" in secretariat_a.post(url, {"q": "存在しない名前"}).text
    searches = CaseEvent.objects.filter(action="cases.list.searched").order_by("id")
    assert [e.data for e in searches] == [{"results": 1}] * 5 + [{"results": 0}]
    assert all("はなこ" not in str(e.data) and "5678" not in str(e.data) for e in searches)
    assert "探す氏名か電話番号を入力してください。" in secretariat_a.post(url, {"q": ""}).text
    assert coordinator_a.post(url, {"q": "ハナコ"}).status_code == 403
