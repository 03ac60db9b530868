"""The API reference lists every public name (that the docstrings document exactly
the parameters their signatures take is checked in ``test_docstrings.py``)."""

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
