from django.urls import path

from platform_site.placeholder import public_not_yet

app_name = "directory"

urlpatterns = [
    path("<slug:platform>/", public_not_yet, name="index"),
]
