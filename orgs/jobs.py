"""The registry's background jobs (platform_site.jobs): the leaflet, a large export, a large import.

Each `run_*` is a plain function of the job: it reads the job's options (ids only) and, for an
import, the uploaded file kept on the job row until it is read; it returns the file to download
or the message to show. The rendering and the import themselves are the same functions the
screens and commands use (`orgs.pdf.render_leaflet_pdf`, `orgs.resources.export_file`,
`orgs.imports.import_apply`).
"""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platform_site.jobs import JobFailed, JobKind, JobOutput, Progress, register_job_kind
from platform_site.models import Job

from . import selectors, services
from .capabilities import LEAFLET_MAKE, NOTICES_POST, ORGS_EXPORT, ORGS_IMPORT
from .forms import OrgFilterForm
from .imports import ImportRejected, import_apply
from .members import services as members
from .models import Notice
from .pdf import LeafletOptions, render_leaflet_pdf
from .resources import export_file

LEAFLET = "orgs.leaflet"
EXPORT = "orgs.export"
IMPORT = "orgs.import"
PROBLEMS_SHOWN = 200


def run_leaflet(job: Job, progress: Progress) -> JobOutput:
    progress(1, 3, _("名簿を読んでいます。"))
    options = LeafletOptions(**job.params)
    progress(2, 3, _("PDFを組んでいます。"))
    name, pdf = render_leaflet_pdf(platform=job.platform, options=options)
    return JobOutput(name=name, content_type="application/pdf", content=pdf)


def run_export(job: Job, progress: Progress) -> JobOutput:
    progress(1, 2, _("名簿を書き出しています。"))
    query = QueryDict(job.params.get("query", ""))
    organisation_ids = None
    if any(key in query for key in OrgFilterForm.base_fields):
        form = OrgFilterForm(query, platform=job.platform)
        filters = form.cleaned_data if form.is_valid() else {}
        organisation_ids = selectors.organisation_list(platform=job.platform, filters=filters).values("pk")
    contacts = bool(job.params.get("contacts"))
    name, content_type, content = export_file(
        platform=job.platform,
        file_format=job.params["format"],
        today=timezone.localdate(),
        organisation_ids=organisation_ids,
        contacts=contacts,
    )
    services.registry_exported(
        platform=job.platform,
        actor=job.owner,
        organisation_ids=organisation_ids,
        contacts=contacts,
        file_format=job.params["format"],
    )
    return JobOutput(name=name, content_type=content_type, content=content)


def run_import(job: Job, progress: Progress) -> JobOutput:
    progress(1, 2, _("取り込んでいます（すべて保存するか、何も保存しないかのどちらかです）。"))
    if job.payload is None:
        raise JobFailed(_("取り込むファイルがありません。もう一度ファイルを選んでください。"))
    try:
        plan = import_apply(
            platform=job.platform, actor=job.owner, data=bytes(job.payload), filename=job.payload_name
        )
    except ImportRejected as rejected:
        shown = rejected.problems[:PROBLEMS_SHOWN]
        more = len(rejected.problems) - len(shown)
        lines = [_("何も保存していません。次の問題を直して、もう一度取り込んでください。"), *shown]
        if more > 0:
            lines.append(_("ほかに %(n)d 件の問題があります。") % {"n": more})
        raise JobFailed("\n".join(lines)) from None
    return JobOutput(
        message=_("取り込みました: 登録 %(c)d 件、更新 %(u)d 件、変更なし %(n)d 件。")
        % {"c": len(plan.creates), "u": len(plan.updates), "n": len(plan.unchanged)}
    )


def run_notice_email(job: Job, progress: Progress) -> JobOutput:
    notice = (
        Notice.objects.select_related("platform")
        .filter(pk=job.params.get("notice"), platform=job.platform)
        .first()
    )
    if notice is None:
        raise JobFailed(_("お知らせが見つかりません。"))
    progress(1, 2, _("お知らせのメールを送っています。"))
    sent = members.notice_emails_send(notice=notice)
    return JobOutput(message=_("お知らせのメールを%(n)d人に送りました。") % {"n": sent})


def register_all() -> None:
    register_job_kind(
        JobKind(
            members.NOTICE_EMAIL_JOB,
            gettext_lazy("お知らせのメール"),
            NOTICES_POST,
            run_notice_email,
            back_url=lambda job: reverse("orgs:notices", args=[job.platform.slug]),
        )
    )
    register_job_kind(
        JobKind(
            LEAFLET,
            gettext_lazy("相談先一覧リーフレット（PDF）"),
            LEAFLET_MAKE,
            run_leaflet,
            back_url=lambda job: reverse("orgs:leaflet-options", args=[job.platform.slug]),
        )
    )
    register_job_kind(
        JobKind(
            EXPORT,
            gettext_lazy("参加団体名簿の書き出し"),
            ORGS_EXPORT,
            run_export,
            back_url=lambda job: reverse("orgs:list", args=[job.platform.slug]),
        )
    )
    register_job_kind(
        JobKind(
            IMPORT,
            gettext_lazy("参加団体名簿の取り込み"),
            ORGS_IMPORT,
            run_import,
            back_url=lambda job: reverse("orgs:import", args=[job.platform.slug]),
        )
    )
