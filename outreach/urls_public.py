"""Public routes of the outreach app (namespace public-events): no login, under /d/<platform>/events/."""

from django.urls import path

from . import views_public

app_name = "public-events"

urlpatterns = [path("", views_public.public_event_list, name="list")]
