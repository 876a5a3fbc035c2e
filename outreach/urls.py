from django.urls import path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import views, views_import, views_report

app_name = "outreach"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("types/", views.event_types, name="types"),
    path("import/", views_import.event_import, name="import"),
    path("<id:pk>/", views.event_detail, name="detail"),
    path("<id:pk>/edit/", views.event_edit, name="edit"),
    path("<id:pk>/case/", views.event_case_new, name="case-new"),
    path("report/<int:year>/", views_report.fy_report, name="report"),
    path("report/<int:year>/xlsx/", views_report.fy_report_xlsx, name="report-xlsx"),
    path("report/<int:year>/pdf/", views_report.fy_report_pdf, name="report-pdf"),
]
