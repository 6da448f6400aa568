from django.urls import path

from gorod.voting.ratings import views

urlpatterns = [
    path("pulse/", views.pulse, name="pulse"),
    path("pulse/<int:item_id>/rate/", views.pulse_rate, name="pulse_rate"),
]
