from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("調査")

    def ready(self) -> None:
        from platform_site import audit, extensions

        from . import capabilities, demo, events, panels

        capabilities.register_all()
        audit.register_actions(events.ACTIONS)
        extensions.register_home_panel(
            order=30, template="surveys/_home_panel.html", context=panels.surveys_panel
        )
        extensions.register_dashboard_panel(
            order=40, template="surveys/_dashboard_panel.html", context=panels.dashboard_panel
        )
        extensions.register_demo(order=30, name="surveys", load=demo.load)
