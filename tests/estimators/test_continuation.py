"""Recursive/seq2seq forecasters and the naive baseline read X's target
features in y's units: on consecutive windows, y must continue X."""

import warnings

import numpy as np
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import (
    ConformalForecaster,
    DenseForecaster,
    GRUForecaster,
    NaiveForecaster,
    SequenceScaler,
    make_windows,
)
from skseq.estimators._continuation import check_continuation

TREND = (15.0 + 0.5 * np.arange(40.0))[:, None]


def recursive():
    return DenseForecaster(strategy="recursive", solver="lstsq")


def seq2seq():
    return GRUForecaster(units=2, strategy="seq2seq", epochs=1, random_state=0)


UNIT_CHANGING = {
    "scaled target of recursive": lambda: TransformedTargetRegressor(
        recursive(), transformer=StandardScaler()
    ),
    "scaled inputs of recursive": lambda: make_pipeline(SequenceScaler(), recursive()),
    "log target of naive": lambda: TransformedTargetRegressor(
        NaiveForecaster(), func=np.log, inverse_func=np.exp
    ),
    "scaled target of seq2seq": lambda: TransformedTargetRegressor(
        seq2seq(), transformer=StandardScaler()
    ),
    "scaled inputs of seasonal naive": lambda: make_pipeline(
        SequenceScaler(), NaiveForecaster(season=2)
    ),
    "scaled target of a conformal recursive": lambda: TransformedTargetRegressor(
        ConformalForecaster(recursive()), transformer=StandardScaler()
    ),
}


@pytest.mark.parametrize("wrapper", list(UNIT_CHANGING))
def test_a_wrapper_changing_the_units_of_x_or_y_alone_is_refused(wrapper):
    # fitted on arrays, these forecast a trend's 31.5, 32, 32.5 as 31.5, 171,
    # 156 (target scaled), 31.5, 88, 230 (inputs scaled) or 2.9e13 (log naive)
    X, y = make_windows(TREND, 10, 3)
    with pytest.raises(ValueError, match="not the continuation") as error:
        UNIT_CHANGING[wrapper]().fit(X, y)
    assert "in y's units" in str(error.value)
    assert "WindowedForecaster" in str(error.value)


def _fit_quietly(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # Keras' JAX variables and NumPy 2 (ignored suite-wide in pyproject.toml)
        warnings.filterwarnings(
            "ignore", "__array__ implementation doesn't accept", DeprecationWarning
        )
        return model.fit(X, y)


def _panel():
    """Windows of three series stacked; two meet at zeros that look consecutive."""
    rng = np.random.default_rng(0)
    counts = [
        np.r_[rng.poisson(2.0, 20), 0, 0, 0],
        np.r_[0, 0, 0, rng.poisson(2.0, 20)],
        np.sin(np.arange(30.0)),
    ]
    pieces = [make_windows(c.astype(float)[:, None], 4, 2) for c in counts]
    return np.concatenate([p[0] for p in pieces]), np.concatenate(
        [p[1] for p in pieces]
    )


def _covariates():
    step = np.arange(40.0)
    series = np.stack([np.sin(step / 3), np.cos(step / 5), step % 7], axis=1)
    return make_windows(series, 6, 3, target=[0, 1])


@pytest.mark.parametrize(
    "data",
    [
        lambda: make_windows(TREND, 10, 3),
        lambda: make_windows(np.diff(TREND**2, axis=0), 10, 1),
        lambda: (
            (make_windows(TREND, 10, 3)[0].astype(np.float32),)
            + (make_windows(TREND, 10, 3)[1],)
        ),
        _panel,
        _covariates,
    ],
    ids=["one series", "differenced", "float32 X", "panel", "covariates"],
)
@pytest.mark.parametrize(
    "model",
    [
        NaiveForecaster,
        lambda: NaiveForecaster(season=2),
        lambda: DenseForecaster(solver="lstsq"),
        seq2seq,
        lambda: ConformalForecaster(NaiveForecaster()),
    ],
    ids=["naive", "seasonal", "direct", "seq2seq", "conformal"],
)
def test_windows_cut_from_series_fit_quietly(data, model):
    X, y = data()
    _fit_quietly(model(), X, y)


@pytest.mark.parametrize("data", [lambda: make_windows(TREND, 10, 3), _panel])
def test_recursive_fits_quietly_on_windows_and_in_batches(data):
    X, y = data()
    y = y[:, :1] if y.ndim == 2 else y
    model = _fit_quietly(recursive(), X, y)
    batchwise = DenseForecaster(strategy="recursive", epochs=1)
    for rows in np.array_split(np.arange(len(X)), 3):
        batchwise.partial_fit(X[rows], y[rows])
    assert model.n_features_in_ == batchwise.n_features_in_ == 1


def test_x_that_is_not_consecutive_windows_is_left_alone():
    # the check only knows the values after a window when the next window
    # shows them: shuffled windows, a stride of 2 or random data pass unchecked
    X, y = make_windows(TREND, 10, 3)
    shuffled = np.random.default_rng(0).permutation(len(X))
    check_continuation(X[shuffled], np.log(y[shuffled])[..., None], "model")
    X2, y2 = make_windows(TREND, 10, 3, stride=2)
    check_continuation(X2, np.log(y2)[..., None], "model")
    rng = np.random.default_rng(0)
    check_continuation(rng.normal(size=(30, 5, 1)), rng.normal(size=(30, 2, 1)), "m")
    # a constant series says nothing about the order of its windows
    check_continuation(np.ones((30, 5, 1)), np.zeros((30, 2, 1)), "model")


def _intermittent():
    """Demand that is zero on most days: most windows are all zeros."""
    demand = np.random.default_rng(0).poisson(0.05, 300).astype(float)
    return make_windows(demand[:, None], 5, 1)


@pytest.mark.parametrize(
    "wrapper",
    [
        lambda: TransformedTargetRegressor(
            NaiveForecaster(), transformer=StandardScaler()
        ),
        lambda: TransformedTargetRegressor(
            NaiveForecaster(), func=np.log1p, inverse_func=np.expm1
        ),
        lambda: TransformedTargetRegressor(recursive(), transformer=StandardScaler()),
    ],
    ids=["scaled naive", "log1p naive", "scaled recursive"],
)
def test_intermittent_demand_in_other_units_is_refused(wrapper):
    # the all-zero windows (most of them) were counted against "consecutive
    # windows" and the zeros that log1p keeps outvoted the rest: unchecked
    X, y = _intermittent()
    assert (X == 0).all(axis=(1, 2)).mean() > 0.5
    with pytest.raises(ValueError, match="not the continuation"):
        wrapper().fit(X, y)
    _fit_quietly(NaiveForecaster(), X, y)


def test_a_target_rescaled_beside_one_in_millions_is_refused():
    # the tolerance was 1e-3 of the largest target value of all: the riders
    # (about 1e6) hid a second target scaled to other units
    step = np.arange(60.0)
    series = np.stack([1e6 + 1e4 * np.sin(step / 5), np.cos(step / 7)], axis=1)
    X, y = make_windows(series, 10, 2)
    y = y.copy()
    y[..., 1] = 3 * (y[..., 1] - 0.5)
    with pytest.raises(ValueError, match="not the continuation"):
        NaiveForecaster().fit(X, y)


def test_targets_in_another_order_than_x_are_refused_naming_the_order():
    step = np.arange(60.0)
    series = np.stack([np.sin(step / 5), 10 + np.cos(step / 7)], axis=1)
    X, y = make_windows(series, 10, 2)
    with pytest.raises(ValueError, match="in y's order") as error:
        NaiveForecaster().fit(X, y[..., ::-1])
    assert "first 2 feature(s) of X" in str(error.value)


def _riders_per_million():
    step = np.arange(200.0)
    noise = np.random.default_rng(0).normal(0, 3e4, 200)
    riders = (1e6 + 2e5 * np.sin(2 * np.pi * step / 7) + noise).round()
    return make_windows(riders[:, None] / 1e6, 28, 7)


@pytest.mark.parametrize("rounded", ["y", "X"])
@pytest.mark.parametrize("model", [NaiveForecaster, recursive])
def test_one_of_x_and_y_rounded_to_a_few_decimals_fits_quietly(rounded, model):
    # riders per million (about 0.8 to 1.2) rounded to 2 decimals on one side
    # are off by up to 0.005, more than 1e-3 of the largest value: refused
    X, y = _riders_per_million()
    X, y = (X, y.round(2)) if rounded == "y" else (X.round(2), y)
    y = y if model is NaiveForecaster else y[:, :1]
    _fit_quietly(model(), X, y)


def test_a_panel_of_short_intermittent_series_fits_quietly():
    # where one series ends in zeros and the next starts with zeros then a
    # sale, the two windows look consecutive ([0, 0, 0, 0, 0] then
    # [0, 0, 0, 0, 1]) but y differs: with 3 windows a series, such pairs
    # outvoted the real ones. A window must now start non-flat to count.
    rng = np.random.default_rng(0)
    pieces = [
        make_windows(rng.poisson(0.02, 8).astype(float)[:, None], 5, 1)
        for _ in range(100)
    ]
    X, y = (np.concatenate([p[i] for p in pieces]) for i in (0, 1))
    _fit_quietly(NaiveForecaster(), X, y)
