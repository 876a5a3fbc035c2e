from django.urls import path

from platform_site.placeholder import not_yet

app_name = "cases"

urlpatterns = [
    path("", not_yet, name="list"),
]
