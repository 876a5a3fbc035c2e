"""Retention: strip personal data from cases closed before a date, keeping the yearly figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services import cases_anonymise


class Command(BaseCommand):
    help = _(
        "指定日より前に終了したケースから個人情報を削除します（件数・日付・団体は集計のために残ります）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--closed-before",
            required=True,
            help=_("YYYY-MM-DD。この日より前に終了したケースが対象です。今日より後の日付は指定できません。"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["closed_before"])
        except ValueError as exc:
            raise CommandError(_("--closed-before は YYYY-MM-DD の形式で指定してください。")) from exc
        # Anonymising cannot be undone: a mistyped year (2062 for 2026) must not strip every closed case.
        if day > timezone.localdate():
            raise CommandError(_("--closed-before に今日より後の日付は指定できません。"))
        count = cases_anonymise(closed_before=day)
        self.stdout.write(self.style.SUCCESS(_("{count} 件のケースを匿名化しました。").format(count=count)))
