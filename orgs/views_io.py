"""Excel/CSV in and out of the registry in the browser: upload → preview → confirm; download.

Between preview and confirm the uploaded bytes are kept in the server-side cache under a
random, single-use key bound to the user and the platform, for 15 minutes, and deleted on
confirm. Why this and not the alternatives:
- a temp file (django-import-export's admin by default) leaves member lists in the system temp folder
  whenever a preview is abandoned, and FILE_UPLOAD_HANDLERS keep uploads in memory only;
- the session or a hidden form field would carry up to 20 MB through every request or back
  and forth over the wire (and a hidden field could be altered between preview and confirm);
- asking the user to pick the file again is safe but easy to get wrong (another file).
The cache must be shared by all workers in production (CACHE_URL, see docs/configuration.md);
when the key has expired or was already used, the user is asked to upload again. Confirm plans
the file again inside its transaction, so what is saved is checked against the database then.
"""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platform_site.http import PlatformRequest
from platform_site.jobs.services import job_start
from platform_site.permissions import platform_view

from . import selectors, services
from .capabilities import ORGS_EXPORT, ORGS_IMPORT, ORGS_VIEW
from .forms import OrgFilterForm
from .imports import ImportRejected, import_apply, import_plan, plan_summary
from .jobs import EXPORT, IMPORT
from .resources import EXPORTERS, HEADERS, OrganisationResource, export_file

PENDING_SECONDS = 15 * 60


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ファイル（CSV または Excel .xlsx）"),
        help_text=gettext_lazy("CSV は UTF-8 でも Shift_JIS（Excel の既定）でもかまいません。20MB まで。"),
    )


def _pending_key(request: PlatformRequest, token: str) -> str:
    return f"orgs-import:{request.user.pk}:{request.platform.pk}:{token}"


def _upload_form(request: PlatformRequest) -> UploadForm:
    """The form, bound on POST even when the file did not arrive: a file over the upload limit
    is dropped by the upload handler, and the page must say why rather than reload blank."""
    if request.method != "POST":
        return UploadForm()
    form = UploadForm(request.POST, request.FILES)
    limit = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    if "file" not in request.FILES and int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        form.is_valid()
        form.errors["file"] = form.error_class(
            [
                _("ファイルが大きすぎます（%(mb)dMB まで）。CSV で保存するか、ファイルを分けてください。")
                % {"mb": limit // (1024 * 1024)}
            ]
        )
    return form


@platform_view(ORGS_IMPORT)
def import_upload(request: PlatformRequest) -> HttpResponse:
    form = _upload_form(request)
    context = {"form": form, "headers": HEADERS}
    if request.method != "POST" or not form.is_valid():
        return render(request, "orgs/import_form.html", context)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        plan = import_plan(platform=request.platform, data=data, filename=upload.name)
    except ImportRejected as rejected:
        return render(request, "orgs/import_form.html", context | {"problems": rejected.problems})
    token = ""
    if not plan.problems:
        token = secrets.token_urlsafe(24)
        pending = {"name": upload.name, "data": data, "rows": plan.row_count}
        cache.set(_pending_key(request, token), pending, PENDING_SECONDS)
    return render(
        request,
        "orgs/import_preview.html",
        {
            "summary": plan_summary(plan),
            "problems": plan.problems,
            "token": token,
            "filename": upload.name,
        },
    )


@platform_view(ORGS_IMPORT)
@require_POST
def import_confirm(request: PlatformRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    key = _pending_key(request, token)
    pending = cache.get(key) if 0 < len(token) <= 64 else None
    # Only the request that deletes the key imports: a double click sends two confirms, and both
    # could read the key before either deleted it (the same rows created twice).
    if pending is None or not cache.delete(key):
        messages.error(
            request, _("確認の有効期限が切れたか、すでに取り込み済みです。もう一度ファイルを選んでください。")
        )
        return redirect("orgs:import", request.platform.slug)
    if pending.get("rows", 0) > settings.JOB_INLINE_ROWS:
        # a large file is saved by the background worker; the person follows it on its page
        job = job_start(
            platform=request.platform,
            owner=request.user,
            kind=IMPORT,
            payload=pending["data"],
            payload_name=pending["name"],
        )
        return redirect("jobs:status", request.platform.slug, job.pk)
    try:
        plan = import_apply(
            platform=request.platform, actor=request.user, data=pending["data"], filename=pending["name"]
        )
    except ImportRejected as rejected:
        form = UploadForm()
        return render(
            request,
            "orgs/import_form.html",
            {"form": form, "headers": HEADERS, "problems": rejected.problems},
        )
    messages.success(
        request,
        _("取り込みました: 登録 %(c)d 件、更新 %(u)d 件、変更なし %(n)d 件。")
        % {"c": len(plan.creates), "u": len(plan.updates), "n": len(plan.unchanged)},
    )
    return redirect("orgs:import", request.platform.slug)


@platform_view(ORGS_EXPORT)
def export_download(request: PlatformRequest) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORTERS:
        return HttpResponseBadRequest(_("形式は csv か xlsx を指定してください。"))
    # The list's current filter (the same form and selector as the list page), if any.
    filters, organisation_ids = {}, None
    if any(key in request.GET for key in OrgFilterForm.base_fields):
        form = OrgFilterForm(request.GET, platform=request.platform)
        filters = form.cleaned_data if form.is_valid() else {}
        organisation_ids = selectors.organisation_list(platform=request.platform, filters=filters).values(
            "pk"
        )
    contacts = request.GET.get("contacts") == "1" and ORGS_VIEW in request.capabilities
    rows = OrganisationResource().export_queryset(request.platform)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    if rows.count() > settings.JOB_INLINE_ROWS:
        # a large registry is written by the background worker, downloaded from the job's page;
        # the job keeps the filter as the list's query string (category ids, words of a name)
        query = request.GET.copy()
        for key in ("format", "contacts"):
            query.pop(key, None)
        params = {"format": file_format, "contacts": contacts, "query": query.urlencode()}
        job = job_start(platform=request.platform, owner=request.user, kind=EXPORT, params=params, reuse=True)
        return redirect("jobs:status", request.platform.slug, job.pk)
    filename, content_type, content = export_file(
        platform=request.platform,
        file_format=file_format,
        today=timezone.localdate(),
        organisation_ids=organisation_ids,
        contacts=contacts,
    )
    services.registry_exported(
        platform=request.platform,
        actor=request.user,
        organisation_ids=organisation_ids,
        contacts=contacts,
        file_format=file_format,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
