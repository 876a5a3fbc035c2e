"""The outreach app's capabilities, registered with the core from OutreachConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

OUTREACH_VIEW = "outreach.view"  # staff: every event; coordinators: the events of their organisation
OUTREACH_EDIT = "outreach.edit"  # create and edit events, add event types
OUTREACH_EDIT_OWN = "outreach.edit_own"  # a coordinator: the events their organisation organises
OUTREACH_REPORT = "outreach.report"  # the 試行的事業一覧 (browser, XLSX, PDF)
OUTREACH_IMPORT = "outreach.import"  # import events from CSV/XLSX

_STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
_EVERYONE = frozenset({Role.SECRETARIAT, Role.ADMIN, Role.COORDINATOR})
_COORDINATOR = frozenset({Role.COORDINATOR})


def register_all() -> None:
    register(
        Capability(
            OUTREACH_VIEW,
            "OUTREACH_VIEW",
            _("事業・イベントを見る（団体は自団体が関わるもの）"),
            roles=_EVERYONE,
        ),
        Capability(OUTREACH_EDIT, "OUTREACH_EDIT", _("事業・イベントを登録・編集する"), roles=_STAFF),
        Capability(
            OUTREACH_EDIT_OWN,
            "OUTREACH_EDIT_OWN",
            _("自団体が実施主体の事業を編集し、結果を記録する"),
            roles=_COORDINATOR,
        ),
        Capability(OUTREACH_REPORT, "OUTREACH_REPORT", _("試行的事業一覧を作る（Excel/PDF）"), roles=_STAFF),
        Capability(OUTREACH_IMPORT, "OUTREACH_IMPORT", _("事業を取り込む（Excel/CSV）"), roles=_STAFF),
    )
