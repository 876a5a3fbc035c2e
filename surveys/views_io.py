"""Response import in the browser: upload → preview (nothing saved) → confirm.

As the registry import does (orgs/views_io.py), the uploaded bytes wait in the shared cache under
a random single-use key bound to the user, platform and survey, for 15 minutes; confirm checks
the file again inside its transaction."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.lib.tabular import ImportRejected
from platform_site.permissions import platform_view

from .capabilities import SURVEYS_MANAGE
from .forms import UploadForm
from .imports import import_apply, import_plan
from .models import Survey

PENDING_SECONDS = 15 * 60


def _key(request: PlatformRequest, survey: Survey, token: str) -> str:
    return f"surveys-import:{request.user.pk}:{request.platform.pk}:{survey.pk}:{token}"


@platform_view(SURVEYS_MANAGE)
def import_upload(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, platform=request.platform)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "survey": survey, "questions": survey.questions.all()}
    if request.method != "POST" or not form.is_valid():
        return render(request, "surveys/import_form.html", context)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        plan = import_plan(survey=survey, data=data, filename=upload.name)
    except ImportRejected as rejected:
        return render(request, "surveys/import_form.html", context | {"problems": rejected.problems})
    if plan.problems:
        return render(request, "surveys/import_form.html", context | {"problems": plan.all_problems})
    token = secrets.token_urlsafe(24)
    cache.set(_key(request, survey, token), {"name": upload.name, "data": data}, PENDING_SECONDS)
    return render(
        request,
        "surveys/import_preview.html",
        {
            "survey": survey,
            "plan": plan,
            "channels": plan.channel_counts(),
            "token": token,
            "filename": upload.name,
        },
    )


@platform_view(SURVEYS_MANAGE)
@require_POST
def import_confirm(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, platform=request.platform)
    token = request.POST.get("token", "")
    key = _key(request, survey, token)
    pending = cache.get(key) if 0 < len(token) <= 64 else None
    if pending is None or not cache.delete(key):
        messages.error(
            request, _("確認の有効期限が切れたか、すでに取り込み済みです。もう一度ファイルを選んでください。")
        )
        return redirect("surveys:import", request.platform.slug, survey.pk)
    try:
        plan = import_apply(survey=survey, actor=request.user, data=pending["data"], filename=pending["name"])
    except ImportRejected as rejected:
        return render(
            request,
            "surveys/import_form.html",
            {
                "form": UploadForm(),
                "survey": survey,
                "questions": survey.questions.all(),
                "problems": rejected.problems,
            },
        )
    messages.success(request, _("%(n)d 件の回答票を取り込みました。") % {"n": len(plan.rows)})
    return redirect("surveys:detail", request.platform.slug, survey.pk)
