"""python manage.py survey_results --survey ID --format json: the results object, computed in the database.

{"responses": N, "response_rate_pct": x or null, "items": {code: {"n", "counts", "pct"}},
 "ucla_bands": {"3", "4-6", "7-9", "10-12", "n_scored"}}
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from surveys.models import Survey
from surveys.selectors import survey_results


class Command(BaseCommand):
    help = _("調査の集計結果を JSON で出力します（個票は含みません）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", type=int, required=True, help=_("調査のID"))
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, survey: int, **options: Any) -> None:
        found = Survey.objects.filter(pk=survey).first()
        if found is None:
            raise CommandError(_("調査 %(id)s がありません。") % {"id": survey})
        self.stdout.write(json.dumps(survey_results(found).as_json(), ensure_ascii=False, indent=2))
