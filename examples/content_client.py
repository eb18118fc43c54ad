#!/usr/bin/env python3
"""A minimal headless client: the article list and one article, as plain text, from the content API.

Standard library only. Run it against ``make demo``::

    python examples/content_client.py                      # the five newest articles
    python examples/content_client.py --topic sciatica     # only those about sciatica
    python examples/content_client.py --article 8          # one article, body included
    python examples/content_client.py --base https://cms.example.com

It sends the ETag of the previous answer back (If-None-Match) within one run,
the way a front end's cache would, so repeated look-ups cost the server a 304.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_BASE = "http://127.0.0.1:8000"


class ContentClient:
    def __init__(self, base_url: str = DEFAULT_BASE):
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"Not an http(s) URL: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._cache: dict[str, tuple[str, dict]] = {}  # url -> (etag, data)

    def get(self, path: str, **params) -> dict:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http(s) only
        if url in self._cache:
            request.add_header("If-None-Match", self._cache[url][0])
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http(s) only
                data = json.load(response)
                if response.headers.get("ETag"):
                    self._cache[url] = (response.headers["ETag"], data)
                return data
        except urllib.error.HTTPError as error:
            if error.code == 304 and url in self._cache:
                return self._cache[url][1]
            raise

    def articles(self, *, topic: str | None = None, limit: int = 5) -> dict:
        return self.get(
            "/api/v2/pages/",
            type="blog.ArticlePage",
            fields="date,author,summary,topics",
            order="-date",
            topic=topic,
            limit=limit,
        )

    def article(self, page_id: int) -> dict:
        return self.get(f"/api/v2/pages/{page_id}/")


def text_of(fragment: str) -> str:
    """Rich text HTML as plain text (enough for a terminal)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def render_article_list(listing: dict) -> str:
    lines = [f"{listing['meta']['total_count']} articles"]
    for item in listing["items"]:
        topics = ", ".join(topic["name"] for topic in item.get("topics", []))
        lines.append(f"- [{item['id']}] {item['date']}  {item['title']} — {item['author']}")
        lines.append(f"      {item['summary']}" + (f"  ({topics})" if topics else ""))
    return "\n".join(lines)


def render_block(block: dict) -> list[str]:
    kind, value = block["type"], block["value"]
    if kind == "heading":
        return ["", value["text"].upper()]
    if kind == "paragraph":
        return [text_of(value)]
    if kind == "list":
        marker = "1." if value["style"] == "ol" else "*"
        return [f"  {marker} {item}" for item in value["items"]]
    if kind == "figure":
        image = value["image"]
        if not image:
            return []
        largest = image["renditions"][-1] if image["renditions"] else {"url": "", "width": 0, "height": 0}
        return [f"[image: {image['alt']} — {largest['url']} {largest['width']}×{largest['height']}] {value['caption']}"]
    if kind == "quote":
        return [f"  “{value['text']}” {value['attribution']}".rstrip()]
    if kind in ("callout", "faq"):
        title = value.get("title") or value.get("question")
        body = value.get("text") or value.get("answer")
        return [f"» {title}: {text_of(body)}"]
    if kind == "recommended_treatment" and value["treatment"]:
        treatment = value["treatment"]
        why = value["text"] or treatment["summary"]
        return [f"→ Recommended: {treatment['title']} ({treatment['html_path']}) {why}"]
    return []


def render_article(article: dict) -> str:
    lines = [article["title"], f"{article['date']} · {article['author']} · {article['reading_minutes']} min read"]
    for block in article["body"]:
        lines.extend(render_block(block))
    if article["related_treatments"]:
        lines.append("")
        lines.append("Treatments that can help: " + ", ".join(t["title"] for t in article["related_treatments"]))
    lines.append("")
    lines.append(text_of(article["disclaimer"]["html"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help=f"site URL (default {DEFAULT_BASE})")
    parser.add_argument("--topic", help="only articles about this topic slug, e.g. sciatica")
    parser.add_argument("--article", type=int, help="show this article (its id in the list)")
    args = parser.parse_args(argv)

    client = ContentClient(args.base)
    try:
        if args.article:
            print(render_article(client.article(args.article)))
        else:
            print(render_article_list(client.articles(topic=args.topic)))
    except urllib.error.URLError as error:
        print(f"Could not reach {args.base}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
