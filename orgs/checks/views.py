"""The yearly entry check: the secretariat's screen (who was asked, who answered) and the
organisation's link (no account; a link that is unknown, expired or answered says only that)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from platform_site.http import PlatformRequest
from platform_site.lib import japanese as jp
from platform_site.permissions import platform_view

from ..capabilities import ORGS_EDIT_ANY
from . import selectors, services
from .forms import AnswerForm


@platform_view(ORGS_EDIT_ANY)
def check_list(request: PlatformRequest) -> HttpResponse:
    today = timezone.localdate()
    if request.method == "POST":
        result = services.entry_checks_send(platform=request.platform, actor=request.user, today=today)
        messages.success(
            request,
            _("%(sent)d団体に確認のお願いを送りました。") % {"sent": result["sent"]}
            + (
                _("メールアドレスのない%(n)d団体には送れませんでした（電話などで確かめてください）。")
                % {"n": result["no_address"]}
                if result["no_address"]
                else ""
            ),
        )
        return redirect("orgs:checks", request.platform.slug)
    year = jp.fiscal_year(today)
    rows = selectors.check_rows(platform=request.platform, fiscal_year=year)
    counts = {
        state: sum(1 for r in rows if r.state == state)
        for state in ("not_sent", "waiting", "confirmed", "corrections")
    }
    return render(
        request,
        "orgs/entry_checks.html",
        {"rows": rows, "counts": counts, "fy_label": jp.fiscal_year_label(year)},
    )


@never_cache
def check_answer(request: HttpRequest, token: str) -> HttpResponse:
    check = services.check_for_token(token)
    if check is None:
        return render(request, "orgs/entry_check_gone.html", status=404)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.entry_check_answer(
                check=check,
                answer=form.cleaned_data["answer"],
                name=form.cleaned_data["name"],
                corrections=form.cleaned_data["corrections"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return render(request, "orgs/entry_check_done.html", {"check": answered})
    org = check.organisation
    return render(
        request,
        "orgs/entry_check_answer.html",
        {"check": check, "org": org, "form": form, "phones": list(org.phones.all())},
    )
