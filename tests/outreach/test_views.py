"""The event screens through the views: who sees which event, creation and editing with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from orgs.selectors_public import listed_organisations
from outreach import events as ev
from outreach.models import Event, EventChange, EventType

pytestmark = pytest.mark.django_db


def url(name, platform, *args):
    return reverse(f"outreach:{name}", args=[platform.slug, *args])


def test_secretariat_lists_every_event_of_the_year(
    secretariat_a, platform_a, event_own, event_other, event_b
):
    response = secretariat_a.get(url("list", platform_a), {"year": 2023})
    assert response.status_code == 200
    body = response.content.decode()
    assert "支援現場見学バスツアー" in body and "みどり食堂の食糧配布" in body
    assert "B市シンポジウム" not in body
    assert "令和5年度" in body
    assert "1,158,120" in body  # budget column and total for staff


def test_the_list_filters_by_fiscal_year(secretariat_a, platform_a, event_own):
    from tests.outreach.conftest import make_event

    make_event(platform_a, name="前年度の講演会", fiscal_year=2022)
    body = secretariat_a.get(url("list", platform_a), {"year": 2022}).content.decode()
    assert "前年度の講演会" in body and "支援現場見学バスツアー" not in body


def test_a_coordinator_sees_only_the_events_of_their_organisation(
    coordinator_a, platform_a, event_own, event_other
):
    body = coordinator_a.get(url("list", platform_a), {"year": 2023}).content.decode()
    assert "支援現場見学バスツアー" in body
    assert "みどり食堂の食糧配布" not in body
    assert "ひかり印刷" not in body and "1,158,120" not in body  # no contractor, no budget
    assert coordinator_a.get(url("detail", platform_a, event_own.pk)).status_code == 200
    assert coordinator_a.get(url("detail", platform_a, event_other.pk)).status_code == 404
    assert coordinator_a.get(url("edit", platform_a, event_own.pk)).status_code == 403


def test_the_organiser_coordinator_sees_their_event(other_coordinator_a, platform_a, event_own, event_other):
    assert other_coordinator_a.get(url("detail", platform_a, event_other.pk)).status_code == 200
    assert other_coordinator_a.get(url("detail", platform_a, event_own.pk)).status_code == 404


def test_another_platform_and_anonymous(secretariat_b, anon, platform_a, event_own):
    assert secretariat_b.get(url("detail", platform_a, event_own.pk)).status_code == 404
    assert secretariat_b.get(url("list", platform_a)).status_code == 404
    response = anon.get(url("list", platform_a))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_list_query_count_does_not_grow_with_events(secretariat_a, platform_a, django_assert_max_num_queries):
    from tests.outreach.conftest import make_event

    for n in range(3):
        make_event(platform_a, name=f"研修{n}")
    secretariat_a.get(url("list", platform_a), {"year": 2023})  # warm the session
    with django_assert_max_num_queries(9) as few:
        secretariat_a.get(url("list", platform_a), {"year": 2023})
    for n in range(20):
        make_event(platform_a, name=f"追加{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        secretariat_a.get(url("list", platform_a), {"year": 2023})


def _form(**overrides):
    data = {
        "fiscal_year": "2023",
        "name": "孤独・孤立対策 支援者向け研修会",
        "event_type": str(EventType.objects.get(platform__isnull=True, code="training").pk),
        "is_trial": "on",
        "status": "done",
        "organiser_kind": "secretariat",
        "unit": "people",
        "format": "hybrid",
        "date_start": "2024-01-19",
        "attendees_in_person": "30",
        "attendees_online": "16",
        "budget_yen": "1200000",
        "budget_approx": "on",
        "contractor_new": "九州みらい研究所",
        "version": "",
    }
    for kind in ("sessions", "kpis", "media", "distributions"):
        data |= {f"{kind}-TOTAL_FORMS": "0", f"{kind}-INITIAL_FORMS": "0"}
    return data | overrides


def test_secretariat_creates_an_event_with_kpis_media_and_sessions(secretariat_a, platform_a, org_a):
    data = _form(
        participants=[str(org_a.pk)],
        **{
            "kpis-TOTAL_FORMS": "1",
            "kpis-0-name": "受講者数",
            "kpis-0-unit": "名",
            "kpis-0-target": "40",
            "kpis-0-actual": "46",
            "media-TOTAL_FORMS": "1",
            "media-0-medium": "Google 広告 検索",
            "media-0-impressions": "2767314",
            "media-0-clicks": "7560",
            "media-0-conversions": "250",
            "sessions-TOTAL_FORMS": "2",
            "sessions-0-date": "2024-01-19",
            "sessions-0-attendees": "20",
            "sessions-1-date": "2024-01-20",
            "sessions-1-attendees": "26",
            "distributions-TOTAL_FORMS": "1",
            "distributions-0-item": "リーフレット",
            "distributions-0-quantity": "1000",
            "distributions-0-unit": "部",
        },
    )
    response = secretariat_a.post(url("create", platform_a), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(platform=platform_a)
    assert event.attendees == 46 and event.budget_approx
    assert event.contractor is not None and event.contractor.name == "九州みらい研究所"
    assert list(event.participants.all()) == [org_a]
    assert [s.attendees for s in event.sessions.all()] == [20, 26]
    assert str(event.media.get().click_rate) == "0.27"
    change = EventChange.objects.get(event=event)
    assert change.action == ev.EVENT_CREATED and change.actor == secretariat_a.user
    body = secretariat_a.get(response.url).content.decode()
    assert "0.27%" in body and "約1,200,000円" in body and "1,000部" in body


def test_a_contractor_is_not_a_member_and_never_listed(secretariat_a, platform_a):
    secretariat_a.post(url("create", platform_a), _form())
    event = Event.objects.get(platform=platform_a)
    assert event.contractor is not None and event.contractor.organisation is None
    names = {o.name for o in listed_organisations(platform=platform_a)}
    assert "九州みらい研究所" not in names


def test_bad_input_is_refused_in_japanese_and_nothing_saved(secretariat_a, platform_a):
    response = secretariat_a.post(
        url("create", platform_a), _form(date_start="2023-03-01", format="in_person")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "開始日が令和5年度ではありません。" in body
    assert "対面の事業にはオンラインの参加数を入れられません。" in body
    assert not Event.objects.exists() and not EventChange.objects.exists()


def test_an_organiser_must_be_a_member_of_the_platform(secretariat_a, platform_a, org_b):
    response = secretariat_a.post(url("create", platform_a), _form(organiser_kind="member"))
    assert "実施主体の参加団体を選んでください。" in response.content.decode()
    assert not Event.objects.exists()


def test_editing_records_the_changed_fields(secretariat_a, platform_a, event_own):
    page = secretariat_a.get(url("edit", platform_a, event_own.pk))
    assert page.status_code == 200
    data = _form(
        name=event_own.name,
        event_type=str(event_own.event_type_id),
        date_start="2023-12-14",
        format="in_person",
        attendees_in_person="25",
        attendees_online="",
        contractor=str(event_own.contractor_id),
        contractor_new="",
        budget_yen="1158120",
        budget_approx="",
        participants=[str(p.pk) for p in event_own.participants.all()],
        version=str(event_own.version),
    )
    response = secretariat_a.post(url("edit", platform_a, event_own.pk), data)
    assert response.status_code == 302
    event_own.refresh_from_db()
    assert event_own.attendees_in_person == 25 and event_own.version == 2
    change = EventChange.objects.get(event=event_own, action=ev.EVENT_UPDATED)
    assert change.changes["attendees_in_person"] == [23, 25]
    assert "format" in change.changes
    # the same form again (stale version) is refused, nothing changes
    response = secretariat_a.post(url("edit", platform_a, event_own.pk), data | {"attendees_in_person": "26"})
    assert response.status_code == 409
    event_own.refresh_from_db()
    assert event_own.attendees_in_person == 25


def test_a_platform_adds_its_own_event_type(secretariat_a, platform_a, platform_b):
    response = secretariat_a.post(url("types", platform_a), {"name": "子ども食堂フェスティバル"})
    assert response.status_code == 302
    own = EventType.objects.get(name="子ども食堂フェスティバル")
    assert own.platform == platform_a
    assert EventChange.objects.filter(action=ev.TYPE_CREATED, platform=platform_a).exists()
    response = secretariat_a.post(url("types", platform_a), {"name": "シンポジウム"})
    assert "同じ名称の種類があります。" in response.content.decode()
    # the other platform cannot use it
    from outreach.selectors import event_types_for

    assert own not in event_types_for(platform_b)


def test_the_home_panel_shows_the_latest_year(secretariat_a, platform_a, event_own):
    body = secretariat_a.get(reverse("platform-home", args=[platform_a.slug])).content.decode()
    assert "令和5年度の事業" in body


def test_event_dates_in_order(platform_a):
    from django.core.exceptions import ValidationError

    from outreach import services

    with pytest.raises(ValidationError) as error:
        services.event_create(
            platform=platform_a,
            actor=None,
            data={
                "fiscal_year": 2023,
                "name": "x",
                "event_type": EventType.objects.get(code="survey"),
                "date_start": dt.date(2023, 5, 2),
                "date_end": dt.date(2023, 5, 1),
            },
        )
    assert "終了日は開始日より後にしてください。" in str(error.value)


def test_the_public_sees_only_events_marked_public(anon, platform_a, event_own, event_other):
    event_own.is_public = True
    event_own.venue = "市民センター"
    event_own.save()
    response = anon.get(reverse("public-events:list", args=[platform_a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "支援現場見学バスツアー" in body and "市民センター" in body
    assert "みどり食堂の食糧配布" not in body  # not marked public
    assert "ひかり印刷" not in body and "1,158,120" not in body  # no contractor, no budget
    assert anon.get(reverse("outreach:detail", args=[platform_a.slug, event_own.pk])).status_code == 302
    platform_a.is_public = False
    platform_a.save()
    assert anon.get(reverse("public-events:list", args=[platform_a.slug])).status_code == 404
