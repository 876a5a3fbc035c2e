from django.urls import path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.council_detail, name="detail"),
    path("edit/", views.council_edit, name="edit"),
    path("bodies/new/", views.body_add, name="body-add"),
    path("bodies/<id:body_id>/end/", views.body_end, name="body-end"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<id:meeting_id>/", views.meeting_detail, name="meeting"),
    path("duty/", views.seats, name="seats"),
    path("duty/<id:seat_id>/end/", views.seat_end, name="seat-end"),
]
