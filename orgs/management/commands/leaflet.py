"""`python manage.py leaflet --platform SLUG --output FILE`: print the 相談先一覧 leaflet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from orgs.models import WorryCategory
from orgs.pdf import VARIANT_A4, VARIANTS, LeafletOptions, render_leaflet_pdf
from orgs.selectors_public import GROUP_REFER, GROUPINGS
from platform_site.lib.pdf import FontsMissing
from platform_site.models import Platform


class Command(BaseCommand):
    help = "相談先一覧リーフレット（PDF）を作ります。公開掲載に同意した参加団体だけが載ります。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--platform", required=True, help="プラットフォームの識別子（例: kumamoto）")
        parser.add_argument("--output", required=True, help="書き出すPDFファイル（- で標準出力）")
        parser.add_argument(
            "--grouping",
            choices=GROUPINGS,
            default=GROUP_REFER,
            help="refer: くわしくは1か所、ほかは名前と電話番号 / each: すべてのカテゴリにくわしく / first: 最初のカテゴリにだけ",
        )
        parser.add_argument(
            "--variant", choices=VARIANTS, default=VARIANT_A4, help="a4: A4・2列 / large: 大きな文字（1列）"
        )
        parser.add_argument("--category", default="", help="このカテゴリ（名称）だけを載せる")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="ja",
            help="ja / en（英語版）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        platform = Platform.objects.filter(slug=options["platform"]).first()
        if platform is None:
            raise CommandError(
                _("プラットフォーム「%(slug)s」が見つかりません。") % {"slug": options["platform"]}
            )
        category = None
        if options["category"]:
            found = WorryCategory.objects.filter(platform=platform, name=options["category"]).first()
            if found is None:
                raise CommandError(
                    _("カテゴリ「%(name)s」はこのプラットフォームにありません。")
                    % {"name": options["category"]}
                )
            category = found.pk
        try:
            _name, pdf = render_leaflet_pdf(
                platform=platform,
                options=LeafletOptions(
                    grouping=options["grouping"],
                    category=category,
                    variant=options["variant"],
                    language=options["language"],
                ),
            )
        except FontsMissing as exc:
            raise CommandError(str(exc)) from exc
        if options["output"] == "-":
            sys.stdout.buffer.write(pdf)
            return
        try:
            Path(options["output"]).write_bytes(pdf)
        except OSError as exc:
            raise CommandError(
                _("%(file)s に書き出せません（%(reason)s）。")
                % {"file": options["output"], "reason": exc.strerror or exc}
            ) from exc
        self.stderr.write(
            _("%(file)s に書き出しました（%(size)s バイト）。")
            % {"file": options["output"], "size": f"{len(pdf):,}"}
        )
