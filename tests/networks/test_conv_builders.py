"""Conv1D + RNN and WaveNet builders: shapes, alignment, causality, receptive field."""

import contextlib
import warnings

import keras
import numpy as np
import pytest

from skseq.networks import (
    EndAlignedCropping1D,
    build_conv_rnn,
    build_wavenet,
    build_wavenet_classifier,
    conv_window_ends,
    wavenet_receptive_field,
)

# Forward-only checks: see conftest.py (np.asarray and autograd on PyTorch).
pytestmark = pytest.mark.usefixtures("forward_only_on_torch")
to_numpy = keras.ops.convert_to_numpy


def _autograd():
    """Gradients back on, inside ``forward_only_on_torch``, for a test that trains."""
    if keras.backend.backend() != "torch":
        return contextlib.nullcontext()
    import torch

    return torch.enable_grad()


RNG = np.random.default_rng(0)
TINY_WAVENET = {"filters": 3, "kernel_size": 2, "dilation_rates": (1, 2, 4)}


def test_window_ends_are_the_chapters_crop():
    Y = np.arange(50)
    np.testing.assert_array_equal(Y[conv_window_ends(50, 4, 2, "valid")], Y[3::2])


@pytest.mark.parametrize("padding", ["valid", "causal", "same"])
@pytest.mark.parametrize(("kernel_size", "strides"), [(4, 2), (2, 3), (3, 1), (5, 3)])
def test_window_ends_match_the_convolution(padding, kernel_size, strides):
    """The last input each conv output depends on, found with one-hot inputs."""
    inputs = keras.Input((None, 1))
    hidden = EndAlignedCropping1D(kernel_size, strides, padding)(inputs)
    outputs = keras.layers.Conv1D(
        1,
        kernel_size,
        strides=strides,
        padding=padding,
        kernel_initializer="ones",
        use_bias=False,
    )(hidden)
    model = keras.Model(inputs, outputs)
    shortest = kernel_size if padding == "valid" else 1
    for n_timesteps in (shortest, 2, 11, 12):
        if n_timesteps < shortest:
            continue
        response = to_numpy(model(np.eye(n_timesteps, dtype="float32")[..., None]))
        seen = [int(np.flatnonzero(column).max()) for column in response[..., 0].T]
        ends = conv_window_ends(n_timesteps, kernel_size, strides, padding)
        assert seen == ends
        assert ends[-1] == n_timesteps - 1


def _last_layer_is_linear_dense(model, n_outputs):
    head = model.layers[-1]
    assert isinstance(head, keras.layers.Dense)
    assert head.units == n_outputs
    assert head.activation is keras.activations.linear


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_conv_rnn_shapes(cell):
    model = build_conv_rnn((None, 2), 5, filters=3, cell=cell, units=(3, 2), seed=0)
    assert model(RNG.normal(size=(4, 20, 2))).shape == (4, 5)
    _last_layer_is_linear_dense(model, 5)
    seq = build_conv_rnn((None, 2), 5, filters=3, units=2, sequence_output=True)
    for n_timesteps in (20, 21, 7):
        expected = len(conv_window_ends(n_timesteps, 4, 2, "valid"))
        assert seq(RNG.normal(size=(1, n_timesteps, 2))).shape == (1, expected, 5)
    assert seq(RNG.normal(size=(1, 50, 2))).shape == (1, 24, 5)


def test_conv_rnn_layers():
    model = build_conv_rnn(
        (50, 1), 10, filters=6, kernel_size=3, strides=1, padding="causal", units=4
    )
    conv = model.get_layer("conv")
    assert conv.kernel.shape == (3, 1, 6)
    assert conv.padding == "causal"
    assert conv.activation is keras.activations.linear
    # No cropping layer when the stride is 1: nothing is ever left over.
    assert not any(isinstance(layer, EndAlignedCropping1D) for layer in model.layers)
    assert model.output_shape == (None, 10)


@pytest.mark.parametrize("padding", ["valid", "causal", "same"])
def test_conv_rnn_output_depends_only_on_inputs_up_to_its_window_end(padding):
    model = build_conv_rnn(
        (None, 1),
        2,
        filters=2,
        kernel_size=4,
        strides=2,
        padding=padding,
        units=2,
        sequence_output=True,
        seed=0,
    )
    inputs = RNG.normal(size=(1, 21, 1)).astype("float32")
    outputs = to_numpy(model(inputs))
    ends = np.array(conv_window_ends(21, 4, 2, padding))
    for t in (8, 13):
        changed = inputs.copy()
        changed[:, t + 1 :] += 3.0
        changed_outputs = to_numpy(model(changed))
        unchanged = ends <= t
        np.testing.assert_allclose(changed_outputs[:, unchanged], outputs[:, unchanged])
        assert not np.allclose(changed_outputs[:, ~unchanged], outputs[:, ~unchanged])


@pytest.mark.parametrize("architecture", ["simple", "full"])
def test_wavenet_shapes(architecture):
    model = build_wavenet((None, 2), 4, architecture=architecture, **TINY_WAVENET)
    assert model(RNG.normal(size=(3, 9, 2))).shape == (3, 4)
    _last_layer_is_linear_dense(model, 4)
    seq = build_wavenet(
        (None, 2), 4, architecture=architecture, sequence_output=True, **TINY_WAVENET
    )
    for n_timesteps in (1, 9, 30):
        assert seq(RNG.normal(size=(3, n_timesteps, 2))).shape == (3, n_timesteps, 4)


def test_simple_wavenet_is_the_chapters_network():
    model = build_wavenet((None, 1), 10, sequence_output=True)
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv1D)]
    assert [conv.dilation_rate[0] for conv in convs] == [1, 2, 4, 8] * 2
    assert {conv.filters for conv in convs} == {20}
    assert {conv.kernel_size[0] for conv in convs} == {2}
    assert {conv.padding for conv in convs} == {"causal"}
    assert {conv.activation for conv in convs} == {keras.activations.relu}
    assert model.output_shape == (None, None, 10)


def test_full_wavenet_channels_and_blocks():
    model = build_wavenet(
        (None, 2),
        3,
        filters=4,
        kernel_size=2,
        dilation_rates=(1, 2),
        n_blocks=3,
        architecture="full",
        residual_channels=5,
        skip_channels=6,
        sequence_output=True,
    )
    blocks = [layer for layer in model.layers if "residual_block" in layer.name]
    assert [block.dilation_rate for block in blocks] == [1, 2] * 3
    assert {block.dilated_conv.filters for block in blocks} == {8}  # 2 * filters
    assert {block.output_conv.filters for block in blocks} == {5}
    assert model.get_layer("input_conv").filters == 5
    assert model.get_layer("skip_conv").units == 6


def test_full_wavenet_trains_every_weight():
    """The last block's residual output is unused, but none of its weights."""
    # seeded weights and data of its own: with the shared RNG and unseeded
    # weights, 4 samples could leave a ReLU dead on all of them (zero gradient)
    # depending on which tests ran before on the same worker
    model = build_wavenet((None, 1), 2, architecture="full", seed=0, **TINY_WAVENET)
    model.compile(optimizer="sgd", loss="mse")
    before = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 8, 1)), rng.normal(size=(32, 2))
    with warnings.catch_warnings(record=True) as caught, _autograd():
        warnings.simplefilter("always")
        model.fit(X, y, batch_size=32, verbose=0)
    assert not [w for w in caught if "Gradients do not exist" in str(w.message)]
    after = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    assert all(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize(
    ("kernel_size", "rates", "expected"),
    [(2, (1, 2, 4, 8) * 2, 31), (3, (1, 2), 7), (1, (1, 2, 4), 1), (2, (), 1)],
)
def test_receptive_field_formula(kernel_size, rates, expected):
    assert wavenet_receptive_field(kernel_size, rates) == expected


@pytest.mark.parametrize("architecture", ["simple", "full"])
def test_wavenet_is_causal_with_its_receptive_field(architecture):
    model = build_wavenet(
        (None, 1),
        2,
        architecture=architecture,
        sequence_output=True,
        seed=0,
        filters=3,
        kernel_size=3,
        dilation_rates=(1, 2),
    )
    receptive_field = wavenet_receptive_field(3, (1, 2))
    # Positive weights and inputs keep every ReLU active: no dead path hides a
    # tap. Small ones keep the gates (tanh x sigmoid) out of saturation: with
    # abs(w) + 0.1 the full model's first tap moved its output by 4e-6 only
    # (relative), within float32 rounding; now by at least 1.7% (20 inputs,
    # TensorFlow and JAX)
    for weight in model.weights:
        weight.assign(0.4 * np.abs(keras.ops.convert_to_numpy(weight)) + 0.04)
    rng = np.random.default_rng(0)
    inputs = rng.uniform(0.5, 1.0, size=(1, 24, 1)).astype("float32")
    outputs = to_numpy(model(inputs))
    # float32 through gated layers: the same values may round differently when
    # the backend splits the work otherwise (a flake at rtol=1e-7); a leak from
    # the future (+3.0 on every later input) moves them far more than 1e-5
    for t in (10, 17):
        changed = inputs.copy()
        changed[:, t + 1 :] += 3.0
        np.testing.assert_allclose(
            to_numpy(model(changed))[:, : t + 1], outputs[:, : t + 1], rtol=1e-5
        )
        first_seen = t - receptive_field + 1
        changed = inputs.copy()
        changed[:, first_seen] += 3.0
        assert not np.allclose(to_numpy(model(changed))[:, t], outputs[:, t])
        changed = inputs.copy()
        changed[:, :first_seen] += 3.0
        np.testing.assert_allclose(
            to_numpy(model(changed))[:, t], outputs[:, t], rtol=1e-5
        )


@pytest.mark.parametrize(
    "build",
    [
        lambda seed: build_wavenet((None, 1), 2, seed=seed, **TINY_WAVENET),
        lambda seed: build_wavenet(
            (None, 1), 2, architecture="full", seed=seed, **TINY_WAVENET
        ),
        lambda seed: build_conv_rnn((None, 1), 2, filters=2, units=2, seed=seed),
    ],
    ids=["simple", "full", "conv_rnn"],
)
def test_builders_are_seeded(build):
    first, again, other = build(1), build(1), build(2)
    for a, b, c in zip(first.weights, again.weights, other.weights, strict=True):
        np.testing.assert_array_equal(a, b)
        if to_numpy(a).std() > 0:  # biases and norms start as constants
            assert not np.array_equal(a, c)


def test_unknown_architecture():
    with pytest.raises(ValueError, match="architecture must be one of"):
        build_wavenet((None, 1), 1, architecture="gated")


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
@pytest.mark.parametrize(
    "build",
    [
        lambda: build_wavenet(
            (None, 2), 3, architecture="full", sequence_output=True, **TINY_WAVENET
        ),
        lambda: build_conv_rnn((None, 2), 3, filters=2, units=2, padding="causal"),
    ],
    ids=["full_wavenet", "conv_rnn"],
)
def test_built_models_save_and_load(build, tmp_path):
    model = build()
    inputs = RNG.normal(size=(2, 13, 2)).astype("float32")
    model.save(tmp_path / "model.keras")
    loaded = keras.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(loaded(inputs), model(inputs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("layer_norm", [False, True])
def test_conv_rnn_recurrent_layers_honour_dropout_and_layer_norm(layer_norm):
    model = build_conv_rnn(
        (None, 2),
        2,
        filters=3,
        units=(4, 3),
        dropout=0.3,
        recurrent_dropout=0.2,
        layer_norm=layer_norm,
        seed=0,
    )
    recurrent = [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]
    assert len(recurrent) == 2
    for layer in recurrent:
        # the first layer drops the convolution's features too
        assert (layer.cell.dropout, layer.cell.recurrent_dropout) == (0.3, 0.2)
        assert ("LayerNorm" in type(layer.cell).__name__) == layer_norm
    inputs = RNG.normal(size=(8, 12, 2)).astype("float32")
    kept = to_numpy(model(inputs, training=False))
    np.testing.assert_array_equal(kept, to_numpy(model(inputs, training=False)))
    assert not np.allclose(kept, to_numpy(model(inputs, training=True)))


@pytest.mark.parametrize("architecture", ["simple", "full"])
def test_wavenet_forecaster_and_classifier_share_body_and_head(architecture):
    """Same seed, same weights: on unpadded sequences the classifier (pooling
    "last") is the softmax of the forecaster's last-step output."""
    params = dict(TINY_WAVENET, architecture=architecture, skip_channels=5, seed=3)
    forecaster = build_wavenet((None, 2), 4, **params)
    classifier = build_wavenet_classifier((None, 2), 4, pooling="last", **params)
    for a, b in zip(forecaster.weights, classifier.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    inputs = RNG.normal(size=(3, 9, 2)).astype("float32")
    expected = to_numpy(keras.ops.softmax(forecaster(inputs)))
    np.testing.assert_allclose(to_numpy(classifier(inputs)), expected, atol=1e-6)
