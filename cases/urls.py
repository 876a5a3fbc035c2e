"""URLs under /p/<platform>/cases/. Cases are addressed by integer id only, never by a name."""

from django.urls import include, path

from platform_site import converters  # noqa: F401  (registers <id:…>: a 19-digit id is a 404, not a 500)

from . import views, views_flow

app_name = "cases"

case_urls = [
    path("", views.case_detail, name="detail"),
    path("edit/", views.case_edit, name="edit"),
    path("plan/", views.case_plan, name="plan"),
    path("consent/", views.consent_create, name="consent-create"),
    path("consent/<id:consent_id>/revoke/", views.consent_revoke, name="consent-revoke"),
    path("consent/<id:consent_id>/correct/", views.consent_correct, name="consent-correct"),
    path("refer/", views.referral_create, name="referral-create"),
    path("referrals/<id:referral_id>/respond/", views.referral_respond, name="referral-respond"),
    path("referrals/<id:referral_id>/handoff/", views.handoff_create, name="handoff-create"),
    path("referrals/<id:referral_id>/hand-on/", views_flow.hand_on, name="hand-on"),
    path(
        "referrals/<id:referral_id>/respond/phone/",
        views.referral_respond_phone,
        name="referral-respond-phone",
    ),
    path("referrals/<id:referral_id>/handoff/phone/", views.handoff_phone, name="handoff-phone"),
    path("handoffs/<id:handoff_id>/read/", views.report_read, name="report-read"),
    path("print/", views.case_print, name="print"),
    path("close/", views.case_close, name="close"),
    path("working-group/", views.working_group, name="working-group"),
    path("working-group/close/", views.working_group_close, name="working-group-close"),
    path("working-group/<id:member_id>/remove/", views.working_group_remove, name="working-group-remove"),
    path("log/", views.case_audit, name="audit"),
]

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("search/", views.case_search, name="search"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("figures/", views.ledger_stats, name="stats"),
    path("log/users/", views.user_audit_index, name="user-audit-index"),
    path("log/user/<id:user_id>/", views.user_audit, name="user-audit"),
    # the two-way flow: a member's request to the city (NPO → 行政)
    path("requests/", views_flow.request_list, name="requests"),
    path("requests/new/", views_flow.request_create, name="request-create"),
    path("requests/<id:request_id>/", views_flow.request_detail, name="request-detail"),
    path("requests/<id:request_id>/accept/", views_flow.request_accept, name="request-accept"),
    path("requests/<id:request_id>/answer/", views_flow.request_answer, name="request-answer"),
    # つながりサポーター: the register, a supporter's report and their own list, the intake's list
    path("supporters/", views_flow.supporter_register, name="supporters"),
    path("supporter/report/", views_flow.supporter_report_create, name="supporter-report-create"),
    path("supporter/reports/", views_flow.supporter_reports_mine, name="supporter-reports-mine"),
    path("reports/", views_flow.supporter_reports, name="supporter-reports"),
    path("reports/<id:report_id>/", views_flow.supporter_report, name="supporter-report"),
    path(
        "reports/<id:report_id>/handled/",
        views_flow.supporter_report_handled,
        name="supporter-report-handled",
    ),
    path("reports/<id:report_id>/case/", views_flow.supporter_report_case, name="supporter-report-case"),
    path("<id:pk>/", include(case_urls)),
]
