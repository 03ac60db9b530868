"""The Keras-free architecture choices and arithmetic, and their one definition."""

import numpy as np
import pytest

from skseq.utils import _architecture as arch


def test_networks_reexport_the_keras_free_definitions():
    networks = pytest.importorskip("skseq.networks")
    for name in (
        "CLASSIFIER_POOLINGS",
        "CONV_PADDINGS",
        "WAVENET_ARCHITECTURES",
        "conv_window_ends",
        "wavenet_receptive_field",
    ):
        assert getattr(networks, name) is getattr(arch, name), name
    assert tuple(networks.RNN_CELLS) == arch.RECURRENT_CELLS


@pytest.mark.parametrize("units, expected", [(3, (3,)), ([4, 2], (4, 2)), ((), ())])
def test_layer_sizes(units, expected):
    assert arch.layer_sizes(units) == expected
    assert arch.layer_sizes(np.int64(3)) == (3,)


def test_kernel_widths_one_per_convolution():
    assert arch.kernel_widths(3, (8, 8, 8)) == (3, 3, 3)
    assert arch.kernel_widths([5, 3], (8, 8)) == (5, 3)
    with pytest.raises(ValueError, match=r"one width per convolution: 3 .*an int"):
        arch.kernel_widths((5, 3), (8, 8, 8))


def test_conv_dilation_rates_double_by_default():
    assert arch.conv_dilation_rates(None, 4) == (1, 2, 4, 8)
    assert arch.conv_dilation_rates(None, 0) == ()
    assert arch.conv_dilation_rates(3, 1) == (3,)
    with pytest.raises(ValueError, match="one rate per convolution: 2 conv_filters"):
        arch.conv_dilation_rates((1, 2, 4), 2)


@pytest.mark.parametrize("padding", arch.CONV_PADDINGS)
@pytest.mark.parametrize("n_timesteps", [7, 8, 21])
def test_window_ends_end_on_the_last_step_after_the_crop(padding, n_timesteps):
    ends = arch.conv_window_ends(n_timesteps, 3, 2, padding)
    assert ends[-1] == n_timesteps - 1
    assert 0 <= arch.end_crop(n_timesteps, 3, 2, padding) < 2


def test_output_head_choices():
    for head in arch.OUTPUT_HEADS:
        assert arch.check_output_head(head) == head
    with pytest.raises(ValueError, match="output_head must be 'dense' or None"):
        arch.check_output_head("Dense")
