"""Consent rules closed: a withdrawal is dated on a real day, a mistaken one is corrected (never
erased), the organisations working on the case see it where they work, and a working group sees
only what the person consented to share with each member's organisation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import CaseEvent, ConsentCorrection
from platform_site.models import Role
from tests import factories as f
from tests.conftest import FROZEN_TODAY, _client_for
from tests.ledger import PERSON_NAME, SITUATION

pytestmark = pytest.mark.usefixtures("frozen_now")


def _url(name, case, **kw):
    return reverse(f"cases:{name}", kwargs={"platform": case.platform.slug, "pk": case.pk, **kw})


def _revoke(client, case, day, note=""):
    consent = case.consents.get()
    return client.post(
        _url("consent-revoke", case, consent_id=consent.pk), {"revoked_on": day, "note": note}, follow=True
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2062-01-01", "撤回日に未来の日付は指定できません。"),
        ((FROZEN_TODAY + dt.timedelta(days=1)).isoformat(), "撤回日に未来の日付は指定できません。"),
        ("1999-01-01", "撤回日が同意日（2026/05/20）より前になっています。"),
        (
            (FROZEN_TODAY - dt.timedelta(days=1)).isoformat(),
            "撤回日が同意日（2026/05/20）より前になっています。",
        ),
    ],
)
def test_a_withdrawal_date_in_the_future_or_before_the_consent_is_refused(
    secretariat_a, coordinator_a, case_a, day, message
):
    response = _revoke(secretariat_a, case_a, day)
    assert message in response.text
    consent = case_a.consents.get()
    assert consent.revoked_on is None
    assert not CaseEvent.objects.filter(action="cases.consent.revoked").exists()
    # the organisation still sees what the consent covers, as before
    assert SITUATION in coordinator_a.get(_url("detail", case_a)).text


def test_a_refused_withdrawal_shows_the_case_page_again_with_the_error_at_its_field(secretariat_a, case_a):
    """One error pattern: 400, the title and the summary say so, the summary links to the date,
    which is invalid and names its message; the page shown is logged as a view of the case."""
    consent = case_a.consents.get()
    viewed = CaseEvent.objects.filter(case=case_a, action="cases.case.viewed").count()
    response = secretariat_a.post(
        _url("consent-revoke", case_a, consent_id=consent.pk), {"revoked_on": "", "note": "電話で"}
    )
    assert response.status_code == 400
    page = response.text
    assert re.search(r"<title>\s*入力エラー：", page)
    field = f"revoke-{consent.pk}-revoked_on"
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert summary is not None and f'href="#{field}"' in summary.group(0)
    box = re.search(rf'<input[^>]*id="{field}"[^>]*>', page)
    assert box is not None and 'aria-invalid="true"' in box.group(0)
    assert f'aria-describedby="{field}_error"' in box.group(0)
    assert f'id="{field}_error"' in page
    assert 'value="電話で"' in page  # the bound form, not a fresh one
    assert re.search(r"<details open>", page)  # the form is shown open
    assert consent.__class__.objects.get(pk=consent.pk).revoked_on is None
    assert CaseEvent.objects.filter(case=case_a, action="cases.case.viewed").count() == viewed + 1


def test_the_service_refuses_the_same_dates(secretariat_a, case_a):
    consent = case_a.consents.get()
    for day in (dt.date(2062, 1, 1), dt.date(1999, 1, 1)):
        with pytest.raises(ValidationError):
            services.consent_revoke(consent=consent, actor=secretariat_a.user, revoked_on=day)
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_a_withdrawal_today_or_on_the_consent_day_is_recorded(secretariat_a, case_a):
    response = _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat())
    assert "同意の撤回を記録しました。" in response.text
    assert case_a.consents.get().revoked_on == FROZEN_TODAY


def _correct(client, case, data):
    consent = case.consents.get()
    return client.post(_url("consent-correct", case, consent_id=consent.pk), data)


def test_a_mistaken_withdrawal_is_corrected_with_a_reason_and_both_are_kept(
    secretariat_a, coordinator_a, case_a
):
    _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat(), note="電話で撤回")
    assert SITUATION not in coordinator_a.get(_url("detail", case_a)).text
    consent = case_a.consents.get()
    page = secretariat_a.get(_url("detail", case_a)).text
    assert _url("consent-correct", case_a, consent_id=consent.pk) in page

    # no reason: refused, nothing changed
    response = _correct(secretariat_a, case_a, {"not_withdrawn": "on", "reason": ""})
    assert response.status_code == 200 and "訂正の理由を書いてください。" in response.text
    assert not ConsentCorrection.objects.exists()

    response = _correct(
        secretariat_a, case_a, {"not_withdrawn": "on", "reason": "別の方の撤回を誤って記録した"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on is None
    fix = ConsentCorrection.objects.get()
    assert (fix.previous_revoked_on, fix.previous_note, fix.revoked_on) == (FROZEN_TODAY, "電話で撤回", None)
    assert fix.corrected_by == secretariat_a.user and fix.reason == "別の方の撤回を誤って記録した"
    event = CaseEvent.objects.get(action="cases.consent.revocation_corrected")
    assert event.data["from"] == FROZEN_TODAY.isoformat() and event.data["to"] is None
    assert "別の方" not in str(event.data)  # the reason stays on the correction row, not in the log
    # the organisation sees the consented items again; the case shows the original and the fix
    assert SITUATION in coordinator_a.get(_url("detail", case_a)).text
    page = secretariat_a.get(_url("detail", case_a)).text
    assert (
        "訂正前の撤回日 2026/05/20" in page and "別の方の撤回を誤って記録した" in page and "撤回なし" in page
    )
    # the revocation itself is still in the log
    assert CaseEvent.objects.filter(action="cases.consent.revoked").count() == 1


def test_a_correction_to_another_date_is_checked_like_a_withdrawal(secretariat_a, case_a):
    _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat())
    response = _correct(secretariat_a, case_a, {"revoked_on": "2062-01-01", "reason": "日付の誤り"})
    assert "撤回日に未来の日付は指定できません。" in response.text
    response = _correct(secretariat_a, case_a, {"reason": "日付の誤り"})
    assert "正しい撤回日を入力するか" in response.text
    assert not ConsentCorrection.objects.exists()
    assert case_a.consents.get().revoked_on == FROZEN_TODAY


def test_a_consent_not_withdrawn_has_nothing_to_correct(secretariat_a, case_a):
    response = _correct(secretariat_a, case_a, {"not_withdrawn": "on", "reason": "x"})
    assert response.status_code == 302
    assert not ConsentCorrection.objects.exists()
    with pytest.raises(ValidationError):
        services.consent_revocation_correct(
            consent=case_a.consents.get(), actor=secretariat_a.user, revoked_on=None, reason="x"
        )


def test_the_organisation_sees_the_withdrawal_on_its_inbox_card_and_case_page(
    secretariat_a, coordinator_a, case_a
):
    coordinator_a.user.email = ""  # no email address: the screens must tell them
    coordinator_a.user.save()
    inbox = reverse("cases:list", kwargs={"platform": case_a.platform.slug})
    assert "同意撤回" not in coordinator_a.get(inbox).text
    _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat())
    card = coordinator_a.get(inbox).text
    assert "同意撤回（2026/05/20）" in card and "本人が同意を撤回しました" in card
    page = coordinator_a.get(_url("detail", case_a)).text
    assert "同意撤回（2026/05/20）" in page and "本人がこの依頼の同意を2026/05/20に撤回しました" in page
    assert SITUATION not in page and PERSON_NAME not in page


def test_the_withdrawal_email_links_to_the_platforms_own_address(
    secretariat_a, coordinator_a, case_a, platform_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://server-default.example.jp"
    platform_a.site_url = "https://tsunagu.city-a.example.lg.jp"
    platform_a.save()
    coordinator_a.user.email = "coord@example.jp"
    coordinator_a.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat())
    assert [m.to for m in mail.outbox] == [["coord@example.jp"]]
    body = mail.outbox[0].body
    assert f"https://tsunagu.city-a.example.lg.jp/p/{platform_a.slug}/cases/{case_a.pk}/" in body
    assert "server-default" not in body


def test_without_a_platform_address_the_email_uses_the_servers(
    secretariat_a, coordinator_a, case_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://server-default.example.jp/"
    coordinator_a.user.email = "coord@example.jp"
    coordinator_a.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat())
    assert (
        f"https://server-default.example.jp/p/{case_a.platform.slug}/cases/{case_a.pk}/"
        in mail.outbox[0].body
    )


# --- working groups


def test_a_member_whose_organisation_the_consent_does_not_name_sees_nothing_personal(wg_member_a, case_a):
    page = wg_member_a.get(_url("detail", case_a)).text
    assert "あなたの団体への共有に同意された項目だけ" in page
    for secret in (PERSON_NAME, SITUATION, "090-0000-0000", "3人世帯", "そば", "家計が逼迫"):
        assert secret not in page
    assert CaseEvent.objects.filter(
        action="cases.case.viewed", data__level="working_group_consented"
    ).exists()


def test_a_member_sees_the_items_consented_for_their_organisation(
    secretariat_a, platform_a, other_org_a, case_a
):
    """A consent naming other_org_a for the name only: its coordinator, in the working group,
    sees the name and nothing else (not what org_a's consent covers)."""
    from tests.ledger import consent_data

    services.consent_record(
        case=case_a, actor=secretariat_a.user, data=consent_data(items=["name"]), organisations=[other_org_a]
    )
    user = f.make_user("wg_other")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=other_org_a)
    f.seat(user, platform_a)
    services.working_group_add(case=case_a, actor=secretariat_a.user, user=user)
    page = _client_for(user).get(_url("detail", case_a)).text
    assert PERSON_NAME in page
    assert SITUATION not in page and "090-0000-0000" not in page and "家計が逼迫" not in page


def test_only_a_holder_of_the_override_right_can_show_everything_and_must_say_why(
    secretariat_a, platform_a, case_a, third_org_a
):
    form = secretariat_a.get(_url("working-group", case_a)).text
    assert 'name="override_reason"' not in form  # no right, no field
    user = f.make_user("wg_override")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=third_org_a)
    f.seat(user, platform_a)
    # the field posted anyway is ignored: the member sees only the consented items
    secretariat_a.post(_url("working-group", case_a), {"user": user.pk, "override_reason": "理由"})
    member = case_a.working_group.get(user=user)
    assert member.override_reason == ""
    x = f.make_user("x")
    f.make_role(x, platform_a, Role.COORDINATOR, organisation=third_org_a)
    f.seat(x, platform_a)
    with pytest.raises(ValidationError, match="同意の範囲外の項目を見せる権限がありません"):
        services.working_group_add(case=case_a, actor=secretariat_a.user, user=x, override_reason="r")


def test_an_override_with_a_reason_shows_everything_is_logged_and_shown(platform_a, case_a, third_org_a):
    lead = f.make_user("lead")
    f.make_role(lead, platform_a, Role.SECRETARIAT, grants=["cases.working_group_consent_override"])
    lead_client = _client_for(lead)
    assert 'name="override_reason"' in lead_client.get(_url("working-group", case_a)).text
    user = f.make_user("wg_full")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=third_org_a)
    f.seat(user, platform_a)
    response = lead_client.post(
        _url("working-group", case_a),
        {"user": user.pk, "override_reason": "架空: 緊急の安否確認で住所が必要"},
    )
    assert response.status_code == 302
    page = _client_for(user).get(_url("detail", case_a)).text
    assert PERSON_NAME in page and "090-0000-0000" in page and "家計が逼迫" in page
    event = CaseEvent.objects.get(action="cases.working_group.consent_override")
    assert event.data["user"] == user.pk and event.actor == lead
    case_page = lead_client.get(_url("detail", case_a)).text
    assert "同意の範囲外も閲覧（理由つき）" in case_page and "架空: 緊急の安否確認で住所が必要" in case_page
    assert "架空: 緊急の安否確認で住所が必要" in lead_client.get(_url("working-group", case_a)).text


def test_a_correction_is_never_changed_or_deleted(secretariat_a, case_a):
    """The correction keeps the original withdrawal: like the audit tables, its row is written
    once; neither the row nor a queryset can change or delete it."""
    from platform_site.audit import AuditEntryImmutable

    _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat())
    _correct(secretariat_a, case_a, {"not_withdrawn": "on", "reason": "別の方の撤回を誤って記録した"})
    fix = ConsentCorrection.objects.get()
    fix.reason = "書き換え"
    with pytest.raises(AuditEntryImmutable):
        fix.save()
    with pytest.raises(AuditEntryImmutable):
        fix.delete()
    rows = ConsentCorrection.objects.filter(pk=fix.pk)
    with pytest.raises(AuditEntryImmutable):
        rows.update(reason="書き換え")
    with pytest.raises(AuditEntryImmutable):
        ConsentCorrection.objects.bulk_update([fix], ["reason"])
    with pytest.raises(AuditEntryImmutable):
        rows.delete()
    fix.refresh_from_db()
    assert fix.reason == "別の方の撤回を誤って記録した" and fix.previous_revoked_on == FROZEN_TODAY


def test_retention_strips_a_corrections_free_text_and_keeps_its_dates(secretariat_a, case_a):
    """The note before the correction and the reason are about the person: retention replaces
    them (the one change a correction takes); the dates and who corrected it stay."""
    from platform_site.audit import AuditEntryImmutable

    _revoke(secretariat_a, case_a, FROZEN_TODAY.isoformat(), note="入院中のため電話で撤回")
    _correct(secretariat_a, case_a, {"not_withdrawn": "on", "reason": "入院先の方の撤回を誤って記録した"})
    case_a.refresh_from_db()
    services.case_close(
        case=case_a,
        actor=secretariat_a.user,
        reason="moved",
        note="",
        closed_on=FROZEN_TODAY,
        version=case_a.version,
    )
    assert services.cases_anonymise(closed_before=FROZEN_TODAY + dt.timedelta(days=1)) == 1
    fix = ConsentCorrection.objects.get()
    assert "入院" not in fix.previous_note + fix.reason
    assert fix.reason == services.ANONYMISED_TEXT
    assert (fix.previous_revoked_on, fix.revoked_on, fix.corrected_by) == (
        FROZEN_TODAY,
        None,
        secretariat_a.user,
    )
    with pytest.raises(AuditEntryImmutable):  # still closed to every other change
        ConsentCorrection.objects.filter(pk=fix.pk).update(reason="x")
