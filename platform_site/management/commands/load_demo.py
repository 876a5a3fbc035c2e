"""Load the demo data (public facts + fictional cases marked 架空). Safe to run twice.

Each app registers its loader (platform_site.extensions.register_demo) from its AppConfig.ready();
they run in their order (the registry first) inside one transaction.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from platform_site.extensions import demo_loaders


class Command(BaseCommand):
    help = "デモデータ（公開資料の事実と架空のケース）を読み込みます。何度実行しても同じ結果になります。"

    def handle(self, *args: Any, **options: Any) -> None:
        loaders = demo_loaders()
        with transaction.atomic():
            for loader in loaders:
                loader.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        for loader in loaders:
            for line in loader.describe() if loader.describe else []:
                self.stdout.write(line)
