"""What the demo text needs from the loader: the images and pages made so far."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoContext:
    """What the loader has made so far, keyed by image key, page slug or snippet name."""

    images: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    snippets: dict = field(default_factory=dict)  # testimonials by name, therapists by name

    def link(self, slug: str, text: str) -> str:
        """A rich text link to a page, the way Wagtail's editor stores one (by id, so it survives moves)."""
        return f'<a linktype="page" id="{self.pages[slug].pk}">{text}</a>'
