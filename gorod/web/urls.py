from django.urls import path

from gorod.web import landing, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", landing.landing, name="landing"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
