"""Demo consultations: four months of fictional (架空) records for each demo platform, up to the
demo day. Nothing in them describes a real contact: channels, topics and where people were
pointed are drawn from a fixed seed, about 3割 of people coming on their own (the share 鳥取市
reported); each note says it is fictional. Idempotent: a platform that has records is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from platform_site.audit import audit_write
from platform_site.models import Platform, PlatformRole, Role

from . import events as ev
from .models import Arrival, Channel, Consultation, ConsultationChange
from .selectors import member_organisations, topics_of

PLATFORMS = ("kumamoto", "kitakyushu", "uwajima")
MONTHS = 4
PER_MONTH = (14, 22)  # records per platform and month, drawn in this range
CHANNELS = [
    (Channel.PHONE, 30),
    (Channel.COUNTER, 25),
    (Channel.LINE, 20),
    (Channel.VISIT, 10),
    (Channel.EMAIL, 8),
    (Channel.EVENT, 7),
]
CITY_WINDOWS = ["福祉課", "生活支援課", "子ども家庭課", "高齢福祉課"]
NOTE = "架空のデモデータ"


def _records(platform: Platform, today: dt.date, rng: random.Random) -> list[dict[str, Any]]:
    members = list(member_organisations(platform))
    topics = list(topics_of(platform))
    takers = list(
        PlatformRole.objects.filter(platform=platform, role=Role.COORDINATOR).values_list(
            "organisation_id", flat=True
        )
    )
    out = []
    first = today.replace(day=1)
    for back in range(MONTHS - 1, -1, -1):
        month = first
        for _i in range(back):
            month = (month - dt.timedelta(days=1)).replace(day=1)
        last = min(today, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
        for _i in range(rng.randint(*PER_MONTH)):
            day = month + dt.timedelta(days=rng.randrange((last - month).days + 1))
            taker = rng.choice([None, None, *takers]) if takers else None  # the city, or a member
            pointed = rng.random()
            row: dict[str, Any] = {
                "date": day,
                "channel": rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0],
                "organisation_id": taker,
                "arrival": Arrival.SELF if rng.random() < 0.3 else Arrival.REFERRED,
                "pointed_to_organisation": rng.choice(members) if members and pointed < 0.45 else None,
                "pointed_to_city": rng.choice(CITY_WINDOWS) if 0.45 <= pointed < 0.7 else "",
                "note": NOTE,
                "topics": rng.sample(topics, k=min(len(topics), rng.choice([1, 1, 1, 2]))) if topics else [],
            }
            out.append(row)
    return sorted(out, key=lambda r: r["date"])


def load(stdout: Any = None) -> dict[str, int]:
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    today = timezone.localdate()
    staff_names = {slug: f"jimukyoku-{slug}" for slug in PLATFORMS}
    made = 0
    for slug in PLATFORMS:
        platform = Platform.objects.filter(slug=slug).first()
        if platform is None or Consultation.objects.filter(platform=platform).exists():
            continue
        staff = get_user_model().objects.filter(username=staff_names[slug]).first()
        rng = random.Random(f"consultations-{slug}")
        for row in _records(platform, today, rng):
            topics = row.pop("topics")
            record = Consultation.objects.create(platform=platform, created_by=staff, **row)
            record.topics.set(topics)
            audit_write(
                ConsultationChange,
                action=ev.CREATED,
                actor=staff,
                platform=platform,
                consultation=record,
                changes={"channel": [None, record.channel], "date": [None, record.date.isoformat()]},
            )
            made += 1
    say(f"架空の相談記録 {made} 件を読み込みました。")
    return {"consultations": made}
