"""Resource surveys → recruitment: upload the responding organisations, see each one's match in
the registry (法人番号, then name) and add the unknown ones as membership candidates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs.capabilities import MEMBERSHIP_MANAGE
from platform_site.http import PlatformRequest
from platform_site.lib.tabular import ImportRejected
from platform_site.permissions import platform_view, require

from . import resource
from .capabilities import SURVEYS_MANAGE
from .forms import UploadForm
from .models import Survey, SurveyKind


def _resource_survey(request: PlatformRequest, pk: int) -> Survey:
    return get_object_or_404(Survey, pk=pk, platform=request.platform, kind=SurveyKind.RESOURCE)


@platform_view(SURVEYS_MANAGE)
def respondents(request: PlatformRequest, pk: int) -> HttpResponse:
    survey = _resource_survey(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = resource.respondents_import(
                survey=survey, actor=request.user, data=upload.read(), filename=upload.name
            )
        except ImportRejected as rejected:
            problems = rejected.problems
        else:
            messages.success(request, _("回答団体 %(n)d 件を取り込みました。") % {"n": count})
            return redirect("surveys:resource", request.platform.slug, survey.pk)
    found = resource.matches(survey)
    return render(
        request,
        "surveys/resource.html",
        {
            "survey": survey,
            "form": form,
            "problems": problems,
            "matches": found,
            "unknown": sum(1 for m in found if m.organisation is None),
            "addable": sum(1 for m in found if m.addable),
        },
    )


@platform_view(SURVEYS_MANAGE)
@require_POST
def candidates_add(request: PlatformRequest, pk: int) -> HttpResponse:
    require(request, MEMBERSHIP_MANAGE)
    survey = _resource_survey(request, pk)
    ids = [int(v) for v in request.POST.getlist("respondent") if v.isdigit() and len(v) <= 18]
    added = resource.candidates_add(survey=survey, actor=request.user, respondent_ids=ids)
    messages.success(request, _("%(n)d 団体を参加候補として名簿に追加しました。") % {"n": added})
    return redirect("surveys:resource", request.platform.slug, survey.pk)
