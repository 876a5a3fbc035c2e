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
WORKING_UPDATED = "orgs.working.updated"
# ApplicationEvent: the public applications to be listed
APPLICATION_RECEIVED = "orgs.application.received"
APPLICATION_VIEWED = "orgs.application.viewed"
APPLICATION_APPROVED = "orgs.application.approved"
APPLICATION_MORE_INFO = "orgs.application.more_info"
APPLICATION_DECLINED = "orgs.application.declined"

ACTIONS = {
    ORG_CREATED: _("登録"),
    ORG_UPDATED: _("団体情報の編集"),
    ORG_VERIFIED: _("内容の確認"),
    PHONES_UPDATED: _("電話番号の変更"),
    CONTACTS_UPDATED: _("担当者の変更"),
    MEMBERSHIP_UPDATED: _("参加状況の変更"),
    ENTRY_CORRECTIONS: _("年次確認で修正の依頼"),
    EXPORT_CONTACTS: _("担当者を含めて名簿を書き出し"),
    WORKING_UPDATED: _("協働のための情報の編集"),
    APPLICATION_RECEIVED: _("申込みの受付"),
    APPLICATION_VIEWED: _("申込みの閲覧"),
    APPLICATION_APPROVED: _("申込みの承認"),
    APPLICATION_MORE_INFO: _("申込みに追加の情報を依頼"),
    APPLICATION_DECLINED: _("申込みの見送り"),
}
