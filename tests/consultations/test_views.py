"""The record of consultations through the views: no personal data, quick entry, who sees which
records, the counts on the home screen, the dashboard and the fiscal-year report, the export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations import events as ev
from consultations.models import Consultation, ConsultationChange
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

# frozen_now: 20 May 2026 in Tokyo (19 May in UTC), 令和8年度
TODAY = dt.date(2026, 5, 20)


def url(name, platform, *args):
    return reverse(f"consultations:{name}", args=[platform.slug, *args])


@pytest.fixture
def topics(platform_a):
    return [
        f.make_category(platform_a, name="生活困窮", order=1),
        f.make_category(platform_a, name="子育て", order=2),
        f.make_category(platform_a, name="ひきこもり", order=3),
    ]


def record(platform, **kw):
    topics = kw.pop("topics", [])
    kw.setdefault("date", TODAY)
    kw.setdefault("channel", "phone")
    made = Consultation.objects.create(platform=platform, **kw)
    made.topics.set(topics)
    return made


def _form(**overrides):
    data = {
        "date": "2026-05-20",
        "channel": "line",
        "arrival": "self",
        "pointed_to_city": "",
        "note": "",
        "case_id": "",
        "version": "",
    }
    return data | overrides


# --- no personal data


def test_a_consultation_record_holds_no_name_phone_or_address_field():
    names = {field.name for field in Consultation._meta.get_fields()}
    personal = ("name", "phone", "tel", "address", "addr", "email", "mail", "contact", "age", "sex", "birth")
    # the one exception by design: "email" is a channel (a choice), not a field
    found = sorted(n for n in names if any(word in n for word in personal))
    assert not found, f"a consultation must not hold personal data: {found}"
    assert names >= {
        "date",
        "channel",
        "organisation",
        "topics",
        "arrival",
        "pointed_to_organisation",
        "case",
    }
    # no free text beyond the short note and the city window's name, both checked for contacts
    text = sorted(
        field.name
        for field in Consultation._meta.get_fields()
        if field.get_internal_type() in ("CharField", "TextField") and not getattr(field, "choices", None)
    )
    assert text == ["note", "pointed_to_city"]
    assert (Consultation._meta.get_field("note").max_length or 0) <= 300


def test_the_form_warns_not_to_enter_personal_data(coordinator_a, platform_a):
    body = coordinator_a.get(url("create", platform_a)).content.decode()
    assert "個人が分かることは書かないでください" in body
    assert 'name="name"' not in body and 'name="phone"' not in body and 'name="address"' not in body


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("折り返しは 090-1234-5678 へ", "メモに電話番号は書けません。"),
        ("連絡先０９６（３２８）２１１１", "メモに電話番号は書けません。"),
        ("+81 90 1234 5678 から", "メモに電話番号は書けません。"),
        ("メールは taro@example.jp", "メモにメールアドレスは書けません。"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "メモにメールアドレスは書けません。"),
        ("〒860-0001 の方", "メモに郵便番号や住所は書けません。"),
    ],
)
def test_a_note_with_a_phone_number_or_email_is_refused(coordinator_a, platform_a, note, message):
    response = coordinator_a.post(url("create", platform_a), _form(note=note))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consultation.objects.exists() and not ConsultationChange.objects.exists()


def test_a_plain_note_with_numbers_is_kept(coordinator_a, platform_a):
    response = coordinator_a.post(url("create", platform_a), _form(note="食糧 3日分、2回目の相談"))
    assert response.status_code == 302
    assert Consultation.objects.get().note == "食糧 3日分、2回目の相談"


# --- quick entry


def test_quick_entry_defaults_to_today_in_tokyo_and_has_large_targets(coordinator_a, platform_a, topics):
    page = coordinator_a.get(url("create", platform_a))
    body = page.content.decode()
    assert 'value="2026-05-20"' in body  # Tokyo's date, not UTC's 19 May
    assert "large-targets" in body
    for label in ("窓口", "電話", "LINE", "メール", "訪問", "イベント"):
        assert label in body
    assert 'type="radio"' in body and "生活困窮" in body


def test_a_coordinator_records_for_their_own_organisation(
    coordinator_a, platform_a, org_a, other_org_a, topics
):
    data = _form(topics=[str(topics[0].pk), str(topics[1].pk)], organisation=str(other_org_a.pk))
    response = coordinator_a.post(url("create", platform_a), data)
    assert response.status_code == 302
    assert response.url.endswith("?month=2026-05")
    made = Consultation.objects.get()
    assert made.organisation == org_a  # whatever the form sent
    assert made.channel == "line" and made.date == TODAY and made.created_by == coordinator_a.user
    assert {t.name for t in made.topics.all()} == {"生活困窮", "子育て"}
    change = ConsultationChange.objects.get(consultation=made)
    assert change.action == ev.CREATED and change.actor == coordinator_a.user


def test_the_secretariat_records_for_the_city_or_any_member(secretariat_a, platform_a, other_org_a, org_b):
    assert secretariat_a.post(url("create", platform_a), _form(organisation="")).status_code == 302
    assert Consultation.objects.get().organisation is None  # the city's window
    data = _form(organisation=str(other_org_a.pk), pointed_to_organisation=str(other_org_a.pk))
    assert secretariat_a.post(url("create", platform_a), data).status_code == 302
    assert Consultation.objects.filter(organisation=other_org_a, pointed_to_organisation=other_org_a).exists()
    # another platform's organisation is not a choice
    response = secretariat_a.post(url("create", platform_a), _form(pointed_to_organisation=str(org_b.pk)))
    assert response.status_code == 200 and Consultation.objects.count() == 2


def test_bad_input_is_refused_in_japanese(coordinator_a, platform_a):
    response = coordinator_a.post(url("create", platform_a), _form(date="2026-05-21", channel=""))
    assert response.status_code == 200
    body = response.content.decode()
    assert "入力エラー" in body
    assert not Consultation.objects.exists()


def test_a_re_sent_form_records_once(coordinator_a, platform_a):
    page = coordinator_a.get(url("create", platform_a)).content.decode()
    token = page.split('name="once" value="')[1].split('"')[0]
    first = coordinator_a.post(url("create", platform_a), _form(once=token))
    again = coordinator_a.post(url("create", platform_a), _form(once=token))
    assert first.status_code == again.status_code == 302
    assert Consultation.objects.count() == 1


def test_a_case_is_linked_by_its_number_never_copied(coordinator_a, other_coordinator_a, platform_a, case_a):
    response = coordinator_a.post(url("create", platform_a), _form(case_id=str(case_a.pk)))
    assert response.status_code == 302
    made = Consultation.objects.get()
    assert made.case_id == case_a.pk and made.note == ""
    # a case not referred to the coordinator's organisation: the same message as an unknown one
    for number in (case_a.pk, 999999):
        response = other_coordinator_a.post(url("create", platform_a), _form(case_id=str(number)))
        assert "このケース番号は選べません。" in response.content.decode()
    assert Consultation.objects.count() == 1


# --- who sees what


def test_a_coordinator_sees_and_counts_only_their_organisation(
    coordinator_a, secretariat_a, platform_a, org_a, other_org_a, topics
):
    own = record(platform_a, organisation=org_a, channel="line", topics=[topics[0]])
    other = record(platform_a, organisation=other_org_a, channel="visit", pointed_to_city="福祉課")
    record(platform_a, organisation=None, channel="counter")
    body = coordinator_a.get(url("list", platform_a)).content.decode()
    assert "1件" in body and "福祉課" not in body and "訪問</td>" not in body
    assert coordinator_a.get(url("edit", platform_a, own.pk)).status_code == 200
    assert coordinator_a.get(url("edit", platform_a, other.pk)).status_code == 404
    assert coordinator_a.post(url("edit", platform_a, other.pk), _form()).status_code == 404
    home = coordinator_a.get(reverse("platform-home", args=[platform_a.slug])).content.decode()
    assert "2026年5月の件数" in home and "相談を記録する" in home
    staff = secretariat_a.get(url("list", platform_a)).content.decode()
    assert "3件" in staff and "福祉課" in staff and "市（事務局）" in staff


def test_another_platform_sees_nothing(secretariat_b, platform_a, org_a):
    own = record(platform_a, organisation=org_a)
    assert secretariat_b.get(url("list", platform_a)).status_code == 404
    assert secretariat_b.get(url("edit", platform_a, own.pk)).status_code == 404


def test_the_list_query_count_does_not_grow(
    secretariat_a, platform_a, org_a, topics, django_assert_max_num_queries
):
    record(platform_a, organisation=org_a, topics=topics[:1])
    with django_assert_max_num_queries(30) as few:
        secretariat_a.get(url("list", platform_a))
    for i in range(20):
        record(platform_a, organisation=org_a, topics=topics[: 1 + i % 3], pointed_to_organisation=org_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        secretariat_a.get(url("list", platform_a))


def test_a_correction_is_recorded_without_the_notes_text(coordinator_a, platform_a, org_a):
    own = record(platform_a, organisation=org_a, channel="phone")
    data = _form(channel="counter", note="2回目", version=str(own.version))
    assert coordinator_a.post(url("edit", platform_a, own.pk), data).status_code == 302
    own.refresh_from_db()
    assert own.channel == "counter" and own.version == 2
    change = ConsultationChange.objects.get(consultation=own, action=ev.UPDATED)
    assert change.changes["channel"] == ["phone", "counter"]
    assert change.changes["note"] == [False, True] and "2回目" not in str(change.changes)
    stale = coordinator_a.post(url("edit", platform_a, own.pk), data | {"channel": "visit"})
    assert stale.status_code == 409


# --- counts: dashboard, fiscal-year report, export


@pytest.fixture
def year_of_records(platform_a, org_a, other_org_a, topics, case_a):
    """令和7年度 (April 2025 – March 2026): five records, and one of the year before."""
    record(platform_a, date=dt.date(2025, 4, 3), channel="phone", organisation=org_a, topics=[topics[0]])
    record(
        platform_a,
        date=dt.date(2025, 4, 28),
        channel="line",
        organisation=org_a,
        arrival="referred",
        topics=[topics[0], topics[1]],
        pointed_to_organisation=other_org_a,
    )
    record(platform_a, date=dt.date(2025, 6, 1), channel="counter", pointed_to_city="福祉課", case=case_a)
    record(
        platform_a, date=dt.date(2025, 12, 24), channel="line", organisation=other_org_a, arrival="referred"
    )
    record(
        platform_a, date=dt.date(2026, 3, 31), channel="email", organisation=other_org_a, topics=[topics[2]]
    )
    record(platform_a, date=dt.date(2025, 3, 31), channel="phone")  # 令和6年度


def test_the_dashboard_shows_the_counts(secretariat_a, platform_a, year_of_records):
    body = secretariat_a.get(
        reverse("platform-dashboard", args=[platform_a.slug]), {"year": 2025}
    ).content.decode()
    assert "相談・問い合わせ件数" in body
    assert "<dt>問い合わせ件数</dt><dd>5</dd>" in body
    assert "<dt>自ら相談した割合</dt><dd>60%</dd>" in body  # 3 of 5 came on their own
    assert (
        '<th scope="row">2025年4月</th><td class="num">0</td><td class="num">1</td><td class="num">1</td>'
        in body
    )
    assert '<th scope="row">参加団体へつないだ</th><td class="num">1</td>' in body
    assert '<th scope="row">引き継ぎ簿のケースにした</th><td class="num">1</td>' in body
    assert '<th scope="row">相談の内容: 生活困窮</th><td class="num">2</td>' in body
    assert '<th scope="row">相談の内容: 分類なし</th><td class="num">2</td>' in body


def test_the_dashboard_query_count_does_not_grow(
    secretariat_a, platform_a, org_a, topics, django_assert_max_num_queries
):
    dashboard = reverse("platform-dashboard", args=[platform_a.slug])
    record(platform_a, organisation=org_a, topics=topics[:1])
    with django_assert_max_num_queries(60) as few:
        secretariat_a.get(dashboard)
    for i in range(30):
        record(platform_a, date=TODAY - dt.timedelta(days=i), organisation=org_a, topics=topics[: 1 + i % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        secretariat_a.get(dashboard)


def test_the_fiscal_year_report_shows_the_kpi(secretariat_a, platform_a, year_of_records):
    body = secretariat_a.get(reverse("outreach:report", args=[platform_a.slug, 2025])).content.decode()
    assert "令和7年度 相談・問い合わせ件数（KPI）" in body
    assert '<th scope="row">問い合わせ件数</th><td class="num">5</td>' in body
    assert '<th scope="row">2026年3月</th>' in body
    xlsx = secretariat_a.get(reverse("outreach:report-xlsx", args=[platform_a.slug, 2025]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[1] == "問い合わせ件数"
    rows = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert ["問い合わせ件数", 5] in [r[:2] for r in rows]
    assert rows[2][0] == "2025年4月"  # the title, the headers, then April


def test_the_export_is_scoped_and_recorded(coordinator_a, secretariat_a, platform_a, year_of_records):
    csv = coordinator_a.get(url("export", platform_a), {"year": 2025, "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("相談日,方法,受けた団体") and len(lines) == 3  # org_a's two of the year
    xlsx = secretariat_a.get(url("export", platform_a), {"year": 2025, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["件数", "記録"]
    assert book.worksheets[1].max_row == 6  # the header and the five records of the year
    assert ConsultationChange.objects.filter(action=ev.EXPORTED).count() == 2
    assert secretariat_a.get(url("export", platform_a), {"format": "pdf"}).status_code == 400


def test_the_demo_records_are_fictional_and_load_once():
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    first = Consultation.objects.count()
    assert first > 40
    assert set(Consultation.objects.values_list("note", flat=True)) == {"架空のデモデータ"}
    call_command("load_demo", stdout=io.StringIO())
    assert Consultation.objects.count() == first
