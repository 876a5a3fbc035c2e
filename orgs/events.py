"""The registry's audit action codes (dotted, stored) and their labels (shown), for OrgChange."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ORG_CREATED = "orgs.organisation.created"
ORG_UPDATED = "orgs.organisation.updated"
ORG_VERIFIED = "orgs.organisation.verified"
PHONES_UPDATED = "orgs.phones.updated"
CONTACTS_UPDATED = "orgs.contacts.updated"
MEMBERSHIP_UPDATED = "orgs.membership.updated"
ENTRY_CORRECTIONS = "orgs.entry_check.corrections"
EXPORT_CONTACTS = "orgs.export.contacts"

ACTIONS = {
    ORG_CREATED: _("登録"),
    ORG_UPDATED: _("団体情報の編集"),
    ORG_VERIFIED: _("内容の確認"),
    PHONES_UPDATED: _("電話番号の変更"),
    CONTACTS_UPDATED: _("担当者の変更"),
    MEMBERSHIP_UPDATED: _("参加状況の変更"),
    ENTRY_CORRECTIONS: _("年次確認で修正の依頼"),
    EXPORT_CONTACTS: _("担当者を含めて名簿を書き出し"),
}
