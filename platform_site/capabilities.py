"""The core's own capabilities: managing who may do what, and the platform's settings."""

from django.utils.translation import gettext_lazy as _

from .models import Role
from .permissions import Capability, register

USERS_MANAGE = "platform.users_manage"
SETTINGS_MANAGE = "platform.settings_manage"
AUDIT_TRAIL = "platform.audit_trail"  # read every audit table of the platform, with filters
DASHBOARD_VIEW = "platform.dashboard"  # the secretariat's dashboard (figures without names)


def register_all() -> None:
    register(
        Capability(
            USERS_MANAGE,
            "USERS_MANAGE",
            _("利用者と役割を管理する"),
            roles=frozenset({Role.ADMIN}),
            personal_data=True,  # names, e-mail addresses, who signed in when
        ),
        Capability(
            SETTINGS_MANAGE,
            "SETTINGS_MANAGE",
            _("プラットフォームの設定（名称・連絡先・リーフレット・目標）を変える"),
            roles=frozenset({Role.ADMIN}),
        ),
        Capability(
            AUDIT_TRAIL,
            "AUDIT_TRAIL",
            _("監査証跡（すべての操作・閲覧の記録）を絞り込んで見る（閲覧も記録されます）"),
            roles=frozenset({Role.ADMIN}),
        ),
        Capability(
            DASHBOARD_VIEW,
            "DASHBOARD_VIEW",
            _("プラットフォームの状況（集計のみ）を見る"),
            roles=frozenset({Role.ADMIN, Role.SECRETARIAT}),
        ),
    )
