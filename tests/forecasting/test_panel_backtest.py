"""backtest on panels: one global model, errors per series and their mean."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import WindowedForecaster, backtest
from skseq.metrics import get_scorer

START, END = "2014-01-01", "2014-09-01"
SCORING = ["neg_mase_12", "neg_mean_absolute_error"]


def both_backtests(*args, **kwargs):
    """``backtest``'s mean errors, forecasts and per-series errors (its
    estimators here learn deterministically, so two runs agree)."""
    errors, forecasts = backtest(*args, **kwargs)
    series_errors, again = backtest(*args, per_series=True, **kwargs)
    pd.testing.assert_frame_equal(again, forecasts)
    return errors, forecasts, series_errors


def monthly(n, start, level, seed, trend=0.0):
    """A positive monthly series with a yearly season, a trend and noise (as
    in test_panel.py)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level * (
        10 + trend * t + np.sin(2 * np.pi * t / 12) + 0.1 * rng.normal(size=n)
    )
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="MS"))


def long(series, id_name="store", value="sales"):
    """The long layout: an id column, the time as index, rows by date."""
    frames = [
        s.rename(value).to_frame().assign(**{id_name: k}) for k, s in series.items()
    ]
    return pd.concat(frames).sort_index(kind="stable")


@pytest.fixture(scope="module")
def series():
    """Three monthly series of different lengths, starts and scales, each with
    at least 22 months before START."""
    return {
        "a": monthly(60, "2010-01-01", 1.0, 0, trend=0.05),
        "b": monthly(48, "2011-06-01", 1000.0, 1),
        "c": monthly(40, "2012-03-01", 10_000.0, 2, trend=-0.02),
    }


def layouts(series):
    """The panel in each layout a panel model reads, with its series_id."""
    frame = long(series)
    indexed = frame.rename_axis("month").set_index("store", append=True)
    indexed = indexed.swaplevel().sort_index()
    dict_panel = {k: s.rename("sales") for k, s in series.items()}
    return [(frame, "store"), (indexed, "store"), (dict_panel, "store")]


def alone(series, key, **params):
    return WindowedForecaster(NaiveForecaster(), **params), series[key].rename("sales")


# -- each series as alone, one model for all ----------------------------------------
@pytest.mark.parametrize("layout", [0, 1, 2])
@pytest.mark.parametrize(
    ("params", "options"),
    [
        ({}, {}),
        ({"target_transform": "log", "difference": 1}, {"scoring": SCORING}),
        ({}, {"refit": 4, "scoring": SCORING}),
        ({"difference": 1}, {"refit": True, "end": "2014-04-01"}),
    ],
)
def test_per_series_errors_equal_each_series_backtested_alone(
    series, layout, params, options
):
    # NaiveForecaster learns nothing across series: the global model's view of
    # a series forecasts it exactly as that series' own model, so each series'
    # errors and forecasts must equal its single-series backtest.
    params = {"window": 12, "horizon": 3, **params}
    options = {"end": END, **options}
    panel, series_id = layouts(series)[layout]
    model = WindowedForecaster(NaiveForecaster(), series_id=series_id, **params)
    errors, forecasts, series_errors = both_backtests(model, panel, START, **options)
    assert list(series_errors.index.get_level_values(0).unique()) == ["a", "b", "c"]
    assert series_errors.index.names == ["store", "step"]
    assert forecasts.index.names[0] == "store"
    for key in series:
        single, values = alone(series, key, **params)
        expected_errors, expected_forecasts = backtest(single, values, START, **options)
        pd.testing.assert_frame_equal(
            series_errors.loc[key], expected_errors, rtol=1e-12, check_index_type=False
        )
        np.testing.assert_allclose(
            forecasts.loc[key].to_numpy(), expected_forecasts.to_numpy(), rtol=1e-12
        )
        assert list(forecasts.loc[key].index) == list(expected_forecasts.index)
        assert list(forecasts.columns) == list(expected_forecasts.columns)
    assert list(errors.index) == list(expected_errors.index)
    assert list(errors.columns) == list(expected_errors.columns)


def test_aggregate_is_the_mean_of_the_series_as_the_panel_scorer(series):
    panel = long(series)
    # difference=None: the scorer's test part holds the window's 12 months
    # before START, no more (differences would need their lags' rows too)
    params = {"window": 12, "horizon": 3, "series_id": "store", "difference": None}
    ridge = make_pipeline(FlattenSequence(), Ridge(alpha=1.0))
    model = WindowedForecaster(ridge, **params).fit(panel[panel.index < START])
    errors, _, series_errors = both_backtests(model, panel, START, scoring=SCORING)
    means = series_errors.groupby(level="step", sort=False).mean()
    pd.testing.assert_frame_equal(errors, means)
    assert list(errors.index) == [1, 2, 3, "all"]
    # The M-competition figure: MASE per series (its own training scale), then
    # the mean over series -- what the scorer gives a panel model, on the same
    # forecasts (every window from START on).
    test_part = panel[panel.index >= "2013-01-01"]
    expected = get_scorer("neg_mase_12")(model, test_part)
    assert errors.loc["all", "neg_mase_12"] == pytest.approx(expected, rel=1e-10)


def test_forecasts_come_from_the_one_global_model(series):
    panel = long(series)
    ridge = make_pipeline(FlattenSequence(), Ridge(alpha=1.0))
    model = WindowedForecaster(ridge, window=12, horizon=3, series_id="store")
    _, forecasts, _ = both_backtests(model, panel, START, end=END)
    assert not hasattr(model, "estimator_")  # a clone was fitted
    fitted = model.fit(panel[panel.index < START])  # what backtest fits
    for day in [START, "2014-05-01", END]:
        expected = fitted.forecast(panel[panel.index < day])
        for key in series:
            got = forecasts.loc[(key, pd.Timestamp(day))].to_numpy()
            want = expected[expected["store"] == key]["sales"].to_numpy()
            np.testing.assert_allclose(got, want, rtol=1e-10)


class RecordingNaive(NaiveForecaster):
    """Records how many windows each fit trains on."""

    fits = []

    def fit(self, X, y):
        RecordingNaive.fits.append(len(X))
        return super().fit(X, y)


def test_refit_every_k_steps_trains_on_every_series_before_the_step(series):
    panel = long(series)
    model = WindowedForecaster(
        RecordingNaive(), window=12, horizon=3, series_id="store"
    )
    RecordingNaive.fits = []
    backtest(model, panel, START, end=END, refit=4)
    cutoffs = ["2014-01-01", "2014-05-01", "2014-09-01"]
    assert len(RecordingNaive.fits) == len(cutoffs)
    for n_windows, cutoff in zip(RecordingNaive.fits, cutoffs, strict=True):
        # every series' windows that end before the cutoff, and no other
        before = [(s.index < cutoff).sum() for s in series.values()]
        assert n_windows == sum(n - 12 - 3 + 1 for n in before)


def test_a_series_the_fitted_model_did_not_see_is_prepared_on_its_past(series):
    seen = long({k: series[k] for k in ("a", "b")})
    model = WindowedForecaster(NaiveForecaster(), window=12, horizon=3, series_id="s")
    model.set_params(series_id="store").fit(seen[seen.index < START])
    _, forecasts, series_errors = both_backtests(model, long(series), START, end=END)
    single, values = alone(series, "c", window=12, horizon=3)
    expected_errors, expected = backtest(single, values, START, end=END)
    np.testing.assert_allclose(forecasts.loc["c"].to_numpy(), expected.to_numpy())
    np.testing.assert_allclose(series_errors.loc["c"], expected_errors)


# -- series left out, refusals ------------------------------------------------------
def test_series_without_history_or_forecasts_are_left_out_with_one_warning(series):
    more = {
        **series,
        "new": monthly(30, "2013-06-01", 5.0, 3),  # 7 months before START
        "old": monthly(30, "2010-01-01", 5.0, 4),  # ends in 2012
    }
    model = WindowedForecaster(
        NaiveForecaster(), window=12, horizon=3, series_id="store"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        series_errors, forecasts = backtest(
            model, long(more), START, END, per_series=True
        )
    ours = [w for w in caught if "left out of the backtest" in str(w.message)]
    assert len(ours) == 1
    message = str(ours[0].message)
    assert "2 of 5 series" in message
    assert "'old'" in message.split(";")[0] and "'new'" in message.split(";")[1]
    assert list(series_errors.index.get_level_values(0).unique()) == ["a", "b", "c"]
    assert list(forecasts.index.get_level_values(0).unique()) == ["a", "b", "c"]
    # the left-out series still train the global model (every series' past)
    training = [w for w in caught if "too short for one training window" in str(w)]
    assert training and "'new'" in str(training[0].message)


def test_clear_errors(series):
    panel = long(series)
    panel_model = WindowedForecaster(
        NaiveForecaster(), window=12, horizon=3, series_id="store"
    )
    with pytest.raises(ValueError, match="No series of the panel"):
        backtest(panel_model, panel, "2009-01-01")
    with pytest.raises(ValueError, match="comes before start"):
        backtest(panel_model, panel, START, end="2013-01-01")
    with pytest.raises(ValueError, match="not a date"):
        backtest(panel_model, panel, "soon")
    with pytest.raises(TypeError, match="needs a panel"):
        backtest(panel_model, series["a"], START)
    with pytest.raises(ValueError, match="refit must be"):
        backtest(panel_model, panel, START, refit=0)
    with pytest.raises(ValueError, match="per_series=True gives each series"):
        backtest(
            WindowedForecaster(NaiveForecaster(), window=3),
            series["a"],
            START,
            per_series=True,
        )
    one_series = WindowedForecaster(NaiveForecaster(), window=12, horizon=3)
    for layout in layouts(series)[1:]:
        with pytest.raises(ValueError, match="series_id=None"):
            backtest(one_series, layout[0], START)
    one_series.fit(series["a"].rename("sales"))
    with pytest.raises(ValueError, match="fitted on one series"):
        backtest(one_series.set_params(series_id="store"), panel, START)


def test_a_metric_refused_on_one_series_names_it(series):
    # MASE is undefined for a series constant in training (a product before its
    # launch): the error names that series among the others
    launch = pd.Series(
        np.r_[np.zeros(50), np.arange(1.0, 11.0)], index=series["a"].index
    )
    panel = long({**series, "launch": launch})
    model = WindowedForecaster(
        NaiveForecaster(), window=12, horizon=3, series_id="store"
    )
    with pytest.raises(ValueError, match="^series 'launch': The seasonal naive"):
        backtest(model, panel, START, scoring="neg_mase_12")


def test_an_integer_series_id_is_named_as_a_number(series):
    panel = long(dict(enumerate(series.values()))).sample(frac=1, random_state=0)
    model = WindowedForecaster(NaiveForecaster(), window=12, series_id="store")
    with pytest.raises(ValueError, match=r"^series 0 of the panel: "):
        model.fit(panel)


def test_a_global_model_fitted_on_the_period_is_warned_about(series):
    # The "Many series" page backtested model.fit(panel) from 2019-01 on a
    # panel ending 2019-12: in-sample errors, shown as a backtest.
    panel = long(series)
    model = WindowedForecaster(
        NaiveForecaster(), window=12, horizon=3, series_id="store"
    )
    fitted = clone(model).fit(panel)
    with pytest.warns(UserWarning, match=r"trained on rows at or after start.*'a'"):
        backtest(fitted, panel, START)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        backtest(model, panel, START)  # unfitted: fitted on the rows before START
        backtest(fitted.fit(panel[panel.index < START]), panel, START)


def test_mean_errors_keep_a_series_undefined_error():
    # R^2 of a series' one forecast is NaN: pandas' mean skipped it, and the
    # mean errors read as those of the other series alone
    series = {
        "a": monthly(60, "2010-01-01", 1.0, 0),
        "b": monthly(50, "2010-01-01", 3.0, 1),  # one forecast from START
    }
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()),
        window=12,
        horizon=2,
        series_id="store",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning
        errors, _, series_errors = both_backtests(
            model, long(series), START, scoring="r2"
        )
    assert series_errors.loc["a", "r2"].notna().all()
    assert series_errors.loc["b", "r2"].isna().all()
    assert errors["r2"].isna().all()
