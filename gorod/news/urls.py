from django.urls import path

from gorod.news import views
from gorod.news.feeds import AtomNewsFeed, NewsFeed

app_name = "news"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("<int:item_id>/", views.item, name="item"),
    path("interests/", views.interests, name="interests"),
    path("follow/", views.follow, name="follow"),
    path("feeds/rss/", NewsFeed(), name="feed_rss"),
    path("feeds/atom/", AtomNewsFeed(), name="feed_atom"),
    path("services/", views.catalogue, name="catalogue"),
    path("people/", views.stories, name="stories"),
    path("people/<int:story_id>/", views.story, name="story"),
]
