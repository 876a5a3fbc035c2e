"""Which events a role sees and edits: staff every event of the platform; a coordinator sees
those their organisation organises or takes part in (the selectors filter by the id returned
here) and edits those it organises (`may_edit`)."""

from __future__ import annotations

from platform_site.http import PlatformRequest
from platform_site.models import Role

from .capabilities import OUTREACH_EDIT, OUTREACH_EDIT_OWN
from .models import Event


def scope(request: PlatformRequest) -> int | None:
    """The organisation a coordinator sees events of; None for staff (every event)."""
    if OUTREACH_EDIT in request.capabilities or request.role.role != Role.COORDINATOR:
        return None
    return request.role.organisation_id or 0


def edits_as_organiser(request: PlatformRequest, event: Event) -> bool:
    """A coordinator whose organisation is the event's organiser (not the secretariat's full edit)."""
    return (
        OUTREACH_EDIT not in request.capabilities
        and OUTREACH_EDIT_OWN in request.capabilities
        and event.organiser_id is not None
        and event.organiser_id == request.role.organisation_id
    )


def may_edit(request: PlatformRequest, event: Event) -> bool:
    """Staff edit every event of the platform; a coordinator the events its organisation organises."""
    return OUTREACH_EDIT in request.capabilities or edits_as_organiser(request, event)
