"""build_rnn: the stack of recurrent layers and its optional linear head."""

import keras
import pytest

from skseq.networks import build_rnn


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
