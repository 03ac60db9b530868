"""sklearn's scorers and searches on series: WindowedForecaster fitted with y."""

import numpy as np
import pandas as pd
import pytest
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import get_scorer, get_scorer_names, make_scorer, r2_score
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import make_pipeline

import skseq.metrics
from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import SeriesSplit, WindowedForecaster
from skseq.forecasting._rows import block_origins, row_leads

# Every regression scorer sklearn ships (its regression metrics' module).
REGRESSION_SCORERS = [
    name
    for name in get_scorer_names()
    if getattr(get_scorer(name), "_score_func", None) is not None
    and get_scorer(name)._score_func.__module__ == "sklearn.metrics._regression"
]


def ridge():
    return make_pipeline(FlattenSequence(), Ridge(alpha=1e-3))


@pytest.fixture(scope="module")
def weekly():
    """A positive daily series with a strong weekly pattern and little noise."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2024-01-01", periods=140, freq="D", name="date")
    pattern = np.array([5.0, 9.0, 8.0, 10.0, 7.0, 2.0, 1.0])
    values = 10 + np.tile(pattern, 20) + rng.normal(scale=0.1, size=140)
    return pd.Series(values, index=days, name="rail")


CV = SeriesSplit(n_splits=2, test_size=21)


@pytest.mark.parametrize(
    "scoring",
    [
        "neg_mean_absolute_error",
        "neg_root_mean_squared_error",
        skseq.metrics.get_scorer("neg_mase_7"),
        make_scorer(skseq.metrics.mean_absolute_scaled_error, greater_is_better=False),
    ],
)
def test_search_picks_the_window_that_covers_the_season(weekly, scoring):
    model = WindowedForecaster(ridge(), window=3, horizon=2, scale=False)
    search = GridSearchCV(model, {"window": [3, 7]}, cv=CV, scoring=scoring)
    search.fit(weekly, weekly)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all()
    assert search.best_params_ == {"window": 7}
    assert scores[1] > 10 * scores[0]  # negated errors: 7 is far better


def test_issue_example_on_ridership_scores_every_fold():
    from skseq.datasets import load_ridership

    rail = load_ridership().loc["2018", "rail"] / 1e6
    model = WindowedForecaster(
        NaiveForecaster(season=7), window=14, horizon=7, scale=False
    )
    cv = SeriesSplit(n_splits=2, lookback=14, test_size=30)
    scores = cross_val_score(
        model, rail, rail, cv=cv, scoring="neg_mean_absolute_error"
    )
    by_hand = []
    for train, test in cv.split(rail):
        fitted = model.fit(rail.iloc[train], rail.iloc[train])
        y_pred = fitted.predict(rail.iloc[test])
        by_hand.append(-np.abs(rail.iloc[test] - y_pred).mean())
    np.testing.assert_allclose(scores, by_hand)
    assert np.isfinite(scores).all() and (scores < 0).all()


def test_no_nan_for_any_regression_scoring_string(weekly):
    assert len(REGRESSION_SCORERS) >= 12  # the filter found sklearn's scorers
    model = WindowedForecaster(ridge(), window=7, horizon=3, scale=False)
    search = GridSearchCV(
        model,
        {"window": [7, 8]},
        cv=CV,
        scoring=REGRESSION_SCORERS,
        refit="neg_mean_absolute_error",
    ).fit(weekly, weekly)
    for name in REGRESSION_SCORERS:
        assert np.isfinite(search.cv_results_[f"mean_test_{name}"]).all(), name


def test_multi_metric_refit_with_skseq_scorers(weekly):
    scoring = {
        "mae": "neg_mean_absolute_error",
        "mase": skseq.metrics.get_scorer("neg_mase_7"),
        "smape": skseq.metrics.get_scorer("neg_smape"),
    }
    model = WindowedForecaster(ridge(), window=3, horizon=2, scale=False)
    search = GridSearchCV(
        model,
        {"window": [3, 7], "horizon": [1, 2]},
        cv=CV,
        scoring=scoring,
        refit="mase",
    ).fit(weekly, weekly)
    results = search.cv_results_
    assert search.best_index_ == np.argmax(results["mean_test_mase"])
    assert search.best_params_["window"] == 7
    assert search.best_estimator_.predicts_rows_
    # the future after the series, from the refitted winner
    future = search.best_estimator_.forecast(weekly)
    assert future.index[0] == weekly.index[-1] + weekly.index.freq
    randomized = RandomizedSearchCV(
        model,
        {"window": [3, 7]},
        n_iter=2,
        cv=CV,
        scoring=scoring,
        refit="mae",
        random_state=0,
    ).fit(weekly, weekly)
    assert randomized.best_params_ == {"window": 7}
    scores = cross_validate(model, weekly, weekly, cv=CV, scoring=scoring)
    assert all(np.isfinite(scores[f"test_{k}"]).all() for k in scoring)


def test_halving_search_with_a_parameter_as_resource(weekly):
    model = WindowedForecaster(ridge(), window=3, horizon=2, scale=False)
    search = HalvingGridSearchCV(
        model,
        {"estimator__ridge__alpha": [1e-3, 1e3]},
        cv=CV,
        scoring="neg_mean_absolute_error",
        resource="window",  # an int parameter; n_samples would shuffle the rows
        min_resources=3,
        max_resources=7,
        factor=2,
        return_train_score=False,  # Halving's default True cannot be scored
    ).fit(weekly, weekly)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_params_["window"] == 6  # 3, then 6 (the last iteration)


def test_per_horizon_scorer_matches_the_leads(weekly):
    model = WindowedForecaster(ridge(), window=5, horizon=3, scale=False)
    scorer = skseq.metrics.get_scorer("neg_mae_per_horizon")
    scores = cross_validate(model, weekly, weekly, cv=CV, scoring=scorer)
    train, test = list(CV.split(weekly))[-1]
    fitted = model.fit(weekly.iloc[train], weekly.iloc[train])
    errors = np.abs(fitted.predict(weekly.iloc[test]) - weekly.iloc[test]).to_numpy()
    leads = row_leads(len(test), 3)
    for k in range(3):
        expected = -errors[leads == k].mean()
        assert scores[f"test_neg_mae_h{k + 1}"][-1] == pytest.approx(expected)
    assert scores["test_neg_mae"][-1] == pytest.approx(
        np.mean([-errors[leads == k].mean() for k in range(3)])
    )


def test_per_horizon_neg_mae_is_the_mean_over_steps_not_over_rows(weekly):
    # documented: 7 test rows, horizon 3 -> steps 1, 2, 3 have 3, 2, 2 rows;
    # "neg_mae" weighs each step alike, unlike the MAE of all the rows
    model = WindowedForecaster(ridge(), window=5, horizon=3, scale=False)
    model.fit(weekly.iloc[:100], weekly.iloc[:100])
    test = weekly.iloc[100:107]
    scores = skseq.metrics.get_scorer("neg_mae_per_horizon")(model, test, test)
    steps = [scores[f"neg_mae_h{k}"] for k in (1, 2, 3)]
    assert scores["neg_mae"] == pytest.approx(np.mean(steps), rel=1e-12)
    errors = np.abs(model.predict(test) - test).to_numpy()
    np.testing.assert_allclose(
        steps, [-errors[row_leads(7, 3) == k].mean() for k in range(3)]
    )
    assert scores["neg_mae"] != pytest.approx(-errors.mean(), rel=1e-6)


def test_per_horizon_scorer_refuses_too_few_rows_and_nan_forecasts(weekly):
    # fewer rows than steps scored the missing steps NaN; NaN forecasts gave
    # NaN scores, where the other scorers refuse them
    model = WindowedForecaster(ridge(), window=5, horizon=3, scale=False)
    train, test = weekly.iloc[:100], weekly.iloc[100:106]
    model.fit(train, train)
    scorer = skseq.metrics.get_scorer("neg_mae_per_horizon")
    with pytest.raises(ValueError, match="got 2 row"):
        scorer(model, test.iloc[:2], test.iloc[:2])
    diverged = _NaNForecasts(ridge(), window=5, horizon=3, scale=False)
    with pytest.raises(ValueError, match="NaN or infinity"):
        scorer(diverged.fit(train, train), test, test)


class _NaNForecasts(WindowedForecaster):
    """Forecasts NaN, as a diverged network does."""

    def predict(self, X):
        return np.full(len(X), np.nan)


# -- what predict forecasts in row mode ----------------------------------------------
def test_row_forecasts_come_from_actual_data_before_each_block(weekly):
    # NaiveForecaster(season=1) repeats the last value it sees: each row's
    # forecast is the actual value just before its block.
    model = WindowedForecaster(NaiveForecaster(), window=2, horizon=3, scale=False)
    model.fit(weekly.iloc[:100], weekly.iloc[:100])
    X = weekly.iloc[100:111]  # 11 rows: a block of 2, then 3 blocks of 3
    y_pred = model.predict(X)
    assert y_pred.index.equals(X.index) and y_pred.name == "rail"
    assert block_origins(11, 3) == [0, 2, 5, 8]
    values = weekly.to_numpy()
    expected = [values[99]] * 2 + [values[101]] * 3 + [values[104]] * 3
    expected += [values[107]] * 3
    np.testing.assert_allclose(y_pred.to_numpy(), expected, rtol=1e-6)
    assert model.score(X, X) == pytest.approx(r2_score(X, y_pred))


# differencing and a target transform: row mode integrates each block from the
# actual rows before it (the fitted tail for the first), like forecast() does
@pytest.mark.parametrize(
    "transforms",
    [{}, {"difference": (1, 7)}, {"difference": 1, "target_transform": "log"}],
    ids=["plain", "difference", "log-difference"],
)
def test_row_forecasts_equal_forecasts_from_each_origin(transforms):
    rng = np.random.default_rng(1)
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    frame = pd.DataFrame(
        {
            "rail": 3 + np.sin(np.arange(90) / 3) + rng.normal(scale=0.1, size=90),
            "bus": rng.normal(size=90),
            "holiday": (rng.random(90) > 0.8).astype(float),
        },
        index=days,
    )
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()),
        window=6,
        horizon=4,
        past_covariates="bus",
        future_covariates="holiday",
        **transforms,
    ).fit(frame.iloc[:70], frame["rail"].iloc[:70])
    X = frame.iloc[70:]  # 20 rows: 5 blocks of 4
    y_pred = model.predict(X)
    for origin in block_origins(20, 4):
        start = 70 + origin
        expected = model.forecast(
            frame.iloc[:start], future=frame[["holiday"]].iloc[start : start + 4]
        )
        np.testing.assert_allclose(y_pred.iloc[origin : origin + 4], expected)


def test_several_targets_return_a_frame(weekly):
    frame = pd.DataFrame({"a": weekly, "b": weekly * 2})
    model = WindowedForecaster(ridge(), window=7, horizon=2)
    scores = cross_val_score(
        model, frame, frame, cv=CV, scoring="neg_mean_absolute_error"
    )
    assert np.isfinite(scores).all()
    y_pred = model.fit(frame.iloc[:100], frame.iloc[:100]).predict(frame.iloc[100:])
    assert list(y_pred.columns) == ["a", "b"] and y_pred.index.equals(frame.index[100:])
    # target=None with a named y: the targets are y's columns, X's others ignored
    one = WindowedForecaster(ridge(), window=7, horizon=2).fit(frame, frame["b"])
    assert one.target_names_ == ["b"]


def test_integer_index_continues_too(weekly):
    series = weekly.reset_index(drop=True)
    model = WindowedForecaster(ridge(), window=7, horizon=2, scale=False)
    scores = cross_val_score(model, series, series, cv=CV, scoring="r2")
    assert np.isfinite(scores).all() and (scores > 0.9).all()


@pytest.mark.parametrize(
    "as_time",
    [lambda days: days.to_period("D"), lambda days: days - days[0]],
    ids=["PeriodIndex", "TimedeltaIndex"],
)
def test_period_and_timedelta_indexes_continue_too(weekly, as_time):
    series = weekly.set_axis(as_time(weekly.index))
    # difference=None: "auto" reads no season from a TimedeltaIndex (season_ 1)
    model = WindowedForecaster(
        ridge(), window=7, horizon=2, scale=False, difference=None
    )
    scores = cross_val_score(model, series, series, cv=CV, scoring="r2")
    expected = cross_val_score(model, weekly, weekly, cv=CV, scoring="r2")
    np.testing.assert_allclose(scores, expected)
    fitted = model.fit(series.iloc[:100], series.iloc[:100])
    assert fitted.predict(series.iloc[100:]).index.equals(series.index[100:])
    with pytest.raises(ValueError, match="must start right after the series"):
        fitted.predict(series.iloc[101:])


# -- misuse fails loudly, with the fix ------------------------------------------------
def test_training_rows_cannot_be_forecast(weekly):
    model = WindowedForecaster(ridge(), window=7, horizon=2, scale=False)
    with pytest.raises(ValueError, match="return_train_score=False"):
        cross_validate(
            model, weekly, weekly, cv=CV, return_train_score=True, error_score="raise"
        )
    with pytest.warns(UserWarning, match="return_train_score=False"):
        cross_validate(model, weekly, weekly, cv=CV, return_train_score=True)


def test_gap_and_arrays_are_refused(weekly):
    model = WindowedForecaster(ridge(), window=7, horizon=2, scale=False)
    with pytest.raises(ValueError, match="must start right after the series"):
        cross_val_score(
            model,
            weekly,
            weekly,
            cv=SeriesSplit(2, test_size=21, gap=3),
            error_score="raise",
        )
    values = weekly.to_numpy()
    with pytest.raises(ValueError, match="only a pandas index tells"):
        cross_val_score(model, values, values, cv=CV, error_score="raise")
    fitted = model.fit(weekly, weekly)
    with pytest.raises(ValueError, match="use forecast"):
        fitted.predict(weekly)
    with pytest.raises(ValueError, match=r"future=... is for .*forecast\(X, future"):
        fitted.predict(weekly, future=[1.0])


def test_y_must_be_the_targets_of_X(weekly):
    model = WindowedForecaster(ridge(), window=7, horizon=2)
    with pytest.raises(ValueError, match="y must equal the target column"):
        model.fit(weekly, weekly.shift(-1).ffill())
    with pytest.raises(ValueError, match="y's index differs"):
        model.fit(weekly, weekly.reset_index(drop=True))
    with pytest.raises(ValueError, match="y has 10 rows but X has 140"):
        model.fit(weekly, weekly.iloc[:10])
    frame = pd.DataFrame({"a": weekly, "b": weekly})
    with pytest.raises(ValueError, match="leave target=None"):
        WindowedForecaster(ridge(), target="a").fit(frame, frame["b"])
    fitted = model.fit(weekly)  # score(X, y) compares y with predict(X): rows
    with pytest.raises(ValueError, match=r"use forecast\(X\)"):
        fitted.score(weekly, weekly)


def test_skseq_scorers_read_the_truths_from_X_without_y(weekly):
    # without y, sklearn's own scorers fail (documented); skseq's score every
    # window of the test rows, as WindowedForecaster.score does
    model = WindowedForecaster(ridge(), window=7, horizon=2, scale=False)
    cv = SeriesSplit(n_splits=2, test_size=21, lookback=7)
    scorer = skseq.metrics.get_scorer("r2")
    scores = cross_val_score(model, weekly, cv=cv, scoring=scorer)
    np.testing.assert_allclose(scores, cross_val_score(model, weekly, cv=cv))
    # a model fitted with y is scored the same way (fit's y changes nothing)
    without_y = scorer(model.fit(weekly), weekly)
    assert scorer(model.fit(weekly, weekly), weekly) == pytest.approx(without_y)
