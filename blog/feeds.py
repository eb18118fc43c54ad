"""RSS and Atom feeds of the latest articles."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from home.base_models import StudioSettings

from .models import ArticlePage


class LatestArticlesFeed(Feed):
    description = "New articles on sciatica, lower back pain and massage from the studio."

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{StudioSettings.for_request(self.request).studio_name} — articles"

    def link(self):
        return "/"

    def items(self):
        return ArticlePage.objects.live().public().order_by("-date", "-pk")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))

    def item_author_name(self, item):
        return item.author

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
