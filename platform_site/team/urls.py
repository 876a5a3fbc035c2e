from django.urls import path

from .. import converters  # noqa: F401  (registers <id:…>)
from . import views

app_name = "team"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.team_add, name="add"),
    path("existing/", views.team_grant, name="grant"),
    path("<id:pk>/", views.team_edit, name="edit"),
    path("<id:pk>/remove/", views.team_remove, name="remove"),
    path("<id:pk>/unlock/", views.team_unlock, name="unlock"),
    path("<id:pk>/second-factor-reset/", views.team_second_factor_reset, name="second-factor-reset"),
]
