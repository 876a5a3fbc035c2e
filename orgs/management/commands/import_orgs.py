"""python manage.py import_orgs FILE --platform SLUG [--dry-run]: the registry from CSV or XLSX.

All or nothing: any bad row stops the import, every problem is printed with its row number,
and nothing is saved (exit status 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from orgs.imports import ImportPlan, ImportRejected, changed_columns, import_apply, import_plan
from platform_site.lib.tabular import more_problems_text
from platform_site.models import Platform


class Command(BaseCommand):
    help = "参加団体の名簿を CSV（UTF-8/CP932）か Excel（.xlsx）から取り込みます。1行でも誤りがあれば何も保存しません。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV または .xlsx ファイル")
        parser.add_argument("--platform", required=True, help="プラットフォームの識別子（例: kumamoto）")
        parser.add_argument("--dry-run", action="store_true", help="確認だけして保存しない")
        parser.add_argument("--user", default="", help="履歴に記録する利用者名（省略時はコマンド）")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform.objects.filter(slug=options["platform"]).first()
        if platform is None:
            raise CommandError(
                _("プラットフォーム「%(slug)s」はありません。") % {"slug": options["platform"]}
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("ファイル「%(name)s」が見つかりません。") % {"name": path.name})
        actor = get_user_model().objects.filter(username=options["user"]).first() if options["user"] else None
        if options["user"] and actor is None:
            raise CommandError(_("利用者「%(user)s」はいません。") % {"user": options["user"]})
        data = path.read_bytes()
        try:
            if options["dry_run"]:
                plan = import_plan(platform=platform, data=data, filename=path.name)
                if plan.problems:
                    raise ImportRejected(plan.problems)
            else:
                plan = import_apply(
                    platform=platform,
                    actor=actor,
                    data=data,
                    filename=path.name,
                    actor_label=actor.username if actor else "import_orgs",
                )
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(problem)
            if rejected.problems.more:
                self.stderr.write(more_problems_text(rejected.problems.more))
            raise CommandError(
                _("取り込みを中止しました（問題 %(n)d 件）。何も保存していません。")
                % {"n": rejected.problems.total}
            ) from None
        self._report(plan, dry_run=options["dry_run"])

    def _report(self, plan: ImportPlan, *, dry_run: bool) -> None:
        verb = _("登録予定") if dry_run else _("登録")
        self.stdout.write(_("%(verb)s %(n)d 件") % {"verb": verb, "n": len(plan.creates)})
        for row in plan.creates:
            self.stdout.write(f"  + {row.name}")
        verb = _("更新予定") if dry_run else _("更新")
        self.stdout.write(_("%(verb)s %(n)d 件") % {"verb": verb, "n": len(plan.updates)})
        for row in plan.updates:
            self.stdout.write(f"  ~ {row.name}（{changed_columns(row)}）")
        self.stdout.write(_("変更なし %(n)d 件") % {"n": len(plan.unchanged)})
        if dry_run:
            self.stdout.write(_("確認のみ（--dry-run）: 何も保存していません。"))
