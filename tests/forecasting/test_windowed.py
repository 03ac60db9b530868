"""WindowedForecaster: series in, forecasts out, covariates, scaling, selection."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score, cross_validate
from sklearn.pipeline import make_pipeline

from skseq import (
    FlattenSequence,
    NaiveForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
    make_windows,
)
from skseq.forecasting import SeriesSplit, WindowedForecaster, _windowed, backtest


def linear():
    return make_pipeline(FlattenSequence(), LinearRegression())


@pytest.fixture(scope="module")
def frame():
    """Two targets, one past and one (known-future) covariate, daily index."""
    rng = np.random.default_rng(0)
    n = 150
    days = pd.date_range("2023-01-01", periods=n, freq="D", name="date")
    weekend = (days.day_of_week >= 5).astype(float)
    t = np.arange(n)
    return pd.DataFrame(
        {
            "bus": 100 + 10 * np.sin(t / 5) - 30 * weekend + rng.normal(size=n),
            "rail": 50 + 5 * np.cos(t / 7) - 20 * weekend + rng.normal(size=n),
            "temp": rng.normal(size=n),
            "weekend": weekend,
            "label": np.where(weekend > 0, "weekend", "weekday"),
        },
        index=days,
    )


# -- pandas in, pandas out ------------------------------------------------------------
def test_series_in_future_dated_series_out(frame):
    model = WindowedForecaster(linear(), window=10, horizon=3, difference=None)
    forecast = model.fit(frame["rail"]).forecast(frame["rail"])
    assert isinstance(forecast, pd.Series) and forecast.name == "rail"
    expected = pd.date_range("2023-05-31", periods=3, freq="D", name="date")
    pd.testing.assert_index_equal(forecast.index, expected)
    assert forecast.index.freq == "D" and forecast.dtype == np.float64
    # Only the last window rows matter.
    pd.testing.assert_series_equal(model.forecast(frame["rail"].iloc[-10:]), forecast)


def test_frequency_inferred_and_multi_target_frame(frame):
    model = WindowedForecaster(linear(), window=7, horizon=2, target=["bus", "rail"])
    weekly = frame.iloc[::7]  # a regular index without a freq attribute
    weekly.index = pd.DatetimeIndex(weekly.index.to_numpy(), name="date")
    assert weekly.index.freq is None
    model.fit(weekly)
    assert weekly.index[0] + model.freq_ == weekly.index[1]
    forecast = model.forecast(weekly.iloc[-7:])
    assert isinstance(forecast, pd.DataFrame) and list(forecast) == ["bus", "rail"]
    assert list(forecast.index) == [
        weekly.index[-1] + pd.Timedelta(days=7 * k) for k in (1, 2)
    ]


def test_short_index_falls_back_on_fit_freq_or_errors(frame):
    # Two dates carry no frequency pandas can infer: the one seen in fit is used.
    model = WindowedForecaster(linear(), window=2, difference=None).fit(frame["rail"])
    last = frame["rail"].iloc[-2:]
    dates = pd.DatetimeIndex(last.index.to_numpy())
    short = pd.Series(last.to_numpy(), index=dates, name="rail")
    assert short.index.freq is None
    assert model.forecast(short).index[0] == short.index[-1] + pd.Timedelta("1D")
    with pytest.raises(ValueError, match="step by '2D', but .* fit stepped by 'D'"):
        model.forecast(frame["rail"].iloc[[-3, -1]])
    with pytest.raises(ValueError, match="step by '7D', but .* fit stepped by 'D'"):
        model.forecast(frame["rail"].iloc[::7])
    model.freq_ = None
    with pytest.raises(ValueError, match="no frequency"):
        model.forecast(short)


def test_numpy_in_numpy_out(frame):
    values = frame[["bus", "rail"]].to_numpy()
    model = WindowedForecaster(linear(), window=7, horizon=4).fit(values)
    forecast = model.forecast(values)
    assert isinstance(forecast, np.ndarray) and forecast.shape == (4, 2)
    one = WindowedForecaster(linear(), window=7, horizon=4, target=1).fit(values)
    assert one.forecast(values).shape == (4,)
    assert one.target_names_ == [1] and one.past_covariate_names_ == []
    # Forecasts equal the wrapped model's on the last window (scaling undone);
    # the frame's labels are not matched after an array fit, and it says so.
    with pytest.warns(UserWarning, match="by position"):
        dated = model.forecast(frame[["bus", "rail"]])
    np.testing.assert_allclose(forecast, dated.to_numpy())


# -- covariates ----------------------------------------------------------------------
def test_future_covariates_are_aligned_with_the_steps_they_describe():
    # rail = 3 * weekend of the same day: only the known future explains it.
    rng = np.random.default_rng(1)
    weekend = rng.integers(0, 2, size=120).astype(float)
    frame = pd.DataFrame({"rail": 3 * weekend, "weekend": weekend})
    model = WindowedForecaster(
        linear(), window=4, horizon=3, future_covariates="weekend", scale=False
    ).fit(frame)
    future = np.array([1.0, 0.0, 1.0])
    np.testing.assert_allclose(
        model.forecast(frame, future=future), 3 * future, atol=1e-5
    )
    assert model.score(frame) == pytest.approx(1.0)


def test_past_covariates_are_inputs_only(frame):
    # rail(t) = temp(t - 2): a past covariate two steps back explains it.
    temp = frame["temp"].to_numpy()
    data = pd.DataFrame({"rail": np.r_[0.0, 0.0, temp[:-2]], "temp": temp})
    model = WindowedForecaster(
        linear(), window=3, horizon=2, target="rail", past_covariates="temp"
    ).fit(data)
    np.testing.assert_allclose(model.forecast(data), temp[-2:], atol=1e-5)
    assert model.n_features_in_ == 2 and model.future_scaler_ is None


def test_known_future_errors(frame):
    model = WindowedForecaster(
        linear(),
        window=7,
        horizon=3,
        target="rail",
        past_covariates="bus",
        future_covariates="weekend",
    ).fit(frame)
    dates = pd.date_range("2023-05-31", periods=3, freq="D")
    good = pd.DataFrame({"weekend": [0.0, 0.0, 1.0]}, index=dates)
    assert model.forecast(frame, future=good).index.equals(dates)
    with pytest.raises(ValueError, match=r"pass their values .* forecast\(X, future="):
        model.forecast(frame)
    with pytest.raises(ValueError, match="future has 2 row.*horizon=3"):
        model.forecast(frame, future=good.iloc[:2])
    with pytest.raises(
        ValueError, match="future has missing .* 'weekend' at 2023-06-01"
    ):
        model.forecast(frame, future=good.assign(weekend=[0.0, np.nan, 1.0]))
    with pytest.raises(ValueError, match="lacks the future covariate column"):
        model.forecast(frame, future=good.rename(columns={"weekend": "holiday"}))
    with pytest.raises(ValueError, match="forecast covers 2023-05-31"):
        model.forecast(frame, future=good.shift(1, freq="D"))
    with pytest.raises(ValueError, match="future has 2 column"):
        model.forecast(frame, future=np.zeros((3, 2)))
    np.testing.assert_allclose(
        model.forecast(frame, future=[0.0, 0.0, 1.0]),
        model.forecast(frame, future=good),
    )
    no_future = WindowedForecaster(linear(), window=7).fit(frame["rail"])
    with pytest.raises(ValueError, match="has none"):
        no_future.forecast(frame["rail"], future=good)


@pytest.mark.parametrize(
    "index",
    [
        pd.timedelta_range("0h", periods=40, freq="h"),
        pd.RangeIndex(1950, 1990),
    ],
    ids=["timedelta", "years"],
)
def test_known_future_index_must_be_the_forecasts(index):
    # a future indexed at other steps than the forecast's was read by position
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.normal(size=(40, 2)), columns=["y", "f"], index=index)
    model = WindowedForecaster(
        linear(), window=5, horizon=2, future_covariates="f", difference=None
    ).fit(data.iloc[:30])
    expected = model.forecast(data.iloc[:30], future=data[["f"]].iloc[30:32])
    with pytest.raises(ValueError, match="future is indexed .* forecast covers"):
        model.forecast(data.iloc[:30], future=data[["f"]].iloc[33:35])
    # a frame built without an index (0 .. horizon - 1) is read by position
    fresh = data[["f"]].iloc[30:32].reset_index(drop=True)
    assert model.forecast(data.iloc[:30], future=fresh).equals(expected)


@pytest.mark.parametrize(
    "x_index, labels",
    [
        (pd.date_range("2020-01-01", periods=30, freq="D"), ["mon", "tue"]),
        (pd.date_range("2020-01-01", periods=30, freq="D"), [5, 6]),
        (pd.RangeIndex(30), ["a", "b"]),
        (np.arange(30) + 0.5, [30.5, 31.5]),
    ],
    ids=["dates-text", "dates-ints", "ints-text", "floats-floats"],
)
def test_known_future_labels_are_never_read_by_position(x_index, labels):
    # text (no "next label"), or any labels the forecast's steps cannot be
    # matched with, paired future's rows with the forecast's steps by position
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.normal(size=(30, 2)), columns=["y", "f"], index=x_index)
    model = WindowedForecaster(
        linear(), window=5, horizon=2, future_covariates="f", difference=None
    ).fit(data)
    labeled = pd.DataFrame({"f": [1.0, 2.0]}, index=labels)
    with pytest.raises(ValueError, match=r"future is indexed .*reset_index\(drop"):
        model.forecast(data, future=labeled)
    # without labels (an array, or the default index) it is read by position
    by_position = model.forecast(data, future=[1.0, 2.0])
    expected = model.forecast(data, future=labeled.reset_index(drop=True))
    np.testing.assert_array_equal(np.asarray(by_position), np.asarray(expected))


def test_scale_must_keep_the_target_columns(frame):
    # a scaler mapping 2 targets to 1 column made the steps read as targets
    from sklearn.preprocessing import FunctionTransformer

    scale = FunctionTransformer(
        lambda x: x[:, :1],
        inverse_func=lambda x: np.hstack([x, x]),
        check_inverse=False,
    )
    model = WindowedForecaster(
        linear(), window=5, horizon=2, target=["bus", "rail"], scale=scale
    )
    with pytest.raises(ValueError, match="turns the 2 target column.* into 1"):
        model.fit(frame)


def test_column_errors(frame):
    def fit(**params):
        return WindowedForecaster(linear(), window=5, **params).fit(frame)

    with pytest.raises(ValueError, match="'trams' is not a column"):
        fit(target="trams")
    with pytest.raises(ValueError, match="both a target and a covariate"):
        fit(target="rail", past_covariates="rail")
    with pytest.raises(ValueError, match="non-numeric values .*get_dummies"):
        fit(target="rail", future_covariates="label")
    # every column a target, the text one included: only the text one is named
    with pytest.raises(ValueError, match=r"column\(s\) \['label'\] \(e\.g\."):
        fit()
    with pytest.raises(ValueError, match="9 is not a column label .* not position"):
        fit(target=9)
    with pytest.raises(ValueError, match="column 9 is out of range"):
        WindowedForecaster(linear(), target=9).fit(frame[["rail"]].to_numpy())
    gappy = frame.assign(rail=frame["rail"].where(frame.index != "2023-02-01"))
    with pytest.raises(ValueError, match="missing .* 'rail' at 2023-02-01"):
        WindowedForecaster(linear(), window=5, target="rail").fit(gappy)
    with pytest.raises(ValueError, match="too short"):
        WindowedForecaster(linear(), window=149, horizon=2).fit(frame["rail"])
    with pytest.raises(ValueError, match="y must equal the target column"):
        WindowedForecaster(linear()).fit(frame["rail"], frame["rail"].rename(None) + 1)
    model = fit(target="rail")  # the unused text column is ignored
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['rail'\]"):
        model.forecast(frame[["bus"]])
    with pytest.raises(ValueError, match="fewer than window=5"):
        model.forecast(frame.iloc[:3])


# -- scaling and wrapped estimators ---------------------------------------------
@pytest.mark.parametrize("scale", [True, False])
def test_forecasts_in_the_units_of_the_series(scale):
    series = 1e6 + 1e3 * np.tile([1.0, 2.0, 3.0, 4.0], 10)
    model = WindowedForecaster(
        NaiveForecaster(season=4), window=4, horizon=4, scale=scale
    ).fit(series)
    np.testing.assert_allclose(model.forecast(series), series[-4:], rtol=1e-6)
    assert (model.target_scaler_ is None) == (not scale)


def test_custom_scaler_is_cloned(frame):
    from sklearn.preprocessing import MinMaxScaler

    scaler = MinMaxScaler()
    model = WindowedForecaster(linear(), window=5, scale=scaler, difference=None)
    model.fit(frame["rail"])
    assert model.target_scaler_ is not scaler and not hasattr(scaler, "data_min_")
    assert model.target_scaler_.data_max_[0] == frame["rail"].max()
    with pytest.raises(TypeError, match="scale must be"):
        WindowedForecaster(linear(), scale="yes").fit(frame["rail"])


def test_sklearn_regressor_gets_flat_targets(frame):
    model = WindowedForecaster(
        linear(), window=5, horizon=3, target=["bus", "rail"]
    ).fit(frame)
    assert model.estimator_[-1].coef_.shape == (3 * 2, 5 * 2)
    single = WindowedForecaster(linear(), window=5, target="rail").fit(frame)
    assert single.estimator_[-1].coef_.shape == (5,)  # 1D y for one output


@pytest.mark.parametrize("series_id", [None, "id"])
def test_a_tabular_regressor_given_3d_windows_names_the_fix(frame, series_id):
    from sklearn.linear_model import Ridge

    data = frame.assign(id="a") if series_id else frame
    model = WindowedForecaster(Ridge(), window=5, target="rail", series_id=series_id)
    with pytest.raises(ValueError, match=r"Ridge takes 2D X.*FlattenSequence"):
        model.fit(data)


def test_score_is_r2_over_every_window(frame):
    model = WindowedForecaster(
        linear(), window=6, horizon=2, target="rail", difference=None
    )
    model.fit(frame.iloc[:100])
    test = frame.iloc[100:]
    y_true, y_pred = model.window_forecasts(test)
    assert y_true.shape == y_pred.shape == (50 - 6 - 2 + 1, 2, 1)
    rail = test["rail"].to_numpy()
    np.testing.assert_array_equal(y_true[0, :, 0], rail[6:8])
    np.testing.assert_allclose(
        y_pred[-1, :, 0], model.forecast(test.iloc[:-2]).to_numpy()
    )
    residual = ((y_true - y_pred) ** 2).reshape(-1, 2).sum(axis=0)
    total = ((y_true - y_true.mean(axis=0)) ** 2).reshape(-1, 2).sum(axis=0)
    assert model.score(test) == pytest.approx(np.mean(1 - residual / total))
    with pytest.raises(ValueError, match="at least window \\+ horizon \\+ 1 = 9"):
        model.score(test.iloc[:8])  # one forecast: R^2 is undefined


def test_keras_estimator_with_batches_feed(frame, monkeypatch):
    rnn = SimpleRNNForecaster(2, epochs=1, batch_size=16, random_state=0)
    model = WindowedForecaster(rnn, window=8, horizon=2, target="rail", feed="batches")
    forecast = model.fit(frame).forecast(frame)
    assert forecast.shape == (2,) and model.estimator_.n_timesteps_in_ == 8
    assert model.estimator_ is not rnn and not hasattr(rnn, "model_")
    # "auto" switches to batches above the threshold.
    calls = []
    original = type(rnn).fit_batches
    monkeypatch.setattr(
        type(rnn), "fit_batches", lambda self, b: calls.append(b) or original(self, b)
    )
    WindowedForecaster(rnn, window=8, target="rail").fit(frame)
    assert not calls
    monkeypatch.setattr(_windowed, "FEED_THRESHOLD", 10)
    WindowedForecaster(rnn, window=8, target="rail").fit(frame)
    assert len(calls) == 1
    with pytest.raises(ValueError, match="feed='batches' needs a Keras"):
        WindowedForecaster(linear(), feed="batches").fit(frame["rail"])


def test_wavenet_fed_by_batches_sets_what_fit_sets(frame):
    """The batch-fed path trains through the same template as ``fit``: the
    receptive field is set and a window longer than it is warned about."""
    wavenet = WaveNetForecaster(2, dilation_rates=(1, 2), epochs=1, random_state=0)
    model = WindowedForecaster(wavenet, window=8, target="rail", feed="batches")
    with pytest.warns(UserWarning, match="receptive field of this WaveNet is 4"):
        model.fit(frame)
    assert model.estimator_.receptive_field_ == 4


# -- sklearn model selection ----------------------------------------------------
def test_params_are_nested_and_clonable():
    model = WindowedForecaster(SimpleRNNForecaster(4), window=10)
    params = model.get_params()
    assert params["window"] == 10 and params["estimator__units"] == 4
    other = clone(model).set_params(estimator__units=8, horizon=3)
    assert other.estimator.units == 8 and model.estimator.units == 4


class RecordingNaive(NaiveForecaster):
    """Records the time steps it trains on and is scored on (series = time)."""

    log = []

    def fit(self, X, y):
        RecordingNaive.log.append(("fit", set(np.asarray(y).ravel().astype(int))))
        return super().fit(X, y)

    def predict(self, X):
        last = np.asarray(X)[:, -1, 0].astype(int)
        steps = last[:, None] + np.arange(1, self.horizon_ + 1)
        RecordingNaive.log.append(("predict", set(steps.ravel())))
        return super().predict(X)


@pytest.mark.parametrize("window", [3, 8])
def test_series_split_never_scores_a_trained_time_step(window):
    time = pd.Series(np.arange(200.0))
    cv = SeriesSplit(4, test_size=20, lookback=8)
    RecordingNaive.log = []
    model = WindowedForecaster(RecordingNaive(), window=window, horizon=3, scale=False)
    cross_validate(model, time, cv=cv, error_score="raise")
    events = RecordingNaive.log
    assert [kind for kind, _ in events] == ["fit", "predict"] * 4
    for (train, test), (_, trained), (_, scored) in zip(
        cv.split(time), events[::2], events[1::2], strict=True
    ):
        assert trained and scored and not trained & scored
        assert trained <= set(train) and scored <= set(test)
        # The whole forecast block is scored (lookback equals the largest window).
        assert set(test[8:]) <= scored


def test_series_split_layout():
    cv = SeriesSplit(3, test_size=10, lookback=5, gap=2, max_train_size=40)
    folds = list(cv.split(np.zeros(100)))
    assert len(folds) == cv.get_n_splits() == 3
    for k, (train, test) in enumerate(folds):
        start = 70 + 10 * k
        np.testing.assert_array_equal(test, np.arange(start - 5, start + 10))
        assert train[-1] == start - 5 - 2 - 1 and len(train) == 40
        assert not set(train) & set(test)
    default = list(SeriesSplit(4, lookback=10).split(np.zeros(110)))
    assert [len(test) for _, test in default] == [30] * 4
    with pytest.raises(ValueError, match="Cannot split 30 rows"):
        list(SeriesSplit(3, test_size=10, lookback=5).split(np.zeros(30)))
    # more folds than rows: said so, not "test blocks of 0 rows"
    with pytest.raises(ValueError, match=r"100 test blocks .* not one row per block"):
        list(SeriesSplit(100, lookback=5).split(np.zeros(30)))
    assert "lookback=5" in repr(SeriesSplit(lookback=5))


def test_series_split_rows_never_overlap_for_any_window():
    n, cv = 120, SeriesSplit(5, test_size=12, lookback=10, gap=1)
    for window in (1, 4, 10):
        for horizon in (1, 3):
            for train, test in cv.split(np.zeros(n)):
                # The time steps the windows of each part forecast.
                _, trained = make_windows(train.astype(float), window, horizon)
                _, scored = make_windows(test.astype(float), window, horizon)
                assert not set(trained.ravel()) & set(scored.ravel())
                assert set(scored.ravel()) >= set(test[10:])  # the whole block


def test_cross_val_score_on_a_series(frame):
    model = WindowedForecaster(make_pipeline(FlattenSequence(), Ridge()), window=7)
    scores = cross_val_score(
        model, frame[["rail", "weekend"]], cv=SeriesSplit(3, test_size=15, lookback=7)
    )
    assert scores.shape == (3,) and np.isfinite(scores).all()


def test_grid_search_over_window_horizon_and_units(frame):
    model = WindowedForecaster(
        SimpleRNNForecaster(2, epochs=1, batch_size=64, random_state=0),
        target="rail",
        future_covariates="weekend",
    )
    grid = {"window": [5, 10], "horizon": [1, 2], "estimator__units": [2, 3]}
    search = GridSearchCV(
        model, grid, cv=SeriesSplit(2, test_size=20, lookback=10), error_score="raise"
    )
    search.fit(frame)
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    assert best.window in (5, 10) and best.estimator_.units in (2, 3)
    future = frame[["weekend"]].iloc[: best.horizon]
    assert len(best.forecast(frame, future=future.to_numpy())) == best.horizon


def test_default_score_needs_two_forecasts_and_names_the_fix():
    series = pd.Series(np.arange(60.0))
    model = WindowedForecaster(linear(), window=5, horizon=3, difference=None)
    # SeriesSplit no longer refuses test_size <= horizon (only R^2 needs 2
    # forecasts; sklearn's scorers need 1): the default score names the fix.
    for size in (2, 3):
        with pytest.raises(ValueError, match="lookback >= 5 and test_size >= 4"):
            cross_val_score(
                model,
                series,
                cv=SeriesSplit(3, test_size=size, lookback=5, horizon=3),
                error_score="raise",
            )
    cv = SeriesSplit(3, test_size=4, lookback=5, horizon=3)
    assert np.isfinite(cross_val_score(model, series, cv=cv)).all()


# -- fitted state ----------------------------------------------------------------
@pytest.mark.parametrize(
    "params",
    [
        {"window": 30},
        {"horizon": 5},
        {"target": "bus", "past_covariates": None, "future_covariates": None},
        {"scale": False, "estimator__linearregression__fit_intercept": False},
    ],
)
def test_set_params_after_fit_changes_nothing_until_refit(frame, params):
    model = WindowedForecaster(
        linear(), window=7, horizon=2, target="rail", future_covariates="weekend"
    ).fit(frame.iloc[:120])
    future = frame[["weekend"]].iloc[:2].to_numpy()
    before = model.forecast(frame.iloc[:120], future=future)
    score = model.score(frame.iloc[100:])
    errors, forecasts = backtest(model, frame, start=125)
    model.set_params(**params)
    pd.testing.assert_series_equal(
        model.forecast(frame.iloc[:120], future=future), before
    )
    assert model.score(frame.iloc[100:]) == score
    after = backtest(model, frame, start=125)
    pd.testing.assert_frame_equal(after[0], errors)
    pd.testing.assert_frame_equal(after[1], forecasts)
    refit = clone(model).fit(frame.iloc[:120])  # the next fit uses the new params
    assert (refit.window_, refit.horizon_) == (
        params.get("window", 7),
        params.get("horizon", 2),
    )


class LastValue(LinearRegression):
    """Exact: forecasts the last input value of the first feature, as given."""

    def fit(self, X, y):
        self.dtype_ = np.asarray(X).dtype
        return self

    def predict(self, X):
        return np.asarray(X)[:, -1, 0]


def test_the_wrapper_keeps_float64():
    big = 222456789.0 + np.arange(20.0)
    model = WindowedForecaster(LastValue(), window=3, scale=False, difference=None)
    model.fit(big)
    assert model.estimator_.dtype_ == np.float64
    forecast = model.forecast(big)
    assert forecast.dtype == np.float64 and forecast[0] == big[-1]  # exact
    y_true, y_pred = model.window_forecasts(big)
    np.testing.assert_array_equal(y_pred[:, 0, 0], big[2:-1])


@pytest.mark.parametrize("wrap", [pd.Series, lambda v: pd.DataFrame({"a": v})])
def test_fitted_tail_does_not_follow_later_edits_of_the_users_data(wrap):
    # pandas hands out views of its data: the tail row mode forecasts from was
    # kept as one, so editing the series in place after fit changed the
    # predictions of the fitted forecaster.
    values = np.sin(np.arange(60) / 4.0)
    series = wrap(values)
    model = WindowedForecaster(make_pipeline(FlattenSequence(), Ridge()), window=6)
    model.fit(series, series)
    before = [part.copy() for part in model.last_rows_]
    series.iloc[-3:] = 1e6
    for part, kept in zip(model.last_rows_, before, strict=True):
        np.testing.assert_array_equal(part, kept)


@pytest.mark.parametrize("series_id", [None, "store"])
def test_a_wrapped_warm_start_is_warned_as_having_no_effect(series_id):
    # every fit trains a fresh clone: a second fit is not a continuation
    days = pd.date_range("2024-01-01", periods=30, freq="D", name="day")
    series = pd.Series(np.sin(np.arange(30) / 3), index=days, name="y")
    data = series if series_id is None else {"a": series, "b": series + 1}
    estimator = SimpleRNNForecaster(2, epochs=1, random_state=0, warm_start=True)
    model = WindowedForecaster(estimator, window=5, series_id=series_id)
    with pytest.warns(UserWarning, match=r"warm_start=True\) has no effect"):
        model.fit(data)
    first = model.forecast(data)
    with pytest.warns(UserWarning, match="fresh clone"):
        model.fit(data)
    pd.testing.assert_frame_equal(
        pd.DataFrame(model.forecast(data)), pd.DataFrame(first)
    )
