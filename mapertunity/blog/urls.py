from django.urls import path

from . import views
from .feeds import LatestPostsAtomFeed, LatestPostsFeed

app_name = "blog"
urlpatterns = [
    path("", views.post_list, name="index"),
    path("feed/rss/", LatestPostsFeed(), name="feed_rss"),
    path("feed/atom/", LatestPostsAtomFeed(), name="feed_atom"),
    path("category/<slug:slug>/", views.category_posts, name="category"),
    path("category/<slug:slug>/feed/rss/", LatestPostsFeed(), name="category_feed_rss"),
    path("category/<slug:slug>/feed/atom/", LatestPostsAtomFeed(), name="category_feed_atom"),
    path("tag/<slug:slug>/", views.tag_posts, name="tag"),
    path("author/<slug:slug>/", views.author_posts, name="author"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.post_detail, name="post"),
]
