"""The two-way flow through the screens (宇和島: 「①重層的支援体制からNPO団体への食糧共有依頼、②NPO団体
から重層的支援体制への緊急性ある世帯の対応依頼という相互の連携フロー」).

- NPO → 行政: a coordinator's request lands in the secretariat's intake and becomes a case with
  the organisation as its source; the organisation sees what it sent and the answer, nothing
  else of the case.
- NPO → NPO: a coordinator hands the person on to another member, only where the person's
  consent covers that member.
- Both directions are counted in the figures.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    Case,
    CaseEvent,
    IntakeRequest,
    IntakeRequestStatus,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from platform_site.models import Platform
from tests.ledger import consent_data

SEEN = "架空: 炊き出しで会った親子。電気が止まっている。"


def _url(name, platform, **kw):
    return reverse(f"cases:{name}", kwargs={"platform": platform.slug, **kw})


def _request_form(**kw):
    data = {
        "urgency": "high",
        "situation": SEEN,
        "ask": "生活の相談につないでほしい",
        "person_name": "架空 次郎",
        "contact": "",
        "age": "30代",
        "household": "ひとり親と子2人",
        "consent": "yes",
        "consent_method": "oral",
        "consent_given_by": "本人",
        "consent_given_on": timezone.localdate().isoformat(),
        "without_consent_reason": "",
    }
    return data | kw


def test_an_npo_request_becomes_a_case_with_the_npo_as_its_source(
    coordinator_a, other_coordinator_a, secretariat_a, platform_a, org_a, django_capture_on_commit_callbacks
):
    secretariat_a.user.email = "city@example.jp"
    secretariat_a.user.save()
    # the coordinator opens the form from the home panel and sends the request
    assert coordinator_a.get(_url("request-create", platform_a)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_a.post(_url("request-create", platform_a), _request_form())
    sent = IntakeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("request-detail", platform_a, request_id=sent.pk)
    assert sent.organisation == org_a and sent.status == IntakeRequestStatus.SENT
    # the secretariat is told by a link only
    assert len(mail.outbox) == 1 and SEEN not in mail.outbox[0].body
    assert CaseEvent.objects.filter(action="cases.request.sent", data__request=sent.pk).exists()
    # it lands in the secretariat's intake; another member may not know it exists
    assert f"依頼 #{sent.pk}" in secretariat_a.get(_url("requests", platform_a)).text
    assert f"依頼 #{sent.pk}" not in other_coordinator_a.get(_url("requests", platform_a)).text
    assert other_coordinator_a.get(_url("request-detail", platform_a, request_id=sent.pk)).status_code == 404
    # the secretariat reads it (logged) and takes it into a case, prefilled from the request
    page = secretariat_a.get(_url("request-detail", platform_a, request_id=sent.pk))
    assert SEEN in page.text
    assert CaseEvent.objects.filter(
        action="cases.request.viewed", actor=secretariat_a.user, data__request=sent.pk
    ).exists()
    form = secretariat_a.get(_url("request-accept", platform_a, request_id=sent.pk))
    assert form.context["form"].initial["situation"] == SEEN
    response = secretariat_a.post(
        _url("request-accept", platform_a, request_id=sent.pk),
        {
            "intake_date": timezone.localdate().isoformat(),
            "person_name": "架空 次郎",
            "contact": "",
            "age": "30代",
            "sex": "",
            "household": "ひとり親と子2人",
            "situation": SEEN,
            "hardship_reason": "（架空）電気が止まり、制度の給付まで日がある",
            "willingness_reason": "（架空）本人が相談を望んでいる",
            "answer": "",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("plan", platform_a, pk=case.pk)
    assert case.source == ReferralSource.MEMBER and case.source_organisation == org_a
    sent.refresh_from_db()
    assert sent.status == IntakeRequestStatus.ACCEPTED and sent.case == case and sent.answer
    assert CaseEvent.objects.filter(action="cases.request.accepted", case=case).exists()
    # the case page names the source
    assert org_a.name in secretariat_a.get(_url("detail", platform_a, pk=case.pk)).text
    # the organisation sees what it sent and the answer; not the case itself (no referral yet)
    mine = coordinator_a.get(_url("request-detail", platform_a, request_id=sent.pk))
    assert mine.status_code == 200 and SEEN in mine.text and "ケースとして受け付けました" in mine.text
    assert "hardship_reason" not in mine.text and "電気が止まり、制度の給付" not in mine.text
    assert coordinator_a.get(_url("detail", platform_a, pk=case.pk)).status_code == 404
    # nor may it accept or answer its own request
    assert coordinator_a.get(_url("request-accept", platform_a, request_id=sent.pk)).status_code == 403
    # a second acceptance is refused (already answered)
    again = secretariat_a.get(_url("request-accept", platform_a, request_id=sent.pk))
    assert again.status_code == 302 and Case.objects.count() == 1


def test_the_secretariat_may_answer_without_a_case(coordinator_a, secretariat_a, platform_a, org_a):
    sent = services.intake_request_send(
        platform=platform_a, actor=coordinator_a.user, organisation=org_a, data=_service_data()
    )
    url = _url("request-answer", platform_a, request_id=sent.pk)
    empty = secretariat_a.post(url, {"answer": ""})
    assert empty.status_code == 200 and "団体への回答を書いてください" in empty.text
    response = secretariat_a.post(url, {"answer": "すでに地域包括支援センターが関わっています。"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == IntakeRequestStatus.ANSWERED and sent.case is None
    assert (
        "地域包括支援センター"
        in coordinator_a.get(_url("request-detail", platform_a, request_id=sent.pk)).text
    )
    assert not Case.objects.exists()


def _service_data(**kw):
    data = {
        "urgency": "normal",
        "situation": SEEN,
        "consent_method": "oral",
        "consent_given_by": "本人",
        "consent_given_on": timezone.localdate(),
    }
    return data | kw


def test_without_consent_only_urgent_where_the_platform_allows_and_logged(coordinator_a, platform_a):
    url = _url("request-create", platform_a)
    no_consent = _request_form(consent="urgent", urgency="urgent", without_consent_reason="命に危険")
    # the platform does not allow it: the choice is not offered, and a forged post is refused
    page = coordinator_a.get(url)
    assert 'value="urgent"' not in str(page.context["form"]["consent"])
    response = coordinator_a.post(url, no_consent)
    assert response.status_code == 200 and not IntakeRequest.objects.exists()
    # allowed by the platform's setting: only when urgent, with a reason
    Platform.objects.filter(pk=platform_a.pk).update(urgent_request_without_consent=True)
    not_urgent = coordinator_a.post(url, no_consent | {"urgency": "high"})
    assert "緊急（当日中）のときだけ" in not_urgent.text and not IntakeRequest.objects.exists()
    no_reason = coordinator_a.post(url, no_consent | {"without_consent_reason": ""})
    assert "理由を書いてください" in no_reason.text and not IntakeRequest.objects.exists()
    response = coordinator_a.post(url, no_consent)
    sent = IntakeRequest.objects.get()
    assert response.status_code == 302 and sent.without_consent and sent.consent_method == ""
    event = CaseEvent.objects.get(action="cases.request.sent_without_consent")
    assert event.data["request"] == sent.pk and "命に危険" not in str(event.data)


def test_a_request_with_consent_needs_how_and_by_whom(coordinator_a, platform_a):
    response = coordinator_a.post(
        _url("request-create", platform_a), _request_form(consent_method="", consent_given_by="")
    )
    assert response.status_code == 200 and not IntakeRequest.objects.exists()
    assert "同意の方法を選んでください" in response.text


def test_the_service_refuses_without_consent_where_the_platform_does_not_allow_it(
    coordinator_a, platform_a, org_a
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.intake_request_send(
            platform=platform_a,
            actor=coordinator_a.user,
            organisation=org_a,
            data=_service_data(consent_given_on=None, urgency="urgent", without_consent_reason="危険"),
        )


# --- NPO → NPO ----------------------------------------------------------------------------------


def _hand_on_form(org, **kw):
    return {
        "organisation": org.pk,
        "support_type": "watch",
        "adults": 1,
        "children": 0,
        "days": 3,
        "urgency": "normal",
        "note": "",
    } | kw


def test_a_hand_on_is_refused_when_the_consent_does_not_cover_the_other_member(
    coordinator_a, case_a, accepted_a, other_org_a, platform_a
):
    url = _url("hand-on", platform_a, pk=case_a.pk, referral_id=accepted_a.pk)
    page = coordinator_a.get(url)
    assert page.status_code == 200 and "同意のない団体へは引き継げません" in page.text
    coordinator_a.post(url, _hand_on_form(other_org_a))
    assert Referral.objects.count() == 1


def test_a_member_hands_a_person_on_to_another_member_under_the_consent(
    coordinator_a, other_coordinator_a, secretariat_a, case_a, accepted_a, org_a, other_org_a, platform_a
):
    # the person's consent now covers the other member too (recorded by the city)
    services.consent_record(
        case=case_a, actor=secretariat_a.user, data=consent_data(), organisations=[org_a, other_org_a]
    )
    assert other_coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).status_code == 404
    detail = coordinator_a.get(_url("detail", platform_a, pk=case_a.pk))
    assert _url("hand-on", platform_a, pk=case_a.pk, referral_id=accepted_a.pk) in detail.text
    url = _url("hand-on", platform_a, pk=case_a.pk, referral_id=accepted_a.pk)
    assert coordinator_a.get(url).status_code == 200
    # not to itself
    coordinator_a.post(url, _hand_on_form(org_a))
    assert Referral.objects.count() == 1
    response = coordinator_a.post(url, _hand_on_form(other_org_a))
    assert response.status_code == 302
    handed = Referral.objects.get(organisation=other_org_a)
    assert handed.from_organisation == org_a and handed.status == ReferralStatus.SENT
    assert handed.consent is not None and handed.sent_by == coordinator_a.user
    event = CaseEvent.objects.get(action="cases.referral.handed_on")
    assert event.data["from_organisation"] == org_a.pk and event.data["organisation"] == other_org_a.pk
    # the receiving member now sees the case as any referred member does (consented items only)
    assert other_coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).status_code == 200
    # the handing member keeps its own referral and sees to whom it handed on
    accepted_a.refresh_from_db()
    assert accepted_a.status == ReferralStatus.ACCEPTED
    assert other_org_a.name in coordinator_a.get(_url("detail", platform_a, pk=case_a.pk)).text
    # the city sees where it came from
    assert f"{org_a.name}からの引き継ぎ" in secretariat_a.get(_url("detail", platform_a, pk=case_a.pk)).text


def test_only_an_accepted_referral_may_be_handed_on(coordinator_a, case_a, referral_a, platform_a):
    response = coordinator_a.get(_url("hand-on", platform_a, pk=case_a.pk, referral_id=referral_a.pk))
    assert response.status_code == 302 and response["Location"] == _url("detail", platform_a, pk=case_a.pk)


def test_the_consent_gate_holds_in_the_service_too(coordinator_a, case_a, accepted_a, other_org_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="同意"):
        services.referral_hand_on(
            case=case_a,
            actor=coordinator_a.user,
            from_referral=accepted_a,
            organisation=other_org_a,
            data={"support_type": "food"},
        )
    assert Referral.objects.count() == 1


# --- the figures --------------------------------------------------------------------------------


def test_the_figures_count_both_directions(
    coordinator_a, secretariat_a, case_a, accepted_a, org_a, other_org_a, platform_a
):
    services.consent_record(
        case=case_a, actor=secretariat_a.user, data=consent_data(), organisations=[org_a, other_org_a]
    )
    services.referral_hand_on(
        case=case_a,
        actor=coordinator_a.user,
        from_referral=accepted_a,
        organisation=other_org_a,
        data={"support_type": "watch"},
    )
    services.intake_request_send(
        platform=platform_a, actor=coordinator_a.user, organisation=org_a, data=_service_data()
    )
    response = secretariat_a.get(_url("stats", platform_a), {"fy": 2026})
    flow = response.context["flow"]
    assert (flow["city_to_member"], flow["member_to_city"], flow["member_to_member"]) == (1, 1, 1)
    assert flow["became_cases"] == 0
    assert "団体 → 市" in response.text and SEEN not in response.text
    text = secretariat_a.get(_url("stats", platform_a), {"fy": 2026, "format": "csv"}).content.decode()
    assert "令和8年度,連携の方向,団体→市,1" in text and "令和8年度,連携の方向,団体→団体,1" in text
    # and on the platform's dashboard of the 年度
    dashboard = secretariat_a.get(reverse("platform-dashboard", kwargs={"platform": platform_a.slug}))
    panel = next(p for p in dashboard.context["panels"] if p.get("context") and "flow" in p["context"])
    assert panel["context"]["flow"]["member_to_city"] == 1 and "団体 → 市（対応の依頼）" in dashboard.text


def test_a_request_sent_twice_is_sent_once(coordinator_a, platform_a):
    from platform_site import once

    data = _request_form() | {"once": once.new_token()}
    first = coordinator_a.post(_url("request-create", platform_a), data)
    again = coordinator_a.post(_url("request-create", platform_a), data)  # the browser's "send again"
    assert IntakeRequest.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"]


def test_the_secretariat_is_reminded_of_waiting_requests(coordinator_a, secretariat_a, platform_a, org_a):
    from cases.reminders import ledger_reminders
    from platform_site.models import PlatformRole

    services.intake_request_send(
        platform=platform_a, actor=coordinator_a.user, organisation=org_a, data=_service_data()
    )
    role = PlatformRole.objects.get(platform=platform_a, user=secretariat_a.user)
    found = {r.code: r.count for r in ledger_reminders(platform_a, role, timezone.localdate())}
    assert found["cases.requests"] == 1


def test_retention_blanks_requests_and_reports_without_a_case(
    coordinator_a, secretariat_a, platform_a, org_a
):
    import datetime as dt

    from cases.models import SupporterReport
    from platform_site.models import Role
    from tests import factories as f

    sent = services.intake_request_send(
        platform=platform_a, actor=coordinator_a.user, organisation=org_a, data=_service_data()
    )
    services.intake_request_answer(intake_request=sent, actor=secretariat_a.user, answer="把握済みです")
    reporter = f.make_user("reporter")
    f.make_role(reporter, platform_a, Role.SUPPORTER)
    report = SupporterReport.objects.create(
        platform=platform_a, supporter=reporter, area="中央", body="架空: 気になる", sent_at=timezone.now()
    )
    services.supporter_report_handle(report=report, actor=secretariat_a.user)
    services.cases_anonymise(closed_before=timezone.localdate())  # answered today: kept
    sent.refresh_from_db()
    assert sent.situation == SEEN
    services.cases_anonymise(closed_before=timezone.localdate() + dt.timedelta(days=1))
    sent.refresh_from_db()
    report.refresh_from_db()
    assert sent.situation == services.ANONYMISED_TEXT and sent.answer == "" and sent.anonymised_at
    assert report.body == services.ANONYMISED_TEXT
    flow = secretariat_a.get(_url("stats", platform_a), {"fy": 2026}).context["flow"]
    assert flow["member_to_city"] == 1 and flow["reports_total"] == 1
