"""build_rnn: the stack of recurrent layers and its optional linear head."""

import keras
import numpy as np
import pytest

from skseq.networks import build_rnn, build_rnn_classifier


def test_build_rnn_without_head_ends_with_the_recurrent_layer():
    model = build_rnn((None, 1), 2, cell="simple", units=(3, 2), output_head=None)
    assert isinstance(model.layers[-1], keras.layers.SimpleRNN)
    assert model.output_shape == (None, 2)
    seq = build_rnn((7, 1), 1, units=(1,), output_head=None, sequence_output=True)
    assert seq.output_shape == (None, 7, 1)
    headed = build_rnn((None, 1), 2, units=(3,))
    assert isinstance(headed.layers[-1], keras.layers.Dense)


@pytest.mark.parametrize(
    "output_head, units, match",
    [(None, (4, 3), "needs 2 unit"), ("linear", (2,), "must be 'dense' or None")],
)
def test_build_rnn_refuses_a_bad_head(output_head, units, match):
    with pytest.raises(ValueError, match=match):
        build_rnn((None, 1), 2, units=units, output_head=output_head)


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
def test_rnn_forecaster_and_classifier_share_the_recurrent_stack(cell):
    """Same seed, same weights: on unpadded sequences the classifier is the
    softmax of the forecaster (no front-end, no dropout)."""
    params = {"cell": cell, "units": (4, 3), "seed": 5}
    forecaster = build_rnn((None, 2), 3, **params)
    classifier = build_rnn_classifier((None, 2), 3, conv_filters=(), **params)
    for a, b in zip(forecaster.weights, classifier.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    inputs = np.random.default_rng(0).normal(size=(2, 6, 2)).astype("float32")
    expected = keras.ops.convert_to_numpy(keras.ops.softmax(forecaster(inputs)))
    got = keras.ops.convert_to_numpy(classifier(inputs))
    np.testing.assert_allclose(got, expected, atol=1e-6)


def _proportional_kernels(model):
    """Pairs of weight matrices whose first entries are proportional."""
    kernels = [(w.path, np.ravel(w)) for w in model.weights if len(w.shape) == 2]
    pairs = []
    for i, (path_a, a) in enumerate(kernels):
        for path_b, b in kernels[i + 1 :]:
            n = min(a.size, b.size)
            if n > 2 and abs(np.corrcoef(a[:n], b[:n])[0, 1]) > 0.99:
                pairs.append((path_a, path_b))
    return pairs


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
def test_layer_norm_stack_draws_independent_initial_weights(cell):
    # The cells' kernels were seeded seed + 7919 above their layer's seed: the
    # next layer's seed, so the top cell's kernel started as the head's, rescaled.
    model = build_rnn((None, 1), 1, cell=cell, units=(4, 4), layer_norm=True, seed=0)
    assert _proportional_kernels(model) == []
