"""The code blocks of user-guide pages that sphinx does not execute run here."""

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import skseq

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user_guide"


def code_blocks(page):
    """The ``.. code-block:: python`` blocks of a page, dedented."""
    text = (GUIDE / page).read_text()
    blocks = re.findall(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", text)
    return ["\n".join(line[3:] for line in block.splitlines()) for block in blocks]


@pytest.fixture
def fast_networks(monkeypatch):
    """The pages' networks, trained for 1 epoch: the test checks that the code
    runs (consistent windows, splits and horizons), not what it learns."""
    fast = functools.partial(skseq.GRUForecaster, epochs=1, random_state=0)
    monkeypatch.setattr(skseq, "GRUForecaster", fast)


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_trend_seasonality_page_runs(fast_networks):
    # 25 years: the search's first fold leaves the linear candidate more
    # windows than weights (on 15 years it warns, UnderdeterminedWarning)
    t = np.arange(300)
    rng = np.random.default_rng(0)
    values = 300 + 0.1 * t + 3 * np.sin(2 * np.pi * t / 12) + rng.normal(size=300)
    train = pd.Series(values, pd.date_range("1990-01", periods=300, freq="MS"))
    namespace = {"train": train}
    blocks = code_blocks("trend_seasonality.rst")
    assert len(blocks) >= 3
    for block in blocks:
        exec(compile(block, "trend_seasonality.rst", "exec"), namespace)  # noqa: S102
    search = namespace["search"]
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    forecast = namespace["forecast"]
    assert len(forecast) == 24 and forecast.index[0] == pd.Timestamp("2015-01-01")


def executed_blocks(page):
    """The ``.. executed-code::`` blocks of a page, dedented."""
    text = (GUIDE / page).read_text()
    blocks = re.findall(r"\.\. executed-code::\n(?:   :.*\n)*\n((?:   .*\n|\n)+)", text)
    return ["\n".join(line[3:] for line in block.splitlines()) for block in blocks]


def page_data(page, last_name):
    """The namespace of a page's first executed block, run up to the
    statement that assigns ``last_name`` (its data, not its training)."""
    import ast

    tree = ast.parse(executed_blocks(page)[0])
    body = []
    for node in tree.body:
        body.append(node)
        targets = ast.walk(node) if isinstance(node, ast.Assign) else ()
        if any(isinstance(t, ast.Name) and t.id == last_name for t in targets):
            break
    namespace = {}
    code = ast.Module(body=body, type_ignores=[])
    exec(compile(code, page, "exec"), namespace)  # noqa: S102
    return namespace


def test_multi_step_interval_snippets_run_on_the_pages_windows(monkeypatch):
    # the snippets fitted X[:7000] and forecast X[7000:] (the book's 10,000
    # series): on the page's 1,500 windows, X[7000:] is empty and predict_interval
    # raised "Found array with 0 sample(s)", not the commented (3000, 10)
    for name in ("GRUForecaster", "DenseForecaster"):
        fast = functools.partial(getattr(skseq, name), epochs=1, random_state=0)
        monkeypatch.setattr(skseq, name, fast)
    namespace = page_data("multi_step.rst", "X_valid")
    interval_blocks = code_blocks("multi_step.rst")[:2]
    assert "predict_interval" in interval_blocks[0]
    exec(compile(interval_blocks[0], "multi_step.rst", "exec"), namespace)  # noqa: S102
    assert namespace["lower"].shape == namespace["upper"].shape == (500, 10)
    assert "# (500, 10) each" in interval_blocks[0]
    exec(compile(interval_blocks[1], "multi_step.rst", "exec"), namespace)  # noqa: S102
    assert namespace["model"].method_ == "cqr"
    assert namespace["lower"].shape == (500, 10)
