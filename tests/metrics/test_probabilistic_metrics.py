"""Scores of probabilistic forecasts: quantile loss, CRPS, interval score and
coverage, as functions and as scorers by name."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_pinball_loss
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skseq import FlattenSequence, NaiveForecaster
from skseq.forecasting import ConformalForecaster, WindowedForecaster, backtest
from skseq.metrics import (
    FixedForecasts,
    continuous_ranked_probability_score,
    get_scorer,
    get_scorer_names,
    interval_coverage,
    interval_score,
    mean_quantile_loss,
)

crps = continuous_ranked_probability_score


def gaussian_crps(y, mu, sigma):
    """Closed form of the CRPS of N(mu, sigma^2) at y (Gneiting et al., 2005)."""
    z = (y - mu) / sigma
    return sigma * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / np.sqrt(np.pi))


# -- quantile (pinball) loss --------------------------------------------------------
def test_quantile_loss_of_a_constant_forecast_by_hand():
    y_true = [1.0, 2.0, 3.0, 4.0]
    y_quantiles = np.full((4, 2), 2.5)
    # level 0.2: errors y - f = -1.5, -0.5, 0.5, 1.5 cost 1.2, 0.4, 0.1, 0.3;
    # level 0.8: 0.3, 0.1, 0.4, 1.2; both average 0.5
    assert mean_quantile_loss(y_true, y_quantiles, [0.2, 0.8]) == pytest.approx(0.5)
    assert mean_quantile_loss(y_true, y_quantiles[:, :1], [0.2]) == pytest.approx(0.5)
    assert mean_quantile_loss([4.0], [[2.5]], [0.2]) == pytest.approx(0.3)


@pytest.mark.parametrize("alpha", [0.05, 0.5, 0.9])
def test_quantile_loss_of_one_level_is_sklearns_pinball_loss(alpha):
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=(50, 3)), rng.normal(size=(50, 3))
    ours = mean_quantile_loss(y_true[:, 0], y_pred[:, :1], [alpha])
    assert ours == pytest.approx(
        mean_pinball_loss(y_true[:, 0], y_pred[:, 0], alpha=alpha)
    )
    raw = mean_quantile_loss(
        y_true, y_pred[..., None], [alpha], multioutput="raw_values"
    )
    np.testing.assert_allclose(
        raw, mean_pinball_loss(y_true, y_pred, alpha=alpha, multioutput="raw_values")
    )


def test_quantile_levels_pair_by_position_in_any_order():
    rng = np.random.default_rng(1)
    y_true, y_quantiles = rng.normal(size=20), rng.normal(size=(20, 3))
    levels = np.array([0.1, 0.5, 0.9])
    order = [2, 0, 1]
    assert mean_quantile_loss(y_true, y_quantiles, levels) == pytest.approx(
        mean_quantile_loss(y_true, y_quantiles[:, order], levels[order])
    )


# -- CRPS -------------------------------------------------------------------------
def brute_force_crps(y_true, samples):
    """E|X - y| - E|X - X'| / 2 over all pairs of draws: O(S^2)."""
    error = np.abs(samples - y_true[..., None]).mean(axis=-1)
    pairs = np.abs(samples[..., :, None] - samples[..., None, :]).mean(axis=(-2, -1))
    return error - pairs / 2


def test_crps_of_samples_is_the_pairwise_definition():
    rng = np.random.default_rng(0)
    y_true, samples = rng.normal(size=(6, 3)), rng.gamma(2.0, size=(6, 3, 25))
    expected = brute_force_crps(y_true, samples)
    raw = crps(y_true, samples=samples, multioutput="raw_values")
    np.testing.assert_allclose(raw, expected.mean(axis=0))
    assert crps(y_true, samples=samples) == pytest.approx(expected.mean())


def test_crps_of_one_draw_is_the_absolute_error():
    assert crps([1.0, -1.0], samples=[[3.0], [-1.5]]) == pytest.approx(1.25)


def test_crps_of_many_draws_approaches_the_gaussian_closed_form():
    rng = np.random.default_rng(0)
    mu, sigma = np.array([0.0, 1.0, -2.0]), np.array([1.0, 2.0, 0.5])
    y_true = np.array([0.3, -1.0, 1.0])
    samples = mu[:, None] + sigma[:, None] * rng.standard_normal((3, 200_000))
    raw = np.array(
        [crps(y_true[i : i + 1], samples=samples[i : i + 1]) for i in range(3)]
    )
    np.testing.assert_allclose(raw, gaussian_crps(y_true, mu, sigma), rtol=1e-2)


def test_crps_of_many_even_quantiles_approaches_the_gaussian_closed_form():
    y_true = np.array([0.0, 0.7, -2.5])
    exact = gaussian_crps(y_true, 0.0, 1.0).mean()

    def approximation(n_levels):
        levels = (np.arange(n_levels) + 0.5) / n_levels
        y_quantiles = np.tile(norm.ppf(levels), (3, 1))
        return crps(y_true, y_quantiles=y_quantiles, quantiles=levels)

    assert approximation(999) == pytest.approx(exact, rel=1e-3)
    assert abs(approximation(3) - exact) > abs(approximation(999) - exact)
    # twice the mean pinball loss over the levels, by definition
    levels = [0.1, 0.5, 0.9]
    y_quantiles = np.tile(norm.ppf(levels), (3, 1))
    assert crps(y_true, y_quantiles=y_quantiles, quantiles=levels) == pytest.approx(
        2 * mean_quantile_loss(y_true, y_quantiles, levels)
    )


# -- intervals ---------------------------------------------------------------------
def test_interval_coverage_and_score_by_hand():
    y_true = [-1.0, 0.5, 3.0]  # below, inside, above [0, 1]
    lower, upper = [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]
    assert interval_coverage(y_true, lower, upper) == pytest.approx(1 / 3)
    assert interval_coverage([0.0, 1.0], [0.0, 0.0], [1.0, 1.0]) == 1.0  # inclusive
    # width 1 each; alpha = 0.5, so 2 / alpha = 4 per unit outside: 1 below, 2 above
    scores = [1 + 4 * 1, 1, 1 + 4 * 2]
    assert interval_score(y_true, lower, upper, 0.5) == pytest.approx(np.mean(scores))
    assert interval_score(y_true, lower, upper, coverage=0.9) == pytest.approx(
        np.mean([1 + 20 * 1, 1, 1 + 20 * 2])
    )


# -- per-step values and shapes -------------------------------------------------------
def all_metrics(y_true, rng, multioutput):
    """Each metric of random forecasts of y_true."""
    levels = [0.1, 0.5, 0.9]
    y_quantiles = np.sort(rng.normal(size=(*y_true.shape, 3)), axis=-1)
    samples = rng.normal(size=(*y_true.shape, 7))
    lower = rng.normal(size=y_true.shape)
    upper = lower + rng.uniform(size=y_true.shape)
    kwargs = {"multioutput": multioutput}
    return {
        "quantile": mean_quantile_loss(y_true, y_quantiles, levels, **kwargs),
        "crps_samples": crps(y_true, samples=samples, **kwargs),
        "crps_quantiles": crps(
            y_true, y_quantiles=y_quantiles, quantiles=levels, **kwargs
        ),
        "coverage": interval_coverage(y_true, lower, upper, **kwargs),
        "interval_score": interval_score(y_true, lower, upper, 0.8, **kwargs),
    }


@pytest.mark.parametrize(
    "shape, steps", [((10,), (1,)), ((10, 4), (4,)), ((10, 4, 2), (4, 2))]
)
def test_raw_values_are_per_step_and_average_to_the_score(shape, steps):
    y_true = np.random.default_rng(0).normal(size=shape)
    raw = all_metrics(y_true, np.random.default_rng(1), "raw_values")
    averaged = all_metrics(y_true, np.random.default_rng(1), "uniform_average")
    for name, values in raw.items():
        assert values.shape == steps and values.dtype == np.float64, name
        assert isinstance(averaged[name], float), name
        assert averaged[name] == pytest.approx(values.mean()), name


def test_raw_values_of_a_step_are_the_score_of_its_column():
    rng = np.random.default_rng(0)
    y_true, samples = rng.normal(size=(9, 3, 2)), rng.normal(size=(9, 3, 2, 5))
    raw = crps(y_true, samples=samples, multioutput="raw_values")
    assert raw[2, 1] == pytest.approx(crps(y_true[:, 2, 1], samples=samples[:, 2, 1]))


# -- bad input -----------------------------------------------------------------------
Y = np.zeros(4)
Q = np.zeros((4, 2))
LEVELS = [0.1, 0.9]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: mean_quantile_loss(Y, np.zeros((4, 1, 2)), LEVELS), "y_true's shape"),
        (lambda: mean_quantile_loss(Y, np.zeros(4), [0.5]), "y_true's shape"),
        (lambda: mean_quantile_loss(np.zeros((4, 2, 2, 2)), Q, LEVELS), "1D, 2D or 3D"),
        (lambda: mean_quantile_loss([], np.zeros((0, 2)), LEVELS), "at least one"),
        (lambda: mean_quantile_loss([np.nan, 0, 0, 0], Q, LEVELS), "NaN"),
        (lambda: mean_quantile_loss(Y, Q + np.inf, LEVELS), "NaN or infinity"),
        (lambda: mean_quantile_loss(Y, Q, [0.0, 0.9]), "strictly between 0 and 1"),
        (lambda: mean_quantile_loss(Y, Q, [0.1, 1.0]), "strictly between 0 and 1"),
        (lambda: mean_quantile_loss(Y, Q, [[0.1, 0.9]]), "1D list of levels"),
        (lambda: mean_quantile_loss(Y, Q, [0.5, 0.5]), "each level once"),
        (lambda: mean_quantile_loss(Y, Q, [0.1, 0.5, 0.9]), "has 3 level"),
        (lambda: mean_quantile_loss(Y, Q, LEVELS, multioutput="x"), "multioutput"),
        (lambda: crps(Y), "not both nor neither"),
        (lambda: crps(Y, samples=Q, y_quantiles=Q, quantiles=LEVELS), "not both"),
        (lambda: crps(Y, y_quantiles=Q), "pass quantiles"),
        (lambda: crps(Y, samples=Q, quantiles=LEVELS), "not of samples"),
        (lambda: crps(Y, samples=np.zeros((4, 0))), "at least one"),
        (lambda: crps(Y, samples=np.zeros((3, 5))), "y_true's shape"),
        (lambda: interval_coverage(Y, Y, np.zeros(3)), "lower and upper"),
        (lambda: interval_coverage(Y, [0, 2, 0, 0], [1, 1, 1, 1]), "lower > upper"),
        (lambda: interval_score(Y, Y, [0, 0, np.nan, 0], 0.9), "upper must not"),
        (lambda: interval_score(Y, Y, Y, 1.0), "strictly between 0 and 1"),
        (lambda: interval_score(Y, Y, Y, 0.0), "strictly between 0 and 1"),
        (
            lambda: interval_score(Y, Y, Y, 0.9, multioutput="variance_weighted"),
            "multi",
        ),
    ],
)
def test_bad_input_is_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_numbers_are_type_errors():
    with pytest.raises(TypeError, match="coverage must be a number"):
        interval_score(Y, Y, Y, "0.9")
    with pytest.raises(TypeError, match="y_true must hold numbers"):
        interval_coverage(["a"] * 4, Y, Y)


# -- frames: a panel's id column and labelled levels ------------------------------
def panel_frames():
    """Truth and forecasts laid out as a panel's outputs: an int id column."""
    index = pd.date_range("2024-01-01", periods=4)
    ids = pd.Series([1, 1, 2, 2], index=index, name="id")
    truth = pd.DataFrame({"y": [0.0, 1.0, 20.0, 30.0], "id": ids})
    lower = pd.DataFrame({"id": ids, "y": [-1.0, -1.0, 10.0, 10.0]})
    upper = pd.DataFrame({"id": ids, "y": [0.5, 0.5, 25.0, 25.0]})
    samples = pd.DataFrame({"id": ids, 0: [0.0, 0.0, 20.0, 30.0], 1: [1.0] * 4})
    return truth, lower, upper, samples


def test_a_panels_id_column_is_not_scored_as_a_draw_or_a_bound():
    truth, lower, upper, samples = panel_frames()
    with pytest.raises(ValueError, match="'id'"):
        crps(truth["y"], samples=samples)
    with pytest.raises(ValueError, match="'id'"):
        interval_coverage(truth, lower, upper)
    with pytest.raises(ValueError, match="'id'"):
        interval_score(truth["y"], lower, upper, 0.8)
    # the forecast columns alone are scored
    assert interval_coverage(truth["y"], lower["y"], upper["y"]) == 0.5
    assert crps(truth["y"], samples=samples[[0, 1]]) == pytest.approx(
        crps(truth["y"].to_numpy(), samples=samples[[0, 1]].to_numpy())
    )


def test_integer_and_float_targets_side_by_side_are_scored():
    # formerly refused: an int column beside float ones was taken for an id
    y_true = pd.DataFrame({"rail": [1.5, 2.5, 3.5], "bus": [10, 20, 30]})
    lower, upper = y_true - 1, y_true + 1
    assert lower["bus"].dtype.kind == "i"
    assert interval_coverage(y_true, lower, upper) == 1.0
    assert interval_score(y_true, lower, upper, 0.8) == pytest.approx(2.0)
    samples = pd.DataFrame({0: [1.5, 2.5, 3.5], 1: [10, 20, 30]})
    assert crps(y_true["rail"], samples=samples) == pytest.approx(
        crps(y_true["rail"].to_numpy(), samples=samples.to_numpy())
    )


def test_an_int_id_column_beside_int_values_is_refused():
    # formerly scored: integer draws beside integer ids passed the dtype test
    truth = pd.Series([3, 5, 40])
    draws = pd.DataFrame({"store": [7, 7, 8], 0: [3, 5, 40], 1: [4, 6, 41]})
    with pytest.raises(ValueError, match="'store'"):
        crps(truth, samples=draws)
    levels = pd.DataFrame({"store": [7, 7, 8], 0.1: [2, 4, 39], 0.9: [4, 6, 41]})
    with pytest.raises(ValueError, match="'store'"):
        mean_quantile_loss(truth, levels, [0.1, 0.9])
    # a panel's truth and bounds, ids and values all integers, same columns
    truth = pd.DataFrame({"store": [7, 7, 8], "sales": [3, 5, 40]})
    lower = truth.assign(sales=[2, 4, 30])
    upper = truth.assign(sales=[4, 6, 50])
    with pytest.raises(ValueError, match="'store'"):
        interval_coverage(truth, lower, upper)
    assert interval_coverage(truth[["sales"]], lower[["sales"]], upper[["sales"]]) == 1


def test_a_date_or_category_column_is_refused():
    truth = pd.Series([1.0, 2.0])
    draws = pd.DataFrame({0: [1.0, 2.0], 1: [1.5, 2.5]})
    dated = draws.assign(day=pd.to_datetime(["2024-01-01", "2024-01-02"]))
    with pytest.raises(ValueError, match="'day'"):
        crps(truth, samples=dated)
    coded = pd.DataFrame({"y": truth, "id": pd.Categorical([1, 2])})
    with pytest.raises(ValueError, match="'id'"):
        interval_coverage(coded, coded, coded)


def test_labelled_levels_must_be_the_quantiles_given():
    rng = np.random.default_rng(2)
    y_true = rng.normal(size=6)
    frame = pd.DataFrame(
        np.sort(rng.normal(size=(6, 3)), axis=1), columns=[0.1, 0.5, 0.9]
    )
    reordered = frame[[0.9, 0.5, 0.1]]
    with pytest.raises(ValueError, match="columns"):
        mean_quantile_loss(y_true, reordered, [0.1, 0.5, 0.9])
    with pytest.raises(ValueError, match="columns"):
        crps(y_true, y_quantiles=reordered, quantiles=[0.1, 0.5, 0.9])
    assert mean_quantile_loss(y_true, reordered, [0.9, 0.5, 0.1]) == pytest.approx(
        mean_quantile_loss(y_true, frame, [0.1, 0.5, 0.9])
    )
    # levels named by their text, as a CSV read back names them, are levels too
    as_text = reordered.rename(columns=str)
    with pytest.raises(ValueError, match="columns"):
        mean_quantile_loss(y_true, as_text, [0.1, 0.5, 0.9])
    assert mean_quantile_loss(y_true, as_text, [0.9, 0.5, 0.1]) == pytest.approx(
        mean_quantile_loss(y_true, frame, [0.1, 0.5, 0.9])
    )
    # columns that are not levels (a frame built from an array) pair by position
    unlabelled = pd.DataFrame(frame.to_numpy())
    assert mean_quantile_loss(y_true, unlabelled, [0.1, 0.5, 0.9]) == pytest.approx(
        mean_quantile_loss(y_true, frame, [0.1, 0.5, 0.9])
    )


def test_frames_of_several_targets_pair_by_column_name():
    y_true = pd.DataFrame({"rail": [1.0, 2.0], "bus": [10.0, 20.0]})
    lower = y_true - 0.5
    assert interval_coverage(y_true, lower, y_true + 0.5) == 1.0
    with pytest.raises(ValueError, match="columns"):
        interval_coverage(y_true, lower[["bus", "rail"]], y_true + 0.5)
    # one column pairs with one, whatever their names
    bounds = pd.DataFrame({0: [0.0, 1.0]}), pd.DataFrame({0: [2.0, 2.0]})
    assert interval_coverage(y_true[["rail"]], *bounds) == 1.0


# -- scorers ------------------------------------------------------------------------
class GaussianLinear(RegressorMixin, BaseEstimator):
    """A linear fit with Gaussian noise of a given scale around it: deterministic
    quantiles and central intervals, y of any shape (flattened per sample)."""

    def __init__(self, scale=1.0, quantiles=(0.1, 0.5, 0.9)):
        self.scale = scale
        self.quantiles = quantiles

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        design = np.column_stack([X, np.ones(len(X))])
        self.coef_ = np.linalg.lstsq(design, y.reshape(len(y), -1), rcond=None)[0]
        self.y_shape_ = y.shape[1:]
        self.quantiles_ = np.asarray(self.quantiles, dtype=float)
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        mean = np.column_stack([X, np.ones(len(X))]) @ self.coef_
        return mean.reshape((len(X), *self.y_shape_))

    def predict_quantiles(self, X, quantiles=None):
        levels = self.quantiles_ if quantiles is None else np.asarray(quantiles)
        return self.predict(X)[..., None] + self.scale * norm.ppf(levels)

    def predict_interval(self, X, coverage=0.9):
        half_width = self.scale * norm.ppf(0.5 + coverage / 2)
        mean = self.predict(X)
        return mean - half_width, mean + half_width


@pytest.fixture(scope="module")
def noisy_linear():
    """X (600, 2) and y (600, 3): three linear outputs plus N(0, 1) noise."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 2))
    y = X @ rng.normal(size=(2, 3)) + 0.5 + rng.normal(size=(600, 3))
    return X, y


PROBABILISTIC = [
    "neg_mean_quantile_loss",
    "neg_crps",
    "neg_interval_score_80",
    "neg_interval_score_95",
]


@pytest.mark.parametrize("name", PROBABILISTIC)
def test_search_selects_the_true_noise_scale(noisy_linear, name):
    X, y = noisy_linear
    grid = {"scale": [0.3, 1.0, 3.0]}
    search = GridSearchCV(GaussianLinear(), grid, scoring=get_scorer(name), cv=3)
    search.fit(X, y)
    assert search.best_params_ == {"scale": 1.0}
    assert search.best_score_ < 0  # losses are negated


def by_hand(name, model, X, y):
    """The metric behind the scorer ``name``, computed from the fitted model."""
    if name in ("neg_mean_quantile_loss", "neg_crps"):
        y_quantiles, levels = model.predict_quantiles(X), model.quantiles_
        if name == "neg_crps":
            return -crps(y, y_quantiles=y_quantiles, quantiles=levels)
        return -mean_quantile_loss(y, y_quantiles, levels)
    coverage = int(name.rsplit("_", 1)[1]) / 100
    lower, upper = model.predict_interval(X, coverage=coverage)
    if name.startswith("interval_coverage"):
        return interval_coverage(y, lower, upper)
    return -interval_score(y, lower, upper, coverage)


@pytest.mark.parametrize("name", [*PROBABILISTIC, "interval_coverage_90"])
def test_scores_in_cross_validate_are_the_metrics(noisy_linear, name):
    X, y = noisy_linear
    y = y[:, :2, None] * [1.0, -1.0]  # (n, horizon=2, n_targets=2)
    results = cross_validate(
        GaussianLinear(scale=0.8, quantiles=(0.9, 0.25, 0.5)),
        X,
        y,
        cv=KFold(3),
        scoring={"score": get_scorer(name)},
        return_estimator=True,
        return_indices=True,
    )
    expected = [
        by_hand(name, model, X[test], y[test])
        for model, test in zip(
            results["estimator"], results["indices"]["test"], strict=True
        )
    ]
    np.testing.assert_allclose(results["test_score"], expected)


def test_interval_coverage_is_a_diagnostic_near_the_nominal_coverage(noisy_linear):
    X, y = noisy_linear
    model = GaussianLinear().fit(X[:300], y[:300])
    coverage = get_scorer("interval_coverage_90")(model, X[300:], y[300:])
    assert 0.85 < coverage < 0.95


def test_pipeline_and_search_reach_the_final_step(noisy_linear):
    X, y = noisy_linear
    pipeline = make_pipeline(StandardScaler(), GaussianLinear(scale=2.0))
    pipeline.fit(X[:400], y[:400])
    final = pipeline[-1]
    Xt = pipeline[0].transform(X[400:])
    for name in ("neg_crps", "neg_interval_score_90"):
        score = get_scorer(name)(pipeline, X[400:], y[400:])
        assert score == pytest.approx(by_hand(name, final, Xt, y[400:]))
    search = GridSearchCV(
        pipeline,
        {"gaussianlinear__scale": [0.5, 1.0, 2.0]},
        scoring=get_scorer("neg_mean_quantile_loss"),
        cv=3,
    ).fit(X, y)
    assert search.best_params_ == {"gaussianlinear__scale": 1.0}
    best = search.best_estimator_
    expected = by_hand(
        "neg_mean_quantile_loss", best[-1], best[0].transform(X[:50]), y[:50]
    )
    assert search.score(X[:50], y[:50]) == pytest.approx(expected)
    scorer = get_scorer("neg_mean_quantile_loss")
    assert scorer(search, X[:50], y[:50]) == pytest.approx(expected)


@pytest.mark.parametrize(
    "name, method",
    [
        ("neg_mean_quantile_loss", "predict_quantiles"),
        ("neg_crps", "predict_quantiles"),
        ("neg_interval_score_90", "predict_interval"),
        ("interval_coverage_80", "predict_interval"),
    ],
)
def test_estimator_without_the_method_is_a_type_error(noisy_linear, name, method):
    X, y = noisy_linear
    ridge = Ridge().fit(X, y)
    with pytest.raises(TypeError, match=f"{name} needs an estimator with {method}; "):
        get_scorer(name)(ridge, X, y)
    with pytest.raises(TypeError, match="Ridge has none"):
        get_scorer(name)(make_pipeline(StandardScaler(), Ridge()).fit(X, y), X, y)
    with pytest.raises(TypeError, match=f"{method} of a fitted model"):
        get_scorer(name)(FixedForecasts(y), X, y)


def test_quantile_scorers_need_the_fitted_levels(noisy_linear):
    X, y = noisy_linear
    model = GaussianLinear().fit(X, y)
    del model.quantiles_
    with pytest.raises(TypeError, match="in quantiles_; GaussianLinear has none"):
        get_scorer("neg_crps")(model, X, y)


def test_scorers_need_y_and_matching_shapes(noisy_linear):
    X, y = noisy_linear
    model = GaussianLinear().fit(X, y)
    with pytest.raises(ValueError, match="pass y"):
        get_scorer("neg_crps")(model, X)
    with pytest.raises(ValueError, match=r"neg_crps, from predict_quantiles\(X\)"):
        get_scorer("neg_crps")(model, X, y[:, 0])
    with pytest.raises(TypeError, match="takes no sample_weight"):
        get_scorer("neg_crps")(model, X, y, sample_weight=np.ones(len(y)))


def test_scorer_names():
    names = get_scorer_names()
    assert {
        "neg_mean_quantile_loss",
        "neg_crps",
        "neg_interval_score_<coverage>",
        "interval_coverage_<coverage>",
    } <= set(names)
    assert repr(get_scorer("neg_interval_score_90")) == (
        "SeriesScorer('neg_interval_score_90')"
    )
    assert get_scorer("interval_coverage_5").scorer.coverage == 0.05
    for bad in ("neg_interval_score_0", "neg_interval_score_100"):
        with pytest.raises(ValueError, match="percent from 1 to 99"):
            get_scorer(bad)
    with pytest.raises(ValueError, match="not a scorer name"):
        get_scorer("neg_interval_score")


# -- skseq's own estimators --------------------------------------------------------
def test_conformal_intervals_in_cross_validate(multi_step_data):
    X, y = multi_step_data  # X (80, 20, 1), y (80, 5)
    model = ConformalForecaster(make_pipeline(FlattenSequence(), Ridge(alpha=1e-3)))
    names = ["neg_interval_score_80", "interval_coverage_80"]
    results = cross_validate(
        model,
        X,
        y,
        cv=KFold(2),
        scoring={name: get_scorer(name) for name in names},
        return_estimator=True,
        return_indices=True,
    )
    for name in names:
        expected = [
            by_hand(name, fitted, X[test], y[test])
            for fitted, test in zip(
                results["estimator"], results["indices"]["test"], strict=True
            )
        ]
        np.testing.assert_allclose(results[f"test_{name}"], expected)


def test_backtest_refuses_a_model_without_quantiles_or_intervals():
    model = WindowedForecaster(NaiveForecaster(), window=3)
    for scoring in ("neg_crps", ["neg_mean_absolute_error", "interval_coverage_90"]):
        with pytest.raises(TypeError, match="NaiveForecaster has no predict_"):
            backtest(model, np.arange(30.0), start=25, scoring=scoring)


class PanelGaussian(GaussianLinear):
    """GaussianLinear on the column "x" of a long panel keyed by "store",
    marked as a model of a panel as a WindowedForecaster(series_id=...) is."""

    def fit(self, X, y):
        super().fit(X[["x"]], y)
        self.series_id_, self.series_layout_ = "store", "long"
        return self

    def predict(self, X):
        return super().predict(X[["x"]])


def _two_store_panel():
    """A long panel of stores a (3 days, noise 1) and b (9 days, noise 5)."""
    rng = np.random.default_rng(0)
    stores = np.array(["a"] * 3 + ["b"] * 9)
    X = pd.DataFrame(
        {"store": stores, "x": rng.normal(size=12)},
        index=pd.Index([*range(3), *range(9)], name="day"),
    )
    y = 2 * X["x"].to_numpy() + rng.normal(size=12) * np.where(stores == "a", 1, 5)
    return X, y, stores


def test_panel_scores_average_over_the_series():
    X, y, stores = _two_store_panel()
    model = PanelGaussian().fit(X, y)
    for name in ("neg_crps", "neg_interval_score_90", "interval_coverage_50"):
        per_series = [
            by_hand(name, model, X[stores == s], y[stores == s]) for s in ("a", "b")
        ]
        assert get_scorer(name)(model, X, y) == pytest.approx(np.mean(per_series))
        assert get_scorer(name)(model, X, y) != pytest.approx(
            by_hand(name, model, X, y)
        )


def test_panel_scores_of_a_pipeline_average_over_the_series():
    # a panel model ending a Pipeline was scored on all rows pooled
    from sklearn.preprocessing import FunctionTransformer

    X, y, stores = _two_store_panel()
    pipe = make_pipeline(FunctionTransformer(), PanelGaussian()).fit(X, y)
    model = pipe[-1]
    for name in ("neg_crps", "neg_interval_score_90"):
        per_series = [
            by_hand(name, model, X[stores == s], y[stores == s]) for s in ("a", "b")
        ]
        assert get_scorer(name)(pipe, X, y) == pytest.approx(np.mean(per_series))
