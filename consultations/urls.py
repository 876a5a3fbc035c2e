from django.urls import path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("export/", views.consultation_export, name="export"),
    path("<id:pk>/edit/", views.consultation_edit, name="edit"),
]
