"""Wagtail hooks of the studio pages.

The view-restriction check for served pages is ours (home/performance/routing.py):
Wagtail's own, with the public pages' two queries skipped. Wagtail's hook module is
imported first so there is something to replace, whichever app's hooks load first.
Internal links in rich text are expanded with one query (home/performance/richtext.py),
registered after Wagtail's own page link handler (a later ``order``). The route of each
served page is kept in the content cache (home/performance/routing.py).
"""

from wagtail import hooks
from wagtail import wagtail_hooks as wagtail_core_hooks

from home.performance import richtext, routing
from home.performance import wagtail_internals as internals

internals.replace_hook("on_serve_page", wagtail_core_hooks.check_view_restrictions, routing.check_view_restrictions)
hooks.register("register_rich_text_features", richtext.register, order=100)
# The route of a served page, snapshotted for the content cache (home/performance/routing.py).
hooks.register("before_serve_page", routing.remember_route)
