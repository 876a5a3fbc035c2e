from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("守秘義務のある会議体")

    def ready(self) -> None:
        from platform_site import audit, extensions

        from . import capabilities, demo, events, panels

        capabilities.register_all()
        audit.register_actions(events.ACTIONS)
        extensions.register_home_panel(
            order=25, template="councils/_home_panel.html", context=panels.council_panel
        )
        # after the registry (10), before the ledger (20): the ledger's demo cases seat its members
        extensions.register_demo(order=15, name="councils", load=demo.load)
