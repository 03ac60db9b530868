"""Conformalized quantile regression in ConformalForecaster: coverage, adaptive
widths, the method parameter, wrappers and persistence."""

import math
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skseq import ConformalForecaster, DenseForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster
from skseq.forecasting._conformal import conformal_quantile, cqr_scores
from skseq.forecasting._cqr import DISTRIBUTION_LEVELS

QUANTILES = (0.05, 0.5, 0.95)
N_FIT, N_CALIBRATION, N_TEST = 2000, 2000, 4000


def _quantile_head(**params):
    """A linear quantile model, trained fast and coarsely."""
    fast = {"epochs": 5, "batch_size": 64, "learning_rate": 0.1, "random_state": 0}
    return DenseForecaster(loss="quantile", quantiles=QUANTILES, **(fast | params))


def _heteroscedastic(n_samples, seed, noise=1.0):
    """y = x0 + (0.05 + x1) * noise * N(0, 1), x0 and x1 the last step's
    features, uniform on [0, 1]: the noise scale depends on the input (and is
    linear in it, so that a linear quantile model can learn it)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n_samples, 4, 2)).astype(np.float32)
    scale = noise * (0.05 + X[:, -1, 1])
    return X, X[:, -1, 0] + scale * rng.normal(size=n_samples), scale


@pytest.fixture(scope="module")
def shifted():
    """Training windows whose noise grows by half after the first N_FIT (the
    ones the head is fitted on), so that the head's own intervals under-cover;
    calibration and test windows share the larger noise (exchangeable)."""
    X_fit, y_fit, _ = _heteroscedastic(N_FIT, 0)
    X_cal, y_cal, _ = _heteroscedastic(N_CALIBRATION, 1, noise=1.5)
    X_test, y_test, scale = _heteroscedastic(N_TEST, 2, noise=1.5)
    X, y = np.concatenate([X_fit, X_cal]), np.concatenate([y_fit, y_cal])
    return X, y, X_test, y_test, scale


@pytest.fixture(scope="module")
def cqr(shifted):
    X, y = shifted[:2]
    return ConformalForecaster(_quantile_head(), calibration_fraction=0.5).fit(X, y)


def _coverage(y, lower, upper):
    return np.mean((lower <= y) & (y <= upper))


def _tolerance(coverage):
    """Four standard deviations of the measured coverage: binomial on the test
    windows, plus the spread of the coverage a random calibration set gives
    (its variance is about coverage * (1 - coverage) / n_calibration)."""
    variance = coverage * (1 - coverage) * (1 / N_TEST + 1 / N_CALIBRATION)
    return 4 * math.sqrt(variance)


@pytest.mark.parametrize("coverage", [0.8, 0.9])
def test_cqr_holds_its_coverage_where_the_head_under_covers(cqr, shifted, coverage):
    X_test, y_test = shifted[2:4]
    assert cqr.method_ == "cqr"
    tolerance = _tolerance(coverage)  # 0.044 at 0.8, 0.033 at 0.9
    lower, upper = cqr.predict_interval(X_test, coverage)
    assert abs(_coverage(y_test, lower, upper) - coverage) < tolerance
    # measured: 0.793 and 0.894, where the head alone holds 0.686 and 0.737
    head = cqr.estimator_.predict_interval(X_test, coverage)
    assert _coverage(y_test, *head) < coverage - tolerance


def test_cqr_widths_follow_the_noise_unlike_absolute_residuals(cqr, shifted):
    X, y, X_test, y_test, scale = shifted
    noisy, calm = scale > 1.5 * 0.8, scale < 1.5 * 0.3
    lower, upper = cqr.predict_interval(X_test, 0.9)
    width = upper - lower
    # true ratio of the mean noise scales of the two groups: about 3.5
    assert width[noisy].mean() > 1.5 * width[calm].mean()
    assert np.corrcoef(width, scale)[0, 1] > 0.9
    absolute = clone(cqr).set_params(method="absolute").fit(X, y)
    assert absolute.method_ == "absolute" and absolute.calibration_quantiles_ is None
    lower, upper = absolute.predict_interval(X_test, 0.9)
    assert abs(_coverage(y_test, lower, upper) - 0.9) < _tolerance(0.9)
    np.testing.assert_allclose(upper - lower, (upper - lower)[0])
    # same coverage, narrower on average: measured 2.76 against 3.09
    assert width.mean() < upper[0] - lower[0]


def test_cqr_moves_the_heads_bounds_by_the_conformal_quantile_of_the_scores(
    cqr, shifted
):
    # The definition, computed from the head's predict_interval directly.
    X, y, X_test = shifted[:3]
    X_cal, y_cal = X[-N_CALIBRATION:], y[-N_CALIBRATION:]
    lo, hi = cqr.estimator_.predict_interval(X_cal, 0.8)
    margin = conformal_quantile(cqr_scores(y_cal, lo, hi), 0.8)
    lo, hi = cqr.estimator_.predict_interval(X_test[:50], 0.8)
    lower, upper = cqr.predict_interval(X_test[:50], 0.8)
    np.testing.assert_allclose(lower, lo - margin, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(upper, hi + margin, rtol=1e-6, atol=1e-6)
    assert cqr.calibration_levels_ == QUANTILES
    assert cqr.calibration_quantiles_.shape == (N_CALIBRATION, 1, 1, 3)
    np.testing.assert_array_equal(cqr.calibration_targets_[:, 0, 0], y_cal)


def test_cqr_refuses_levels_the_quantile_head_did_not_learn(cqr, shifted):
    match = r"0.025 and 0.975 quantiles, .* levels 0.05 to 0.95 .* quantiles=\.\.\."
    with pytest.raises(ValueError, match=match):
        cqr.predict_interval(shifted[2][:2], coverage=0.95)


def test_cqr_on_a_point_estimator_is_refused_naming_the_fix():
    X, y, _ = _heteroscedastic(50, 0)
    model = ConformalForecaster(NaiveForecaster(), method="cqr")
    with pytest.raises(ValueError, match="loss='quantile'.*method='absolute'"):
        model.fit(X, y)
    point = ConformalForecaster(DenseForecaster(epochs=1), method="cqr")
    with pytest.raises(ValueError, match="needs a probabilistic estimator"):
        point.fit(X, y)
    with pytest.raises(ValueError, match="method must be one of"):
        ConformalForecaster(NaiveForecaster(), method="quantile").fit(X, y)


def test_distribution_head_multi_step_multi_target():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5, 2)).astype(np.float32)
    y = X[:, -3:, :] + rng.normal(scale=0.3, size=(300, 3, 2))
    head = DenseForecaster(loss="gaussian", epochs=2, random_state=0)
    model = ConformalForecaster(head).fit(X, y)
    assert model.method_ == "cqr"
    assert model.calibration_levels_ == DISTRIBUTION_LEVELS
    assert model.calibration_quantiles_.shape == (60, 3, 2, len(DISTRIBUTION_LEVELS))
    for coverage in (0.5, 0.9, 0.95):
        lower, upper = model.predict_interval(X[:7], coverage)
        assert lower.shape == upper.shape == model.predict(X[:7]).shape == (7, 3, 2)
        assert np.all(lower < upper)
    with pytest.raises(ValueError, match="levels 0.0005 to 0.9995 only"):
        model.predict_interval(X[:7], 0.9999)


def test_cqr_through_a_pipeline_not_a_transformed_target():
    X, y, _ = _heteroscedastic(200, 0)
    piped = make_pipeline(FunctionTransformer(), _quantile_head(epochs=1))
    model = ConformalForecaster(piped).fit(X, y)
    assert model.method_ == "cqr"
    assert model.predict_interval(X[:3], 0.8)[0].shape == (3,)
    # its regressor's quantiles would be of the transformed targets
    wrapped = TransformedTargetRegressor(_quantile_head(epochs=1))
    assert ConformalForecaster(wrapped).fit(X, y).method_ == "absolute"
    with pytest.raises(ValueError, match="needs a probabilistic estimator"):
        ConformalForecaster(wrapped, method="cqr").fit(X, y)


def test_refit_keeps_the_first_models_calibration():
    X, y, _ = _heteroscedastic(300, 0)
    model = ConformalForecaster(_quantile_head(epochs=1)).fit(X, y)
    refitted = clone(model).set_params(refit=True).fit(X, y)
    np.testing.assert_allclose(
        refitted.calibration_quantiles_, model.calibration_quantiles_, rtol=1e-6
    )
    lo, hi = refitted.estimator_.predict_interval(X[:5], 0.8)
    margin = np.subtract(lo, refitted.predict_interval(X[:5], 0.8)[0])
    np.testing.assert_allclose(margin, margin[0], atol=1e-6)  # one shift


def test_cqr_clone_get_params_and_pickle(cqr, shifted):
    params = cqr.get_params()
    assert params["method"] == "auto" and params["estimator__loss"] == "quantile"
    copy = clone(cqr.set_params(method="cqr"))
    assert copy.method == "cqr" and not hasattr(copy, "method_")
    cqr.set_params(method="auto")
    restored = pickle.loads(pickle.dumps(cqr))
    X_test = shifted[2][:20]
    for before, after in zip(
        cqr.predict_interval(X_test), restored.predict_interval(X_test), strict=True
    ):
        np.testing.assert_array_equal(before, after)


def test_cqr_on_a_series_through_windowed_forecaster():
    rng = np.random.default_rng(0)
    t = np.arange(400)
    level = 1 + np.sin(t / 5)
    series = pd.Series(
        level + 0.1 * level * rng.normal(size=400),
        index=pd.date_range("2024-01-01", periods=400, freq="D"),
        name="y",
    )
    conformal = ConformalForecaster(_quantile_head(epochs=3), gap=1)
    model = WindowedForecaster(conformal, window=8, horizon=2).fit(series)
    assert model.estimator_.method_ == "cqr"
    lower, upper = model.forecast_interval(series, coverage=0.8)
    forecast = model.forecast(series)
    assert lower.index.equals(forecast.index) and upper.index.equals(forecast.index)
    assert (lower <= upper).all()


def test_a_margin_that_empties_the_interval_gives_zero_width_not_inverted_bounds():
    import numpy as np

    from skseq import ConformalForecaster, DenseForecaster

    # trained where the noise is 1, calibrated (the latest 20%) where it is
    # 0.01: the calibrated margin is about minus the head's half-width, so
    # windows where the head is narrower get an empty CQR interval
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 4)).astype("float32")
    noise = np.where(np.arange(500) < 400, 1.0, 0.01)[:, None]
    y = (0.5 * X[:, -1:] + noise * rng.normal(size=(500, 1))).astype("float32")
    head = DenseForecaster(
        loss="quantile", epochs=20, learning_rate=0.01, random_state=0
    )
    model = ConformalForecaster(head, method="cqr").fit(X, y)
    lower, upper = model.predict_interval(X, coverage=0.5)
    assert np.all(lower <= upper)
    assert np.any(lower == upper)  # emptied: the case this test is about
