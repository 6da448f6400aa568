from django.urls import path

from gorod.ideas import views

app_name = "ideas"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/advance/", views.stage_advance, name="advance"),
    path("<int:idea_id>/", views.idea_detail, name="idea"),
    path("<int:idea_id>/support/", views.idea_support, name="support"),
    path("<int:idea_id>/comment/", views.comment_add, name="comment"),
    path("<int:idea_id>/decide/", views.idea_decide, name="decide"),
    path("<int:idea_id>/budget/", views.idea_to_budget, name="to_budget"),
    path("moderation/", views.moderation, name="moderation"),
]
