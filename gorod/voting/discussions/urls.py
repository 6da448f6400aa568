"""Routes of public discussions (joined into the voting app's namespace by urls.py)."""

from django.urls import path

from gorod.voting.discussions import views

urlpatterns = [
    path("discussions/", views.discussion_list, name="discussions"),
    path("discussions/new/", views.discussion_new, name="discussion_new"),
    path("discussions/moderation/", views.moderation, name="discussion_moderation"),
    path("discussions/<int:discussion_id>/", views.discussion_detail, name="discussion"),
    path("discussions/<int:discussion_id>/comment/", views.comment_post, name="discussion_comment"),
    path(
        "discussions/<int:discussion_id>/documents/<int:document_id>/",
        views.document,
        name="discussion_document",
    ),
    path("discussions/<int:discussion_id>/report/", views.report, name="discussion_report"),
    path("discussions/<int:discussion_id>/report.csv", views.report_csv, name="discussion_report_csv"),
    path("discussions/comments/<int:comment_id>/moderate/", views.comment_moderate, name="comment_moderate"),
    path("discussions/comments/<int:comment_id>/respond/", views.comment_respond, name="comment_respond"),
]
