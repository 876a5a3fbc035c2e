from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("相談・問い合わせの記録")

    def ready(self) -> None:
        from platform_site import audit, extensions

        from . import capabilities, demo, events, panels

        capabilities.register_all()
        audit.register_actions(events.ACTIONS)
        extensions.register_home_panel(
            order=35, template="consultations/_home_panel.html", context=panels.home_panel
        )
        extensions.register_dashboard_panel(
            order=35, template="consultations/_dashboard_panel.html", context=panels.dashboard_panel
        )
        extensions.register_demo(order=40, name="consultations", load=demo.load)
