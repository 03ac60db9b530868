"""skseq.metrics.panel_error: a metric per series, then averaged (M competitions)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    r2_score,
)

from skseq.metrics import (
    mean_absolute_scaled_error,
    panel_error,
    symmetric_mean_absolute_percentage_error,
)

rng = np.random.default_rng(0)
# three series of different lengths, rows interleaved: a, b, c, a, b, c, a, c, ...
IDS = np.array(["a", "b", "c", "a", "b", "c", "a", "c", "c", "a"])
Y_TRUE = rng.uniform(1.0, 10.0, size=len(IDS)) * np.where(IDS == "b", 100.0, 1.0)
Y_PRED = Y_TRUE + rng.normal(size=len(IDS))
Y_TRAIN = {
    "a": rng.uniform(1.0, 10.0, size=12),
    "b": 100.0 * rng.uniform(1.0, 10.0, size=8),
    "c": rng.uniform(1.0, 10.0, size=20),
}


def _by_hand(metric, **kwargs):
    """The metric of each series, by series id."""
    values = {}
    for sid in dict.fromkeys(IDS):
        rows = sid == IDS
        extra = dict(kwargs)
        if "y_train" in extra:
            extra["y_train"] = extra["y_train"][sid]
        values[sid] = metric(Y_TRUE[rows], Y_PRED[rows], **extra)
    return values


@pytest.mark.parametrize(
    "metric",
    [
        mean_absolute_error,
        mean_absolute_percentage_error,
        symmetric_mean_absolute_percentage_error,
        mean_absolute_scaled_error,
    ],
)
def test_per_series_then_averaged(metric):
    by_hand = _by_hand(metric)
    per_series = panel_error(metric, Y_TRUE, Y_PRED, IDS, aggregate=None)
    assert isinstance(per_series, pd.Series)
    assert list(per_series.index) == ["a", "b", "c"]
    assert per_series.to_dict() == by_hand
    assert panel_error(metric, Y_TRUE, Y_PRED, IDS) == np.mean(list(by_hand.values()))
    assert panel_error(metric, Y_TRUE, Y_PRED, IDS, aggregate="median") == (
        np.median(list(by_hand.values()))
    )
    # equal weight per series: not the metric of all rows pooled
    assert panel_error(metric, Y_TRUE, Y_PRED, IDS) != pytest.approx(
        metric(Y_TRUE, Y_PRED)
    )


@pytest.mark.parametrize("season", [1, 3])
def test_mase_scales_each_series_by_its_own_training_part(season):
    by_hand = {}
    for sid in ["a", "b", "c"]:
        rows = sid == IDS
        train = Y_TRAIN[sid]
        scale = np.mean(np.abs(train[season:] - train[:-season]))
        by_hand[sid] = np.mean(np.abs(Y_TRUE[rows] - Y_PRED[rows])) / scale
    per_series = panel_error(
        mean_absolute_scaled_error,
        Y_TRUE,
        Y_PRED,
        IDS,
        y_train=Y_TRAIN,
        season=season,
        aggregate=None,
    )
    np.testing.assert_allclose(per_series.to_numpy(), list(by_hand.values()))
    assert per_series.to_dict() == _by_hand(
        mean_absolute_scaled_error, y_train=Y_TRAIN, season=season
    )
    mean = panel_error(
        mean_absolute_scaled_error, Y_TRUE, Y_PRED, IDS, y_train=Y_TRAIN, season=season
    )
    assert mean == pytest.approx(np.mean(list(by_hand.values())))


def test_percent_is_a_fraction_as_sklearn_returns_it():
    y_true, y_pred, ids = [1.0, 2.0, 4.0, 4.0], [1.5, 2.0, 4.0, 2.0], [0, 0, 1, 1]
    # series 0: (0.5 + 0) / 2 = 0.25; series 1: (0 + 0.5) / 2 = 0.25
    assert panel_error(mean_absolute_percentage_error, y_true, y_pred, ids) == 0.25


@pytest.mark.parametrize(
    ("ids", "order"),
    [
        (np.array([3, 1, 2, 3, 1, 2, 3, 2, 2, 3]), [1, 2, 3]),
        (
            pd.Series(pd.Categorical(IDS, categories=["c", "b", "a", "x"]), name="id"),
            ["c", "b", "a"],  # the categories' order
        ),
        (pd.Index(IDS, name="store"), ["a", "b", "c"]),
        (list(IDS), ["a", "b", "c"]),
    ],
    ids=["int", "categorical", "index", "list"],
)
def test_int_categorical_and_pandas_ids(ids, order):
    per_series = panel_error(mean_absolute_error, Y_TRUE, Y_PRED, ids, aggregate=None)
    # sorted ids, not their order of first appearance (3, 1, 2 and a, b, c)
    assert list(per_series.index) == order
    assert per_series.index.name == getattr(ids, "name", None)
    codes = dict(zip(np.asarray(ids), IDS, strict=True))  # id -> series
    by_hand = _by_hand(mean_absolute_error)
    np.testing.assert_array_equal(
        per_series.to_numpy(), [by_hand[codes[i]] for i in order]
    )


def test_per_series_errors_do_not_depend_on_the_rows_order():
    rows = np.random.default_rng(1).permutation(len(IDS))
    for aggregate in ("mean", None):
        before = panel_error(
            mean_absolute_error, Y_TRUE, Y_PRED, IDS, aggregate=aggregate
        )
        after = panel_error(
            mean_absolute_error,
            Y_TRUE[rows],
            Y_PRED[rows],
            IDS[rows],
            aggregate=aggregate,
        )
        if aggregate is None:
            pd.testing.assert_series_equal(after, before)
        else:
            assert after == before


def test_long_frame_columns_and_2d_targets():
    frame = pd.DataFrame({"series": IDS, "y": Y_TRUE, "forecast": Y_PRED})
    assert panel_error(
        mean_absolute_error, frame["y"], frame["forecast"], frame["series"]
    ) == panel_error(mean_absolute_error, Y_TRUE, Y_PRED, IDS)
    per_series = panel_error(
        mean_absolute_error,
        frame["y"],
        frame["forecast"],
        frame["series"],
        aggregate=None,
    )
    assert per_series.index.name == "series"
    # multi-step forecasts, one row per forecast (n_forecasts, horizon)
    two = np.column_stack([Y_TRUE, 2 * Y_TRUE])
    two_pred = np.column_stack([Y_PRED, 2 * Y_PRED])
    errors = panel_error(mean_absolute_error, two, two_pred, IDS, aggregate=None)
    for sid in ["a", "b", "c"]:
        rows = sid == IDS
        assert errors[sid] == mean_absolute_error(two[rows], two_pred[rows])


def test_errors_name_the_series_and_the_argument():
    with pytest.raises(ValueError, match="y_train has no training values for .*'c'"):
        panel_error(
            mean_absolute_scaled_error,
            Y_TRUE,
            Y_PRED,
            IDS,
            y_train={"a": Y_TRAIN["a"], "b": Y_TRAIN["b"]},
        )
    flat = {**Y_TRAIN, "b": np.ones(5)}
    with pytest.raises(ValueError, match="Series 'b': The seasonal naive forecast"):
        panel_error(mean_absolute_scaled_error, Y_TRUE, Y_PRED, IDS, y_train=flat)
    with pytest.raises(TypeError, match="y_train must be a dict"):
        panel_error(mean_absolute_scaled_error, Y_TRUE, Y_PRED, IDS, y_train=[1, 2])
    with pytest.raises(ValueError, match="aggregate must be"):
        panel_error(mean_absolute_error, Y_TRUE, Y_PRED, IDS, aggregate="sum")
    with pytest.raises(TypeError, match="metric must be a function"):
        panel_error("mae", Y_TRUE, Y_PRED, IDS)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        panel_error(mean_absolute_error, Y_TRUE, Y_PRED, IDS[:-1])
    with pytest.raises(ValueError, match="series_ids is missing at 1 row"):
        panel_error(mean_absolute_error, Y_TRUE, Y_PRED, [None, *IDS[1:]])
    with pytest.raises(ValueError, match="not one number"):
        panel_error(
            lambda t, p: mean_absolute_error(t, p, multioutput="raw_values"),
            np.column_stack([Y_TRUE, Y_TRUE]),
            np.column_stack([Y_PRED, Y_PRED]),
            IDS,
        )


@pytest.mark.parametrize("aggregate", ["mean", "median", None])
def test_panel_error_refuses_an_undefined_series_error(aggregate):
    # R^2 of a series' one row is NaN: pandas' mean skipped it, averaging the
    # other series only
    ids = ["a", "a", "a", "b"]
    y_true, y_pred = [1.0, 2.0, 3.0, 4.0], [1.1, 2.2, 2.9, 5.0]
    with pytest.raises(ValueError, match="for series 'b'"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning
        panel_error(r2_score, y_true, y_pred, ids, aggregate=aggregate)


def test_panel_error_refuses_frames_whose_columns_differ():
    # the frames became arrays before the metric saw them: a forecast frame
    # with the targets in another order was scored against the wrong target
    y_true = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [10.0, 20.0, 30.0, 40.0]})
    with pytest.raises(ValueError, match="columns of y_true, y_pred differ"):
        panel_error(mean_absolute_error, y_true, y_true[["b", "a"]], list("xxyy"))
