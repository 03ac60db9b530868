"""The API reference lists every public name, and the main docstrings document
exactly the parameters their signatures take."""

import inspect
import re
from pathlib import Path

import pytest

import skseq
import skseq.datasets
import skseq.forecasting
import skseq.metrics
import skseq.plotting

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.rst"
PACKAGES = (
    skseq,
    skseq.datasets,
    skseq.forecasting,
    skseq.metrics,
    skseq.plotting,
)


def _listed_names():
    """The names under the ``autosummary`` directives of the API page."""
    text = API_PAGE.read_text()
    return {name.split(".")[-1] for name in re.findall(r"^   ([\w.]+)$", text, re.M)}


def _public(package):
    return [name for name in package.__all__ if not name.startswith("_")]


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_public_name_is_in_the_api_reference(package):
    missing = set(_public(package)) - _listed_names()
    assert not missing, f"{package.__name__}: not in docs/api.rst: {sorted(missing)}"


def _callables():
    for package in PACKAGES:
        for name in _public(package):
            obj = getattr(package, name)
            if callable(obj) and obj.__module__.startswith("skseq"):
                yield f"{package.__name__}.{name}", obj


@pytest.mark.parametrize("name, obj", sorted(dict(_callables()).items()))
def test_documented_parameters_match_the_signature(name, obj):
    docscrape = pytest.importorskip("numpydoc.docscrape")
    scrape = docscrape.ClassDoc if inspect.isclass(obj) else docscrape.FunctionDoc
    doc = scrape(obj)
    documented = {
        part.strip().lstrip("*")
        for parameter in doc["Parameters"]
        for part in parameter.name.split(",")
    }
    function = obj.__init__ if inspect.isclass(obj) else obj
    taken = set(inspect.signature(function).parameters) - {"self", "args", "kwargs"}
    assert documented == taken, (
        f"undocumented: {sorted(taken - documented)}, "
        f"documented but not taken: {sorted(documented - taken)}"
    )
