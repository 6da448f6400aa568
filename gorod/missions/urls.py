from django.urls import path

from gorod.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("<int:challenge_id>/", views.challenge_detail, name="detail"),
    path("<int:challenge_id>/join/", views.challenge_join, name="join"),
    path("<int:challenge_id>/leave/", views.challenge_leave, name="leave"),
    path("<int:challenge_id>/leaderboard/", views.challenge_leaderboard, name="leaderboard"),
    path("<int:challenge_id>/evidence/", views.evidence_enter, name="evidence"),
    path("<int:challenge_id>/import/", views.evidence_import, name="import"),
    path("partner/", views.partner_confirm, name="partner"),
]
