"""The HTML repr's "?" icon links each estimator to its page of the API reference."""

import re
from pathlib import Path

import pytest
from sklearn.utils import estimator_html_repr

import skseq
import skseq.forecasting
from skseq.utils._doc_link import DOCS_URL
from skseq.utils._testing import get_test_params
from skseq.utils.discovery import all_estimators

API_RST = Path(__file__).resolve().parents[2] / "docs" / "api.rst"


def _documented_names():
    """Dotted names the API reference generates a page for (docs/api.rst)."""
    names, module = set(), None
    for line in API_RST.read_text().splitlines():
        if match := re.match(r"\.\. currentmodule:: (\S+)", line):
            module = match.group(1)
        elif re.match(r"   [A-Za-z_]\w*$", line):
            names.add(f"{module}.{line.strip()}")
    return names


def _public_estimators():
    return [cls for _, cls in all_estimators()]


def _instance(cls):
    return cls(**get_test_params(cls)[0])


@pytest.mark.parametrize("cls", _public_estimators(), ids=lambda cls: cls.__name__)
def test_doc_link_is_the_estimators_api_page(cls):
    link = _instance(cls)._get_doc_link()
    assert link.startswith(DOCS_URL + "generated/")
    documented = link.removeprefix(DOCS_URL + "generated/").removesuffix(".html")
    assert documented in _documented_names()
    assert documented.endswith("." + cls.__name__)


def test_html_repr_shows_the_link():
    html = estimator_html_repr(
        skseq.forecasting.WindowedForecaster(skseq.GRUForecaster())
    )
    assert (
        f'href="{DOCS_URL}generated/skseq.forecasting.WindowedForecaster.html"' in html
    )
    assert f'href="{DOCS_URL}generated/skseq.GRUForecaster.html"' in html
    assert 'href="https://scikit-learn.org' not in html


def test_public_estimator_list_is_not_empty():
    # Guards the parametrization above against silently testing nothing.
    names = {cls.__name__ for cls in _public_estimators()}
    assert {
        "GRUForecaster",
        "WindowedForecaster",
        "GRUClassifier",
        "ResNetClassifier",
        "SequenceScaler",
    } <= names
