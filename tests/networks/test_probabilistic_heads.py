"""Probabilistic heads: the output layer's constraints and the wrapped model."""

import warnings

import numpy as np
import pytest

from skseq.networks import ProbabilisticOutput, build_rnn
from skseq.networks._probabilistic import with_probabilistic_output

X = np.random.default_rng(0).normal(size=(2, 5, 1)).astype("float32")


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
