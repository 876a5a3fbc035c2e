"""The outreach app's audit action codes (dotted, stored) and their labels (shown), for EventChange."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_CREATED = "outreach.event.created"
EVENT_UPDATED = "outreach.event.updated"
EVENT_UPDATED_BY_ORGANISER = "outreach.event.updated_by_organiser"
EVENT_DELETED = "outreach.event.deleted"
EVENT_IMPORTED = "outreach.event.imported"
CASE_STARTED = "outreach.event.case_started"
TYPE_CREATED = "outreach.type.created"

ACTIONS = {
    EVENT_CREATED: _("登録"),
    EVENT_UPDATED: _("事業の編集"),
    EVENT_UPDATED_BY_ORGANISER: _("実施団体による編集"),
    EVENT_DELETED: _("削除"),
    EVENT_IMPORTED: _("取り込み"),
    CASE_STARTED: _("ケースの登録"),
    TYPE_CREATED: _("種類の追加"),
}
