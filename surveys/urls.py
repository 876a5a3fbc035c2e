from django.urls import include, path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import views, views_io, views_resource

app_name = "surveys"

survey_urls = [
    path("", views.survey_detail, name="detail"),
    path("edit/", views.survey_edit, name="edit"),
    path("questions/new/", views.question_add, name="question-add"),
    path("published/", views.published_edit, name="published"),
    path("import/", views_io.import_upload, name="import"),
    path("import/confirm/", views_io.import_confirm, name="import-confirm"),
    path("template.xlsx", views.template_download, name="template"),
    path("results.xlsx", views.results_xlsx, name="results-xlsx"),
    path("report.pdf", views.report_pdf, name="report"),
    path("responses/", views.responses_list, name="responses"),
    path("responses.csv", views.responses_csv, name="responses-csv"),
    path("organisations/", views_resource.respondents, name="resource"),
    path("organisations/add/", views_resource.candidates_add, name="resource-add"),
]

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("<id:pk>/", include(survey_urls)),
]
