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
