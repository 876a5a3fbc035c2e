"""The confidentiality duty in working groups, through the views: only a person who acknowledged
the platform's body's duty joins a working group; leaving the body (or their member body leaving)
ends their access at once but not the record; an expert sees only the cases that seat them; a
working group closes when the support provider is decided; every disclosure names its legal basis
on the case and in the access log (docs/data-protection.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import CaseEvent, CaseWorkingGroupMember, WorkingGroupClosure
from councils.models import Council, DutyAcknowledgement
from platform_site import once
from platform_site.models import Role
from platform_site.permissions import capabilities_of
from platform_site.signin.selectors import needs_second_factor
from tests import factories as f
from tests.conftest import FROZEN_TODAY, _client_for
from tests.ledger import PERSON_NAME, SITUATION, make_case

pytestmark = pytest.mark.usefixtures("frozen_now")


def _case_url(name: str, case, **kw) -> str:
    return reverse(f"cases:{name}", kwargs={"platform": case.platform.slug, "pk": case.pk, **kw})


def _council_url(name: str, platform, **kw) -> str:
    return reverse(f"councils:{name}", kwargs={"platform": platform.slug, **kw})


def _expert(platform, name: str = "expert_a"):
    user = f.make_user(name, last_name="弁護士（架空）")
    f.make_role(user, platform, Role.EXPERT)
    return user


# --- who may join -------------------------------------------------------------------------


def test_a_person_without_an_acknowledged_duty_cannot_be_added(secretariat_a, other_coordinator_a, case_a):
    form = secretariat_a.get(_case_url("working-group", case_a)).text
    assert f'value="{other_coordinator_a.user.pk}"' not in form  # not offered
    response = secretariat_a.post(_case_url("working-group", case_a), {"user": other_coordinator_a.user.pk})
    assert response.status_code == 200  # the form again, with its error
    assert not case_a.working_group.filter(user=other_coordinator_a.user).exists()
    with pytest.raises(ValidationError, match="守秘義務の確認が記録されていない人"):
        services.working_group_add(case=case_a, actor=secretariat_a.user, user=other_coordinator_a.user)
    assert other_coordinator_a.get(_case_url("detail", case_a)).status_code == 404


def test_once_acknowledged_through_the_duty_screen_they_can_be_added(
    secretariat_a, other_coordinator_a, other_org_a, case_a, platform_a
):
    council = Council.objects.get(platform=platform_a)
    body = council.bodies.create(organisation=other_org_a, joined_on=FROZEN_TODAY)
    # a coordinator can be seated only for their own organisation's member body
    response = secretariat_a.post(
        _council_url("seats", platform_a),
        {"user": other_coordinator_a.user.pk, "acknowledged_on": "2026-05-01"},
    )
    assert (
        response.status_code == 200
        and not DutyAcknowledgement.objects.filter(user=other_coordinator_a.user).exists()
    )  # no body, not confirmed: refused, nothing saved
    response = secretariat_a.post(
        _council_url("seats", platform_a),
        {
            "user": other_coordinator_a.user.pk,
            "body": body.pk,
            "acknowledged_on": "令和8年5月1日",
            "confirmed": "on",
            "once": once.new_token(),
        },
    )
    assert response.status_code == 302
    seat = DutyAcknowledgement.objects.get(user=other_coordinator_a.user)
    assert (seat.acknowledged_on.isoformat(), seat.text_version, seat.recorded_by) == (
        "2026-05-01",
        council.duty_version,
        secretariat_a.user,
    )
    response = secretariat_a.post(_case_url("working-group", case_a), {"user": other_coordinator_a.user.pk})
    assert response.status_code == 302
    member = case_a.working_group.get(user=other_coordinator_a.user)
    assert member.duty == seat and member.legal_basis == "consent"


def test_a_coordinator_cannot_be_seated_for_another_organisations_body(
    secretariat_a, other_coordinator_a, org_a, platform_a, case_a
):
    council = Council.objects.get(platform=platform_a)
    body = council.bodies.create(organisation=org_a, joined_on=FROZEN_TODAY)
    response = secretariat_a.post(
        _council_url("seats", platform_a),
        {
            "user": other_coordinator_a.user.pk,
            "body": body.pk,
            "acknowledged_on": "2026-05-01",
            "confirmed": "on",
        },
    )
    assert "自分の団体の構成機関にだけ属せます" in response.text
    assert not DutyAcknowledgement.objects.filter(user=other_coordinator_a.user).exists()


# --- leaving ------------------------------------------------------------------------------


def test_one_who_left_the_body_loses_access_at_once_and_the_record_stays(
    secretariat_a, wg_member_a, case_a, platform_a
):
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 200
    seat = DutyAcknowledgement.objects.get(user=wg_member_a.user)
    response = secretariat_a.post(_council_url("seat-end", platform_a, seat_id=seat.pk), {"on": "2026-05-19"})
    assert response.status_code == 302
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 404
    assert wg_member_a.get(_case_url("print", case_a)).status_code == 404
    seat.refresh_from_db()
    assert str(seat.ended_on) == "2026-05-19" and seat.ended_by == secretariat_a.user
    member = CaseWorkingGroupMember.objects.get(user=wg_member_a.user)  # kept
    assert member.removed_at is not None and member.end_reason == "duty_ended"
    event = CaseEvent.objects.filter(case=case_a, action="cases.working_group.duty_ended").get()
    assert event.data["user"] == wg_member_a.user.pk and event.actor == secretariat_a.user
    # and they cannot be added again until they acknowledge the duty anew
    with pytest.raises(ValidationError):
        services.working_group_add(case=case_a, actor=secretariat_a.user, user=wg_member_a.user)


@pytest.mark.parametrize("sent", [{}, {"on": ""}, {"on": "2099-01-01"}], ids=["nothing", "empty", "future"])
def test_an_end_date_missing_or_in_the_future_is_shown_in_its_row_and_ends_nothing(
    secretariat_a, wg_member_a, case_a, platform_a, sent
):
    seat = DutyAcknowledgement.objects.get(user=wg_member_a.user)
    assert seat.body is not None
    for name, kwargs, box in (
        ("seat-end", {"seat_id": seat.pk}, f"seat-end-{seat.pk}-on"),
        ("body-end", {"body_id": seat.body.pk}, f"body-end-{seat.body.pk}-on"),
    ):
        response = secretariat_a.post(_council_url(name, platform_a, **kwargs), sent)
        assert response.status_code == 400
        page = response.text
        assert "<title>入力エラー：" in page  # the error summary links to the row's own box
        assert f'href="#{box}"' in page and f'id="{box}"' in page and 'aria-invalid="true"' in page
    seat.refresh_from_db()
    seat.body.refresh_from_db()
    assert seat.ended_on is None and seat.body.left_on is None
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 200


def test_a_seat_that_ended_in_the_database_alone_already_ends_the_access(wg_member_a, case_a):
    """The access check itself reads the seat: no later step is needed for the door to close."""
    DutyAcknowledgement.objects.filter(user=wg_member_a.user).update(
        ended_on=FROZEN_TODAY, ended_at="2026-05-19T00:00Z"
    )
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 404


def test_when_a_member_body_leaves_its_people_leave_every_working_group(
    secretariat_a, wg_member_a, case_a, platform_a
):
    body = DutyAcknowledgement.objects.get(user=wg_member_a.user).body
    assert body is not None
    response = secretariat_a.post(_council_url("body-end", platform_a, body_id=body.pk), {"on": "2026-05-19"})
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.left_on is not None
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 404
    assert DutyAcknowledgement.objects.get(user=wg_member_a.user).ended_on == body.left_on


# --- experts ------------------------------------------------------------------------------


def test_an_expert_sees_only_the_cases_that_seat_them_while_they_do(secretariat_a, case_a, platform_a):
    other_case = make_case(platform_a, secretariat_a.user, refer=False)
    expert = _expert(platform_a)
    f.seat(expert, platform_a, expert=True)
    services.working_group_add(case=case_a, actor=secretariat_a.user, user=expert)
    client = _client_for(expert)
    assert client.get(_case_url("detail", case_a)).status_code == 200
    assert client.get(_case_url("detail", other_case)).status_code == 404
    home = client.get(reverse("platform-home", kwargs={"platform": platform_a.slug})).text
    assert _case_url("detail", case_a) in home and _case_url("detail", other_case) not in home
    assert client.get(reverse("cases:list", kwargs={"platform": platform_a.slug})).status_code == 403
    assert client.get(reverse("orgs:list", kwargs={"platform": platform_a.slug})).status_code == 403
    # consents name organisations, not an expert: on the consent basis they see no item
    page = client.get(_case_url("detail", case_a)).text
    assert PERSON_NAME not in page and SITUATION not in page
    member = case_a.working_group.get(user=expert)
    services.working_group_remove(member=member, actor=secretariat_a.user)
    assert client.get(_case_url("detail", case_a)).status_code == 404
    assert (
        _case_url("detail", case_a)
        not in client.get(reverse("platform-home", kwargs={"platform": platform_a.slug})).text
    )


def test_an_expert_holds_no_grant_and_signs_in_with_a_second_factor(platform_a):
    expert = _expert(platform_a)
    role = f.make_role(f.make_user("expert_with_grants"), platform_a, Role.EXPERT, grants=["cases.export"])
    assert capabilities_of(role) == frozenset({"councils.working_group_seat"})
    assert needs_second_factor(expert)


def test_an_expert_is_seated_as_an_individual_and_only_an_expert_is(secretariat_a, platform_a, case_a):
    council = Council.objects.get(platform=platform_a)
    expert = _expert(platform_a)
    body = council.bodies.first()
    with pytest.raises(ValidationError, match="専門家は構成機関を選ばず"):
        from councils import services as council_services

        council_services.duty_acknowledge(
            council=council, actor=secretariat_a.user, user=expert, acknowledged_on=FROZEN_TODAY, body=body
        )
    response = secretariat_a.post(
        _council_url("seats", platform_a),
        {"user": secretariat_a.user.pk, "acknowledged_on": "2026-05-01", "confirmed": "on"},
    )
    assert "個人の専門家として記録できるのは「専門家」の役割の利用者だけです" in response.text
    response = secretariat_a.post(
        _council_url("seats", platform_a),
        {"user": expert.pk, "expertise": "弁護士", "acknowledged_on": "2026-05-01", "confirmed": "on"},
    )
    assert response.status_code == 302
    assert DutyAcknowledgement.objects.get(user=expert).kind == "expert"


# --- the legal basis of each disclosure ---------------------------------------------------


def test_every_disclosure_shows_its_legal_basis_on_the_case_and_in_the_access_log(
    secretariat_a, admin_a, wg_member_a, case_a, platform_a, third_org_a
):
    # consent: wg_member_a (case_a's fixture)
    added = CaseEvent.objects.get(case=case_a, action="cases.working_group.added")
    assert added.data["basis"] == "consent" and added.data["duty"]
    page = wg_member_a.get(_case_url("detail", case_a)).text
    assert "共有の根拠" in page and "本人の同意（同意された項目だけ）" in page
    viewed = CaseEvent.objects.filter(case=case_a, action="cases.case.viewed", actor=wg_member_a.user).latest(
        "id"
    )
    assert viewed.data["basis"] == "consent"
    assert "本人の同意（同意された項目だけ）" in wg_member_a.get(_case_url("print", case_a)).text
    printed = CaseEvent.objects.get(case=case_a, action="cases.case.printed", actor=wg_member_a.user)
    assert printed.data["basis"] == "consent"
    # the body's work under the duty: a member who sees everything, with the reason
    lead = f.make_user("lead")
    f.make_role(lead, platform_a, Role.SECRETARIAT, grants=["cases.working_group_consent_override"])
    user = f.make_user("wg_full")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=third_org_a)
    f.seat(user, platform_a)
    response = _client_for(lead).post(
        _case_url("working-group", case_a), {"user": user.pk, "override_reason": "架空: 緊急の安否確認"}
    )
    assert response.status_code == 302
    assert CaseWorkingGroupMember.objects.get(user=user).legal_basis == "duty"
    override = CaseEvent.objects.get(case=case_a, action="cases.working_group.consent_override")
    assert override.data["basis"] == "duty"
    member_page = _client_for(user).get(_case_url("detail", case_a)).text
    assert "会議体の事務（法に基づく守秘義務のもと、事務局が理由を記録）" in member_page
    assert (
        CaseEvent.objects.filter(actor=user, action="cases.case.viewed").latest("id").data["basis"] == "duty"
    )
    # the secretariat's case page names each member's basis
    staff_page = secretariat_a.get(_case_url("detail", case_a)).text
    assert "共有の根拠: 本人の同意（同意された項目だけ）" in staff_page
    assert "共有の根拠: 会議体の事務（法に基づく守秘義務のもと、理由を記録）" in staff_page
    # and the access log shows it in words
    log = admin_a.get(_case_url("audit", case_a)).text
    assert "共有の根拠: 本人の同意（同意された項目だけ）" in log
    assert "共有の根拠: 会議体の事務（法に基づく守秘義務のもと、理由を記録）" in log


# --- working groups that end --------------------------------------------------------------


def test_the_working_group_closes_when_the_support_provider_is_decided(
    secretariat_a, coordinator_a, wg_member_a, case_a, referral_a, platform_a
):
    Council.objects.filter(platform=platform_a).update(groups_end_on_decision=True)  # 「支援先決定まで」
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 200
    response = coordinator_a.post(
        _case_url("referral-respond", case_a, referral_id=referral_a.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 404  # at once
    closure = WorkingGroupClosure.objects.get(case=case_a)
    assert closure.provider == referral_a.organisation
    member = CaseWorkingGroupMember.objects.get(user=wg_member_a.user)
    assert member.removed_at and member.end_reason == "closed"
    # the case stays with the secretariat and the chosen organisation
    assert secretariat_a.get(_case_url("detail", case_a)).status_code == 200
    assert coordinator_a.get(_case_url("detail", case_a)).status_code == 200
    page = secretariat_a.get(_case_url("working-group", case_a)).text
    assert "作業部会を閉じました" in page and 'name="user"' not in page
    with pytest.raises(ValidationError, match="閉じています"):
        services.working_group_add(case=case_a, actor=secretariat_a.user, user=wg_member_a.user)
    event = CaseEvent.objects.get(case=case_a, action="cases.working_group.closed")
    assert event.data["organisation"] == referral_a.organisation_id


def test_the_secretariat_closes_it_by_hand_once_an_organisation_accepted(
    secretariat_a, coordinator_a, wg_member_a, case_a, referral_a
):
    url = _case_url("working-group-close", case_a)
    response = secretariat_a.post(url, follow=True)
    assert "支援先がまだ決まっていません" in response.text
    assert not WorkingGroupClosure.objects.filter(case=case_a).exists()
    services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 200  # this platform's groups go on
    assert secretariat_a.post(url).status_code == 302
    assert wg_member_a.get(_case_url("detail", case_a)).status_code == 404
