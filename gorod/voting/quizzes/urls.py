from django.urls import path

from gorod.voting.quizzes import views

urlpatterns = [
    path("quizzes/", views.quiz_list, name="quizzes"),
    path("quizzes/<int:quiz_id>/", views.quiz_detail, name="quiz"),
    path("quizzes/<int:quiz_id>/take/", views.quiz_take, name="quiz_take"),
]
