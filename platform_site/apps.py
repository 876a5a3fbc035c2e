from django.apps import AppConfig


class PlatformSiteConfig(AppConfig):
    name = "platform_site"
    verbose_name = "つなぐ"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
