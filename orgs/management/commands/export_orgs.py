"""python manage.py export_orgs --platform SLUG --format csv|xlsx --output FILE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.resources import EXPORTERS, export_file
from platform_site.models import Platform


class Command(BaseCommand):
    help = "参加団体の名簿を CSV（UTF-8 BOM 付き）か Excel（.xlsx）に書き出します。取り込みと同じ列です。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", required=True, help="プラットフォームの識別子（例: kumamoto）")
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="csv")
        parser.add_argument("--output", required=True, help="書き出すファイル")

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform.objects.filter(slug=options["platform"]).first()
        if platform is None:
            raise CommandError(
                _("プラットフォーム「%(slug)s」はありません。") % {"slug": options["platform"]}
            )
        _name, _type, content = export_file(
            platform=platform, file_format=options["format"], today=timezone.localdate()
        )
        Path(options["output"]).write_bytes(content)
        self.stdout.write(_("%(n)d バイトを書き出しました。") % {"n": len(content)})
