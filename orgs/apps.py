from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("参加団体名簿")

    def ready(self) -> None:
        from platform_site import audit, extensions, reminders

        from . import capabilities, demo, events, jobs, panels, selectors
        from . import reminders as registry_reminders
        from .members import panels as members_panels

        capabilities.register_all()
        jobs.register_all()
        audit.register_actions(events.ACTIONS)
        extensions.register_home_panel(
            order=10, template="orgs/_home_panel.html", context=panels.registry_panel
        )
        extensions.register_home_panel(
            order=5, template="orgs/members/_notices_panel.html", context=members_panels.notices_panel
        )
        extensions.register_dashboard_panel(
            order=10, template="orgs/_dashboard_panel.html", context=panels.dashboard_panel
        )
        extensions.register_coordinator_organisations(selectors.coordinator_organisations)
        extensions.register_registry_last_change(selectors.registry_last_change)
        extensions.register_demo(order=10, name="orgs", load=demo.load, describe=demo.describe)
        reminders.register_reminders("orgs", registry_reminders.registry_reminders)
