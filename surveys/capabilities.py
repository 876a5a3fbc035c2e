"""The surveys app's capabilities, registered with the core from SurveysConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

SURVEYS_VIEW = "surveys.view"  # survey records and aggregated results (no raw rows)
SURVEYS_MANAGE = "surveys.manage"  # create/edit surveys, questions, published figures; import
SURVEYS_RAW = "surveys.raw"  # raw responses and free text (logged)

_STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
_EVERYONE = frozenset({Role.SECRETARIAT, Role.ADMIN, Role.COORDINATOR})


def register_all() -> None:
    register(
        Capability(SURVEYS_VIEW, "SURVEYS_VIEW", _("調査と集計結果を見る（個票なし）"), roles=_EVERYONE),
        Capability(SURVEYS_MANAGE, "SURVEYS_MANAGE", _("調査を登録し、回答票を取り込む"), roles=_STAFF),
        Capability(
            SURVEYS_RAW,
            "SURVEYS_RAW",
            _("回答票（個票）と自由記述を見る・書き出す（記録されます）"),
            roles=_STAFF,
            personal_data=True,
        ),
    )
