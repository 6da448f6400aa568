from django.urls import path

from gorod.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("export.json", views.export, name="export"),
]
