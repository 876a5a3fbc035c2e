"""The consultation record's audit action codes (dotted, stored) and their labels (shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CREATED = "consultations.created"
UPDATED = "consultations.updated"
EXPORTED = "consultations.exported"

ACTIONS = {
    CREATED: _("相談の記録"),
    UPDATED: _("相談記録の訂正"),
    EXPORTED: _("相談記録の書き出し"),
}
