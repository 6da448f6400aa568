from django.urls import path

from gorod.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<str:filename>", views.download, name="download"),
]
