from django.urls import path

from gorod.points import views

app_name = "points"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("how/", views.how, name="how"),
]
