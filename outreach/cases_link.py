"""From events to cases: a household found at a food distribution starts a case in the ledger.

The link lives here (CaseSource), so the ledger never imports this app. The event's page shows
only how many cases it started; who they are stays in the ledger, behind its own rights and log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cases import services as case_services
from cases.models import Case, ReferralSource
from platform_site.audit import audit_write

from . import events as ev
from .models import CaseSource, Event, EventChange


@transaction.atomic
def case_start_from_event(*, event: Event, actor: Any, data: dict[str, Any]) -> Case:
    """Create the case through the ledger's own service (its log entry included), then link it."""
    case = case_services.case_create(
        platform=event.platform, actor=actor, data={"source": ReferralSource.OUTREACH, **data}
    )
    CaseSource.objects.create(case=case, event=event)
    count = CaseSource.objects.filter(event=event).count()
    audit_write(
        EventChange,
        action=ev.CASE_STARTED,
        actor=actor,
        platform=event.platform,
        event=event,
        event_name=event.name,
        changes={"cases_started": [count - 1, count]},  # a count only: no case id, no name
    )
    return case
