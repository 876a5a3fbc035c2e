"""The public application form, in the directory's namespace: /d/<platform>/apply/ (no account)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:platform>/apply/", views.apply, name="apply"),
    path("<slug:platform>/apply/sent/", views.apply_sent, name="apply-sent"),
]
