"""つながりサポーター (鳥取市: サポーター → 相談支援包括化推進員 → 行政) through the screens.

A supporter sends a short report from a phone to the person the platform names (the grant
cases.supporter_intake); it is not a case until that person makes it one; the supporter sees only
that it was received and handled. Reports are personal data: only the named person reads them,
and every reading is logged. What every other URL answers a supporter: tests/test_permissions_supporter.py.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseEvent, ReferralSource, Supporter, SupporterReport, SupporterReportStatus
from platform_site.models import PlatformRole, Role
from platform_site.signin.selectors import needs_second_factor
from tests import factories as f

BODY = "架空: 向かいの一人暮らしの方の新聞が3日分たまっている。"


def _url(name, platform, **kw):
    return reverse(f"cases:{name}", kwargs={"platform": platform.slug, **kw})


@pytest.fixture
def supporter_a(platform_a) -> Client:
    user = f.make_user("supporter_a", email="supporter@example.jp")
    f.make_role(user, platform_a, Role.SUPPORTER)
    Supporter.objects.create(platform=platform_a, user=user, trained_on="2025-11-01", area="中央地区")
    client = Client()
    client.force_login(user)  # their one right shows no personal data: no second factor needed
    client.user = user  # type: ignore[attr-defined]
    return client


def _name_intake(platform, client) -> None:
    PlatformRole.objects.filter(platform=platform, user=client.user).update(grants=["cases.supporter_intake"])


def test_a_supporter_needs_no_second_factor_and_gets_large_targets(supporter_a, platform_a):
    assert not needs_second_factor(supporter_a.user)
    page = supporter_a.get(_url("supporter-report-create", platform_a))
    assert page.status_code == 200 and "large-targets" in page.text
    assert "このあと" in page.text  # what happens next, before they write anything
    home = supporter_a.get(reverse("platform-home", kwargs={"platform": platform_a.slug}))
    assert _url("supporter-report-create", platform_a) in home.text


def test_nobody_named_means_the_report_is_not_sent(supporter_a, platform_a):
    response = supporter_a.post(_url("supporter-report-create", platform_a), {"body": BODY})
    assert response.status_code == 200 and "受付担当者がまだ決まっていない" in response.text
    assert not SupporterReport.objects.exists()


def test_a_report_reaches_the_named_person_and_the_supporter_sees_only_that_it_was_received(
    supporter_a, secretariat_a, admin_a, platform_a, django_capture_on_commit_callbacks
):
    secretariat_a.user.email = "suishin@example.jp"
    secretariat_a.user.save()
    _name_intake(platform_a, secretariat_a)
    empty = supporter_a.post(_url("supporter-report-create", platform_a), {"body": ""})
    assert empty.status_code == 200 and "気になったことを書いてください" in empty.text
    with django_capture_on_commit_callbacks(execute=True):
        response = supporter_a.post(_url("supporter-report-create", platform_a), {"body": BODY, "area": ""})
    assert response.status_code == 302
    report = SupporterReport.objects.get()
    assert report.area == "中央地区" and report.status == SupporterReportStatus.RECEIVED
    assert [m.to for m in mail.outbox] == [["suishin@example.jp"]] and BODY not in mail.outbox[0].body
    # the supporter's own list: received, not what they wrote
    mine = supporter_a.get(_url("supporter-reports-mine", platform_a))
    assert "受け付けました" in mine.text and BODY not in mine.text
    # only the named person reads it; the administrator without the grant may not know it exists
    assert admin_a.get(_url("supporter-report", platform_a, report_id=report.pk)).status_code == 404
    assert supporter_a.get(_url("supporter-report", platform_a, report_id=report.pk)).status_code == 404
    listing = secretariat_a.get(_url("supporter-reports", platform_a))
    assert listing.status_code == 200 and BODY not in listing.text
    page = secretariat_a.get(_url("supporter-report", platform_a, report_id=report.pk))
    assert BODY in page.text
    assert CaseEvent.objects.filter(
        action="cases.supporter_report.viewed", actor=secretariat_a.user, data__report=report.pk
    ).exists()
    # handled: the supporter sees that, still nothing more
    secretariat_a.post(_url("supporter-report-handled", platform_a, report_id=report.pk))
    report.refresh_from_db()
    assert report.status == SupporterReportStatus.HANDLED
    assert "対応しました" in supporter_a.get(_url("supporter-reports-mine", platform_a)).text


def test_the_named_person_turns_a_report_into_a_case(supporter_a, secretariat_a, platform_a):
    _name_intake(platform_a, secretariat_a)
    supporter_a.post(_url("supporter-report-create", platform_a), {"body": BODY})
    report = SupporterReport.objects.get()
    url = _url("supporter-report-case", platform_a, report_id=report.pk)
    assert secretariat_a.get(url).context["form"].initial["situation"] == BODY
    response = secretariat_a.post(
        url,
        {
            "intake_date": "2026-05-19",
            "person_name": "",
            "contact": "",
            "age": "80代",
            "sex": "",
            "household": "独居",
            "situation": BODY,
            "hardship_reason": "（架空）年金のみで生活が苦しい",
            "willingness_reason": "（架空）訪問に応じ、相談を望んだ",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.source == ReferralSource.SUPPORTER
    report.refresh_from_db()
    assert report.case == case and report.status == SupporterReportStatus.HANDLED
    assert CaseEvent.objects.filter(action="cases.supporter_report.case_opened", case=case).exists()
    # the supporter still sees nothing of the case
    assert supporter_a.get(_url("detail", platform_a, pk=case.pk)).status_code == 404
    assert supporter_a.get(_url("list", platform_a)).status_code == 403


def test_the_register_records_training_and_refresher(secretariat_a, supporter_a, coordinator_a, platform_a):
    url = _url("supporters", platform_a)
    data = {
        "user": supporter_a.user.pk,
        "trained_on": "2025-11-01",
        "renewal_due_on": "2027-10-31",
        "badge_number": "T-012",
        "area": "中央地区",
    }
    assert secretariat_a.post(url, data).status_code == 302
    supporter = Supporter.objects.get(user=supporter_a.user)
    assert supporter.badge_number == "T-012" and str(supporter.renewal_due_on) == "2027-10-31"
    assert CaseEvent.objects.filter(action="cases.supporter.recorded").exists()
    # the refresher before the training, or a user who is not a supporter: refused, in Japanese
    bad = secretariat_a.post(url, data | {"renewal_due_on": "2025-01-01"})
    assert bad.status_code == 200 and "更新研修の期限は、修了日より後に" in bad.text
    other = secretariat_a.post(url, data | {"user": coordinator_a.user.pk})
    assert other.status_code == 200
    assert not Supporter.objects.filter(user=coordinator_a.user).exists()
    assert "T-012" in secretariat_a.get(url).text


def test_reports_per_area_and_month_in_the_figures(supporter_a, secretariat_a, platform_a):
    _name_intake(platform_a, secretariat_a)
    supporter_a.post(_url("supporter-report-create", platform_a), {"body": BODY})
    supporter_a.post(_url("supporter-report-create", platform_a), {"body": BODY + "2", "area": "北地区"})
    flow = secretariat_a.get(_url("stats", platform_a), {"fy": 2026}).context["flow"]
    rows = {r["area"]: r for r in flow["reports_per_area"]}
    may = flow["report_months"].index(next(m for m in flow["report_months"] if m.month == 5))
    assert rows["中央地区"]["months"][may] == 1 and rows["北地区"]["total"] == 1
    assert flow["reports_total"] == 2
    csv = secretariat_a.get(_url("stats", platform_a), {"fy": 2026, "format": "csv"}).content.decode()
    assert "サポーター報告,中央地区 2026-05,1" in csv and BODY not in csv


def test_a_report_sent_twice_is_sent_once(supporter_a, secretariat_a, platform_a):
    from platform_site import once

    _name_intake(platform_a, secretariat_a)
    data = {"body": BODY, "once": once.new_token()}
    supporter_a.post(_url("supporter-report-create", platform_a), data)
    supporter_a.post(_url("supporter-report-create", platform_a), data)
    assert SupporterReport.objects.count() == 1


def test_the_named_intake_is_reminded_of_reports_not_handled(supporter_a, secretariat_a, platform_a):
    from django.utils import timezone

    from cases.reminders import ledger_reminders

    _name_intake(platform_a, secretariat_a)
    supporter_a.post(_url("supporter-report-create", platform_a), {"body": BODY})
    role = PlatformRole.objects.get(platform=platform_a, user=secretariat_a.user)
    found = {r.code: r.count for r in ledger_reminders(platform_a, role, timezone.localdate())}
    assert found["cases.supporter_reports"] == 1
    supporter_role = PlatformRole.objects.get(platform=platform_a, user=supporter_a.user)
    assert ledger_reminders(platform_a, supporter_role, timezone.localdate()) == []
