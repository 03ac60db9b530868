"""WindowedForecaster's quantiles, intervals and sample paths in series units."""

import numpy as np
import pandas as pd
import pytest

from skseq import DenseForecaster, GRUForecaster, WindowedForecaster
from skseq.forecasting._panel_predict import member

FAST = {"epochs": 3, "batch_size": 32, "random_state": 0}


@pytest.fixture(scope="module")
def series():
    rng = np.random.default_rng(0)
    index = pd.date_range("2020-01-01", periods=240, freq="D")
    level = (
        200
        + np.cumsum(rng.normal(size=240))
        + 10 * np.sin(np.arange(240) / 7 * 2 * np.pi)
    )
    return pd.Series(level, index=index, name="riders")


def _model(loss, **params):
    estimator = DenseForecaster(hidden_units=(8,), loss=loss, **FAST)
    return WindowedForecaster(estimator, window=14, horizon=4, **params)


def test_quantiles_map_back_level_by_level_through_log_and_scaling(series):
    model = _model("quantile", target_transform="log").fit(series)
    q = model.forecast_quantiles(series)
    assert list(q.columns) == [0.05, 0.5, 0.95]  # the default levels
    pd.testing.assert_index_equal(q.index, model.forecast(series).index)
    assert np.all(np.diff(q.to_numpy(), axis=1) >= 0)
    # the median level is the forecast itself, mapped back the same way
    np.testing.assert_allclose(q[0.5], model.forecast(series), rtol=1e-9)
    # and every level is the network's quantile of the last window in series
    # units: exp of the unscaled log quantile
    window = np.log(series.to_numpy()[-14:])
    scaled = (window - model.target_scaler_.mean_[0]) / model.target_scaler_.scale_[0]
    raw = model.estimator_.predict_quantiles(scaled[None]).reshape(4, 3)
    scaler = model.target_scaler_
    by_hand = np.exp(raw * scaler.scale_[0] + scaler.mean_[0])
    np.testing.assert_allclose(q.to_numpy(), by_hand, rtol=1e-6)
    lower, upper = model.forecast_interval(series)  # 90%: the extreme levels
    np.testing.assert_allclose(lower, q[0.05], rtol=1e-9)
    np.testing.assert_allclose(upper, q[0.95], rtol=1e-9)
    assert lower.name == "riders"


def test_differenced_quantiles_integrate_sample_paths(series):
    model = _model("student_t", difference=(1,), target_transform="log").fit(series)
    q = model.forecast_quantiles(series, quantiles=(0.05, 0.5, 0.95))
    values = q.to_numpy()
    assert np.all(np.diff(values, axis=1) > 0)
    # in series units: around the last level, not around a difference
    assert np.all(np.abs(values[:, 1] - series.iloc[-1]) < 0.2 * series.iloc[-1])
    # a sum of symmetric steps is symmetric: the paths' median is the forecast
    width = values[:, 2] - values[:, 0]
    assert np.all(np.abs(values[:, 1] - model.forecast(series)) < 0.1 * width)
    # paths spread as they integrate more steps
    assert width[-1] > width[0]
    paths = model.forecast_samples(series, n_samples=50, random_state=1)
    assert paths.shape == (4, 50)
    pd.testing.assert_frame_equal(
        paths, model.forecast_samples(series, n_samples=50, random_state=1)
    )
    lower, upper = model.forecast_interval(series, coverage=0.9)
    np.testing.assert_allclose(lower, values[:, 0])


def test_quantile_head_with_difference_is_refused(series):
    model = _model("quantile", difference=(1,)).fit(series)
    with pytest.raises(ValueError, match="quantiles of a sum are not sums"):
        model.forecast_quantiles(series)
    with pytest.raises(ValueError, match="quantiles of a sum are not sums"):
        model.forecast_interval(series)


def test_point_estimator_has_no_quantiles(series):
    model = WindowedForecaster(DenseForecaster(**FAST), window=14, horizon=4).fit(
        series
    )
    with pytest.raises(ValueError, match="probabilistic loss"):
        model.forecast_quantiles(series)


def test_panel_quantiles_undo_each_series_window_scaling():
    rng = np.random.default_rng(1)
    index = pd.date_range("2001-01-01", periods=80, freq="MS")
    panel = pd.concat(
        pd.DataFrame(
            {"id": name, "y": scale * (1 + 0.05 * np.cumsum(rng.normal(size=80)))},
            index=index,
        )
        for name, scale in [("small", 10.0), ("large", 10_000.0)]
    )
    estimator = GRUForecaster(
        units=4, loss="quantile", quantiles=(0.1, 0.5, 0.9), **FAST
    )
    model = WindowedForecaster(
        estimator, window=12, horizon=3, series_id="id", scale="window"
    ).fit(panel)
    q = model.forecast_quantiles(panel)
    assert list(q.columns) == ["id", 0.1, 0.5, 0.9]
    forecast = model.forecast(panel)
    # one series at a time against all at once: float32 rounding of the batch
    np.testing.assert_allclose(q[0.5], forecast["y"], rtol=1e-5)
    for name in ("small", "large"):
        one = q[q["id"] == name][[0.1, 0.5, 0.9]].to_numpy()
        own = member(model, list(model.series_ids_).index(name)).forecast_quantiles(
            panel[panel["id"] == name].drop(columns="id")
        )
        np.testing.assert_allclose(one, own.to_numpy(), rtol=1e-9)
    # in each series' units: 1,000 times wider for the large one (its median
    # forecast, after 3 epochs, could be anywhere near: 662 on PyTorch)
    width = q[0.9] - q[0.1]
    assert width[q["id"] == "large"].min() > 100 * width[q["id"] == "small"].max()
    lower, upper = model.forecast_interval(panel, coverage=0.8)
    np.testing.assert_allclose(lower["y"], q[0.1])
    np.testing.assert_allclose(upper["y"], q[0.9])


def test_row_mode_quantiles_score_in_a_series_search(series):
    from sklearn.model_selection import GridSearchCV

    from skseq import SeriesSplit
    from skseq.metrics import get_scorer

    model = _model("quantile")
    train, test = series.iloc[:200], series.iloc[200:]
    model.fit(train, train)
    q = model.predict_quantiles(test)  # every row of test, from the rows before
    pd.testing.assert_index_equal(q.index, test.index)
    np.testing.assert_allclose(q[0.5], model.predict(test), rtol=1e-9)
    lower, upper = model.predict_interval(test)
    np.testing.assert_allclose(lower, q[0.05], rtol=1e-9)
    assert upper.name == "riders"
    search = GridSearchCV(
        _model("quantile"),
        {"window": [7, 14]},
        scoring=get_scorer("neg_crps"),
        cv=SeriesSplit(n_splits=2, test_size=8, lookback=14),
    ).fit(series, series)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_quantile_scorers_read_every_target_of_a_multitarget_model(series):
    # predict_quantiles of several targets has columns (target, level): the
    # scorers compare each target's levels with that target (they failed on
    # the flat (n, n_targets * n_levels) array, every search score NaN)
    from skseq.metrics import get_scorer, mean_quantile_loss

    frame = pd.DataFrame({"a": series, "b": 2 * series[::-1].to_numpy()})
    train, test = frame.iloc[:200], frame.iloc[200:]
    model = _model("quantile", target=["a", "b"]).fit(train, train)
    q = model.predict_quantiles(test)
    by_target = q.to_numpy().reshape(len(test), 2, 3)
    np.testing.assert_allclose(by_target[:, 1, :], q["b"].to_numpy())
    expected = mean_quantile_loss(test.to_numpy(), by_target, [0.05, 0.5, 0.95])
    score = get_scorer("neg_mean_quantile_loss")(model, test, test)
    np.testing.assert_allclose(score, -expected, rtol=1e-9)
    assert np.isclose(get_scorer("neg_crps")(model, test, test), 2 * score)


def test_row_mode_panel_intervals_follow_x_rows():
    rng = np.random.default_rng(2)
    index = pd.date_range("2001-01-01", periods=40, freq="MS")
    panel = pd.concat(
        pd.DataFrame(
            {"id": name, "y": 50 + np.cumsum(rng.normal(size=40))}, index=index
        )
        for name in ("a", "b")
    )
    estimator = DenseForecaster(hidden_units=(4,), loss="student_t", **FAST)
    model = WindowedForecaster(estimator, window=6, horizon=2, series_id="id")
    train = panel[panel.index < "2003-09-01"]
    test = panel[panel.index >= "2003-09-01"]
    model.fit(train, train["y"])
    lower, upper = model.predict_interval(test, coverage=0.8)
    point = model.predict(test)
    assert len(lower) == len(test)
    assert np.all(lower.to_numpy() <= point.to_numpy() + 1e-9)
    assert np.all(point.to_numpy() <= upper.to_numpy() + 1e-9)


def test_transforms_that_would_mislabel_or_lose_quantiles_are_refused(series):
    from sklearn.preprocessing import FunctionTransformer

    negate = FunctionTransformer(np.negative, inverse_func=np.negative)
    # difference=None: quantiles mapped level by level (differenced: of paths)
    model = _model("gaussian", target_transform=negate, scale=False, difference=None)
    model.fit(series)
    with pytest.raises(ValueError, match="target_transform decreases"):
        model.forecast_quantiles(series, quantiles=(0.1, 0.5, 0.6))
    # a decreasing scale transformer is named as such, not as target_transform
    model = _model("gaussian", scale=negate, difference=None).fit(series)
    with pytest.raises(ValueError, match="^The scale transformer decreases"):
        model.forecast_quantiles(series, quantiles=(0.1, 0.5, 0.6))
    # the inverse of Box-Cox has no value beyond -1/lambda: no NaN quantiles
    boxcox = _model("student_t", target_transform="box-cox", difference=None)
    boxcox.fit(series)
    boxcox.estimator_.predict_quantiles = lambda X, quantiles: np.full(
        (len(X), 4, len(quantiles)), -1e6
    )
    with pytest.raises(ValueError, match="inverse of target_transform has no value"):
        boxcox.forecast_quantiles(series)


def test_conformal_wrapper_is_named_when_quantiles_are_asked_of_it(series):
    from skseq import ConformalForecaster

    estimator = ConformalForecaster(DenseForecaster(loss="quantile", **FAST))
    model = WindowedForecaster(estimator, window=14, horizon=4).fit(series)
    with pytest.raises(ValueError, match="the wrapped ConformalForecaster has none"):
        model.forecast_quantiles(series)
    assert model.estimator_.method_ == "cqr"
    # a panel's members wrap the estimator: the error still names it
    panel = pd.concat([series.to_frame().assign(id=k) for k in ("a", "b")])
    model = WindowedForecaster(estimator, window=14, horizon=4, series_id="id")
    model.fit(panel)
    with pytest.raises(ValueError, match="the wrapped ConformalForecaster has none"):
        model.forecast_quantiles(panel)


def test_negative_binomial_refuses_counts_scaled_by_the_window():
    # counts divided by a window's mean are no counts: the quantiles would be
    # whole numbers times that mean (0, 32.4, 64.9, ... for a level of 30)
    rng = np.random.default_rng(0)
    index = pd.date_range("2020-01-01", periods=40, freq="D", name="date")
    panel = pd.concat(
        pd.DataFrame({"y": rng.poisson(level, 40).astype(float), "id": name}, index)
        for name, level in (("a", 3), ("b", 30))
    )
    model = _model("negative_binomial", series_id="id", scale="window")
    with pytest.raises(ValueError, match="scale=False"):
        model.fit(panel)
    _model("negative_binomial", series_id="id", scale=False).fit(panel)
