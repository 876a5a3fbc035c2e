"""The secretariat's screen of the yearly check, under /p/<platform>/orgs/checks/."""

from django.urls import path

from . import views

urlpatterns = [path("checks/", views.check_list, name="checks")]
