"""python manage.py survey_template --survey ID [--output FILE]: the blank response file (XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from surveys.exports import template_filename, template_xlsx
from surveys.models import Survey
from surveys.selectors import questions_of


class Command(BaseCommand):
    help = _("回答票の取り込み用の空のファイル（Excel、2枚目にコード表）を書き出します。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help=_("調査のID"))
        parser.add_argument(
            "--output", type=Path, help=_("書き出すファイル（既定: survey-ID-template.xlsx）")
        )

    def handle(self, *args: Any, survey: int, output: Path | None, **options: Any) -> None:
        found = Survey.objects.filter(pk=survey).first()
        if found is None:
            raise CommandError(_("調査 %(id)s がありません。") % {"id": survey})
        path = output or Path(template_filename(found))
        path.write_bytes(template_xlsx(found, questions_of(found)))
        self.stdout.write(_("%(path)s を書き出しました。") % {"path": path})
