"""The headless content API (``/api/v2/``, ``/api/v3/``), in layers.

* ``fields``   serializer fields for the page models' ``api_fields`` (below the page models);
* ``preview``  the headless preview mixin and preview tokens (below the page models);
* ``loaders``  what a listing's fields read, loaded for all its pages at once;
* ``v2``, ``v3`` the endpoints; ``urls`` wraps them (anonymity, ETags, caching).

Deliberately empty: page models import ``home.api.fields``, which must not pull in
the endpoints (they import the page models).
"""
