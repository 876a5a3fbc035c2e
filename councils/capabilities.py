"""The councils app's capabilities, registered with the core from CouncilsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

COUNCIL_VIEW = "councils.view"  # the body's page: name, announcement, member bodies, meetings
COUNCIL_MANAGE = "councils.manage"  # keep the body, its member bodies, meetings and the duty records
# An individual expert's one right: to sit in the working groups that seat them. Which cases that
# is, the ledger decides (cases.access, from the working group's rows); the right is marked as
# showing personal data, so an expert signs in with a second factor like everyone who sees cases.
COUNCIL_WORKING_GROUP_SEAT = "councils.working_group_seat"

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
        Capability(
            COUNCIL_WORKING_GROUP_SEAT,
            "COUNCIL_WORKING_GROUP_SEAT",
            _("自分の席がある作業部会のケースだけを、席のあるあいだ見る（個人の専門家）"),
            roles=frozenset({Role.EXPERT}),
            personal_data=True,
        ),
    )
