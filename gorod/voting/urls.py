from django.urls import path

from gorod.voting import views
from gorod.voting.contests import urls as urls_contests
from gorod.voting.discussions import urls as urls_discussions
from gorod.voting.quizzes import views as views_quizzes

app_name = "voting"
urlpatterns = [
    path("", views.poll_list, name="polls"),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("polls/<int:poll_id>/ballot/", views.ballot_post, name="ballot"),
    path("how-your-vote-is-counted/", views.how_counted, name="how_counted"),
    path("decisions/", views.decision_map, name="decisions"),
    path("quizzes/", views_quizzes.quiz_list, name="quizzes"),
    path("quizzes/<int:quiz_id>/", views_quizzes.quiz_detail, name="quiz"),
    path("quizzes/<int:quiz_id>/take/", views_quizzes.quiz_take, name="quiz_take"),
    path("quests/<int:quest_id>/", views_quizzes.quest_detail, name="quest"),
    path("quests/<int:quest_id>/tasks/<int:task_id>/", views_quizzes.quest_task, name="quest_task"),
    path("pulse/", views_quizzes.pulse, name="pulse"),
    path("pulse/<int:item_id>/rate/", views_quizzes.pulse_rate, name="pulse_rate"),
    *urls_discussions.urlpatterns,
    *urls_contests.urlpatterns,
]
