"""A panel model is the same whatever the order of the panel's rows, its
window scaling is free of the series' units, and whole-model errors name no
series."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import DenseForecaster, FlattenSequence, GRUForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster
from skseq.windowing._panel import panel_rows, sorted_ids


def linear():
    return make_pipeline(FlattenSequence(), Ridge(alpha=1e-3))


def store(name, n, level, region, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level * (10 + np.sin(2 * np.pi * t / 12) + 0.1 * rng.normal(size=n))
    dates = pd.date_range("2010-01-01", periods=n, freq="MS", name="date")
    return pd.DataFrame({"sales": values, "store": name, "region": region}, dates)


@pytest.fixture(scope="module")
def two_orders():
    """One panel, rows in two orders: series after series (c, a, b), and by
    date with the stores of a date in reverse (c, b, a): ids and regions first
    appear in other orders."""
    by_series = pd.concat(
        [
            store("c", 44, 100.0, "south", 0),
            store("a", 40, 10.0, "north", 1),
            store("b", 48, 1.0, "west", 2),
        ]
    )
    by_date = (
        by_series.reset_index()
        .sort_values(["date", "store"], ascending=[True, False])
        .set_index("date")
    )
    return by_series, by_date


@pytest.mark.parametrize(
    "estimator",
    [
        DenseForecaster(hidden_units=(8,), epochs=2, random_state=0),
        GRUForecaster(units=4, epochs=2, random_state=0),
    ],
    ids=["dense", "gru"],
)
def test_network_does_not_depend_on_the_rows_order(two_orders, estimator):
    by_series, by_date = two_orders
    model = WindowedForecaster(
        estimator,
        window=6,
        horizon=3,
        series_id="store",
        static_covariates=["region"],
        series_encoding="onehot",
    )
    first = clone(model).fit(by_series)
    second = clone(model).fit(by_date)
    forecast = first.forecast(by_series)
    # the same network: the same forecasts of each series, exactly, whatever
    # the order in which either model is given the panel
    other = second.forecast(by_date)
    pd.testing.assert_frame_equal(by_store(other), by_store(forecast))
    # series sorted by id: in the output, the one-hot ids and the categories
    pd.testing.assert_frame_equal(other, forecast)
    pd.testing.assert_frame_equal(first.forecast(by_date), forecast)
    assert forecast["store"].tolist() == ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    assert list(first.series_ids_) == list(second.series_ids_) == ["a", "b", "c"]
    categories = first.static_encoder_.categories["region"]
    assert list(categories) == ["north", "south", "west"]


def by_store(forecast):
    """A panel's forecasts ordered by series, then date."""
    frame = forecast.reset_index().sort_values(["store", "date"], kind="stable")
    return frame.reset_index(drop=True)


def test_dict_and_level_panels_are_ordered_by_id(two_orders):
    by_series, _ = two_orders
    data = by_series.drop(columns="region")
    frames = {k: f.drop(columns="store") for k, f in data.groupby("store")}
    reversed_keys = {k: frames[k] for k in ["c", "b", "a"]}
    model = WindowedForecaster(linear(), window=6, horizon=2, series_id="store")
    from_dict = clone(model).fit(reversed_keys).forecast(reversed_keys)
    expected = ["a", "a", "b", "b", "c", "c"]
    assert from_dict.index.get_level_values(0).tolist() == expected
    pd.testing.assert_frame_equal(clone(model).fit(frames).forecast(frames), from_dict)
    levels = data.set_index("store", append=True).swaplevel()
    from_levels = clone(model).fit(levels).forecast(levels)
    np.testing.assert_array_equal(from_levels["sales"], from_dict["sales"])


@pytest.mark.parametrize("ids", [[3, 1, 2], ["x", "10", "9"], [(1, 2), 3, "a"]])
def test_series_are_numbered_by_sorted_id(ids):
    # integer ids in runs take a faster path than other ids; ids that do not
    # compare (a tuple, an int and a str) are ordered by type, then text
    dates = pd.date_range("2010-01-01", periods=4, freq="MS", name="date")
    frames = [
        pd.DataFrame({"id": [i] * 4, "y": float(k)}, index=dates)
        for k, i in enumerate(ids)
    ]
    panel = pd.concat(frames)
    if not isinstance(ids[0], int):
        panel["id"] = panel["id"].astype(object)
    rows = panel_rows(panel, "id")
    shuffled = panel_rows(panel.sample(frac=1, random_state=0).sort_index(), "id")
    assert list(rows.ids) == list(shuffled.ids) == list(sorted_ids(ids)[1])
    for k, series_id in enumerate(rows.ids):
        values = rows.frame["y"].to_numpy()[rows.positions()[k]]
        np.testing.assert_array_equal(values, float(ids.index(series_id)))
    assert list(sorted_ids([3, 1, 2])[1]) == [1, 2, 3]


# -- scale="window": a window of zeros ----------------------------------------
def intermittent(factor=1.0):
    """Three intermittent series (mostly zeros), the last window of each all
    zeros; the first in units ``factor`` times larger."""
    rng = np.random.default_rng(0)
    frames = []
    for k in range(3):
        values = rng.poisson(0.4, size=50) * (k + 1.0) * (factor if k == 0 else 1.0)
        values[-6:] = 0.0
        dates = pd.date_range("2010-01-01", periods=50, freq="MS", name="date")
        frames.append(pd.DataFrame({"y": values, "id": f"s{k}"}, index=dates))
    return pd.concat(frames)


@pytest.mark.parametrize(
    ("estimator", "feed", "rtol"),
    [
        (linear(), "auto", 1e-9),
        (GRUForecaster(units=4, epochs=2, random_state=0), "batches", 1e-5),
    ],
    ids=["ridge-arrays", "gru-batches"],
)
def test_window_of_zeros_is_scaled_in_its_series_units(estimator, feed, rtol):
    # a window of zeros has no scale of its own; it takes its series' (its mean
    # absolute training target), not 1 in whatever units the series comes in
    model = WindowedForecaster(
        estimator,
        window=6,
        horizon=3,
        series_id="id",
        scale="window",
        feed=feed,
        difference=None,  # the scale of windows of levels
    )
    small, large = intermittent(), intermittent(1000.0)
    forecast = clone(model).fit(small).forecast(small)
    in_thousands = clone(model).fit(large).forecast(large)
    first = forecast["id"] == "s0"
    np.testing.assert_allclose(
        in_thousands["y"][first], 1000 * forecast["y"][first], rtol=rtol
    )
    # the network trained on the same scaled windows: the others are unchanged
    np.testing.assert_allclose(
        in_thousands["y"][~first], forecast["y"][~first], rtol=rtol
    )


def test_series_of_zeros_is_forecast_zero_with_window_scaling():
    panel = intermittent()
    panel.loc[panel["id"] == "s1", "y"] = 0.0
    model = WindowedForecaster(
        linear(), window=6, horizon=3, series_id="id", scale="window"
    ).fit(panel)
    forecast = model.forecast(panel)
    np.testing.assert_array_equal(forecast[forecast["id"] == "s1"]["y"], 0.0)
    assert np.isfinite(forecast["y"]).all()


@pytest.mark.parametrize(
    ("estimator", "feed"),
    [(linear(), "auto"), (GRUForecaster(units=4, epochs=1, random_state=0), "batches")],
    ids=["ridge-arrays", "gru-batches"],
)
def test_constant_series_follows_its_units(estimator, feed):
    # standardized (scale=True), a series that never varies has no spread: a
    # scale of 1 added the network's output in the series' units to its level
    model = WindowedForecaster(
        estimator, window=6, horizon=3, series_id="id", feed=feed
    )
    forecasts = {}
    for level in (5.0, 5000.0, 0.0):
        panel = intermittent()
        panel.loc[panel["id"] == "s1", "y"] = level
        forecast = clone(model).fit(panel).forecast(panel)
        assert np.isfinite(forecast["y"]).all()
        forecasts[level] = forecast["y"][forecast["id"] == "s1"].to_numpy()
    # the same series in other units is forecast in those units
    np.testing.assert_allclose(forecasts[5000.0], 1000 * forecasts[5.0], rtol=1e-4)


@pytest.mark.parametrize("units", [1e-15, 1e-18])
def test_series_in_tiny_units_is_standardized_as_in_any_units(two_orders, units):
    # a spread under 2e-15 was taken for a constant series (divided by its
    # level, not its spread) whatever its level: forecasts 6 to 8% off
    panel = two_orders[0].drop(columns="region")
    tiny = panel[panel["store"] == "a"].assign(
        store="tiny", sales=lambda f: f.sales * units
    )
    model = WindowedForecaster(linear(), window=6, horizon=3, series_id="store")
    forecast = model.fit(pd.concat([panel, tiny])).forecast(pd.concat([panel, tiny]))
    np.testing.assert_allclose(
        forecast["sales"][forecast["store"] == "tiny"].to_numpy(),
        units * forecast["sales"][forecast["store"] == "a"].to_numpy(),
        rtol=1e-9,
    )


def test_constant_series_still_sees_later_values():
    # a product flat before its launch: later values must reach the forecast
    # (a scale of 0 pinned it to the training level: 5.0 against a last 100)
    time = pd.date_range("2020-01-01", periods=70, freq="D")
    walk = 50 + np.cumsum(np.random.default_rng(0).normal(size=70))
    launch = np.r_[np.full(60, 5.0), np.linspace(20, 100, 10)]
    full = pd.concat(
        [
            pd.DataFrame({"id": "a", "y": walk}, index=time),
            pd.DataFrame({"id": "c", "y": launch}, index=time),
        ]
    )
    train = full[full.index < time[60]]
    model = WindowedForecaster(
        NaiveForecaster(), window=6, horizon=2, target="y", series_id="id"
    ).fit(train)
    forecast = model.forecast(full)
    np.testing.assert_allclose(forecast["y"][forecast["id"] == "c"], 100.0)


# -- errors ---------------------------------------------------------------------
def test_whole_model_errors_name_no_series(two_orders):
    by_series, _ = two_orders
    panel = by_series.drop(columns="region").assign(promo=1.0)
    model = WindowedForecaster(
        linear(), window=6, horizon=2, series_id="store", future_covariates="promo"
    ).fit(panel)
    with pytest.raises(ValueError, match=r"^future_covariates=\['promo'\] are known"):
        model.forecast(panel)
    with pytest.raises(ValueError, match=r"^X lacks the column\(s\) \['promo'\]"):
        model.forecast(panel.drop(columns="promo"))
    with pytest.raises(ValueError, match="^WindowedForecaster.predict_quantiles"):
        model.predict_quantiles(panel)
    new = panel[panel["store"] == "a"].assign(store="d")
    with pytest.raises(ValueError, match=r"^X lacks the column\(s\) \['promo'\]"):
        model.forecast(pd.concat([panel, new]).drop(columns="promo"))  # not KeyError
    # the panel member's adapter has every method: the check asks the estimator
    with pytest.raises(ValueError, match="^Pipeline has no predict_interval"):
        model.forecast_interval(panel)
    # an error of one series still names it
    panel = panel.drop(columns="promo")
    plain = clone(model).set_params(future_covariates=None).fit(panel)
    short = panel[(panel["store"] != "b") | (panel.index >= "2013-10-01")]
    with pytest.raises(ValueError, match="^series 'b': X has 3 time steps"):
        plain.forecast(short)
