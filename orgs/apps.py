from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("参加団体名簿")

    def ready(self) -> None:
        # Django 6.1's empty choice of every select is "- Select an option -", which has no
        # Japanese translation in Django; Django asks apps to override it here.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("選択してください")
