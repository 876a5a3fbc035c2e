"""The registry's capabilities, registered with the core from OrgsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

ORGS_VIEW = "orgs.view"  # members' entries, including contact persons
ORGS_EDIT_ANY = "orgs.edit_any"  # edit any organisation of the platform
ORGS_EDIT_OWN = "orgs.edit_own"  # a coordinator edits their own organisation's entry
MEMBERSHIP_MANAGE = "orgs.membership_manage"  # pipeline, core, joined/left
ORGS_IMPORT = "orgs.import"
ORGS_EXPORT = "orgs.export"
CATEGORIES_MANAGE = "orgs.categories_manage"
LEAFLET_MAKE = "orgs.leaflet_make"
APPLICATIONS_REVIEW = "orgs.applications_review"  # the public applications to be listed
NOTICES_POST = "orgs.notices_post"  # notices to members (events, 助成金, national updates)

_STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
_EVERYONE = frozenset({Role.SECRETARIAT, Role.ADMIN, Role.COORDINATOR})


def register_all() -> None:
    register(
        Capability(
            ORGS_VIEW, "ORGS_VIEW", _("参加団体の情報と担当者を見る"), roles=_EVERYONE, personal_data=True
        ),
        Capability(ORGS_EDIT_ANY, "ORGS_EDIT_ANY", _("すべての団体の情報を編集する"), roles=_STAFF),
        Capability(
            ORGS_EDIT_OWN, "ORGS_EDIT_OWN", _("自団体の情報を編集する"), roles=frozenset({Role.COORDINATOR})
        ),
        Capability(
            MEMBERSHIP_MANAGE,
            "MEMBERSHIP_MANAGE",
            _("参加状況（候補→参加→退会、コア）を管理する"),
            roles=_STAFF,
        ),
        Capability(ORGS_IMPORT, "ORGS_IMPORT", _("名簿を取り込む（Excel/CSV）"), roles=_STAFF),
        Capability(
            ORGS_EXPORT, "ORGS_EXPORT", _("名簿を書き出す（Excel/CSV）"), roles=_STAFF, personal_data=True
        ),
        Capability(
            CATEGORIES_MANAGE, "CATEGORIES_MANAGE", _("悩みのカテゴリと活動分野を管理する"), roles=_STAFF
        ),
        Capability(LEAFLET_MAKE, "LEAFLET_MAKE", _("相談先一覧リーフレットを作る"), roles=_STAFF),
        Capability(
            APPLICATIONS_REVIEW,
            "APPLICATIONS_REVIEW",
            _("掲載・参加の申込みを見て、承認・追加の依頼・見送りを記録する"),
            roles=_STAFF,
            personal_data=True,
        ),
        Capability(NOTICES_POST, "NOTICES_POST", _("参加団体へのお知らせを出す"), roles=_STAFF),
    )
