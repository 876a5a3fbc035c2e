"""Daily: email each person what is waiting for them (counts and links only). Run it once a day,
e.g. from cron at 8:00 Asia/Tokyo (docs/deployment.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from platform_site.reminders import send_reminders


class Command(BaseCommand):
    help = "リマインダーのメールを送ります（毎日1回）。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_reminders()
        self.stdout.write(
            f"リマインダー: {result['people']}人に対応待ち、{result['emails']}通を送信しました。"
        )
