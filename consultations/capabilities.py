"""The consultation record's capabilities, registered with the core from ConsultationsConfig.ready().

None of them shows personal data: a record holds none (consultations/models.py)."""

from django.utils.translation import gettext_lazy as _

from platform_site.models import Role
from platform_site.permissions import Capability, register

CONSULTATIONS_VIEW = "consultations.view"  # the records and counts (coordinators: their organisation's)
CONSULTATIONS_RECORD = "consultations.record"  # record and correct a consultation
CONSULTATIONS_ALL = "consultations.all"  # every organisation's records; record for any or for the city
CONSULTATIONS_EXPORT = "consultations.export"  # CSV/Excel of the records one can see

_STAFF = frozenset({Role.SECRETARIAT, Role.ADMIN})
_EVERYONE = frozenset({Role.SECRETARIAT, Role.ADMIN, Role.COORDINATOR})


def register_all() -> None:
    register(
        Capability(
            CONSULTATIONS_VIEW,
            "CONSULTATIONS_VIEW",
            _("相談・問い合わせの記録と件数を見る（団体は自団体の分）"),
            roles=_EVERYONE,
        ),
        Capability(
            CONSULTATIONS_RECORD,
            "CONSULTATIONS_RECORD",
            _("相談・問い合わせを記録・訂正する（団体は自団体の分）"),
            roles=_EVERYONE,
        ),
        Capability(
            CONSULTATIONS_ALL,
            "CONSULTATIONS_ALL",
            _("すべての団体と市の窓口の相談記録を扱う"),
            roles=_STAFF,
        ),
        Capability(
            CONSULTATIONS_EXPORT,
            "CONSULTATIONS_EXPORT",
            _("相談記録を書き出す（CSV/Excel、団体は自団体の分）"),
            roles=_EVERYONE,
        ),
    )
