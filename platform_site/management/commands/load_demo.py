"""Load the demo data (public facts + fictional cases marked 架空). Safe to run twice."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo module exposes load(stdout); order matters (the registry comes first).
DEMO_MODULES = ["orgs.demo", "cases.demo", "surveys.demo", "outreach.demo"]


class Command(BaseCommand):
    help = "デモデータ（公開資料の事実と架空のケース）を読み込みます。何度実行しても同じ結果になります。"

    def handle(self, *args, **options) -> None:
        from orgs.demo import DEMO_PASSWORD, DEMO_USERS

        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("デモデータを読み込みました。"))
        self.stdout.write(f"デモ利用者（パスワードはすべて {DEMO_PASSWORD}）:")
        for username, full_name, slug, *_ in DEMO_USERS:
            self.stdout.write(f"  {username:22} {slug:11} {full_name}")
