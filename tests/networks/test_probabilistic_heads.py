"""Probabilistic heads: the output layer's constraints and the wrapped model."""

import warnings

import numpy as np
import pytest

from skseq.networks import ProbabilisticOutput, build_rnn
from skseq.networks._probabilistic import with_probabilistic_output

X = np.random.default_rng(0).normal(size=(2, 5, 1)).astype("float32")


@pytest.mark.usefixtures("forward_only_on_torch")  # np.asarray: see conftest.py
def test_probabilistic_model_is_called_without_warnings():
    # Built on ``model.inputs`` (a list), it warned at every call with an array.
    model = with_probabilistic_output(
        build_rnn((None, 1), 4, cell="gru", units=(3,), seed=0), "gaussian", 2
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outputs = np.asarray(model(X))
    assert outputs.shape == (2, 4)
    assert (outputs[:, 2:] > 0).all()


@pytest.mark.parametrize("magnitude", [0.0, 50.0, 1e4, 1e30])
def test_quantiles_never_cross_and_parameters_stay_valid(magnitude):
    raw = np.array([[-magnitude, magnitude, -magnitude]], "float32")
    quantiles = np.asarray(ProbabilisticOutput("quantile", 3)(raw))[0]
    assert (np.diff(quantiles) >= 0).all()
    location, scale, df = np.asarray(ProbabilisticOutput("student_t", 3)(raw))[0]
    assert scale > 0 and df > 2


@pytest.mark.parametrize("df", [2.5, 30.0, 99.0, 101.0, 1e3, 1e5, 1e6, 1e7])
def test_student_t_nll_is_accurate_in_float32_for_any_df(df):
    # the two log-gamma terms cancel in float32: at df = 1e7 the loss read 0.29
    # below the true value, rewarding a network for pushing df ever higher
    from math import lgamma, log, log1p, pi

    import keras

    from skseq.networks._probabilistic import _student_t_nll

    y, location, scale = np.float32(1.3), np.float32(0.2), np.float32(0.7)
    z = (1.3 - 0.2) / 0.7
    expected = (
        lgamma(df / 2)
        - lgamma((df + 1) / 2)
        + 0.5 * log(df * pi)
        + log(0.7)
        + 0.5 * (df + 1) * log1p(z * z / df)
    )
    as_tensor = keras.ops.convert_to_tensor
    got = _student_t_nll(
        *(as_tensor(v) for v in (y, location, scale)), as_tensor(np.float32(df))
    )
    assert float(got) == pytest.approx(expected, abs=2e-5)


@pytest.mark.parametrize("alpha", [1e-6, 1e-4, 1e-2, 1.0, 10.0, 1e3])
def test_negative_binomial_nll_is_accurate_in_float32_for_any_count(alpha):
    # lgamma(y + r) - lgamma(r) - lgamma(y + 1) cancelled in float32: the loss
    # was off by 0.7 at a million counts and by 23 (of 12.4) at 1e7
    import keras
    from scipy.stats import nbinom

    from skseq.networks._probabilistic import _negative_binomial_nll

    counts = np.array([0, 1, 3, 10, 30, 1e2, 1e3, 1e4, 1e5, 1e6, 3e6, 1e7])
    spread = np.sqrt(counts + alpha * counts**2)
    means = [counts, 0.9 * counts, 1.1 * counts + 1, counts + 3 * spread + 1]
    mean = np.maximum(np.stack(means, axis=1).ravel(), 0.3).astype("float32")
    y = np.repeat(counts, len(means)).astype("float32")
    alphas = np.full_like(y, alpha)
    r = 1.0 / alphas.astype(np.float64)
    expected = -nbinom.logpmf(y, r, r / (r + mean.astype(np.float64)))
    as_tensor = keras.ops.convert_to_tensor
    got = keras.ops.convert_to_numpy(
        _negative_binomial_nll(*(as_tensor(v) for v in (y, mean, alphas)))
    )
    error = np.abs(got - expected) / np.maximum(np.abs(expected), 1.0)
    assert error.max() < 1e-3, (y[error.argmax()], mean[error.argmax()])


def test_negative_binomial_nll_has_finite_gradients():
    # each branch of the stable form is finite where it is not taken: a NaN or
    # infinity there would turn the gradient NaN through ops.where
    import keras

    from skseq.networks._probabilistic import _negative_binomial_nll

    y = np.array([0, 0, 1, 5, 20, 1e4, 1e6, 1e7, 3.0], "float32")
    mean = np.array([1e-4, 50, 1, 4, 25, 1e4, 1.2e6, 1e3, 1e7], "float32")
    alpha = np.array([1e3, 1e-6, 1e-4, 1.0, 0.1, 1e-2, 1e-6, 10, 1e-4], "float32")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        variables = [tf.Variable(v) for v in (mean, alpha)]
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(_negative_binomial_nll(tf.constant(y), *variables))
        gradients = [g.numpy() for g in tape.gradient(loss, variables)]
    elif backend == "jax":
        import jax

        def total(m, a):
            return _negative_binomial_nll(jax.numpy.asarray(y), m, a).sum()

        gradients = jax.grad(total, argnums=(0, 1))(mean, alpha)
    else:
        pytest.skip(f"no gradient helper for the {backend} backend")
    assert all(np.isfinite(np.asarray(g)).all() for g in gradients)
