"""MASE's scale is the in-sample seasonal naive error of the training series
(Hyndman and Koehler, 2006), not of the few test values a step is scored on."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest
from skseq.metrics import get_scorer


@pytest.fixture(scope="module")
def monthly():
    rng = np.random.default_rng(0)
    months = pd.date_range("2010-01-01", periods=96, freq="MS")
    season = 10 * np.sin(np.arange(96) * 2 * np.pi / 12)
    values = 100 + 0.3 * np.arange(96) + season + rng.normal(scale=1.0, size=96)
    return pd.Series(values, index=months, name="sales")


def _scale(train, season):
    return np.mean(np.abs(train[season:] - train[:-season]))


def _model():
    return WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()), window=12, horizon=3, scale=False
    )


def test_backtest_mase_per_step_uses_the_training_part(monthly):
    model = _model().fit(monthly.iloc[:72])
    scores, forecasts = backtest(
        model, monthly, start=72, scoring=["neg_mase_12", "neg_mean_absolute_error"]
    )
    values = monthly.to_numpy()
    scale = _scale(values[:72], 12)
    for step in (1, 2, 3):
        truth = values[72 + step - 1 :][: len(forecasts)]
        mae = np.mean(np.abs(truth - forecasts[("sales", step)].to_numpy()))
        assert scores.loc[step, "neg_mean_absolute_error"] == pytest.approx(-mae)
        assert scores.loc[step, "neg_mase_12"] == pytest.approx(-mae / scale)


def test_backtest_mase_with_refits_scales_each_fold_by_its_training_part(monthly):
    scores, forecasts = backtest(
        _model(), monthly, start=72, refit=12, scoring="neg_mase_12"
    )
    values = monthly.to_numpy()
    origins = np.arange(72, 72 + len(forecasts))
    folds = 72 + 12 * ((origins - 72) // 12)  # each refit trains on rows < fold
    scales = np.array([_scale(values[:fold], 12) for fold in folds])
    for step in (1, 3):
        errors = np.abs(values[origins + step - 1] - forecasts[("sales", step)])
        expected = np.mean(errors.to_numpy() / scales)
        assert scores.loc[step, "neg_mase_12"] == pytest.approx(-expected)


def test_scorer_in_row_mode_scales_by_the_fitted_series(monthly):
    train, test = monthly.iloc[:72], monthly.iloc[72:84]
    model = WindowedForecaster(NaiveForecaster(season=12), window=12, scale=False).fit(
        train, train
    )
    score = get_scorer("neg_mase_12")(model, test, test)
    mae = np.mean(np.abs(test - model.predict(test)))
    assert score == pytest.approx(-mae / _scale(train.to_numpy(), 12))


def test_scorer_in_window_mode_scales_by_the_fitted_series(monthly):
    train, test = monthly.iloc[:72], monthly.iloc[60:]
    model = WindowedForecaster(
        NaiveForecaster(season=12), window=12, horizon=2, scale=False
    ).fit(train)
    score = get_scorer("neg_mase")(model, test)
    values = monthly.to_numpy()
    # 23 windows of test: forecast 72 + i + k is the value a season before it
    errors = [
        values[72 + i + k] - values[60 + i + k] for i in range(23) for k in (0, 1)
    ]
    expected = np.mean(np.abs(errors)) / _scale(train.to_numpy(), 1)
    assert score == pytest.approx(-expected)


def test_scorers_read_a_pipeline_final_forecaster(monthly):
    # a WindowedForecaster ending a Pipeline: MASE was scaled by the test rows
    # and neg_mae_per_horizon pooled the steps into one, as for a plain regressor
    from sklearn.preprocessing import FunctionTransformer

    train, test = monthly.iloc[:72].to_frame(), monthly.iloc[72:].to_frame()
    pipe = make_pipeline(FunctionTransformer(), _model()).fit(train, train["sales"])
    errors = np.abs(test["sales"] - pipe.predict(test)).to_numpy().ravel()
    score = get_scorer("neg_mase_12")(pipe, test, test["sales"])
    scale = _scale(train["sales"].to_numpy(), 12)
    assert score == pytest.approx(-errors.mean() / scale)
    steps = get_scorer("neg_mae_per_horizon")(pipe, test, test["sales"])
    leads = np.arange(24) % 3  # row mode: blocks of horizon=3 rows
    expected = [-errors[leads == k].mean() for k in range(3)]
    assert list(steps) == ["neg_mae_h1", "neg_mae_h2", "neg_mae_h3", "neg_mae"]
    np.testing.assert_allclose([steps[f"neg_mae_h{k}"] for k in (1, 2, 3)], expected)
