"""The members' side under /p/<platform>/orgs/: the members' directory, each organisation's
working-together facts, the applications to be listed, the notices to members."""

from django.urls import path

from platform_site import converters  # noqa: F401  (registers <id:…>)

from . import views

urlpatterns = [
    path("members/", views.members_directory, name="members-directory"),
    path("<id:pk>/working/", views.working_edit, name="working"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<id:application_id>/", views.application_detail, name="application"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_create, name="notice-new"),
    path("notices/email/", views.notice_email, name="notice-email"),
    path("notices/<id:notice_id>/", views.notice_detail, name="notice"),
]
