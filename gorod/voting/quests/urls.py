from django.urls import path

from gorod.voting.quests import views

urlpatterns = [
    path("quests/<int:quest_id>/", views.quest_detail, name="quest"),
    path("quests/<int:quest_id>/tasks/<int:task_id>/", views.quest_task, name="quest_task"),
]
