from django.urls import path

from gorod.pets import views

app_name = "pets"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("map.geojson", views.notices_geojson, name="geojson"),
    path("new/", views.notice_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("<int:notice_id>/", views.notice_detail, name="detail"),
    path("<int:notice_id>/close/", views.notice_close, name="close"),
    path("<int:notice_id>/message/", views.message_send, name="message"),
    path("<int:notice_id>/moderate/", views.notice_moderate, name="moderate"),
]
