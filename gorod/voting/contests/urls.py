"""Routes of photo contests (joined into the voting app's namespace by urls.py)."""

from django.urls import path

from gorod.voting.contests import views

urlpatterns = [
    path("contests/", views.contest_list, name="contests"),
    path("contests/new/", views.contest_new, name="contest_new"),
    path("contests/moderation/", views.moderation, name="contest_moderation"),
    path("contests/<int:contest_id>/", views.contest_detail, name="contest"),
    path("contests/<int:contest_id>/photos/", views.photo_post, name="contest_photo_post"),
    path("contests/<int:contest_id>/winners/", views.winners_mark, name="contest_winners"),
    path("contests/photos/<int:photo_id>/", views.photo_file, name="contest_photo"),
    path("contests/photos/<int:photo_id>/vote/", views.photo_vote, name="contest_photo_vote"),
    path("contests/photos/<int:photo_id>/moderate/", views.photo_moderate, name="contest_photo_moderate"),
]
