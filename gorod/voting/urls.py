"""The voting app's pages under /voting/ (namespace "voting"): the poll engine's here, each
sub-domain's from its own urls.py."""

from django.urls import path

from gorod.voting import views, views_staff
from gorod.voting.budgets import urls as budgets_urls
from gorod.voting.contests import urls as contests_urls
from gorod.voting.discussions import urls as discussions_urls
from gorod.voting.quests import urls as quests_urls
from gorod.voting.quizzes import urls as quizzes_urls
from gorod.voting.ratings import urls as ratings_urls

app_name = "voting"
urlpatterns = [
    path("", views.poll_list, name="polls"),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("polls/<int:poll_id>/ballot/", views.ballot_post, name="ballot"),
    path("how-your-vote-is-counted/", views.how_counted, name="how_counted"),
    path("decisions/", views.decision_map, name="decisions"),
    path("decisions/statistics/", views.decision_statistics, name="decision_statistics"),
    path("staff/polls/<int:poll_id>/close/", views_staff.poll_close, name="poll_close"),
    path("staff/polls/<int:poll_id>/publish/", views_staff.poll_publish, name="poll_publish"),
    path("decisions/<int:decision_id>/", views.decision_detail, name="decision"),
    *quizzes_urls.urlpatterns,
    *quests_urls.urlpatterns,
    *ratings_urls.urlpatterns,
    *discussions_urls.urlpatterns,
    *contests_urls.urlpatterns,
    *budgets_urls.urlpatterns,
]
