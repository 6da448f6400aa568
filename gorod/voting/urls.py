from django.urls import path

from gorod.voting import views

app_name = "voting"
urlpatterns = [
    path("", views.poll_list, name="polls"),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("polls/<int:poll_id>/ballot/", views.ballot_post, name="ballot"),
    path("decisions/", views.decision_map, name="decisions"),
]
