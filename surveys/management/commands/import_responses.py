"""python manage.py import_responses --survey ID FILE: the same all-or-nothing import as the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platform_site.lib.tabular import ImportRejected
from surveys.imports import import_apply
from surveys.models import Survey


class Command(BaseCommand):
    help = _("調査の回答票（CSV または Excel）を取り込みます。問題があれば何も保存しません。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help=_("調査のID"))
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, survey: int, file: Path, **options: Any) -> None:
        found = Survey.objects.filter(pk=survey).first()
        if found is None:
            raise CommandError(_("調査 %(id)s がありません。") % {"id": survey})
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("ファイルを読めません: %(reason)s") % {"reason": exc.strerror}) from exc
        try:
            plan = import_apply(survey=found, actor=None, data=data, filename=file.name)
        except ImportRejected as rejected:
            raise CommandError(
                _("取り込めません（何も保存していません）:\n") + "\n".join(rejected.problems)
            ) from None
        self.stdout.write(
            _("%(rows)s 件の回答票を取り込みました（置き換え前 %(replaced)s 件）。")
            % {"rows": len(plan.rows), "replaced": plan.replaced}
        )
