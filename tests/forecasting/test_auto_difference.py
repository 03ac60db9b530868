"""``WindowedForecaster(difference="auto")`` and ``season``: the lags chosen in
``fit`` from the training rows only, and one notion of the series' season."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline

from skseq import (
    ConformalForecaster,
    DenseForecaster,
    FlattenSequence,
    GRUForecaster,
    NaiveForecaster,
)
from skseq.forecasting import (
    SeriesSplit,
    WindowedForecaster,
    backtest,
    choose_difference,
)
from skseq.forecasting._transforms import auto_lags_for, neediest


def ridge():
    return make_pipeline(FlattenSequence(), Ridge(alpha=1e-6))


def dated(values, freq="D"):
    index = pd.date_range("2000-01-01", periods=len(values), freq=freq)
    return pd.Series(values, index=index, name="y")


def random_walk(n=200, seed=0):
    return dated(np.random.default_rng(seed).normal(size=n).cumsum())


def white_noise(n=200, seed=0):
    return dated(np.random.default_rng(seed).normal(size=n))


def trend_and_season(n=240):
    t = np.arange(n)
    noise = np.random.default_rng(0).normal(size=n)
    return dated(t**2 / 100 + 10 * np.sin(2 * np.pi * t / 12) + noise, "MS")


# -- what "auto" chooses ---------------------------------------------------------
@pytest.mark.parametrize(
    ("series", "expected"),
    # a network's rule: the seasonal difference alone (choose_difference)
    [(random_walk(), (1,)), (white_noise(), ()), (trend_and_season(), (12,))],
    ids=["random walk", "white noise", "quadratic trend + season"],
)
def test_auto_chooses_the_differences_of_the_series(series, expected):
    model = WindowedForecaster(ridge(), difference="auto").fit(series)
    assert model.difference_ == expected
    assert model.difference == "auto"  # the parameter is left as given


def test_auto_reads_the_season_of_a_monthly_index():
    model = WindowedForecaster(ridge(), difference="auto", horizon=3)
    model.fit(trend_and_season())
    assert model.season_ == 12
    assert model.difference_ == (12,)
    assert model.window_ == 24  # twice the season, after the lags were chosen


def test_auto_chooses_after_the_target_transform():
    t = np.arange(240)
    noise = np.random.default_rng(1).normal(size=240)
    growth = dated(np.exp(0.03 * t + 0.05 * noise))
    model = WindowedForecaster(ridge(), window=8, difference="auto")
    assert model.fit(growth).difference_ == (1, 1)  # exponential: twice
    model.set_params(target_transform="log")
    assert model.fit(growth).difference_ == (1,)  # a line in the log


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ([(1,), ()], (1,)),
        ([(1,), (12,)], (12,)),  # 1 - B**12 = (1 - B)(1 + ... + B**11)
        ([(1, 1), (12,)], (1, 12)),
        ([(12,), ()], (12,)),
        ([(1, 12), (1,)], (1, 12)),  # explicit ARIMA-order lags keep theirs
    ],
)
def test_shared_lags_are_the_fewest_that_difference_every_choice(choices, expected):
    assert neediest(choices, 12) == expected


def test_a_walk_and_a_season_share_the_seasonal_difference():
    index = trend_and_season().index
    frame = pd.DataFrame(
        {"season": trend_and_season().to_numpy(), "walk": random_walk(240).to_numpy()},
        index=index,
    )
    model = WindowedForecaster(ridge(), window=8, difference="auto")
    assert model.fit(frame[["walk"]]).difference_ == (1,)
    assert model.fit(frame).difference_ == (12,)


def test_several_targets_take_the_most_differences_any_needs():
    frame = pd.DataFrame({"walk": random_walk(), "noise": white_noise(seed=1)})
    model = WindowedForecaster(ridge(), window=8, difference="auto")
    assert model.fit(frame).difference_ == (1,)
    assert model.fit(frame[["noise"]]).difference_ == ()


@pytest.mark.parametrize(
    "estimator", [NaiveForecaster(), ridge()], ids=["naive", "ridge"]
)
def test_auto_forecasts_as_the_lags_it_chose(estimator):
    series = trend_and_season()
    auto = WindowedForecaster(estimator, horizon=3, difference="auto").fit(series)
    explicit = WindowedForecaster(estimator, horizon=3, difference=auto.difference_)
    explicit.fit(series)
    np.testing.assert_array_equal(auto.forecast(series), explicit.forecast(series))
    np.testing.assert_array_equal(
        auto.window_forecasts(series)[1], explicit.window_forecasts(series)[1]
    )


# -- the default, and the estimators "auto" leaves undifferenced ------------------
def test_auto_is_the_default():
    model = WindowedForecaster(ridge())
    assert model.get_params()["difference"] == "auto"
    assert model.fit(random_walk()).difference_ == (1,)
    assert model.fit(trend_and_season()).difference_ == (12,)


def tiny_quantile_gru():
    return GRUForecaster(
        loss="quantile", units=2, epochs=1, batch_size=64, random_state=0
    )


def cqr_of_a_distribution():
    head = DenseForecaster(hidden_units=(2,), loss="gaussian", epochs=1)
    return ConformalForecaster(head, method="cqr")


UNDIFFERENCED = {
    "naive": NaiveForecaster,
    "pipeline of naive": lambda: make_pipeline(NaiveForecaster()),
    "conformal of a pipeline of naive": lambda: ConformalForecaster(
        make_pipeline(NaiveForecaster())
    ),
    "quantile head": tiny_quantile_gru,
    "cqr": cqr_of_a_distribution,
    # method="auto" picks CQR for a distribution head: its bounds are calibrated
    "conformal of a distribution": lambda: ConformalForecaster(
        DenseForecaster(hidden_units=(2,), loss="gaussian", epochs=1)
    ),
}


@pytest.mark.parametrize("make", list(UNDIFFERENCED.values()), ids=list(UNDIFFERENCED))
def test_auto_takes_no_difference_for_baselines_and_quantile_bounds(make):
    walk = random_walk(60)
    assert WindowedForecaster(ridge(), window=4).fit(walk).difference_ == (1,)
    model = WindowedForecaster(make(), window=4).fit(walk)
    assert model.difference_ == ()
    assert model.difference == "auto"  # the parameter is left as given


def test_auto_lags_for_reads_through_the_wrappers():
    assert auto_lags_for(NaiveForecaster(), "auto") == ()
    assert auto_lags_for(make_pipeline(ConformalForecaster(ridge())), "auto") == "auto"
    assert auto_lags_for(ConformalForecaster(ridge(), method="cqr"), "auto") == ()
    absolute = ConformalForecaster(DenseForecaster(loss="gaussian"), method="absolute")
    assert auto_lags_for(absolute, "auto") == "auto"
    quantile_pipeline = make_pipeline(tiny_quantile_gru())
    assert auto_lags_for(quantile_pipeline, "auto") == ()
    # searches and TransformedTargetRegressor are looked through too
    search = GridSearchCV(NaiveForecaster(), {"season": [1, 2]})
    assert auto_lags_for(search, "auto") == ()
    ttr = TransformedTargetRegressor(
        NaiveForecaster(), func=np.log, inverse_func=np.exp
    )
    assert auto_lags_for(ttr, "auto") == ()
    # ConformalForecaster(method="auto") calibrates absolute errors of a head
    # behind a TransformedTargetRegressor, not CQR: that is differenced (it
    # chose no lags, and its intervals on a trend were many times wider)
    hidden = TransformedTargetRegressor(
        DenseForecaster(loss="gaussian"), func=np.log, inverse_func=np.exp
    )
    assert auto_lags_for(ConformalForecaster(hidden), "auto") == "auto"
    assert auto_lags_for(ConformalForecaster(hidden, method="cqr"), "auto") == ()
    # a count head cannot learn differences (they are not counts)
    assert auto_lags_for(DenseForecaster(loss="negative_binomial"), "auto") == ()
    # a distribution head alone is differenced: its sample paths are integrated
    assert auto_lags_for(DenseForecaster(loss="student_t"), "auto") == "auto"
    # explicit lags (and None's ()) are returned as given
    assert auto_lags_for(NaiveForecaster(), (1, 12)) == (1, 12)
    assert auto_lags_for(ridge(), ()) == ()


def test_monte_carlo_intervals_name_the_lags_auto_chose():
    walk = random_walk(60)
    gru = GRUForecaster(units=2, dropout=0.2, epochs=1, random_state=0)
    model = WindowedForecaster(gru, window=4).fit(walk)
    message = r"the differences \(1,\) that difference='auto' \(the default\) chose"
    with pytest.raises(ValueError, match=message) as error:
        model.forecast_interval(walk)
    assert "difference=None" in str(error.value)


def two_series_panel():
    frames = [random_walk(80).to_frame(), white_noise(80).to_frame() + 5]
    for frame, name in zip(frames, ["walk", "noise"], strict=True):
        frame["id"] = name
    return pd.concat(frames)


def test_mixed_lags_under_window_scaling_warn():
    panel = two_series_panel()
    model = WindowedForecaster(ridge(), window=4, series_id="id", scale=True)
    assert model.fit(panel).difference_ == {"noise": (), "walk": (1,)}
    with pytest.warns(UserWarning, match=r"chose different differences.*'window'"):
        model.set_params(scale="window").fit(panel)
    # one difference for every series: nothing to warn about
    model.set_params(difference=1).fit(panel)


def test_a_conformal_panel_shares_the_lags_its_neediest_series_needs():
    panel = two_series_panel()
    conformal = ConformalForecaster(ridge())
    model = WindowedForecaster(conformal, window=4, horizon=2, series_id="id")
    # the pooled residuals are integrated with one set of lags: the walk's
    assert model.fit(panel).difference_ == (1,)
    explicit = clone(model).set_params(difference=1).fit(panel)
    lower, upper = model.forecast_interval(panel, coverage=0.8)
    expected = explicit.forecast_interval(panel, coverage=0.8)
    pd.testing.assert_frame_equal(lower, expected[0])
    pd.testing.assert_frame_equal(upper, expected[1])


def test_explicit_difference_of_a_naive_forecaster_is_honoured():
    walk = random_walk(60)
    model = WindowedForecaster(NaiveForecaster(), window=4, difference=1).fit(walk)
    assert model.difference_ == (1,)
    # naive on the first difference: the last change, once more
    last, before = walk.iloc[-1], walk.iloc[-2]
    np.testing.assert_allclose(model.forecast(walk), [2 * last - before], rtol=1e-5)


# -- each fold chooses on its own training rows ------------------------------------
def noise_then_walk():
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.normal(size=120), rng.normal(size=120).cumsum()])
    return pd.Series(values, name="y")  # a RangeIndex: season_ 1


def test_each_fold_chooses_on_its_training_rows():
    series = noise_then_walk()
    cv = SeriesSplit(4, test_size=30, lookback=8 + 1)
    model = WindowedForecaster(ridge(), window=8, difference="auto")
    result = cross_validate(
        model,
        series,
        series,
        cv=cv,
        scoring="neg_mean_absolute_error",
        return_estimator=True,
    )
    chosen = [fitted.difference_ for fitted in result["estimator"]]
    expected = [
        choose_difference(series.to_numpy()[train]) for train, _ in cv.split(series)
    ]
    assert chosen == expected
    assert chosen[0] == () and chosen[-1] == (1,)  # the noise, then the walk
    assert np.isfinite(result["test_score"]).all()


def test_grid_search_keeps_auto_next_to_explicit_lags():
    series = noise_then_walk()
    grid = {"difference": [None, 1, "auto"]}
    search = GridSearchCV(
        WindowedForecaster(ridge(), window=8),
        grid,
        cv=SeriesSplit(3, test_size=30, lookback=8 + 1),
        scoring="neg_mean_absolute_error",
    ).fit(series, series)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    if best.difference == "auto":
        assert best.difference_ == choose_difference(series.to_numpy())


def test_backtest_refits_with_auto():
    series = random_walk(120)
    model = WindowedForecaster(ridge(), difference="auto")
    errors, forecasts = backtest(model, series, start=100, refit=True)
    assert len(forecasts) == 20 and np.isfinite(errors.to_numpy()).all()
    # window="auto" too: unknown before the fit, as the lags
    errors, _ = backtest(WindowedForecaster(ridge()), series, start=100)
    assert np.isfinite(errors.to_numpy()).all()


def test_too_short_names_the_chosen_lags():
    series = trend_and_season(40)
    model = WindowedForecaster(ridge(), window=30, difference="auto")
    with pytest.raises(ValueError, match=r"sum\(difference='auto' -> \(12,\)\)"):
        model.fit(series)


# -- season ----------------------------------------------------------------------
def test_explicit_season_overrides_the_index():
    series = trend_and_season()
    model = WindowedForecaster(ridge(), season=4).fit(series)
    assert model.season_ == 4
    assert model.window_ == 8  # window="auto" reads season_
    model.set_params(season=1, difference="auto")
    assert model.fit(series).season_ == 1
    assert 12 not in model.difference_


@pytest.mark.parametrize(
    "series",
    [
        np.arange(100.0),
        pd.Series(np.arange(100.0), index=np.arange(1900, 2000)),
        pd.Series(np.arange(100.0), pd.date_range("2000", periods=100, freq="5D")),
    ],
    ids=["array", "integer index", "ambiguous frequency"],
)
def test_no_season_without_a_dated_index(series):
    if isinstance(getattr(series, "index", None), pd.DatetimeIndex):
        with pytest.warns(UserWarning, match="season_ is 1"):
            model = WindowedForecaster(NaiveForecaster()).fit(series)
    else:
        model = WindowedForecaster(NaiveForecaster()).fit(series)
    assert model.season_ == 1
    assert model.window_ == 49  # the default 56, capped: (100 - 1 - 1) // 2


def test_season_of_an_array_is_given_explicitly():
    model = WindowedForecaster(NaiveForecaster(), season=12).fit(np.arange(100.0))
    assert (model.season_, model.window_) == (12, 24)


@pytest.mark.parametrize(
    ("season", "error"),
    [(0, ValueError), (1.5, TypeError), ("x", TypeError), (True, TypeError)],
)
def test_bad_season_is_refused(season, error):
    model = WindowedForecaster(NaiveForecaster(), season=season)
    with pytest.raises(error, match="season must be"):
        model.fit(random_walk())


@pytest.mark.parametrize("difference", ["x", "AUTO", "seasonal"])
def test_other_difference_strings_are_refused(difference):
    model = WindowedForecaster(NaiveForecaster(), difference=difference)
    with pytest.raises(ValueError, match="difference must be None, a lag.*'auto'"):
        model.fit(random_walk())


# -- the estimator contract --------------------------------------------------------
def test_pickle_and_clone_keep_auto():
    series = trend_and_season()
    model = WindowedForecaster(ridge(), horizon=3, difference="auto").fit(series)
    loaded = pickle.loads(pickle.dumps(model))
    assert loaded.difference_ == (12,) and loaded.season_ == 12
    np.testing.assert_array_equal(loaded.forecast(series), model.forecast(series))
    copy = clone(model)
    assert copy.get_params()["difference"] == "auto"
    assert copy.get_params()["season"] is None
    assert not hasattr(copy, "difference_")


def test_summary_shows_the_season_and_the_chosen_lags():
    model = WindowedForecaster(ridge(), difference="auto")
    text = repr(model.fit(trend_and_season()).summary())
    assert "season=12, difference='auto' -> (12,)" in text
    model.set_params(difference=1)
    assert "season=12, difference=(1,)" in repr(model.fit(trend_and_season()).summary())
