"""The ledger's capabilities, registered with the core from CasesConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

CASES_VIEW_ALL = "cases.view_all"  # every case of the platform (the secretariat)
CASES_EDIT = "cases.edit"  # create cases, consent, referrals, close
CASES_RESPOND = "cases.respond"  # a coordinator's inbox: accept/decline, log handoffs
CASES_EXPORT = "cases.export"  # the 引き継ぎ簿 XLSX (grantable only)
CASES_CONSENT_OVERRIDE = "cases.consent_override"  # refer without covering consent (grantable only)
CASES_WG_CONSENT_OVERRIDE = "cases.working_group_consent_override"  # grantable only
CASES_WORKING_GROUPS = "cases.working_groups"
CASES_STATS = "cases.stats"  # figures without names
AUDIT_VIEW = "cases.audit_view"  # read the access log
CASES_REQUEST = "cases.request"  # a member asks the city to take a person on (NPO → 行政)
CASES_SUPPORTERS = "cases.supporters"  # the register of つながりサポーター
CASES_SUPPORTER_REPORT = "cases.supporter_report"  # a supporter sends a short report
CASES_SUPPORTER_INTAKE = "cases.supporter_intake"  # the person the platform names receives them (grantable)

_STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})


def register_all() -> None:
    register(
        Capability(
            CASES_VIEW_ALL,
            "CASES_VIEW_ALL",
            _("プラットフォームのすべてのケースを見る"),
            roles=_STAFF,
            personal_data=True,
        ),
        Capability(
            CASES_EDIT, "CASES_EDIT", _("ケースの登録・同意・紹介・終結"), roles=_STAFF, personal_data=True
        ),
        Capability(
            CASES_RESPOND,
            "CASES_RESPOND",
            _("自団体への紹介に応答し、引き継ぎを記録する"),
            roles=frozenset({Role.COORDINATOR}),
            personal_data=True,
        ),
        Capability(
            CASES_EXPORT,
            "CASES_EXPORT",
            _("引き継ぎ簿を書き出す（個人情報を含む。記録されます）"),
            grantable=True,
            personal_data=True,
        ),
        Capability(
            CASES_CONSENT_OVERRIDE,
            "CASES_CONSENT_OVERRIDE",
            _("同意の範囲外でも理由を書いて紹介する（記録され、表示されます）"),
            grantable=True,
            personal_data=True,
        ),
        Capability(
            CASES_WG_CONSENT_OVERRIDE,
            "CASES_WG_CONSENT_OVERRIDE",
            _("作業部会のメンバーに、理由を書いて同意の範囲外の項目も見せる（記録され、表示されます）"),
            grantable=True,
        ),
        Capability(
            CASES_WORKING_GROUPS,
            "CASES_WORKING_GROUPS",
            _("作業部会のメンバーを追加・削除する"),
            roles=_STAFF,
            personal_data=True,
        ),
        Capability(
            CASES_REQUEST,
            "CASES_REQUEST",
            _("会った人・世帯について市へ対応を依頼し、送った依頼と回答を見る"),
            roles=frozenset({Role.COORDINATOR}),
            personal_data=True,
        ),
        Capability(
            CASES_SUPPORTERS,
            "CASES_SUPPORTERS",
            _("つながりサポーターの名簿（研修日・更新期限）を管理する"),
            roles=_STAFF,
            personal_data=True,
        ),
        Capability(
            CASES_SUPPORTER_REPORT,
            "CASES_SUPPORTER_REPORT",
            _("気になる人のことを受付担当へ知らせ、送った報告の受付状況を見る"),
            roles=frozenset({Role.SUPPORTER}),
        ),
        Capability(
            CASES_SUPPORTER_INTAKE,
            "CASES_SUPPORTER_INTAKE",
            _("サポーターからの報告を受け付ける（プラットフォームが指名した担当者。記録されます）"),
            grantable=True,
            personal_data=True,
        ),
        Capability(CASES_STATS, "CASES_STATS", _("名前のない集計を見る"), roles=_STAFF),
        Capability(
            AUDIT_VIEW,
            "AUDIT_VIEW",
            _("アクセス記録を見る"),
            roles=frozenset({Role.ADMIN}),
            personal_data=True,
        ),
    )
