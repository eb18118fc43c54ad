"""Page instances made from database rows without django-modelcluster's scan of child relations.

``ClusterableModel.__init__`` lists the model's child relations and ParentalManyToManyFields
(a walk over every field of the model) on every instance made, to take child objects passed
as keyword arguments; a row from the database passes none (Django's ``from_db`` gives the
values by position), and then it only calls the next ``__init__``. :class:`NoChildScanOnLoad`,
listed after ``Page`` in a page model's bases, sits between Wagtail's ``Page`` and
``ClusterableModel`` in the model's MRO: with no keyword arguments it calls what follows
``ClusterableModel`` directly, as ``ClusterableModel`` would; with any, ``ClusterableModel``
itself. Making a page instance took about twice as long with the scan (31 -> 15 µs on the
benchmark's machine): a listing of twenty cards makes sixty or more.

``tests/home/test_instances.py`` checks the MRO of every page model and that an instance made
either way is the same, so a modelcluster release that does more in ``__init__`` fails there.
"""

from __future__ import annotations

from modelcluster.models import ClusterableModel


class NoChildScanOnLoad(ClusterableModel):
    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        if kwargs:
            super().__init__(*args, **kwargs)
        else:
            super(ClusterableModel, self).__init__(*args)
