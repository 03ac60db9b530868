"""WindowedForecaster(series_id=...): one global model trained on a panel."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import make_pipeline

import skseq
from skseq import FlattenSequence, GRUForecaster, NaiveForecaster
from skseq.forecasting import PanelSplit, WindowedForecaster


def linear():
    return make_pipeline(FlattenSequence(), LinearRegression())


def monthly(n, start, level, seed, trend=0.0):
    """A positive monthly series with a yearly season, a trend and noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level * (
        10 + trend * t + np.sin(2 * np.pi * t / 12) + 0.1 * rng.normal(size=n)
    )
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="MS"))


@pytest.fixture(scope="module")
def series():
    """Three series of different lengths, starts and scales (1 to 10,000)."""
    return {
        "a": monthly(60, "2010-01-01", 1.0, 0, trend=0.05),
        "b": monthly(48, "2011-06-01", 1000.0, 1),
        "c": monthly(40, "2012-03-01", 10_000.0, 2, trend=-0.02),
    }


def long(series, id_name="store", value="sales"):
    """The long layout: an id column, the time as index, rows by date."""
    frames = [
        s.rename(value).to_frame().assign(**{id_name: k}) for k, s in series.items()
    ]
    return pd.concat(frames).sort_index(kind="stable")


def single_forecasts(estimator, series, **params):
    """Forecasts of each series by its own single-series model."""
    return {
        k: WindowedForecaster(estimator, **params).fit(s).forecast(s)
        for k, s in series.items()
    }


# -- one network, each series prepared as alone ------------------------------------
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"difference": (1, 12)},
        {"target_transform": "log", "difference": 1},
        {"target_transform": "box-cox", "scale": False},
    ],
)
def test_each_series_is_transformed_and_inverted_as_alone(series, params):
    # NaiveForecaster learns nothing across series, so the panel model's
    # forecast of each series must equal its single-series model's, exactly:
    # per-series transform, differences and scalers, fitted and inverted.
    params = {"window": 12, "horizon": 5, **params}
    panel = long(series)
    model = WindowedForecaster(NaiveForecaster(), series_id="store", **params)
    forecast = model.fit(panel).forecast(panel)
    expected = single_forecasts(NaiveForecaster(), series, **params)
    for key, alone in expected.items():
        got = forecast[forecast["store"] == key]["sales"]
        pd.testing.assert_series_equal(
            got, alone.rename("sales"), check_freq=False, rtol=1e-12
        )
        assert got.index[0] == series[key].index[-1] + pd.offsets.MonthBegin()


def test_forecast_comes_back_in_the_layout_it_came_in(series):
    model = WindowedForecaster(linear(), window=12, horizon=3, series_id="store")
    panel = long(series)
    by_column = model.fit(panel).forecast(panel)
    assert list(by_column.columns) == ["store", "sales"]
    assert isinstance(by_column.index, pd.DatetimeIndex)
    assert by_column["store"].tolist() == ["a"] * 3 + ["b"] * 3 + ["c"] * 3

    levels = panel.set_index("store", append=True).swaplevel()
    by_level = clone(model).fit(levels).forecast(levels)
    assert by_level.index.names == ["store", None]
    np.testing.assert_allclose(by_level["sales"], by_column["sales"])

    by_dict = clone(model).set_params(series_id="shop").fit(series).forecast(series)
    assert by_dict.index.names == ["shop", None]
    np.testing.assert_allclose(by_dict[0], by_column["sales"])


def test_one_network_learns_from_every_series(series):
    model = WindowedForecaster(
        linear(), window=12, horizon=3, series_id="store", difference=None
    )
    model.fit(long(series))
    assert model.n_windows_ == sum(len(s) - 12 - 3 + 1 for s in series.values())
    assert list(model.series_ids_) == ["a", "b", "c"]
    assert set(model.train_targets_) == {"a", "b", "c"}
    np.testing.assert_array_equal(model.train_targets_["b"][:, 0], series["b"])
    # a level of 10,000 is forecast at its level: scaling is per series
    forecast = model.forecast(long(series))
    last = forecast[forecast["store"] == "c"]["sales"]
    assert np.all(np.abs(last / series["c"].iloc[-12:].mean() - 1) < 0.2)


@pytest.mark.parametrize(
    "ids",
    [["x", "y", "z"], [3, 1, 2], pd.Categorical(["x", "y", "z"])],
    ids=["str", "int", "categorical"],
)
def test_ids_of_any_type(series, ids):
    renamed = dict(zip(list(ids), series.values(), strict=True))
    panel = long(renamed)
    if isinstance(ids, pd.Categorical):
        panel["store"] = pd.Categorical(panel["store"])
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    forecast = model.fit(panel).forecast(panel)
    assert list(pd.unique(forecast["store"])) == list(model.series_ids_)
    assert sorted(map(str, model.series_ids_)) == sorted(map(str, ids))


def test_interleaved_rows_are_grouped_by_id_not_position(series):
    panel = long(series)  # sorted by date: the series interleave
    by_series = pd.concat([panel[panel.store == k] for k in "abc"])
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    a = model.fit(panel).forecast(panel)
    b = clone(model).fit(by_series).forecast(by_series)
    pd.testing.assert_frame_equal(a, b)


# -- refusals that name the series ---------------------------------------------------
def test_rows_out_of_time_order_within_a_series_are_refused(series):
    panel = long(series).sample(frac=1.0, random_state=0)
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    with pytest.raises(ValueError, match="series '[abc]'.*(order|increasing|sort)"):
        model.fit(panel)


def test_duplicate_date_and_gap_name_the_series(series):
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    duplicated = dict(series, b=pd.concat([series["b"], series["b"].iloc[-1:]]))
    with pytest.raises(ValueError, match="series 'b'.*duplicate"):
        model.fit(long(duplicated))
    gap = dict(series, c=series["c"].drop(series["c"].index[10]))
    with pytest.raises(ValueError, match="series 'c'") as gap_error:
        model.fit(long(gap))
    # the fixes shown apply to the series' rows: the whole panel's dates repeat
    note = "fix each series on its own rows.*PanelSplit"
    with pytest.raises(ValueError, match=note) as duplicate_error:
        model.fit(long(duplicated))
    assert "SeriesSplit" not in str(gap_error.value)
    assert "never the whole panel" in str(duplicate_error.value)


def test_a_series_off_the_grid_is_named_in_fit_and_forecast(series):
    # the panel's dates are checked at once; a series whose dates step by the
    # panel's frequency but do not lie on it must still be found and named
    off = series["b"].set_axis(series["b"].index + pd.Timedelta(days=14))
    panel = long(dict(series, b=off))
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    with pytest.raises(ValueError, match="series 'b'"):
        clone(model).fit(panel)
    fitted = model.fit(long(series))
    with pytest.raises(ValueError, match="series 'b'"):
        fitted.forecast(panel)
    gap = dict(series, c=series["c"].drop(series["c"].index[30]))
    with pytest.raises(ValueError, match="series 'c'"):
        fitted.forecast(long(gap))


def test_one_frequency_for_the_panel(series):
    quarterly = series["c"].iloc[::3]
    quarterly.index = pd.date_range("2012-03-01", periods=len(quarterly), freq="QS")
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    with pytest.raises(ValueError, match="series 'c'"):
        model.fit(long(dict(series, c=quarterly)))


def test_missing_ids_and_wrong_layouts_are_refused(series):
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    panel = long(series)
    with pytest.raises(ValueError, match="not a column"):
        clone(model).set_params(series_id="shop").fit(panel)
    holes = panel.copy()
    holes.iloc[3, holes.columns.get_loc("store")] = None
    with pytest.raises(ValueError, match="missing in 1 row"):
        model.fit(holes)
    with pytest.raises(TypeError, match="must be a panel"):
        model.fit(series["a"])


def test_short_series_are_left_out_of_training_with_one_warning(series):
    short = dict(
        series, d=monthly(14, "2014-01-01", 5.0, 3), e=monthly(5, "2014-01-01", 5.0, 4)
    )
    model = WindowedForecaster(linear(), window=12, horizon=3, series_id="store")
    with pytest.warns(UserWarning, match=r"2 of 5 series are too short.*'d', 'e'"):
        model.fit(long(short))
    assert model.series_state_[3].n_windows == 0
    # d (14 rows >= window) is still forecast; e (5 rows) is refused by name
    forecast = model.forecast(long({k: short[k] for k in "abcd"}))
    assert (forecast["store"] == "d").sum() == 3
    with pytest.raises(
        ValueError, match="series 'e'.*5 time steps, fewer than window=12"
    ):
        model.forecast(long(short))


def test_season_is_the_panels_even_when_its_first_series_has_two_dates(series):
    """The season comes from the panel's frequency, not from the first series'
    dates alone: one of two dates (first by id) made it 1, and
    ``difference="auto"`` then dropped every series' yearly difference."""
    model = WindowedForecaster(linear(), window=12, horizon=3, series_id="store")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "0" is too short to train
        model.fit(long({"0": monthly(2, "2014-01-01", 5.0, 3), **series}))
    alone = clone(model).fit(long(series))
    assert model.season_ == alone.season_ == 12
    assert {k: model.difference_[k] for k in "abc"} == alone.difference_


@pytest.mark.parametrize("difference", [(12,), "auto"])
def test_auto_window_leaves_room_for_the_differences(difference):
    """``window="auto"`` is capped for the median series less its differences,
    as for one series: it was capped for the length alone, so that seasonal
    differences left every series without a training window."""
    short = {k: monthly(28, "2014-01-01", 10.0**i, i) for i, k in enumerate("abc")}
    params = {"horizon": 6, "difference": difference}
    alone = WindowedForecaster(linear(), **params).fit(short["a"])
    assert alone.difference_ == (12,)
    model = WindowedForecaster(linear(), series_id="store", **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no series left out
        model.fit(long(short))
    assert model.window_ == alone.window_
    assert model.n_windows_ == sum(
        28 - sum(model.series_state_[k].lags) - model.window_ - 6 + 1 for k in range(3)
    )


def test_auto_window_counts_the_covariates():
    # as for one series: the cap counted one input per step, so that with two
    # past covariates the median series had fewer windows than the linear
    # model of a window has weights (window * 3 + 1)
    frames = {}
    for i, key in enumerate("abc"):
        rng = np.random.default_rng(i)
        frames[key] = pd.DataFrame(
            rng.normal(size=(36, 3)),
            columns=["sales", "price", "promo"],
            index=pd.date_range("2014-01-01", periods=36, freq="MS"),
        ).assign(store=key)
    panel = pd.concat(frames.values()).sort_index(kind="stable")
    params = {"horizon": 3, "difference": None, "past_covariates": ["price", "promo"]}
    alone = WindowedForecaster(linear(), **params).fit(
        frames["a"].drop(columns="store")
    )
    model = WindowedForecaster(linear(), series_id="store", **params).fit(panel)
    assert model.window_ == alone.window_ == (36 - 3 - 1) // 4
    assert model.n_windows_ // 3 > model.window_ * 3 + 1


def test_static_covariate_must_be_constant_per_series(series):
    panel = long(series).assign(size=1.0)
    panel.loc[panel.store == "b", "size"] = np.arange((panel.store == "b").sum())
    model = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", static_covariates="size"
    )
    with pytest.raises(ValueError, match="'size' varies within series 'b'"):
        model.fit(panel)


@pytest.mark.parametrize("role", ["past_covariates", "future_covariates", "target"])
def test_a_column_static_and_in_time_is_refused_by_name(series, role):
    panel = long(series).assign(size=1.0)
    model = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", static_covariates="size"
    ).set_params(**{role: ["size"]})
    with pytest.raises(ValueError, match=rf"\['size'\] are given both .* {role}"):
        model.fit(panel)


# -- series identity -------------------------------------------------------------------
def test_static_covariates_and_one_hot_id_are_inputs(series):
    panel = long(series)
    panel["region"] = panel["store"].map({"a": "north", "b": "south", "c": "north"})
    panel["size"] = panel["store"].map({"a": 1.0, "b": 3.0, "c": 2.0})
    plain = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    model = clone(plain).set_params(
        static_covariates=["size", "region"], series_encoding="onehot"
    )
    model.fit(panel)
    without = panel.drop(columns=["region", "size"])
    n_plain = clone(plain).fit(without).estimator_[-1].n_features_in_
    # per step: 1 size + 2 regions + 3 ids more, over the 6 steps of a window
    assert model.estimator_[-1].n_features_in_ == n_plain + 6 * 6
    np.testing.assert_array_equal(model.series_state_[1].static[1:], [0, 1, 0, 1, 0])


def test_unseen_category_of_a_new_series_is_warned(series):
    panel = long({k: series[k] for k in "ab"})
    panel["region"] = panel["store"].map({"a": "north", "b": "south"})
    model = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", static_covariates="region"
    ).fit(panel)
    new = long({"c": series["c"]})
    # a category fit never saw is encoded as none of them: no region at all
    with pytest.warns(UserWarning, match="'region' of series 'c' is 'west'"):
        model.forecast(new.assign(region="west"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.forecast(new.assign(region="south"))


def test_ids_of_another_type_than_in_fit_are_warned(series):
    # ids read back as text ("1") are new series to a model fitted on 1: their
    # scalers would be refitted on the rows given, silently
    panel = long(series).replace({"store": {"a": 1, "b": 2, "c": 3}})
    model = WindowedForecaster(
        NaiveForecaster(), window=6, horizon=2, series_id="store"
    )
    model.fit(panel)
    with pytest.warns(UserWarning, match="type"):
        model.forecast(panel.astype({"store": str}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.forecast(panel)


def test_unseen_series_forecast_from_its_own_history(series):
    panel = long({k: series[k] for k in "ab"})
    model = WindowedForecaster(
        NaiveForecaster(), window=12, horizon=3, series_id="store", difference=1
    ).fit(panel)
    new = long({"c": series["c"]})
    forecast = model.forecast(new)["sales"]
    alone = single_forecasts(
        NaiveForecaster(), {"c": series["c"]}, window=12, horizon=3, difference=1
    )["c"]
    np.testing.assert_allclose(forecast, alone, rtol=1e-12)
    onehot = clone(model).set_params(estimator=linear(), series_encoding="onehot")
    onehot.fit(panel)
    with pytest.warns(UserWarning, match="1 series were not seen in fit"):
        onehot.forecast(new)


# -- training -----------------------------------------------------------------
def test_sampling_by_series_weighs_each_series_the_same(series):
    seen = {}

    class Recorder(Ridge):
        def fit(self, X, y, sample_weight=None):
            seen["weights"] = sample_weight
            return super().fit(X.reshape(len(X), -1), y, sample_weight)

        def predict(self, X):
            return super().predict(X.reshape(len(X), -1))

    model = WindowedForecaster(
        Recorder(),
        window=12,
        horizon=1,
        series_id="store",
        sampling="series",
        difference=None,
    ).fit(long(series))
    weights = seen["weights"]
    counts = [len(s) - 12 for s in series.values()]
    assert weights.mean() == pytest.approx(1.0)
    # every series' windows share one weight, and their total is the same
    values, n_windows = np.unique(np.round(weights, 12), return_counts=True)
    assert sorted(n_windows) == sorted(counts)
    np.testing.assert_allclose(values * n_windows, sum(counts) / 3)
    assert model.sampling == "series"


@pytest.mark.parametrize("solver", ["gradient", "lstsq"])
def test_sampling_by_series_weighs_the_training_windows_of_early_stopping(
    series, solver, monkeypatch
):
    # the weights were 1 / a series' windows, the held-out ones included, so
    # the series' training windows summed unequally (30.6, 22.9, 10.5)
    import skseq.estimators._base as base
    import skseq.estimators._least_squares as least_squares

    seen = {}

    def recording(module):
        parts = module.training_parts

        def record(*args):
            (X, y, weights), held = parts(*args)
            seen.update(X=X, weights=weights)
            return (X, y, weights), held

        monkeypatch.setattr(module, "training_parts", record)

    recording(base), recording(least_squares)
    short = dict(series, c=series["c"].iloc[-20:])
    estimator = skseq.DenseForecaster(
        solver=solver, early_stopping=True, validation_fraction=0.3, epochs=1
    )
    WindowedForecaster(
        estimator,
        window=6,
        series_id="store",
        sampling="series",
        series_encoding="onehot",
        difference=None,
    ).fit(long(short))
    X, weights = seen["X"], np.asarray(seen["weights"]).reshape(len(seen["X"]), -1)
    ids = X[:, -1, -3:].argmax(axis=1)  # the one-hot series id
    n_windows = sum(len(s) - 6 for s in short.values())
    # least squares ignores early stopping: it trains on every window
    held_out = 0 if solver == "lstsq" else int(np.ceil(n_windows * 0.3))
    assert len(X) == n_windows - held_out
    sums = np.bincount(ids, weights[:, 0])
    np.testing.assert_allclose(sums, len(X) / 3, rtol=1e-5)


def test_windows_latest_last_so_early_stopping_validates_every_series(series):
    seen = {}

    class Recorder(Ridge):
        def fit(self, X, y):
            seen["last"] = X[-3:, -1, 0]
            return super().fit(X.reshape(len(X), -1), y.reshape(len(y), -1))

        def predict(self, X):
            return super().predict(X.reshape(len(X), -1))

    model = WindowedForecaster(
        Recorder(), window=4, horizon=1, series_id="store", scale=False, difference=None
    ).fit(long(series))
    # the last three windows are the latest of each series: they end one step
    # before the series' last value
    assert sorted(seen["last"]) == sorted(s.iloc[-2] for s in series.values())
    assert model.n_windows_ == sum(len(s) - 4 for s in series.values())


def test_keras_panel_fit_by_batches_and_persistence(series, tmp_path):
    gru = GRUForecaster(2, **GRUForecaster._fast_test_params())
    model = WindowedForecaster(
        gru, window=6, horizon=2, series_id="store", feed="batches"
    )
    panel = long(series)
    forecast = model.fit(panel).forecast(panel)
    assert forecast.shape == (6, 2) and np.isfinite(forecast["sales"]).all()
    again = pickle.loads(pickle.dumps(model)).forecast(panel)
    pd.testing.assert_frame_equal(again, forecast)
    # skseq.save keeps plain-valued estimators only, a wrapper of any kind
    # (panel or not) is refused with the reason
    with pytest.raises(TypeError, match="got WindowedForecaster.*Pickle it"):
        skseq.save(model, tmp_path / "panel.skseq")


def test_row_mode_forecasts_each_row_from_its_series(series):
    panel = long(series)
    from_end = panel.groupby("store").cumcount(ascending=False)
    train, test = panel[from_end >= 4], panel[from_end < 4]
    model = WindowedForecaster(
        NaiveForecaster(), window=6, horizon=2, series_id="store", difference=1
    ).fit(train, train["sales"])
    y_pred = model.predict(test)
    assert y_pred.index.equals(test.index)
    for key in "abc":
        alone = WindowedForecaster(
            NaiveForecaster(), window=6, horizon=2, difference=1
        ).fit(
            series[key].iloc[:-4].rename("sales"), series[key].iloc[:-4].rename("sales")
        )
        expected = alone.predict(series[key].iloc[-4:].rename("sales"))
        np.testing.assert_allclose(y_pred[test.store == key], expected, rtol=1e-12)
    # sklearn's score compares predict(X) with y
    assert model.score(test, test["sales"]) < 1
    with pytest.raises(ValueError, match="y must equal the target"):
        clone(model).fit(train, train["sales"] * 2)


def test_the_whole_panel_as_y_is_refused_with_the_fix(series):
    # score(panel, panel), as search.fit(series, series) on one series: the id
    # column got pandas' "could not convert string to float: 'a'"
    panel = long(series)
    from_end = panel.groupby("store").cumcount(ascending=False)
    train, test = panel[from_end >= 4], panel[from_end < 4]
    model = WindowedForecaster(
        NaiveForecaster(), window=6, horizon=2, series_id="store"
    ).fit(train, train["sales"])
    with pytest.raises(ValueError, match=r"y must equal the target.*not numbers"):
        model.score(test, test)


def test_single_series_path_is_unchanged_by_a_panel_refit(series):
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    model.fit(long(series))
    model.set_params(series_id=None).fit(series["a"])
    assert not hasattr(model, "series_ids_")
    expected = WindowedForecaster(linear(), window=6, horizon=2).fit(series["a"])
    np.testing.assert_array_equal(
        model.forecast(series["a"]), expected.forecast(series["a"])
    )


def test_panel_score_and_window_forecasts(series):
    panel = long(series)
    model = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", difference=None
    )
    model.fit(panel)
    y_true, y_pred = model.window_forecasts(panel)
    assert (
        y_true.shape == y_pred.shape == (sum(len(s) - 7 for s in series.values()), 2, 1)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert -1 < model.score(panel) <= 1


# -- model selection with stock sklearn ----------------------------------------
def test_panel_split_search_scores_per_series_as_by_hand(series):
    from sklearn.model_selection import GridSearchCV, cross_validate

    from skseq.forecasting import PanelSplit
    from skseq.metrics import get_scorer, mean_absolute_scaled_error, panel_error

    panel = long(series)
    model = WindowedForecaster(linear(), window=12, horizon=4, series_id="store")
    cv = PanelSplit("store", n_splits=2, horizon=4, lookback=16)
    scoring = {"mase": get_scorer("neg_mase_12"), "mae": "neg_mean_absolute_error"}
    result = cross_validate(model, panel, panel["sales"], cv=cv, scoring=scoring)
    train, test = list(cv.split(panel))[1]
    fitted = clone(model).fit(panel.iloc[train], panel["sales"].iloc[train])
    y_pred = fitted.predict(panel.iloc[test])
    by_hand = panel_error(
        mean_absolute_scaled_error,
        panel["sales"].iloc[test],
        y_pred,
        panel["store"].iloc[test],
        y_train=fitted.train_targets_,
        season=12,
    )
    assert result["test_mase"][1] == pytest.approx(-by_hand, rel=1e-12)
    pooled = np.abs(panel["sales"].iloc[test] - y_pred).mean()
    assert result["test_mae"][1] == pytest.approx(-pooled, rel=1e-12)
    search = GridSearchCV(
        model, {"window": [6, 12]}, cv=cv, scoring=get_scorer("neg_mase_12")
    ).fit(panel, panel["sales"])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.forecast(panel).shape == (12, 2)


def test_panel_scorer_weighs_each_series_rows_by_their_sample_weight(series):
    # the whole panel's weights went to every series' scorer, which refused
    # them for their length
    from skseq.metrics import get_scorer

    panel = long(series)
    model = WindowedForecaster(linear(), window=12, horizon=4, series_id="store")
    train, test = next(PanelSplit("store", n_splits=1, horizon=4).split(panel))
    model.fit(panel.iloc[train], panel["sales"].iloc[train])
    X, y = panel.iloc[test], panel["sales"].iloc[test]
    weights = np.tile([1.0, 0.0], len(y) // 2)
    errors = np.abs(y - model.predict(X)).to_numpy()
    stores = X["store"].to_numpy()
    expected = -np.mean(
        [np.average(errors[stores == k], weights=weights[stores == k]) for k in "abc"]
    )
    scorer = get_scorer("neg_mean_absolute_error")
    assert scorer(model, X, y, sample_weight=weights) == pytest.approx(expected)


def test_scorers_without_y_score_every_window_of_each_series(series):
    from skseq.metrics import get_scorer, mean_absolute_scaled_error

    panel = long(series)
    model = WindowedForecaster(linear(), window=12, horizon=4, series_id="store")
    model.fit(panel)
    per_series = []
    for key in "abc":
        y_true, y_pred = model.window_forecasts(panel[panel.store == key])
        per_series.append(
            mean_absolute_scaled_error(
                y_true.reshape(len(y_true), -1),
                y_pred.reshape(len(y_pred), -1),
                y_train=np.tile(model.train_targets_[key], (1, 4)),
                season=12,
            )
        )
    score = get_scorer("neg_mase_12")(model, panel)
    assert score == pytest.approx(-np.mean(per_series), rel=1e-12)


def test_per_horizon_scorer_averages_each_series_per_step(series):
    """``neg_mae_per_horizon`` on a panel: each series' MAE per step ahead,
    averaged over the series (it failed on the second series)."""
    from skseq.metrics import get_scorer, mean_absolute_error_per_horizon

    panel = long(series)
    model = WindowedForecaster(linear(), window=12, horizon=3, series_id="store")
    model.fit(panel)
    windows = [model.window_forecasts(panel[panel.store == k]) for k in "abc"]
    per_series = [mean_absolute_error_per_horizon(*pair) for pair in windows]
    scores = get_scorer("neg_mae_per_horizon")(model, panel)
    expected = -np.mean(per_series, axis=0)
    got = [scores[f"neg_mae_h{k + 1}"] for k in range(3)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert scores["neg_mae"] == pytest.approx(expected.mean(), rel=1e-12)
    # row mode: each series' test rows are its steps 1, 2, 3 ahead
    train, test = next(PanelSplit("store", n_splits=1, horizon=3).split(panel))
    model.fit(panel.iloc[train], panel["sales"].iloc[train])
    y_test = panel["sales"].iloc[test]
    errors = (y_test - model.predict(panel.iloc[test])).abs()
    by_step = errors.groupby(panel["store"].iloc[test]).agg(list).tolist()
    scores = get_scorer("neg_mae_per_horizon")(model, panel.iloc[test], y_test)
    got = [scores[f"neg_mae_h{k + 1}"] for k in range(3)]
    np.testing.assert_allclose(got, -np.mean(by_step, axis=0), rtol=1e-12)


def test_window_scaling_divides_each_window_and_multiplies_back(series):
    seen = {}

    class Recorder(Ridge):
        def fit(self, X, y):
            seen["X"], seen["y"] = X, y
            return super().fit(X.reshape(len(X), -1), y.reshape(len(y), -1))

        def predict(self, X):
            seen["predict"] = X
            return super().predict(X.reshape(len(X), -1))

    panel = long(series)
    model = WindowedForecaster(
        Recorder(alpha=1e-6),
        window=12,
        horizon=3,
        series_id="store",
        scale="window",
        difference=None,
    ).fit(panel)
    # every training window has mean absolute target 1, whatever its series' level
    np.testing.assert_allclose(np.abs(seen["X"][:, :, 0]).mean(axis=1), 1.0)
    forecast = model.forecast(panel)
    last_windows = seen["predict"]
    np.testing.assert_allclose(np.abs(last_windows[:, :, 0]).mean(axis=1), 1.0)
    for key in "abc":
        got = forecast[forecast.store == key]["sales"].to_numpy()
        scale = series[key].iloc[-12:].abs().mean()
        windows = last_windows[list("abc").index(key)]
        expected = model.estimator_.predict(windows[None])[0] * scale
        np.testing.assert_allclose(got, expected, rtol=1e-10)
    with pytest.raises(ValueError, match="scale='window'.*panels"):
        WindowedForecaster(linear(), window=12, scale="window").fit(series["a"])


def test_window_scaling_by_batches_matches_arrays(series):
    from skseq.windowing._feeder import WindowBatches
    from skseq.windowing._panel import WindowNorm, scale_windows

    values = np.column_stack([series["a"].to_numpy(), np.arange(60.0)])
    plain = WindowBatches(values, values[:, :1], 6, 2, batch_size=100)
    scaled = plain.replace(window_scaling=WindowNorm("mean", 1))
    X, y = plain[0]
    X_expected, y_expected, _ = scale_windows(X, y, 1)
    X_scaled, y_scaled = scaled[0]
    np.testing.assert_allclose(X_scaled, X_expected, rtol=1e-6)
    np.testing.assert_allclose(y_scaled, y_expected, rtol=1e-6)
    np.testing.assert_array_equal(X_scaled[:, :, 1], X[:, :, 1])  # covariates untouched


def test_summary_names_the_panel(series):
    short = dict(series, d=monthly(14, "2014-01-01", 5.0, 3))
    model = WindowedForecaster(
        linear(), window=12, horizon=3, series_id="store", difference="auto"
    )
    with pytest.warns(UserWarning, match="too short"):
        model.fit(long(short))
    text = repr(model.summary())
    assert "Panel: 4 series (series_id='store')" in text
    assert f"{model.n_windows_} training windows, 1 series too short" in text
    assert "difference='auto' -> per series: " in text


def test_known_future_covariates_per_series():
    # sales = level * (10 + 5 * promo of the same month): only the known future
    # explains it. The histories share their promos (so that one linear model
    # fits both standardized series exactly); their futures differ.
    rng = np.random.default_rng(3)
    history = rng.integers(0, 2, size=50).astype(float)
    frames, futures = [], []
    for key, level, ahead in (("a", 1.0, [1, 0, 1]), ("b", 100.0, [0, 1, 1])):
        dates = pd.date_range("2015-01-01", periods=50, freq="MS")
        promo = np.r_[history, ahead]
        sales = level * (10 + 5 * promo)
        frames.append(
            pd.DataFrame(
                {"sales": sales[:50], "promo": promo[:50], "store": key}, dates
            )
        )
        ahead = pd.date_range("2019-03-01", periods=3, freq="MS")
        futures.append(
            pd.DataFrame(
                {"promo": promo[50:], "store": key, "truth": sales[50:]}, ahead
            )
        )
    panel, future = pd.concat(frames), pd.concat(futures)
    model = WindowedForecaster(
        linear(), window=4, horizon=3, series_id="store", future_covariates="promo"
    ).fit(panel)
    forecast = model.forecast(panel, future=future.drop(columns="truth"))
    np.testing.assert_allclose(forecast["sales"], future["truth"], rtol=1e-6)
    with pytest.raises(ValueError, match="future has no rows for 1 series"):
        model.forecast(panel, future=future[future.store == "a"].drop(columns="truth"))
    # a future that is not a panel: the error is about future, not X
    with pytest.raises(ValueError, match="not a column of future"):
        model.forecast(panel, future=future[["promo"]])
    with pytest.raises(TypeError, match="future must be a panel"):
        model.forecast(panel, future=future["promo"].to_numpy())


# -- found by review: no silent wrong answers -----------------------------------------
def test_a_new_series_is_prepared_as_fit_did_whatever_set_params_says(series):
    # a series not seen in fit gets its transform, differences and scalers from
    # what fit used; set_params(scale=False) after fit turned its forecast from
    # 505 into 220 (the network expected standardized inputs)
    from sklearn.preprocessing import MinMaxScaler

    new = long({"new": monthly(36, "2013-01-01", 50.0, 3, trend=0.1)})
    for fitted in ({}, {"scale": MinMaxScaler()}, {"difference": "auto"}):
        model = WindowedForecaster(
            linear(), window=12, horizon=3, series_id="store", **fitted
        ).fit(long(series))
        expected = model.forecast(new)
        for params in (
            {"scale": False},
            {"scale": "window"},
            {"difference": 1},
            {"target_transform": "log"},
        ):
            model.set_params(**params)
            pd.testing.assert_frame_equal(model.forecast(new), expected)
            model.set_params(**{"scale": True, "difference": None, **fitted})
            model.set_params(target_transform=None)


def test_static_covariates_are_read_as_fit_saw_them_whatever_set_params_says(series):
    panel = long(series)
    panel["region"] = panel["store"].map({"a": "north", "b": "south", "c": "north"})
    model = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", static_covariates="region"
    ).fit(panel)
    expected = model.forecast(panel)
    new = long({"d": series["c"]}).assign(region="south")
    expected_new = model.forecast(new)
    for static in (None, ["size"]):
        model.set_params(static_covariates=static)
        pd.testing.assert_frame_equal(model.forecast(panel), expected)
        pd.testing.assert_frame_equal(model.forecast(new), expected_new)
    model.set_params(static_covariates="region")


def test_row_mode_refuses_a_series_shorter_than_a_forecasts_history(series):
    # 10 training rows < window=12: its first "forecast" would read test rows
    short = dict(series, d=monthly(14, "2014-01-01", 5.0, 3))
    panel = long(short)
    from_end = panel.groupby("store").cumcount(ascending=False)
    train, test = panel[from_end >= 4], panel[from_end < 4]
    model = WindowedForecaster(
        NaiveForecaster(), window=12, horizon=2, series_id="store"
    )
    with pytest.warns(UserWarning, match="too short"):
        model.fit(train, train["sales"])
    with pytest.raises(ValueError, match="series 'd' had 10 training row.*lookback"):
        model.predict(test)


def test_score_of_a_panel_averages_each_series_r2(series):
    from sklearn.metrics import r2_score

    panel = long(series)
    from_end = panel.groupby("store").cumcount(ascending=False)
    train, test = panel[from_end >= 6], panel[from_end < 6]
    model = WindowedForecaster(linear(), window=12, horizon=3, series_id="store")
    model.fit(train, train["sales"])
    y_pred = model.predict(test)
    per_series = [
        r2_score(test["sales"][test.store == k], y_pred[test.store == k]) for k in "abc"
    ]
    pooled = r2_score(test["sales"], y_pred)
    assert model.score(test, test["sales"]) == pytest.approx(np.mean(per_series))
    assert pooled > np.mean(per_series) + 0.1  # what the pooled R^2 would hide


def test_missing_values_are_to_be_filled_within_each_series(series):
    """The hint names no fill of the whole frame, which would interpolate
    from one series into the next (regularize(X), X.interpolate())."""
    panel = long(series)
    panel.loc[(panel.store == "b") & (panel.index == "2013-01-01"), "sales"] = np.nan
    model = WindowedForecaster(linear(), window=12, horizon=3, series_id="store")
    hint = r"series '{}'.*within each series.*groupby"
    with pytest.raises(ValueError, match=hint.format("b")) as fit_error:
        model.fit(panel)
    # forecast: a new series, and the last window of a series seen in fit
    model.fit(long(series))
    late = long(series)
    late.loc[late.index[-1], "sales"] = np.nan
    errors = [fit_error]
    for bad, name in [(panel[panel.store == "b"].assign(store="n"), "n"), (late, "c")]:
        with pytest.raises(ValueError, match=hint.format(name)) as error:
            model.forecast(bad)
        errors.append(error)
    for error in errors:
        assert "X.interpolate()" not in str(error.value)


def test_dates_as_text_and_mixed_indexes_are_refused(series):
    panel = long(series)
    text = panel.set_axis(panel.index.strftime("%Y-%m-%d"), axis=0)
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    with pytest.raises(ValueError, match="dates as text.*pd.to_datetime"):
        model.fit(text)
    with pytest.raises(ValueError, match="dates as text"):
        WindowedForecaster(linear(), window=6).fit(text[text.store == "a"]["sales"])
    years = {
        "a": pd.Series(np.arange(30.0), index=np.arange(1990, 2020)),
        "b": pd.Series(np.arange(30.0), index=np.arange(1960, 2020, 2)),
    }
    with pytest.raises(ValueError, match="series 'b' of the panel steps by 2"):
        model.fit(years)
    with pytest.raises(ValueError, match=r"row number \(a default RangeIndex\)"):
        model.fit(panel.reset_index(drop=True))


def test_panel_options_need_series_id_and_clear_errors(series):
    for option in (
        {"static_covariates": "size"},
        {"series_encoding": "onehot"},
        {"sampling": "series"},
    ):
        with pytest.raises(ValueError, match="set series_id"):
            WindowedForecaster(linear(), window=6, **option).fit(series["a"])
    with pytest.raises(TypeError, match="dict of series, a panel: set series_id"):
        WindowedForecaster(linear(), window=6).fit(series)
    panel = long(series).assign(size=1.0)
    panel.loc[panel.store == "c", "size"] = np.nan
    static = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", static_covariates="size"
    )
    with pytest.raises(ValueError, match="'size' is missing in series 'c'"):
        static.fit(panel)
    static.fit(panel.fillna({"size": 2.0}))
    with pytest.raises(ValueError, match=r"lacks the static covariate column\(s\)"):
        static.forecast(long(series))
    zero = dict(series, b=series["b"].where(series["b"].index != "2013-01-01", 0.0))
    logged = WindowedForecaster(
        linear(), window=6, series_id="store", target_transform="log"
    )
    with pytest.raises(ValueError, match="series 'b' of the panel: .*2013-01-01"):
        logged.fit(long(zero))


def test_sampling_by_series_reaches_a_pipelines_last_step(series):
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()),
        window=12,
        horizon=2,
        series_id="store",
        sampling="series",
    )
    weighted = model.fit(long(series)).forecast(long(series))
    plain = clone(model).set_params(sampling="window").fit(long(series))
    assert not np.allclose(weighted["sales"], plain.forecast(long(series))["sales"])


def test_sampling_series_with_conformal_names_sampling(series):
    # the user gave no sample_weight: the refusal must say where it came from
    model = WindowedForecaster(
        skseq.ConformalForecaster(NaiveForecaster()),
        window=6,
        series_id="store",
        sampling="series",
    )
    with pytest.raises(TypeError, match="sampling='window'"):
        model.fit(long(series))


def test_dict_of_series_named_by_their_ids(series):
    named = {key: s.rename(key) for key, s in series.items()}
    model = WindowedForecaster(NaiveForecaster(), window=6, horizon=2, series_id="id")
    forecast = model.fit(named).forecast(named)
    assert model.target_names_ == [0] and list(forecast.columns) == [0]
    expected = model.forecast({k: s.rename(None) for k, s in series.items()})
    pd.testing.assert_frame_equal(forecast, expected)
    # one series named by its id, as dict(wide.items()) gives: column 0 too
    one = model.forecast({"b": named["b"]}).reset_index()
    pd.testing.assert_frame_equal(one, forecast.loc[["b"]].reset_index())


def test_refit_after_set_params_uses_the_fitted_id(series):
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    panel = long(series)
    expected = model.fit(panel).forecast(panel)
    model.set_params(series_id="shop")  # takes effect at the next fit
    pd.testing.assert_frame_equal(model.forecast(panel), expected)


def test_level_scaling_subtracts_the_last_seasons_mean(series):
    seen = {}

    class Recorder(Ridge):
        def fit(self, X, y):
            seen["X"], seen["y"] = X, y
            return super().fit(X.reshape(len(X), -1), y.reshape(len(y), -1))

        def predict(self, X):
            seen["predict"] = X
            return super().predict(X.reshape(len(X), -1))

    panel = long(series)
    model = WindowedForecaster(
        Recorder(alpha=1e-6),
        window=24,
        horizon=3,
        series_id="store",
        scale="level",
        target_transform="log",
        difference=None,
    ).fit(panel)
    # each window's last 12 (season) log values average 0
    np.testing.assert_allclose(seen["X"][:, -12:, 0].mean(axis=1), 0.0, atol=1e-5)
    forecast = model.forecast(panel)
    last_windows = seen["predict"]
    for j, key in enumerate("abc"):
        level = np.log(series[key].iloc[-12:]).mean()
        raw = model.estimator_.predict(last_windows[j : j + 1])[0]
        expected = np.exp(raw + level)
        got = forecast[forecast.store == key]["sales"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-10)
    with pytest.raises(ValueError, match="scale='level'.*panels"):
        WindowedForecaster(linear(), window=12, scale="level").fit(series["a"])


def test_one_row_per_series_continues_at_the_integer_step_of_fit():
    # the last row of each series cannot tell its step: the panel's, from fit
    years = pd.Index(np.arange(2000, 2100, 5), name="year")
    frames = [
        pd.DataFrame({"store": key, "sales": np.arange(20.0) + 10 * i}, index=years)
        for i, key in enumerate("ab")
    ]
    panel = pd.concat(frames).sort_index(kind="stable")
    model = WindowedForecaster(
        NaiveForecaster(), window=1, horizon=2, series_id="store"
    ).fit(panel)
    forecast = model.forecast(panel.groupby("store").tail(1))
    assert model.index_step_ == 5
    assert forecast.index.tolist() == [2100, 2105, 2100, 2105]
