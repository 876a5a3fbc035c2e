"""The organisation's link of the yearly check: /check/<token>/ (no account)."""

from django.urls import path

from . import views

urlpatterns = [path("<str:token>/", views.check_answer, name="entry-check")]
