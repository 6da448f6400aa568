from django.urls import path

from gorod.problems import views, views_staff

app_name = "problems"
urlpatterns = [
    path("", views.public_map, name="map"),
    path("new/", views.report_new, name="new"),
    path("addresses/", views.address_suggestions, name="addresses"),
    path("mine/", views.mine, name="mine"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/follow/", views.follow, name="follow"),
    path("<int:report_id>/rate/", views.rate, name="rate"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("queue/", views_staff.queue, name="queue"),
    path("queue/<int:report_id>/", views_staff.answer, name="answer"),
    path("<int:report_id>/reroute/", views_staff.reroute, name="reroute"),
    path("moderation/", views_staff.moderation, name="moderation"),
    path("moderation/reports/<int:report_id>/", views_staff.moderate_report, name="moderate_report"),
    path("moderation/answers/<int:answer_id>/", views_staff.moderate_answer, name="moderate_answer"),
]
