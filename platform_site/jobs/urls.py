"""Background job routes (namespace jobs), under /p/<platform>/jobs/."""

from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:job>/", views.job_status, name="status"),
    path("<uuid:job>/download/", views.job_download, name="download"),
]
