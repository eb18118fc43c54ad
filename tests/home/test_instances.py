"""Page instances from database rows skip django-modelcluster's child-relation scan
(home/performance/instances.py) and are otherwise what ``ClusterableModel`` makes."""

from __future__ import annotations

import pytest
from modelcluster.models import ClusterableModel
from wagtail.models import get_page_models

from home.factories import TreatmentPageFactory
from home.models import TreatmentPage
from home.performance.instances import NoChildScanOnLoad

OUR_PAGE_MODELS = [model for model in get_page_models() if model.__module__.split(".")[0] in ("home", "blog")]


def state(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if name != "_state"} | {
        "adding": instance._state.adding,
        "db": instance._state.db,
    }


@pytest.mark.parametrize("model", OUR_PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_page_model_has_it_right_before_clusterable_model(model):
    mro = model.__mro__
    assert mro[mro.index(ClusterableModel) - 1] is NoChildScanOnLoad


def test_a_row_makes_the_same_instance_as_clusterable_model_does_without_its_scan(site_tree, monkeypatch):
    treatment = TreatmentPage.objects.get(pk=site_tree.deep_tissue.pk)
    names = [field.attname for field in TreatmentPage._meta.concrete_fields]
    values = [getattr(treatment, name) for name in names]

    theirs = TreatmentPage.__new__(TreatmentPage)
    ClusterableModel.__init__(theirs, *values)  # modelcluster's own code, scan included
    theirs._state.adding, theirs._state.db = False, "default"

    scans = []
    original = ClusterableModel.__init__
    monkeypatch.setattr(
        ClusterableModel, "__init__", lambda self, *a, **kw: scans.append(kw) or original(self, *a, **kw)
    )
    ours = TreatmentPage.from_db("default", names, values)
    assert scans == []  # not called for a row
    assert state(ours) == state(theirs)


def test_keyword_arguments_still_go_through_clusterable_model(site_tree):
    """Child objects given as keyword arguments (the factories' prices) still become the page's."""
    treatment = TreatmentPageFactory(parent=site_tree.treatment_index, title="Kwargs", prices=[(30, 4000), (60, 7000)])
    assert [(d.minutes, d.price_minor) for d in TreatmentPage.objects.get(pk=treatment.pk).durations.all()] == [
        (30, 4000),
        (60, 7000),
    ]
    page = TreatmentPage(title="Unsaved", durations=[])
    assert list(page.durations.all()) == []
