from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("イベント・試行的事業")

    def ready(self) -> None:
        from platform_site import audit, extensions

        from . import capabilities, demo, events, panels

        capabilities.register_all()
        audit.register_actions(events.ACTIONS)
        extensions.register_home_panel(
            order=30, template="outreach/_home_panel.html", context=panels.outreach_panel
        )
        extensions.register_dashboard_panel(
            order=30, template="outreach/_dashboard_panel.html", context=panels.dashboard_panel
        )
        extensions.register_demo(order=30, name="outreach", load=demo.load)
