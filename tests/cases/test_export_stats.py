"""The 引き継ぎ簿 export (its own right, logged, neutralised), the figures, stale work and retention."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import Case, CaseEvent, Handoff, Referral
from platform_site.models import Role
from tests import factories as f
from tests.conftest import TOKYO, _client_for
from tests.ledger import PERSON_NAME, SITUATION, confirm_password, make_case


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _log_handoff(case, referral, actor, day, given="米"):
    return services.handoff_record(referral=referral, actor=actor, data={"date": day, "given": given})


def test_the_export_has_the_ledger_columns_and_is_logged(exporter_a, coordinator_a, case_a, accepted_a):
    _log_handoff(case_a, accepted_a, coordinator_a.user, dt.date(2026, 4, 12), "缶詰")
    _log_handoff(case_a, accepted_a, coordinator_a.user, dt.date(2026, 4, 26), '=HYPERLINK("http://evil")')
    response = exporter_a.get(reverse("cases:export", kwargs={"platform": case_a.platform.slug}))
    rows = _rows(response)
    assert rows[0][:6] == ["#", "実行日", "年齢", "性別", "自治体等受入情報", "NPO受入情報"]
    assert rows[1][4:] == ["相談内容/生活状況", "支援日", "支援内容"]
    assert rows[2][:5] == [1, "2026/04/10", "42", "女性", SITUATION]
    assert rows[2][5] == "2026/04/12\n2026/04/26"
    # numbered per visit as on the paper sheet; the cell starts with ①, so Excel reads it as text
    assert rows[2][6] == '①缶詰\n②=HYPERLINK("http://evil")'
    assert "no-store" in response["Cache-Control"]
    event = CaseEvent.objects.filter(action="cases.export").get()
    assert event.case == case_a and event.actor == exporter_a.user and event.data["rows"] == 1


def test_the_export_writes_nothing_to_the_temp_folder(
    exporter_a, coordinator_a, secretariat_a, platform_a, org_a, case_a, accepted_a, temp_watch
):
    """The workbook holds the ledger's personal data: it is built in memory, never spooled to the
    system temp folder (openpyxl's writer did, even in write-only mode, and removed it after)."""
    _log_handoff(case_a, accepted_a, coordinator_a.user, dt.date(2026, 4, 12), "缶詰")
    for n in range(3):
        make_case(platform_a, secretariat_a.user, situation=f"相談内容{n}")
    response = exporter_a.get(reverse("cases:export", kwargs={"platform": platform_a.slug}))
    assert temp_watch.opened == [] and temp_watch.files() == []
    rows = _rows(response)
    assert len(rows) == 2 + 4  # both header rows, every case
    assert rows[2][4] == SITUATION and rows[2][5:] == ["2026/04/12", "①缶詰"]
    assert [r[4] for r in rows[3:]] == ["相談内容0", "相談内容1", "相談内容2"]
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws.title == "引き継ぎ簿" and [str(r) for r in ws.merged_cells.ranges] == ["F1:G1"]
    assert ws["A1"].font.b and ws["E3"].alignment.wrap_text and ws.column_dimensions["E"].width == 60
    assert CaseEvent.objects.filter(action="cases.export").count() == 4


def test_a_formula_in_a_cell_is_neutralised(exporter_a, secretariat_a, platform_a, org_a):
    make_case(platform_a, secretariat_a.user, situation="=1+1")
    rows = _rows(exporter_a.get(reverse("cases:export", kwargs={"platform": platform_a.slug})))
    assert rows[2][4] == "'=1+1"


def test_a_coordinator_with_the_grant_exports_only_their_cases_and_consented_items(
    secretariat_a, platform_a, org_a, other_org_a, case_a
):
    user = f.make_user("coord_exporter")
    f.make_role(user, platform_a, Role.COORDINATOR, organisation=org_a, grants=["cases.export"])
    make_case(platform_a, secretariat_a.user, org=other_org_a, situation="他団体のケース")
    rows = _rows(
        confirm_password(_client_for(user)).get(reverse("cases:export", kwargs={"platform": platform_a.slug}))
    )
    assert len(rows) == 3  # two header rows, one case
    assert rows[2][4] == SITUATION and "他団体のケース" not in str(rows)
    assert PERSON_NAME not in str(rows)
    assert CaseEvent.objects.filter(action="cases.export", actor=user).count() == 1
    # once support ended, the organisation's export keeps its own columns but not the person's data
    case_a.refresh_from_db()
    services.case_close(
        case=case_a,
        actor=secretariat_a.user,
        reason="moved",
        note="",
        closed_on=dt.date(2026, 5, 1),
        version=case_a.version,
    )
    rows = _rows(
        confirm_password(_client_for(user)).get(reverse("cases:export", kwargs={"platform": platform_a.slug}))
    )
    assert rows[2][1] == "2026/04/10" and not rows[2][4] and not rows[2][2]


def test_the_export_needs_its_own_right(secretariat_a, admin_a, platform_a):
    for client in (secretariat_a, admin_a):
        assert client.get(reverse("cases:export", kwargs={"platform": platform_a.slug})).status_code == 403
    assert not CaseEvent.objects.filter(action="cases.export").exists()


def test_the_export_asks_for_the_password_again(platform_a, case_a):
    user = f.make_user("fresh_exporter")
    f.make_role(user, platform_a, Role.SECRETARIAT, grants=["cases.export"])
    client = _client_for(user)
    url = reverse("cases:export", kwargs={"platform": platform_a.slug})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "もう一度パスワードを入力" in response.text
    response = client.post(url, {"password": "wrong"})
    assert "パスワードが正しくありません" in response.text
    assert not CaseEvent.objects.filter(action="cases.export").exists()
    response = client.post(url, {"password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == url
    assert _rows(client.get(url))[2][0] == 1
    assert CaseEvent.objects.filter(action="cases.export", actor=user).count() == 1


def test_the_export_keeps_its_query_count(
    exporter_a, secretariat_a, platform_a, org_a, django_assert_num_queries
):
    for _ in range(3):
        make_case(platform_a, secretariat_a.user, org=org_a)
    url = reverse("cases:export", kwargs={"platform": platform_a.slug})
    exporter_a.get(url)
    # session, user, 2FA device, platform, role, cases, consents, consent organisations, handoffs,
    # savepoint + chain head (lock, move) + bulk insert of export events + release
    with django_assert_num_queries(14):
        exporter_a.get(url)
    for _ in range(5):
        make_case(platform_a, secretariat_a.user, org=org_a)
    with django_assert_num_queries(14):
        exporter_a.get(url)


def test_figures_count_referrals_handoffs_and_households_per_month(
    secretariat_a, coordinator_a, case_a, accepted_a
):
    today = timezone.localdate()
    _log_handoff(case_a, accepted_a, coordinator_a.user, today)
    _log_handoff(case_a, accepted_a, coordinator_a.user, today)
    response = secretariat_a.get(reverse("cases:stats", kwargs={"platform": case_a.platform.slug}))
    assert response.status_code == 200
    ctx = response.context
    assert ctx["totals"] == {"referrals": 1, "handoffs": 2, "households": 1}
    month = next(r for r in ctx["per_month"] if r["month"] == today.replace(day=1))
    assert month["handoffs"] == 2 and month["referrals"] == 1
    assert ctx["per_org"][0]["organisation"] == accepted_a.organisation
    assert PERSON_NAME not in response.text and SITUATION not in response.text
    assert "年度" in ctx["fiscal_year_label"]


def test_figures_download_as_csv_for_excel(secretariat_a, coordinator_a, case_a, accepted_a):
    _log_handoff(case_a, accepted_a, coordinator_a.user, dt.date(2026, 4, 20))
    url = reverse("cases:stats", kwargs={"platform": case_a.platform.slug})
    response = secretariat_a.get(url, {"fy": 2026, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[:3] == ["年度", "区分", "月・団体"]
    assert "令和8年度,月別,2026-04,0,1,1" in lines
    assert lines[-1].endswith(",1,1")  # totals: one handoff, one household
    assert PERSON_NAME not in text and SITUATION not in text


def test_figures_use_the_fiscal_year(secretariat_a, coordinator_a, case_a, accepted_a):
    _log_handoff(case_a, accepted_a, coordinator_a.user, dt.date(2025, 3, 31))
    url = reverse("cases:stats", kwargs={"platform": case_a.platform.slug})
    assert secretariat_a.get(url, {"fy": 2024}).context["totals"]["handoffs"] == 1
    assert secretariat_a.get(url, {"fy": 2025}).context["totals"]["handoffs"] == 0
    assert secretariat_a.get(url, {"fy": "abc"}).status_code == 200


def test_the_figures_follow_tokyo_time_at_the_fiscal_year_boundary(secretariat_a, platform_a, org_a):
    """00:30 on 1 April 2027 in Tokyo is still 31 March in UTC: the page opens on the new 年度 and a
    referral sent then counts in its April, not in March of the year before."""
    url = reverse("cases:stats", kwargs={"platform": platform_a.slug})
    with time_machine.travel(dt.datetime(2027, 4, 1, 0, 30, tzinfo=TOKYO), tick=False):
        f.login_verified(secretariat_a, secretariat_a.user)  # a year on: the morning's session has expired
        make_case(platform_a, secretariat_a.user, org=org_a)
        ctx = secretariat_a.get(url).context
        previous = secretariat_a.get(url, {"fy": 2026}).context
    assert (ctx["fiscal_year"], ctx["fiscal_year_label"]) == (2027, "令和9年度")
    april = ctx["per_month"][0]
    assert (april["month"], april["referrals"]) == (dt.date(2027, 4, 1), 1)
    assert ctx["totals"]["referrals"] == 1
    assert previous["totals"]["referrals"] == 0


def test_stale_referrals_and_overdue_cases_surface(secretariat_a, platform_a, org_a, case_a, coordinator_a):
    Referral.objects.filter(case=case_a).update(sent_at=timezone.now() - dt.timedelta(days=4))
    fresh = make_case(platform_a, secretariat_a.user, org=org_a)
    url = reverse("cases:list", kwargs={"platform": platform_a.slug})
    page = secretariat_a.get(url, {"stale": "unanswered"}).text
    assert f"/cases/{case_a.pk}/" in page and f"/cases/{fresh.pk}/" not in page
    referral = fresh.referrals.get()
    services.referral_respond(referral=referral, actor=coordinator_a.user, accept=True)
    assert f"/cases/{fresh.pk}/" not in secretariat_a.get(url, {"stale": "overdue"}).text
    Case.objects.filter(pk=fresh.pk).update(next_handoff_due=timezone.localdate() - dt.timedelta(days=1))
    assert f"/cases/{fresh.pk}/" in secretariat_a.get(url, {"stale": "overdue"}).text
    home = secretariat_a.get(reverse("platform-home", kwargs={"platform": platform_a.slug})).text
    assert "3日以上応答のない依頼" in home and "?stale=overdue" in home
    home = coordinator_a.get(reverse("platform-home", kwargs={"platform": platform_a.slug})).text
    assert "依頼の受信箱" in home


def test_anonymise_strips_personal_data_but_keeps_the_figures(
    secretariat_a, coordinator_a, case_a, accepted_a, platform_a, org_a
):
    _log_handoff(case_a, accepted_a, coordinator_a.user, timezone.localdate(), "缶詰")
    open_case = make_case(platform_a, secretariat_a.user, org=org_a)
    case_a.refresh_from_db()
    services.case_close(
        case=case_a,
        actor=secretariat_a.user,
        reason="benefit",
        note="給付開始",
        closed_on=dt.date(2026, 4, 20),
        version=case_a.version,
    )
    url = reverse("cases:stats", kwargs={"platform": platform_a.slug})
    before = secretariat_a.get(url).context["totals"]
    call_command("anonymise_cases", "--closed-before", "2026-05-01", stdout=io.StringIO())
    case_a.refresh_from_db()
    assert case_a.anonymised_at and case_a.person_name == "" and case_a.situation == "" and case_a.age == ""
    assert Handoff.objects.get(case=case_a).given == ""
    assert case_a.consents.get().given_by == ""
    open_case.refresh_from_db()
    assert open_case.person_name == PERSON_NAME
    assert secretariat_a.get(url).context["totals"] == before
    event = CaseEvent.objects.get(case=case_a, action="cases.case.anonymised")
    assert event.actor is None
    # a second run finds nothing more to do
    call_command("anonymise_cases", "--closed-before", "2026-05-01", stdout=io.StringIO())
    assert CaseEvent.objects.filter(action="cases.case.anonymised").count() == 1


def test_anonymise_rejects_a_bad_date(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("anonymise_cases", "--closed-before", "yesterday")


def test_anonymise_explains_itself_in_help(capsys):
    """`manage.py help anonymise_cases` used to crash: argparse cannot format a lazy string."""
    with pytest.raises(SystemExit):
        call_command("anonymise_cases", "--help")
    out = capsys.readouterr().out
    assert "個人情報を削除します" in out and "--closed-before" in out
