"""predict(X) has one meaning: one forecast per row of X, whether or not fit
got y; the steps after a series are forecast(X) and the forecast_* methods."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.pipeline import make_pipeline

from skseq import (
    ConformalForecaster,
    DenseForecaster,
    FlattenSequence,
    NaiveForecaster,
    WindowedForecaster,
)

DAYS = pd.date_range("2024-01-01", periods=120, freq="D")


@pytest.fixture(scope="module")
def wavy():
    values = np.sin(np.arange(120) / 3) + np.arange(120) / 50
    return pd.Series(values, index=DAYS, name="sst")


def _ridge(**params):
    pipe = make_pipeline(FlattenSequence(), Ridge())
    return WindowedForecaster(pipe, window=14, horizon=3, **params)


@pytest.mark.parametrize(
    "make", [_ridge, lambda: WindowedForecaster(NaiveForecaster(), window=4, horizon=3)]
)
def test_predict_without_y_forecasts_each_row_as_with_y(wavy, make):
    train, test = wavy[:100], wavy[100:]
    without_y = make().fit(train)
    with_y = make().fit(train, train)
    y_pred = without_y.predict(test)
    assert len(y_pred) == len(test)
    pd.testing.assert_index_equal(y_pred.index, test.index)
    pd.testing.assert_series_equal(y_pred, with_y.predict(test))
    # sklearn's meaning: comparable with the rows' truths
    assert mean_absolute_error(test, y_pred) < 0.5  # naive 0.39, ridge 0.01
    assert without_y.score(test, test) == pytest.approx(with_y.score(test, test))


def test_naive_rows_by_hand():
    series = pd.Series(np.arange(30.0), index=DAYS[:30], name="y")
    model = WindowedForecaster(NaiveForecaster(), window=4, horizon=3, scale=False)
    model.fit(series[:20])
    # blocks of 3 ending at the last row (the first one shorter): rows 20 | 21-23
    # | 24-26 | 27-29, each the last value before its block
    expected = [19.0, 20, 20, 20, 23, 23, 23, 26, 26, 26]
    np.testing.assert_array_equal(model.predict(series[20:]), expected)
    # the future after the series: forecast
    np.testing.assert_array_equal(model.forecast(series), [29.0, 29, 29])
    assert model.predicts_rows_ is True  # deprecated, kept readable
    model.predicts_rows_ = False  # as skseq.load restores an older file
    assert model.predicts_rows_ is True
    np.testing.assert_array_equal(model.predict(series[20:]), expected)


def test_predict_on_the_training_series_names_forecast(wavy):
    model = _ridge().fit(wavy[:100])
    with pytest.raises(ValueError, match=r"^predict\(X\) forecasts each row") as info:
        model.predict(wavy[:100])
    message = str(info.value)
    assert "2024-04-10" in message and "use forecast(X)" in message
    with pytest.raises(ValueError, match=r"^predict\(X\).*use forecast\(X\)"):
        model.predict(wavy[105:])  # a gap after the training rows


def test_arrays_without_index_name_forecast(wavy):
    model = _ridge().fit(wavy[:100].to_numpy())
    with pytest.raises(ValueError, match=r"^predict\(X\).*use forecast\(X\)"):
        model.predict(wavy[100:].to_numpy())
    assert model.forecast(wavy[:100].to_numpy()).shape == (3,)


def test_future_is_refused_by_row_forecasts(wavy):
    model = _ridge().fit(wavy[:100])
    with pytest.raises(ValueError, match=r"forecast_interval\(X, future"):
        model.predict_interval(wavy[100:], future=wavy[:3])


def _conformal():
    estimator = ConformalForecaster(NaiveForecaster())
    return WindowedForecaster(estimator, window=4, horizon=3, scale=False)


def test_conformal_forecast_interval_by_hand_and_rows_without_y():
    # on a line of slope 1 the naive forecast misses step k by exactly k, so
    # the calibrated half-width of step k is k
    line = pd.Series(np.arange(120.0), index=DAYS, name="y")
    model = _conformal().fit(line[:100])
    lower, upper = model.forecast_interval(line[:100], coverage=0.9)
    np.testing.assert_allclose(lower, [98.0, 97, 96])
    np.testing.assert_allclose(upper, [100.0, 101, 102])
    assert lower.index[0] == DAYS[100]
    # row intervals, fitted without y, equal those of a fit with y
    rows = model.predict_interval(line[100:110], coverage=0.9)
    with_y = _conformal().fit(line[:100], line[:100])
    rows_y = with_y.predict_interval(line[100:110])
    for bound, bound_y in zip(rows, rows_y, strict=True):
        pd.testing.assert_series_equal(bound, bound_y)
    # the last block (rows 107-109) is the interval forecast after row 106
    last = model.forecast_interval(line[:107], coverage=0.9)
    np.testing.assert_allclose(rows[0].iloc[-3:], last[0])
    np.testing.assert_allclose(rows[1].iloc[-3:], last[1])


@pytest.fixture(scope="module")
def gaussian(wavy):
    estimator = DenseForecaster(
        hidden_units=(4,), loss="gaussian", epochs=2, batch_size=32, random_state=0
    )
    # difference=None: quantiles level by level (differenced: of sampled paths)
    model = WindowedForecaster(estimator, window=14, horizon=3, difference=None)
    return model.fit(wavy[:100])


def test_quantiles_and_samples_forecast_the_future_and_rows(gaussian, wavy):
    levels = (0.1, 0.5, 0.9)
    future = gaussian.forecast_quantiles(wavy[:100], quantiles=levels)
    assert future.index[0] == DAYS[100] and len(future) == 3
    np.testing.assert_allclose(future[0.5], gaussian.forecast(wavy[:100]), rtol=1e-6)
    rows = gaussian.predict_quantiles(wavy[100:106], quantiles=levels)
    pd.testing.assert_index_equal(rows.index, wavy[100:106].index)
    # the last block (rows 103-105) is the forecast after row 102
    after = gaussian.forecast_quantiles(wavy[:103], quantiles=levels)
    np.testing.assert_allclose(rows.iloc[-3:], after, rtol=1e-6)
    paths = gaussian.forecast_samples(wavy[:100], n_samples=5, random_state=0)
    assert paths.shape == (3, 5) and paths.index[0] == DAYS[100]
    again = gaussian.forecast_samples(wavy[:100], n_samples=5, random_state=0)
    pd.testing.assert_frame_equal(paths, again)
    row_paths = gaussian.predict_samples(wavy[100:106], n_samples=5, random_state=0)
    assert row_paths.shape == (6, 5)


def test_a_scored_y_must_be_the_target_rows_of_X(wavy):
    """score(X, y) and skseq's scorers compare predict(X) -- which reads the
    targets' history from X -- with y: a y that is not X's target column, row
    for row, would be scored silently against forecasts of another series."""
    from sklearn.metrics import r2_score

    from skseq.metrics import get_scorer

    train, test = wavy[:100], wavy[100:]
    model = _ridge().fit(train, train)
    assert model.score(test, test) == pytest.approx(r2_score(test, model.predict(test)))
    reversed_y = pd.Series(test.to_numpy()[::-1], index=test.index, name="sst")
    for scorer in (model.score, lambda X, y: get_scorer("neg_mase_7")(model, X, y)):
        with pytest.raises(ValueError, match=r"y must equal the target column"):
            scorer(test, reversed_y)
        with pytest.raises(ValueError, match=r"y has 19 rows but X has 20"):
            scorer(test, test[1:].reset_index(drop=True))


def test_a_scored_y_on_a_panel_must_be_its_target_rows():
    from skseq.metrics import get_scorer

    days = pd.date_range("2024-01-01", periods=40, freq="D")
    rng = np.random.default_rng(0)
    panel = pd.DataFrame(
        {
            "id": np.repeat(["a", "b"], 40),
            "sales": rng.normal(size=80).cumsum() + 10,
        },
        index=np.tile(days, 2),
    )
    train = panel[np.tile(days < days[30], 2)]
    test = panel[np.tile(days >= days[30], 2)]
    model = _ridge(series_id="id").set_params(window=5, horizon=2)
    model.fit(train, train["sales"])
    score = get_scorer("neg_mean_absolute_error")(model, test, test["sales"])
    assert np.isfinite(score)
    shifted = test["sales"] + 1.0
    with pytest.raises(ValueError, match=r"y must equal the target column"):
        get_scorer("neg_mean_absolute_error")(model, test, shifted)
    with pytest.raises(ValueError, match=r"y must equal the target column"):
        model.score(test, shifted)
