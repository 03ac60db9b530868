"""Probabilistic heads: quantile and distribution losses on the Keras forecasters."""

import io
import pickle

import keras
import numpy as np
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.metrics import mean_pinball_loss

import skseq
from skseq import DenseForecaster, GRUForecaster
from skseq.networks import DistributionLoss, ProbabilisticOutput, QuantileLoss

FAST = {"epochs": 2, "batch_size": 32, "random_state": 0}


def _noisy_linear(noise, n=3000, seed=0):
    """Windows of 4 steps, y = 0.5 * last step + noise (2D, horizon 2)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)).astype("float32")
    y = 0.5 * X[:, -1:] + noise(rng, (n, 2))
    return X, y.astype("float32")


def test_quantile_output_never_crosses_whatever_the_raw_outputs():
    raw = (
        np.random.default_rng(0).normal(scale=50.0, size=(64, 3 * 5)).astype("float32")
    )
    out = keras.ops.convert_to_numpy(ProbabilisticOutput("quantile", 3)(raw))
    levels = out.reshape(64, 3, 5)
    # softplus increments: never decreasing (exactly equal only where one
    # underflows in float32)
    assert np.all(np.diff(levels, axis=1) >= 0)
    assert np.mean(np.diff(levels, axis=1) > 0) > 0.4
    np.testing.assert_allclose(levels[:, 0], raw[:, :5], rtol=1e-6)


def test_distribution_outputs_have_valid_parameters():
    raw = (
        np.random.default_rng(1).normal(scale=20.0, size=(32, 3 * 4)).astype("float32")
    )
    t = keras.ops.convert_to_numpy(ProbabilisticOutput("student_t", 3)(raw))
    assert np.all(t[:, 4:8] > 0) and np.all(t[:, 8:] >= 2)
    np.testing.assert_array_equal(t[:, :4], raw[:, :4])
    nb = keras.ops.convert_to_numpy(
        ProbabilisticOutput("negative_binomial", 2)(raw[:, :8])
    )
    assert np.all(nb > 0)


def test_pinball_loss_of_a_constant_forecast_equals_the_hand_computation():
    rng = np.random.default_rng(2)
    y = rng.normal(size=(50, 3)).astype("float32")
    levels = (0.1, 0.5, 0.9)
    constant = np.array([-1.0, 0.0, 2.0], dtype="float32")
    y_pred = np.repeat(np.repeat(constant, 3)[None], 50, axis=0)  # blocks of 3
    loss = float(QuantileLoss(levels)(y, y_pred))
    by_hand = np.mean(
        [
            mean_pinball_loss(y.ravel(), np.full(y.size, c), alpha=q)
            for q, c in zip(levels, constant, strict=True)
        ]
    )
    np.testing.assert_allclose(loss, by_hand, rtol=1e-5)


@pytest.mark.parametrize("distribution", ["gaussian", "student_t", "negative_binomial"])
def test_negative_log_likelihood_matches_scipy(distribution):
    rng = np.random.default_rng(3)
    if distribution == "negative_binomial":
        y = rng.poisson(4.0, size=(20, 2)).astype("float32")
        params = [np.full((20, 2), 3.5), np.full((20, 2), 0.4)]
        r = 1 / 0.4
        logpdf = stats.nbinom(n=r, p=r / (r + 3.5)).logpmf(y)
    else:
        y = rng.normal(size=(20, 2)).astype("float32")
        params = [np.full((20, 2), 0.3), np.full((20, 2), 1.7)]
        if distribution == "gaussian":
            logpdf = stats.norm(0.3, 1.7).logpdf(y)
        else:
            params.append(np.full((20, 2), 4.5))
            logpdf = stats.t(4.5, 0.3, 1.7).logpdf(y)
    y_pred = np.concatenate(params, axis=1).astype("float32")
    loss = float(DistributionLoss(distribution)(y, y_pred))
    np.testing.assert_allclose(loss, -logpdf.mean(), rtol=1e-4)


def test_quantile_head_recovers_gaussian_quantiles():
    X, y = _noisy_linear(lambda rng, shape: rng.normal(scale=1.0, size=shape))
    levels = (0.1, 0.5, 0.9)
    model = DenseForecaster(
        loss="quantile",
        quantiles=levels,
        epochs=40,
        batch_size=64,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    grid = np.zeros((5, 4), dtype="float32")
    grid[:, -1] = np.linspace(-1, 1, 5)
    q = model.predict_quantiles(grid)
    expected = 0.5 * grid[:, -1, None, None] + stats.norm.ppf(levels)
    assert q.shape == (5, 2, 3)
    np.testing.assert_allclose(q, np.broadcast_to(expected, q.shape), atol=0.15)
    np.testing.assert_allclose(model.predict(grid), q[..., 1], rtol=1e-6)


def test_student_t_head_recovers_heavy_tailed_quantiles():
    X, y = _noisy_linear(lambda rng, shape: rng.standard_t(3.0, size=shape), n=4000)
    model = DenseForecaster(
        loss="student_t",
        quantiles=(0.05, 0.5, 0.95),
        epochs=40,
        batch_size=64,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    grid = np.zeros((3, 4), dtype="float32")
    q = model.predict_quantiles(grid)
    # t(3): 5% and 95% quantiles -/+2.353 (a Gaussian of its variance: +-2.85)
    expected = stats.t(3.0).ppf([0.05, 0.5, 0.95])
    np.testing.assert_allclose(q, np.broadcast_to(expected, q.shape), atol=0.35)
    lower, upper = model.predict_interval(grid, coverage=0.9)
    np.testing.assert_allclose(lower, q[..., 0])
    np.testing.assert_allclose(upper, q[..., 2])


def test_quantiles_between_learned_levels_are_interpolated_and_outside_refused():
    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=200)
    model = DenseForecaster(loss="quantile", quantiles=(0.1, 0.5, 0.9), **FAST).fit(
        X, y
    )
    q = model.predict_quantiles(X[:4])
    mid = model.predict_quantiles(X[:4], quantiles=(0.3,))
    np.testing.assert_allclose(mid[..., 0], (q[..., 0] + q[..., 1]) / 2, rtol=1e-6)
    with pytest.raises(ValueError, match="outside the levels the model learned"):
        model.predict_quantiles(X[:4], quantiles=(0.05, 0.5))
    with pytest.raises(ValueError, match="loss='quantile'"):
        model.predict_samples(X[:4])


@pytest.mark.parametrize("strategy", ["direct", "seq2seq"])
def test_recurrent_quantile_heads_are_monotone_per_step(strategy):
    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=200)
    model = GRUForecaster(
        units=4, strategy=strategy, loss="quantile", quantiles=(0.2, 0.5, 0.8), **FAST
    ).fit(X, y)
    q = model.predict_quantiles(X[:10])
    assert q.shape == (10, 2, 3)
    assert np.all(np.diff(q, axis=-1) >= 0)


def test_recursive_paths_are_ancestral_and_direct_steps_independent():
    rng = np.random.default_rng(4)
    series = np.cumsum(rng.normal(scale=0.1, size=1500)).astype("float32")
    X = np.lib.stride_tricks.sliding_window_view(series[:-3], 8)[:-1]
    y = np.lib.stride_tricks.sliding_window_view(series[8:], 3)[: len(X)]
    params = {
        "loss": "gaussian",
        "epochs": 15,
        "learning_rate": 0.01,
        "random_state": 0,
    }
    recursive = DenseForecaster(strategy="recursive", **params).fit(X, y)
    paths = recursive.predict_samples(X[:2], n_samples=400, random_state=0)
    assert paths.shape == (2, 3, 400)
    # each step is drawn from the window that holds the previous draws: on a
    # random walk a high first step leads to high later ones
    for path in paths:
        assert np.corrcoef(path[0], path[2])[0, 1] > 0.3
    again = recursive.predict_samples(X[:2], n_samples=400, random_state=0)
    np.testing.assert_array_equal(paths, again)
    q = recursive.predict_quantiles(X[:2], quantiles=(0.1, 0.5, 0.9))
    assert np.all(np.diff(q, axis=-1) >= 0)
    # direct: each step from its own marginal distribution, independently
    direct = DenseForecaster(strategy="direct", **params).fit(X, y)
    for path in direct.predict_samples(X[:2], n_samples=400, random_state=0):
        assert abs(np.corrcoef(path[0], path[2])[0, 1]) < 0.2


def test_recursive_first_step_quantiles_are_exact():
    # the first step's distribution is the head's own: no Monte Carlo noise
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 6)).astype("float32")
    y = (X[:, -3:] + 0.3 * rng.normal(size=(300, 3))).astype("float32")
    model = DenseForecaster(loss="gaussian", strategy="recursive", **FAST).fit(X, y)
    q = model.predict_quantiles(X[:20], quantiles=(0.1, 0.5, 0.9))
    np.testing.assert_allclose(q[:, 0, 1], model.predict(X[:20])[:, 0], rtol=1e-5)
    # a Gaussian's 0.1 and 0.9 quantiles lie symmetrically around its median
    np.testing.assert_allclose(
        q[:, 0, 0] + q[:, 0, 2], 2 * q[:, 0, 1], rtol=1e-5, atol=1e-5
    )


def test_negative_binomial_refuses_negative_targets():
    X = np.abs(np.random.default_rng(5).normal(size=(40, 4))).astype("float32")
    with pytest.raises(ValueError, match="models counts"):
        DenseForecaster(loss="negative_binomial", **FAST).fit(X, -X[:, :1])
    counts = np.random.default_rng(5).poisson(3.0, size=(40, 1)).astype("float32")
    model = DenseForecaster(loss="negative_binomial", **FAST).fit(X, counts)
    draws = model.predict_samples(X[:3], n_samples=20, random_state=0)
    assert np.all(draws >= 0) and np.all(draws == np.round(draws))


def test_negative_binomial_refuses_targets_that_are_not_counts():
    X = np.abs(np.random.default_rng(5).normal(size=(40, 4))).astype("float32")
    counts = np.random.default_rng(5).poisson(3.0, size=(40, 1)).astype("float32")
    # a fraction of a count gets integer quantiles that cannot fit it
    with pytest.raises(ValueError, match="whole numbers"):
        DenseForecaster(loss="negative_binomial", **FAST).fit(X, counts + 0.5)


def test_bad_head_parameters_are_refused_clearly():
    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=50)
    with pytest.raises(ValueError, match="needs a probabilistic loss"):
        DenseForecaster(quantiles=(0.1, 0.9), **FAST).fit(X, y)
    with pytest.raises(ValueError, match="strictly increasing"):
        DenseForecaster(loss="quantile", quantiles=(0.9, 0.1), **FAST).fit(X, y)
    with pytest.raises(ValueError, match=r"in \(0, 1\)"):
        DenseForecaster(loss="quantile", quantiles=(0.0, 0.5), **FAST).fit(X, y)
    with pytest.raises(ValueError, match="strategy='recursive'"):
        DenseForecaster(loss="quantile", strategy="recursive", **FAST).fit(X, y[:, :1])
    # levels are kept to 7 decimals: the error says what 1e-8 became, and why
    with pytest.raises(ValueError, match=r"1e-08 rounds to 0\.0"):
        DenseForecaster(loss="quantile", quantiles=(1e-8, 0.5), **FAST).fit(X, y)
    with pytest.raises(ValueError, match="rounds to 0.5"):
        DenseForecaster(loss="quantile", quantiles=(0.5, 0.50000001), **FAST).fit(X, y)
    point = DenseForecaster(**FAST).fit(X, y)
    assert point.distribution_ is None
    with pytest.raises(ValueError, match="probabilistic loss"):
        point.predict_quantiles(X)


def test_quantile_models_pickle_clone_and_keep_their_predictions():
    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=200)
    model = GRUForecaster(units=4, loss="student_t", quantiles=(0.25, 0.75), **FAST)
    model.fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(
        restored.predict_quantiles(X[:5]), model.predict_quantiles(X[:5]), rtol=1e-6
    )
    assert restored.quantiles_ == (0.25, 0.75)
    buffer = io.BytesIO()
    skseq.save(model, buffer)
    buffer.seek(0)
    loaded = skseq.load(buffer)
    np.testing.assert_allclose(
        loaded.predict_quantiles(X[:5]), model.predict_quantiles(X[:5]), rtol=1e-6
    )
    assert clone(model).get_params()["loss"] == "student_t"
    # a fitted head reads its fitted attributes, not a changed parameter
    model.set_params(loss="mse")
    assert model.predict_quantiles(X[:5]).shape == (5, 2, 2)


def test_probabilistic_scorers_select_in_a_grid_search():
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    from skseq.metrics import get_scorer, interval_score

    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=300)
    search = GridSearchCV(
        DenseForecaster(loss="student_t", **FAST),
        {"hidden_units": [(), (4,)]},
        scoring={
            "crps": get_scorer("neg_crps"),
            "winkler": get_scorer("neg_interval_score_90"),
        },
        refit="winkler",
        cv=TimeSeriesSplit(2),
    ).fit(X, y)
    scores = search.cv_results_["mean_test_winkler"]
    assert np.all(np.isfinite(scores)) and np.all(scores < 0)
    best = search.best_estimator_
    lower, upper = best.predict_interval(X[-50:], coverage=0.9)
    by_hand = -interval_score(y[-50:], lower, upper, 0.9)
    scorer = get_scorer("neg_interval_score_90")
    np.testing.assert_allclose(scorer(best, X[-50:], y[-50:]), by_hand, rtol=1e-9)


def test_summary_names_the_head():
    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=60)
    text = repr(DenseForecaster(loss="quantile", **FAST).fit(X, y).summary())
    assert "Output: quantiles [0.05, 0.5, 0.95]" in text
    text = repr(DenseForecaster(loss="student_t", **FAST).fit(X, y).summary())
    assert "Output: student_t distribution" in text


def test_float32_levels_and_levels_without_the_median():
    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=60)
    levels = np.array([0.1, 0.5, 0.9], dtype=np.float32)
    model = DenseForecaster(loss="quantile", quantiles=levels, **FAST).fit(X, y)
    assert model.quantiles_ == (0.1, 0.5, 0.9)
    lower, _ = model.predict_interval(X[:2], coverage=0.8)
    np.testing.assert_allclose(lower, model.predict_quantiles(X[:2])[..., 0])
    with pytest.raises(ValueError, match="must span 0.5"):
        DenseForecaster(loss="quantile", quantiles=(0.2, 0.4), **FAST).fit(X, y)


def test_conformal_auto_falls_back_when_the_head_lacks_the_default_levels():
    from skseq import ConformalForecaster

    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=100)
    narrow = DenseForecaster(loss="quantile", quantiles=(0.1, 0.5, 0.9), **FAST)
    conformal = ConformalForecaster(narrow).fit(X, y)
    assert conformal.method_ == "absolute"
    assert conformal.predict_interval(X[:3])[0].shape == (3, 2)
    wide = DenseForecaster(loss="quantile", **FAST)
    assert ConformalForecaster(wide).fit(X, y).method_ == "cqr"


def test_crps_scorer_reads_a_distribution_head_at_many_levels():
    from skseq.metrics import continuous_ranked_probability_score, get_scorer

    X, y = _noisy_linear(lambda rng, shape: rng.normal(size=shape), n=300)
    model = DenseForecaster(loss="gaussian", **FAST).fit(X, y)  # quantiles_: 3
    score = get_scorer("neg_crps")(model, X[:100], y[:100])
    samples = model.predict_samples(X[:100], n_samples=4000, random_state=0)
    exact = continuous_ranked_probability_score(y[:100], samples=samples)
    np.testing.assert_allclose(-score, exact, rtol=0.03)
