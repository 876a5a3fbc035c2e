"""Delete expired background jobs and what they still hold (uploads not read, results not downloaded)."""

from typing import Any

from django.core.management.base import BaseCommand

from platform_site.jobs.services import jobs_purge


class Command(BaseCommand):
    help = "期限の切れたバックグラウンド処理（未ダウンロードの結果を含む）を削除します。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{jobs_purge()} 件を削除しました。")
