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
