"""The councils app's capabilities, registered with the core from CouncilsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

COUNCIL_VIEW = "councils.view"  # the body's page: name, announcement, member bodies, meetings
COUNCIL_MANAGE = "councils.manage"  # keep the body, its member bodies, meetings and the duty records

_STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})


def register_all() -> None:
    register(
        Capability(
            COUNCIL_VIEW,
            "COUNCIL_VIEW",
            _("守秘義務のある会議体（地域協議会・支援会議）と会議の記録を見る"),
            roles=frozenset({Role.SECRETARIAT, Role.ADMIN, Role.COORDINATOR}),
        ),
        Capability(
            COUNCIL_MANAGE,
            "COUNCIL_MANAGE",
            _("会議体・構成機関・会議・守秘義務の確認を記録する"),
            roles=_STAFF,
        ),
    )
