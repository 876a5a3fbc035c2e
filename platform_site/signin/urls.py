from django.urls import path

from . import views

app_name = "signin"
urlpatterns = [
    path("2fa/", views.verify, name="verify"),
    path("2fa/setup/", views.setup, name="setup"),
    path("2fa/recovery/", views.recovery, name="recovery"),
    path("2fa/recovery/new/", views.recovery_new, name="recovery-new"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("reset/done/", views.password_reset_complete, name="password-reset-complete"),
]
