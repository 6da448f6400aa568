"""Routes of participatory budgeting (joined into the voting app's namespace by urls.py)."""

from django.urls import path

from gorod.voting.budgets import views

urlpatterns = [
    path("budgets/", views.round_list, name="budgets"),
    path("budgets/<int:round_id>/", views.round_detail, name="budget"),
    path("budgets/<int:round_id>/advance/", views.round_advance, name="budget_advance"),
    path("budgets/projects/<int:project_id>/review/", views.project_review, name="budget_project_review"),
    path("budgets/projects/<int:project_id>/place/", views.project_place, name="budget_project_place"),
    path(
        "budgets/projects/<int:project_id>/images/", views.project_image_add, name="budget_project_image_add"
    ),
    path(
        "budgets/projects/<int:project_id>/images/<int:image_id>/remove/",
        views.project_image_remove,
        name="budget_project_image_remove",
    ),
]
