"""Retention: strip personal data from cases closed before a date, keeping the yearly figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.services import cases_anonymise


class Command(BaseCommand):
    help = "指定日より前に終了したケースから個人情報を削除します（件数・日付・団体は集計のために残ります）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--closed-before", required=True, help="YYYY-MM-DD。この日より前に終了したケースが対象です。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["closed_before"])
        except ValueError as exc:
            raise CommandError("--closed-before は YYYY-MM-DD の形式で指定してください。") from exc
        count = cases_anonymise(closed_before=day)
        self.stdout.write(self.style.SUCCESS(f"{count} 件のケースを匿名化しました。"))
