from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("引き継ぎ簿")

    def ready(self) -> None:
        from platform_site import audit, extensions, reminders

        from . import capabilities, demo, events, panels
        from . import reminders as ledger_reminders

        capabilities.register_all()
        audit.register_actions(events.ACTION_LABELS)
        extensions.register_home_panel(
            order=20, template="cases/_home_panel.html", context=panels.ledger_panel
        )
        extensions.register_home_panel(
            order=21, template="cases/_supporter_panel.html", context=panels.supporter_panel
        )
        extensions.register_dashboard_panel(
            order=20, template="cases/_dashboard_panel.html", context=panels.dashboard_panel
        )
        extensions.register_member_links("cases", panels.member_links)
        extensions.register_demo(order=20, name="cases", load=demo.load)
        reminders.register_reminders("cases", ledger_reminders.ledger_reminders)
        # a person who stops working in the platform's duty-bound body leaves its working groups
        from councils.signals import seat_ended

        seat_ended.connect(_duty_ended, dispatch_uid="cases.working_group_duty_ended")


def _duty_ended(sender: object, *, seat: object, actor: object, **kwargs: object) -> None:
    from .services import working_group_duty_ended

    working_group_duty_ended(seat=seat, actor=actor)
