"""python manage.py fy_report --platform SLUG --year 2023 --format xlsx|pdf --output FILE

Writes the 試行的事業一覧 of one platform and 年度 (`--year` is the 年度's starting year:
令和5年度 = 2023), the same file the screen offers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outreach import report_files
from outreach.selectors import fiscal_year_report
from platform_site.lib import japanese as jp
from platform_site.models import Platform


class Command(BaseCommand):
    help = "年度の試行的事業一覧を Excel（xlsx）か PDF で書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", required=True, help="プラットフォームの識別子（例: kitakyushu）")
        parser.add_argument("--year", required=True, type=int, help="年度の始まる西暦年（令和5年度 = 2023）")
        parser.add_argument("--format", required=True, choices=["xlsx", "pdf"], dest="file_format")
        parser.add_argument("--output", required=True, help="書き出すファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform.objects.filter(slug=options["platform"]).first()
        if platform is None:
            raise CommandError(f"プラットフォーム「{options['platform']}」はありません。")
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError("--year は西暦の4桁で指定してください（令和5年度 = 2023）。")
        report = fiscal_year_report(platform=platform, fiscal_year=year)
        data = report_files.render(report, options["file_format"])
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            f"{platform.name} {jp.fiscal_year_label(year)}: 試行的事業 {len(report.rows)} 件、"
            f"予算合計 {report.total:,}円 → {options['output']}"
        )
