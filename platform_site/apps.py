from django.apps import AppConfig


class PlatformSiteConfig(AppConfig):
    name = "platform_site"
    verbose_name = "つなぐ"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        from . import (
            audit,
            capabilities,
            checks,  # noqa: F401  (registers system checks)
        )
        from .platform_settings import services as settings_services
        from .signin import receivers
        from .signin import services as signin_services
        from .team import services as team_services
        from .trail import services as trail_services

        capabilities.register_all()
        receivers.connect()
        audit.register_actions(
            {
                team_services.ROLE_ADDED: _("役割を追加"),
                team_services.ROLE_CHANGED: _("役割を変更"),
                team_services.ROLE_REMOVED: _("役割を削除"),
                settings_services.SETTINGS_UPDATED: _("プラットフォームの設定を変更"),
                settings_services.TARGET_SET: _("参加団体数の目標を変更"),
                trail_services.TRAIL_VIEWED: _("監査証跡を閲覧"),
                signin_services.SIGNIN_UNLOCKED: _("ログインのロックを解除"),
                signin_services.SECOND_FACTOR_RESET: _("二要素認証をリセット"),
            }
        )
        # Every app's selects: Django 6.1's "- Select an option -" has no Japanese translation,
        # and Django asks projects to override BLANK_CHOICE_LABEL in an app's ready().
        fields.BLANK_CHOICE_LABEL = _("選択してください")
        # What is waiting for this person, gathered from the apps' reminder sources: first on the home.
        from . import extensions, reminders

        extensions.register_home_panel(
            order=0, template="_reminders_panel.html", context=reminders.home_panel
        )
