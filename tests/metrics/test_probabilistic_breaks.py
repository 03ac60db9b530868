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


def _two_target_frames():
    rng = np.random.default_rng(0)
    y = pd.DataFrame({"a": rng.normal(size=5), "b": 100 + rng.normal(size=5)})
    draws = {t: y[t].to_numpy()[:, None] + rng.normal(size=(5, 4)) for t in "ab"}
    columns = pd.MultiIndex.from_product([["a", "b"], range(4)])
    samples = pd.DataFrame(np.hstack([draws["a"], draws["b"]]), columns=columns)
    return y, samples


def test_samples_of_several_targets_are_not_pooled_as_draws_of_one():
    # a WindowedForecaster's forecast_samples of targets a and b, scored against
    # a's truth: the 8 columns were scored as 8 draws of a (b's far off), a
    # plausible CRPS of nothing
    y, samples = _two_target_frames()
    with pytest.raises(ValueError, match=r"samples\['a'\] against y_true\['a'\]"):
        continuous_ranked_probability_score(y["a"], samples=samples)
    with pytest.raises(ValueError, match="y_true has the columns"):
        continuous_ranked_probability_score(y[["b", "a"]], samples=samples)


def test_frames_of_several_targets_score_each_target_with_its_own_columns():
    y, samples = _two_target_frames()
    per_target = [
        continuous_ranked_probability_score(y[t], samples=samples[t]) for t in "ab"
    ]
    both = continuous_ranked_probability_score(
        y, samples=samples, multioutput="raw_values"
    )
    np.testing.assert_allclose(both, per_target)
    levels = [0.25, 0.5, 0.75]
    columns = pd.MultiIndex.from_product([["a", "b"], levels])
    quantiles = pd.DataFrame(
        np.hstack([np.quantile(samples[t], levels, axis=1).T for t in "ab"]),
        columns=columns,
    )
    expected = np.mean([mean_quantile_loss(y[t], quantiles[t], levels) for t in "ab"])
    assert mean_quantile_loss(y, quantiles, levels) == pytest.approx(expected)
    with pytest.raises(ValueError, match="columns are the levels"):
        mean_quantile_loss(y, quantiles, levels[::-1])


def test_labels_of_another_kind_or_dtype_still_pair_by_position():
    # the index check refused rows that pair correctly: labels of kinds that
    # cannot be compared (a backtest row's (target, step) labels against dates,
    # integer years against periods), the same years as Int64 and int64, the
    # same instants in two time zones
    y = _dated(np.arange(3.0))
    years = pd.Series(np.arange(3.0), index=pd.Index([2000, 2001, 2002]))
    pairs = [
        (y, pd.Series(y.to_numpy(), pd.MultiIndex.from_product([["y"], [1, 2, 3]]))),
        (years, years.set_axis(pd.period_range("2000", periods=3, freq="Y"))),
        (years, years.set_axis(years.index.astype("Int64"))),
        (y.tz_localize("UTC"), y.tz_localize("UTC").tz_convert("Europe/Paris")),
    ]
    for truth, forecast in pairs:
        assert interval_coverage(truth, forecast - 0.5, forecast + 0.5) == 1.0
        assert mean_quantile_loss(truth, forecast.to_frame(0.5), [0.5]) == 0.0
    shifted = y.tz_localize("UTC").tz_convert("Europe/Paris").shift(1, freq="D")
    with pytest.raises(ValueError, match="different index labels"):
        interval_coverage(y.tz_localize("UTC"), shifted - 0.5, shifted + 0.5)


def test_several_targets_sorted_by_level_are_scored_by_target():
    y, samples = _two_target_frames()
    levels = [0.25, 0.5, 0.75]
    columns = pd.MultiIndex.from_product([["a", "b"], levels])
    quantiles = pd.DataFrame(
        np.hstack([np.quantile(samples[t], levels, axis=1).T for t in "ab"]),
        columns=columns,
    )
    by_level = quantiles.sort_index(axis=1, level=1, sort_remaining=False)
    assert list(by_level.columns)[:2] == [("a", 0.25), ("b", 0.25)]
    assert mean_quantile_loss(y, by_level, levels) == pytest.approx(
        mean_quantile_loss(y, quantiles, levels)
    )
