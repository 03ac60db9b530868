"""Probabilistic scores of Series and frames whose rows do not line up."""

import numpy as np
import pandas as pd
import pytest

from skseq.metrics import (
    continuous_ranked_probability_score,
    interval_coverage,
    interval_score,
    mean_quantile_loss,
)


def _dated(values, start="2024-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values)))


def test_bounds_on_dates_in_another_order_are_refused():
    # bounds sorted newest first were paired by position with the truth:
    # interval_coverage said 0.0 for intervals that hold every value
    y = _dated(np.arange(6.0))
    lower, upper = (y - 0.5)[::-1], (y + 0.5)[::-1]
    assert interval_coverage(y, lower.sort_index(), upper.sort_index()) == 1.0
    for metric in (interval_coverage, lambda *a: interval_score(*a, coverage=0.8)):
        with pytest.raises(ValueError, match="different index labels"):
            metric(y, lower, upper)


def test_quantiles_of_other_dates_are_refused():
    # forecasts of the dates one day later, scored against the truth of each date
    y = _dated(np.arange(6.0))
    frame = pd.DataFrame({0.1: y - 1, 0.5: y, 0.9: y + 1})
    shifted = frame.set_axis(frame.index + pd.Timedelta(days=1))
    assert mean_quantile_loss(y, frame, [0.1, 0.5, 0.9]) > 0
    with pytest.raises(ValueError, match="different index labels"):
        mean_quantile_loss(y, shifted, [0.1, 0.5, 0.9])
    with pytest.raises(ValueError, match="different index labels"):
        continuous_ranked_probability_score(
            y, y_quantiles=shifted, quantiles=[0.1, 0.5, 0.9]
        )


def test_same_labels_in_another_order_are_refused_beside_a_default_index():
    y = pd.Series(np.arange(5.0))
    samples = pd.DataFrame(np.repeat(y.to_numpy()[:, None], 3, axis=1))[::-1]
    with pytest.raises(ValueError, match="different index labels"):
        continuous_ranked_probability_score(y, samples=samples)


def test_positional_pairing_still_works_without_labels():
    # arrays, a default index beside dates, or equal indexes pair by position
    y = _dated(np.arange(4.0))
    lower = (y - 1).reset_index(drop=True)
    assert interval_coverage(y, lower, y.to_numpy() + 1) == 1.0
    assert interval_coverage(y.to_numpy(), y - 1, y + 1) == 1.0
    samples = pd.DataFrame(np.repeat(y.to_numpy()[:, None], 2, axis=1), index=y.index)
    assert continuous_ranked_probability_score(y, samples=samples) == 0.0
