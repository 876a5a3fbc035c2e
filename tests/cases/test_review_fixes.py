"""Findings of the ledger review, each pinned by a test that failed before its fix."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "cursor", ["9" * 30 + ".1", "-" + "9" * 20 + ".1", "1." + "9" * 30, "1.-5", "x.y", "1.2.3"]
)
def test_a_hand_edited_page_cursor_shows_the_first_page_not_an_error(secretariat_a, admin_a, case_a, cursor):
    url = reverse("cases:list", kwargs={"platform": case_a.platform.slug})
    response = secretariat_a.get(url, {"after": cursor})
    assert response.status_code == 200 and f"/cases/{case_a.pk}/" in response.text
    url = reverse(
        "cases:user-audit", kwargs={"platform": case_a.platform.slug, "user_id": secretariat_a.user.pk}
    )
    assert admin_a.get(url, {"after": cursor}).status_code == 200


@pytest.mark.parametrize("name", ["edit", "plan"])
def test_opening_an_edit_form_is_logged_as_a_view(secretariat_a, case_a, name):
    """The edit forms show the person's data (name, situation, plan), so opening one is an access."""
    from cases.models import CaseEvent
    from tests.ledger import PERSON_NAME

    before = CaseEvent.objects.filter(case=case_a, action="cases.case.viewed").count()
    response = secretariat_a.get(
        reverse(f"cases:{name}", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    )
    assert response.status_code == 200
    if name == "edit":
        assert PERSON_NAME in response.text
    events = CaseEvent.objects.filter(case=case_a, action="cases.case.viewed").order_by("-id")
    assert events.count() == before + 1
    assert events[0].actor == secretariat_a.user and events[0].data == {
        "level": "secretariat",
        "page": {"edit": "intake", "plan": "plan"}[name],
    }


def test_anonymising_also_strips_a_consent_override_reason(overrider_a, secretariat_a, platform_a, org_a):
    """The override reason is free text about the person (often health: 「入院中」), so retention strips it."""
    import datetime as dt
    import io

    from django.core.management import call_command

    from cases import services
    from cases.models import Referral
    from tests.ledger import REFERRAL_DATA, make_case

    case = make_case(platform_a, overrider_a.user)
    services.referral_send(
        case=case,
        actor=overrider_a.user,
        organisation=org_a,
        data=dict(REFERRAL_DATA),
        override_reason="本人が入院中で緊急に食糧が必要",
        may_override=True,
    )
    case.refresh_from_db()
    services.case_close(
        case=case,
        actor=secretariat_a.user,
        reason="moved",
        note="",
        closed_on=dt.date(2026, 4, 20),
        version=case.version,
    )
    call_command("anonymise_cases", "--closed-before", "2026-05-01", stdout=io.StringIO())
    referral = Referral.objects.get(case=case)
    assert "入院" not in referral.override_reason
    assert referral.is_override  # the fact that consent was overridden stays on the record


def test_a_new_frequency_moves_the_next_handoff_deadline(secretariat_a, coordinator_a, case_a, accepted_a):
    """月2回 → 月1回: the case is overdue 30 days after the last handoff, not 15 (and the other way round)."""
    import datetime as dt

    from django.utils import timezone

    from cases import services
    from cases.models import Case

    last = timezone.localdate() - dt.timedelta(days=20)
    services.handoff_record(referral=accepted_a, actor=coordinator_a.user, data={"date": last, "given": "米"})
    case = Case.objects.get(pk=case_a.pk)
    assert case.next_handoff_due == last + dt.timedelta(days=15)  # 月2回: overdue now
    url = reverse("cases:plan", kwargs={"platform": case.platform.slug, "pk": case.pk})
    plan = {
        "support_type": "food",
        "city_support": "",
        "npo_support": "",
        "frequency_per_month": 1,
        "version": case.version,
    }
    assert secretariat_a.post(url, plan).status_code == 302
    case.refresh_from_db()
    assert case.next_handoff_due == last + dt.timedelta(days=30)
    overdue = secretariat_a.get(
        reverse("cases:list", kwargs={"platform": case.platform.slug}), {"stale": "overdue"}
    )
    assert f"/cases/{case.pk}/" not in overdue.text
    assert (
        secretariat_a.post(url, {**plan, "frequency_per_month": 4, "version": case.version}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.next_handoff_due == last + dt.timedelta(days=8)


def test_a_new_frequency_before_any_handoff_counts_from_the_acceptance(secretariat_a, case_a, accepted_a):
    import datetime as dt

    from django.utils import timezone

    from cases.models import Case

    case = Case.objects.get(pk=case_a.pk)
    assert case.next_handoff_due == timezone.localdate() + dt.timedelta(days=15)
    url = reverse("cases:plan", kwargs={"platform": case.platform.slug, "pk": case.pk})
    secretariat_a.post(url, {"support_type": "food", "frequency_per_month": 1, "version": case.version})
    case.refresh_from_db()
    assert case.next_handoff_due == timezone.localdate() + dt.timedelta(days=30)


def test_the_citys_note_is_hidden_from_the_organisation_once_its_referral_is_over(
    secretariat_a, coordinator_a, platform_a, org_a
):
    """The note is free text about the person; after a decline (or the end of support) the
    organisation no longer needs it, like the consented items (need to know)."""
    from cases import services
    from tests.ledger import REFERRAL_DATA, make_case

    case = make_case(platform_a, secretariat_a.user, org=org_a, refer=False)
    referral = services.referral_send(
        case=case,
        actor=secretariat_a.user,
        organisation=org_a,
        data={**REFERRAL_DATA, "note": "玄関の鍵は隣家に預けてある"},
    )
    url = reverse("cases:detail", kwargs={"platform": platform_a.slug, "pk": case.pk})
    assert "玄関の鍵は隣家に預けてある" in coordinator_a.get(url).text
    services.referral_respond(referral=referral, actor=coordinator_a.user, accept=False, reason="no_capacity")
    page = coordinator_a.get(url).text
    assert "受け入れ余力がない" in page and "玄関の鍵は隣家に預けてある" not in page
    assert "玄関の鍵は隣家に預けてある" in secretariat_a.get(url).text


def test_the_case_log_pages_through_every_entry(admin_a, coordinator_a, case_a, monkeypatch):
    """It used to stop at the newest 1,000 entries with no way to older ones: a much-viewed case
    hid its oldest accesses, which are the ones a leak inquiry needs."""
    from cases import selectors
    from cases.models import CaseEvent

    monkeypatch.setattr(selectors, "AUDIT_PAGE_SIZE", 3)
    detail = reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    for _ in range(4):
        coordinator_a.get(detail)
    url = reverse("cases:audit", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    wanted = set(CaseEvent.objects.filter(case=case_a).values_list("pk", flat=True))
    seen: list[int] = []
    cursor = None
    for _ in range(20):
        response = admin_a.get(url, {"after": cursor} if cursor else {})
        page = response.context["page"]
        assert len(page.rows) <= 3
        seen += [e.pk for e in page.rows]
        cursor = page.next_cursor
        if not cursor:
            break
        assert "さらに古い記録" in response.text
    assert wanted <= set(seen) and len(seen) == len(set(seen))


@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_the_end_of_support_waits_instead_of_deadlocking(
    secretariat_a, coordinator_a, case_a, referral_a
):
    """case_close locks the case row, then closes the open referrals. referral_respond used to lock
    the referral first and the case second: the two waited on each other and PostgreSQL killed
    one (a 500). Now both take the case row first."""
    import threading
    import time

    from django.core.exceptions import ValidationError
    from django.db import connection, connections, transaction

    from cases import services
    from cases.models import Case, Referral, ReferralStatus

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    outcome: list[object] = []

    def answer() -> None:
        try:
            services.referral_respond(referral=referral_a, actor=coordinator_a.user, accept=True)
            outcome.append("accepted")
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            outcome.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():  # what case_close does: the case row, then the referrals
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
        Case.objects.select_for_update().get(pk=case_a.pk)
        worker = threading.Thread(target=answer)
        worker.start()
        time.sleep(0.5)  # let the answer reach its first lock
        Referral.objects.filter(pk=referral_a.pk).update(status=ReferralStatus.CLOSED)
    worker.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    assert Referral.objects.get(pk=referral_a.pk).status == ReferralStatus.CLOSED


def test_a_referral_or_consent_from_a_page_opened_before_support_ended_is_refused(
    secretariat_a, admin_a, case_a, org_a
):
    """The city closes the case while a colleague still has the referral form open: the
    colleague's referral must not reopen the organisation's access to a closed case."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from cases import services
    from cases.models import Case, CaseStatus
    from tests.ledger import REFERRAL_DATA, consent_data

    opened = Case.objects.get(pk=case_a.pk)  # the colleague's page loaded the case here
    services.case_close(
        case=Case.objects.get(pk=case_a.pk),
        actor=admin_a.user,
        reason="moved",
        note="",
        closed_on=dt.date(2026, 5, 1),
        version=case_a.version,
    )
    with pytest.raises(ValidationError):
        services.referral_send(
            case=opened, actor=secretariat_a.user, organisation=org_a, data=dict(REFERRAL_DATA)
        )
    with pytest.raises(ValidationError):
        services.consent_record(
            case=opened, actor=secretariat_a.user, data=consent_data(), organisations=[org_a]
        )
    assert case_a.referrals.filter(status__in=["sent", "accepted"]).count() == 0
    assert case_a.consents.count() == 1
    assert Case.objects.get(pk=case_a.pk).status == CaseStatus.CLOSED


def test_anonymise_refuses_a_date_after_today(secretariat_a, case_a):
    """Anonymising cannot be undone: a mistyped year must not strip every closed case."""
    import datetime as dt
    import io

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from cases import services
    from cases.models import Case

    services.case_close(
        case=case_a,
        actor=secretariat_a.user,
        reason="moved",
        note="",
        closed_on=timezone.localdate(),
        version=case_a.version,
    )
    later = (timezone.localdate() + dt.timedelta(days=365 * 36)).isoformat()
    with pytest.raises(CommandError, match="今日より後"):
        call_command("anonymise_cases", "--closed-before", later, stdout=io.StringIO())
    assert Case.objects.get(pk=case_a.pk).anonymised_at is None


def test_the_figures_page_runs_a_fixed_number_of_queries_whatever_the_organisations(
    secretariat_a,
    coordinator_a,
    platform_a,
    org_a,
    django_assert_num_queries,
):
    """It used to count households with one query per organisation."""
    from django.utils import timezone

    from cases import services
    from tests import factories as f
    from tests.ledger import make_case

    def hand_off(org):
        case = make_case(platform_a, secretariat_a.user, org=org)
        referral = services.referral_respond(
            referral=case.referrals.get(), actor=coordinator_a.user, accept=True
        )
        services.handoff_record(
            referral=referral, actor=coordinator_a.user, data={"date": timezone.localdate(), "given": "米"}
        )

    hand_off(org_a)
    url = reverse("cases:stats", kwargs={"platform": platform_a.slug})
    # session, user, 2FA device, platform, role, referrals per month/org, handoffs per month/org, organisations,
    # households per month, households in the year, households per organisation; the two-way flow:
    # referrals by direction, members' requests, supporters' reports
    with django_assert_num_queries(14):
        first = secretariat_a.get(url).context
    for i in range(3):
        hand_off(f.make_org(platform_a, name=f"団体{i}", name_kana=f"ダンタイ{i}"))
    with django_assert_num_queries(14):
        ctx = secretariat_a.get(url).context
    assert first["totals"]["households"] == 1 and ctx["totals"]["households"] == 4
    assert sorted(r["households"] for r in ctx["per_org"]) == [1, 1, 1, 1]


def test_revoking_consent_is_a_deliberate_step_with_its_date_and_a_note(secretariat_a, case_a):
    """It was one button that revoked at once, dated today, with no way to give the date the
    person actually withdrew (often by phone, days earlier) or a note; and it cannot be undone."""
    import re

    consent = case_a.consents.get()
    page = secretariat_a.get(
        reverse("cases:detail", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    ).text
    details = re.search(r"<details>.*?</details>", page, re.S)
    assert details is not None
    form = details.group(0)
    assert f"/consent/{consent.pk}/revoke/" in form
    assert re.search(r'<input type="date"[^>]*name="revoked_on"', form) and 'name="note"' in form
    assert "取り消せません" in form
    url = reverse(
        "cases:consent-revoke",
        kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "consent_id": consent.pk},
    )
    assert (
        secretariat_a.post(url, {"revoked_on": "2026-05-20", "note": "電話で撤回の申し出"}).status_code == 302
    )
    consent.refresh_from_db()
    assert str(consent.revoked_on) == "2026-05-20" and consent.revoked_note == "電話で撤回の申し出"


def test_the_coordinator_can_find_which_cases_are_overdue_or_unanswered(
    secretariat_a, coordinator_a, platform_a, org_a, case_a, accepted_a, django_assert_num_queries
):
    """The home panel counted the organisation's overdue handoffs, but nothing said which ones."""
    import datetime as dt

    from django.utils import timezone

    from cases.models import Case, Referral
    from tests.ledger import make_case

    waiting = make_case(platform_a, secretariat_a.user, org=org_a)
    Case.objects.filter(pk=case_a.pk).update(next_handoff_due=timezone.localdate() - dt.timedelta(days=1))
    Referral.objects.filter(case=waiting).update(sent_at=timezone.now() - dt.timedelta(days=4))
    home = coordinator_a.get(reverse("platform-home", kwargs={"platform": platform_a.slug})).text
    assert "?stale=overdue" in home and "?stale=unanswered" in home
    url = reverse("cases:list", kwargs={"platform": platform_a.slug})
    # session, user, 2FA device, platform, role, one page of referrals (case joined), working-group cases
    with django_assert_num_queries(7):
        page = coordinator_a.get(url).text
    assert page.count("引き渡しの期限切れ") == 1
    overdue = coordinator_a.get(url, {"stale": "overdue"}).text
    assert f"/cases/{case_a.pk}/" in overdue and f"/cases/{waiting.pk}/" not in overdue
    unanswered = coordinator_a.get(url, {"stale": "unanswered"}).text
    assert f"/cases/{waiting.pk}/" in unanswered and f"/cases/{case_a.pk}/" not in unanswered


def test_a_consent_dated_in_the_future_is_refused(secretariat_a, platform_a, org_a):
    """It was accepted and counted as valid at once, so a referral could go out on a consent not yet given."""
    import datetime as dt

    from django.utils import timezone

    from tests.ledger import make_case

    case = make_case(platform_a, secretariat_a.user)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = secretariat_a.post(
        reverse("cases:consent-create", kwargs={"platform": platform_a.slug, "pk": case.pk}),
        {
            "method": "written",
            "given_by": "本人",
            "given_on": tomorrow,
            "ack_share": "on",
            "ack_no_choice": "on",
            "ack_take_support": "on",
            "ack_end_rule": "on",
            "organisations": [org_a.pk],
            "items": ["age"],
        },
    )
    assert response.status_code == 200 and "同意日に未来の日付は入力できません" in response.text
    assert not case.consents.exists()


def test_a_second_open_referral_to_the_same_organisation_is_refused(secretariat_a, platform_a, org_a):
    """A double-clicked save sent the organisation the same request twice."""
    from cases.models import Referral
    from tests.ledger import make_case

    case = make_case(platform_a, secretariat_a.user, org=org_a, refer=False)
    url = reverse("cases:referral-create", kwargs={"platform": platform_a.slug, "pk": case.pk})
    post = {
        "organisation": org_a.pk,
        "support_type": "food",
        "adults": 1,
        "children": 0,
        "days": 3,
        "urgency": "normal",
    }
    assert secretariat_a.post(url, post).status_code == 302
    response = secretariat_a.post(url, post)
    assert response.status_code == 200 and "すでに応答待ちか受諾中です" in response.text
    assert Referral.objects.filter(case=case).count() == 1
    # once the organisation declined, the city may ask it again later
    Referral.objects.filter(case=case).update(status="declined")
    assert secretariat_a.post(url, post).status_code == 302
    assert Referral.objects.filter(case=case).count() == 2


def test_after_a_decline_the_ledger_no_longer_names_that_organisation_as_holding_the_case(
    secretariat_a,
    coordinator_a,
    case_a,
    referral_a,
    org_a,
):
    """The list's 依頼先 column kept showing the organisation that had declined."""
    from cases.models import Case

    url = reverse(
        "cases:referral-respond",
        kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "referral_id": referral_a.pk},
    )
    coordinator_a.post(url, {"decision": "decline", "reason": "no_capacity"})
    assert Case.objects.get(pk=case_a.pk).referred_to is None
    page = secretariat_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug})).text
    assert org_a.name not in page


def test_the_apps_name_in_the_admin_is_translatable():
    from django.apps import apps
    from django.utils.functional import Promise

    assert isinstance(apps.get_app_config("cases").verbose_name, Promise)


def test_the_referral_form_says_which_organisations_the_consent_covers(
    secretariat_a, platform_a, org_a, other_org_a
):
    """City staff picked from every member organisation and learnt only after saving that consent
    did not cover it. The form now names the covered ones (from the prefetched consents)."""
    from tests.ledger import make_case

    bare = make_case(platform_a, secretariat_a.user)
    page = secretariat_a.get(
        reverse("cases:referral-create", kwargs={"platform": platform_a.slug, "pk": bare.pk})
    ).text
    assert "まだ有効な同意がありません" in page and f"/cases/{bare.pk}/consent/" in page
    case = make_case(platform_a, secretariat_a.user, org=org_a, refer=False)
    page = secretariat_a.get(
        reverse("cases:referral-create", kwargs={"platform": platform_a.slug, "pk": case.pk})
    ).text
    assert f"有効な同意で依頼できる団体: {org_a.name}<" in page
    assert f"{other_org_a.name}、" not in page and f"、{other_org_a.name}" not in page


def test_the_steps_are_numbered_once_and_the_current_one_is_marked(secretariat_a, platform_a):
    page = secretariat_a.get(reverse("cases:create", kwargs={"platform": platform_a.slug})).text
    assert "1. 発見</li>" not in page  # the <ol> numbers the steps, not the text
    assert page.count('aria-current="step"') == 1
    assert 'class=" current" aria-current="step"><strong>発見</strong>' in page


def test_a_household_helped_by_two_organisations_in_a_month_counts_once(
    secretariat_a, coordinator_a, platform_a, org_a, other_org_a
):
    from django.utils import timezone

    from cases import services
    from tests.ledger import REFERRAL_DATA, consent_data, make_case

    case = make_case(platform_a, secretariat_a.user, org=org_a)
    services.consent_record(
        case=case, actor=secretariat_a.user, data=consent_data(), organisations=[other_org_a]
    )
    services.referral_send(
        case=case, actor=secretariat_a.user, organisation=other_org_a, data=dict(REFERRAL_DATA)
    )
    for referral in case.referrals.all():
        referral = services.referral_respond(referral=referral, actor=coordinator_a.user, accept=True)
        services.handoff_record(
            referral=referral, actor=coordinator_a.user, data={"date": timezone.localdate(), "given": "米"}
        )
    ctx = secretariat_a.get(reverse("cases:stats", kwargs={"platform": platform_a.slug})).context
    month = next(r for r in ctx["per_month"] if r["month"] == timezone.localdate().replace(day=1))
    assert month["handoffs"] == 2 and month["households"] == 1
    assert ctx["totals"]["households"] == 1
    assert sorted(r["households"] for r in ctx["per_org"]) == [1, 1]


@pytest.mark.parametrize("version", [None, "abc", "0"])
def test_a_form_without_its_version_says_why_nothing_was_saved(secretariat_a, case_a, version):
    """A missing or broken hidden version saved nothing and showed no message at all."""
    from cases.models import Case

    url = reverse("cases:plan", kwargs={"platform": case_a.platform.slug, "pk": case_a.pk})
    data = {"support_type": "food", "city_support": "新しい方針", "frequency_per_month": 1}
    if version is not None:
        data["version"] = version
    response = secretariat_a.post(url, data)
    assert response.status_code == 200 and "画面を開き直してから入力してください" in response.text
    assert Case.objects.get(pk=case_a.pk).city_support != "新しい方針"


def test_a_revocation_is_told_to_the_organisation_working_on_the_case(
    secretariat_a, coordinator_a, other_coordinator_a, case_a, django_capture_on_commit_callbacks
):
    """The organisation silently lost the person's items; now it gets a link-only email."""
    from django.core import mail

    from cases.models import CaseEvent
    from tests.ledger import PERSON_NAME, SITUATION

    coordinator_a.user.email = "coord@example.jp"
    coordinator_a.user.save()
    other_coordinator_a.user.email = "other@example.jp"
    other_coordinator_a.user.save()
    consent = case_a.consents.get()
    url = reverse(
        "cases:consent-revoke",
        kwargs={"platform": case_a.platform.slug, "pk": case_a.pk, "consent_id": consent.pk},
    )
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_a.post(url, {"revoked_on": "2026-05-20", "note": "本人から電話で撤回"})
    assert [m.to for m in mail.outbox] == [["coord@example.jp"]]
    text = f"{mail.outbox[0].subject}{mail.outbox[0].body}"
    assert f"/cases/{case_a.pk}/" in text
    for secret in (PERSON_NAME, SITUATION, "本人から電話で撤回"):
        assert secret not in text
    event = CaseEvent.objects.get(case=case_a, action="cases.consent.revoked")
    assert event.data["organisations_told"] == [case_a.referrals.get().organisation_id]


def test_administrators_can_pick_any_user_of_the_platform_to_read_their_log(
    admin_a, secretariat_a, coordinator_a, secretariat_b, case_a, django_assert_num_queries
):
    """The per-user log was reachable only by finding the person's name in some case's log."""
    list_page = admin_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug})).text
    index = reverse("cases:user-audit-index", kwargs={"platform": case_a.platform.slug})
    assert index in list_page
    # session, user, 2FA device, platform, role, the platform's roles with users and organisations
    with django_assert_num_queries(6):
        page = admin_a.get(index).text
    for persona in (secretariat_a, coordinator_a):
        assert (
            reverse("cases:user-audit", kwargs={"platform": case_a.platform.slug, "user_id": persona.user.pk})
            in page
        )
    assert secretariat_b.user.username not in page
    assert (
        index not in secretariat_a.get(reverse("cases:list", kwargs={"platform": case_a.platform.slug})).text
    )
