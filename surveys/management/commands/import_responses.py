"""python manage.py import_responses --survey ID FILE: the same all-or-nothing import as the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from platform_site.lib.tabular import ImportRejected
from surveys.imports import import_apply
from surveys.models import Survey


class Command(BaseCommand):
    help = "調査の回答票（CSV または Excel）を取り込みます。問題があれば何も保存しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help="調査のID")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, survey: int, file: Path, **options: Any) -> None:
        found = Survey.objects.filter(pk=survey).first()
        if found is None:
            raise CommandError(f"調査 {survey} がありません。")
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"ファイルを読めません: {exc.strerror}") from exc
        try:
            plan = import_apply(survey=found, actor=None, data=data, filename=file.name)
        except ImportRejected as rejected:
            raise CommandError(
                "取り込めません（何も保存していません）:\n" + "\n".join(rejected.problems)
            ) from None
        self.stdout.write(f"{len(plan.rows)} 件の回答票を取り込みました（置き換え前 {plan.replaced} 件）。")
