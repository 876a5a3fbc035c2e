"""The councils app's audit action codes (dotted, stored) and their labels (shown), for CouncilChange."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COUNCIL_CREATED = "councils.council.created"
COUNCIL_UPDATED = "councils.council.updated"
BODY_ADDED = "councils.body.added"
BODY_ENDED = "councils.body.ended"
MEETING_RECORDED = "councils.meeting.recorded"
DUTY_ACKNOWLEDGED = "councils.duty.acknowledged"
DUTY_ENDED = "councils.duty.ended"

ACTIONS = {
    COUNCIL_CREATED: _("会議体を登録した"),
    COUNCIL_UPDATED: _("会議体の内容を変更した"),
    BODY_ADDED: _("構成機関を加えた"),
    BODY_ENDED: _("構成機関が外れた"),
    MEETING_RECORDED: _("会議を記録した"),
    DUTY_ACKNOWLEDGED: _("守秘義務の確認を記録した"),
    DUTY_ENDED: _("守秘義務のもとでの参加を終えた"),
}
