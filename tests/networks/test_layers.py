"""Custom Keras layers: shapes, maths, causality, config round trip, save/load."""

import keras
import numpy as np
import pytest

from skseq.networks._layers import (
    EndAlignedCropping1D,
    GatedActivationUnit,
    LastTimeStep,
    LayerNormGRUCell,
    LayerNormLSTMCell,
    LayerNormSimpleRNNCell,
    WaveNetResidualBlock,
)

# Forward-only checks: see conftest.py (np.asarray and autograd on PyTorch).
pytestmark = pytest.mark.usefixtures("forward_only_on_torch")
to_numpy = keras.ops.convert_to_numpy


RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 7, 3)).astype("float32")
CELLS = [LayerNormSimpleRNNCell, LayerNormLSTMCell, LayerNormGRUCell]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _layer_norm(x, gamma, beta, epsilon=1e-3):
    mean = x.mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=-1, keepdims=True) + epsilon) * gamma + beta


def _randomise(layer, seed=1):
    """Give every weight random values, so that norms' gamma and beta matter too."""
    rng = np.random.default_rng(seed)
    for weight in layer.weights:
        weight.assign(rng.normal(size=weight.shape).astype("float32"))


def _random_cell(cell_type):
    """A cell of 4 units built for 3 input features, with random weights."""
    cell = cell_type(4, seed=0)
    cell.build((None, 3))
    _randomise(cell)
    return cell


@pytest.mark.parametrize("cell_type", CELLS)
def test_cell_output_shapes(cell_type):
    layer = keras.layers.RNN(cell_type(4, seed=0), return_sequences=True)
    assert layer(X).shape == (2, 7, 4)
    assert keras.layers.RNN(cell_type(4, seed=0))(X[:, :2]).shape == (2, 4)


def test_lstm_cell_returns_both_states():
    output, h, c = keras.layers.RNN(LayerNormLSTMCell(4), return_state=True)(X)
    assert output.shape == h.shape == c.shape == (2, 4)
    np.testing.assert_allclose(output, h)


def test_simple_cell_normalises_before_activation():
    cell = LayerNormSimpleRNNCell(6, activation="linear", epsilon=1e-7, seed=0)
    outputs = to_numpy(keras.layers.RNN(cell, return_sequences=True)(X))
    # gamma = 1 and beta = 0 at initialisation: each step is standardised.
    np.testing.assert_allclose(outputs.mean(axis=-1), 0, atol=1e-5)
    np.testing.assert_allclose(outputs.std(axis=-1), 1, atol=1e-3)


def test_simple_cell_step_matches_numpy():
    cell = _random_cell(LayerNormSimpleRNNCell)
    x, h = X[:, 0], RNG.normal(size=(2, 4)).astype("float32")
    out, (state,) = cell(x, [h])
    kernel, recurrent, bias, gamma, beta = (to_numpy(w) for w in cell.weights)
    expected = np.tanh(_layer_norm(x @ kernel + h @ recurrent + bias, gamma, beta))
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state, expected, rtol=1e-4, atol=1e-5)


class _ChapterLNSimpleRNNCell(keras.layers.Layer):
    """The chapter's cell: SimpleRNNCell(activation=None), LayerNormalization,
    then the activation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.state_size = self.output_size = units
        self.simple_rnn_cell = keras.layers.SimpleRNNCell(units, activation=None)
        self.layer_norm = keras.layers.LayerNormalization()

    def build(self, input_shape):
        self.simple_rnn_cell.build(input_shape)
        self.layer_norm.build((*input_shape[:-1], self.state_size))

    def call(self, inputs, states):
        outputs, _ = self.simple_rnn_cell(inputs, states)
        normalised = keras.activations.tanh(self.layer_norm(outputs))
        return normalised, [normalised]


def test_simple_cell_is_the_chapters_cell_bias_included():
    # The bias before the normalisation is not a shift after it: without it the
    # cell could not represent the chapter's (outputs differed by up to 1.6).
    chapter = keras.layers.RNN(_ChapterLNSimpleRNNCell(5), return_sequences=True)
    ours = keras.layers.RNN(LayerNormSimpleRNNCell(5), return_sequences=True)
    chapter(X), ours(X)
    rng = np.random.default_rng(3)
    kernel, recurrent, bias, gamma, beta = (
        rng.normal(size=shape) for shape in ((3, 5), (5, 5), (5,), (5,), (5,))
    )
    chapter.set_weights([kernel, 0.5 * recurrent, bias, gamma, beta])
    ours.set_weights([kernel, 0.5 * recurrent, bias, gamma, beta])
    np.testing.assert_allclose(ours(X), chapter(X), rtol=1e-4, atol=1e-5)


def test_simple_cell_config_saved_without_bias_loads_without_one():
    config = LayerNormSimpleRNNCell(3, seed=0).get_config()
    del config["use_bias"]
    cell = LayerNormSimpleRNNCell.from_config(config)
    keras.layers.RNN(cell)(X)
    assert len(cell.weights) == 4


def test_lstm_cell_step_matches_numpy():
    cell = _random_cell(LayerNormLSTMCell)
    x = X[:, 0]
    h, c = RNG.normal(size=(2, 2, 4)).astype("float32")
    out, (new_h, new_c) = cell(x, [h, c])
    w = {v.name: to_numpy(v) for v in cell.weights}
    z = (
        _layer_norm(x @ w["kernel"], w["input_norm_gamma"], w["input_norm_beta"])
        + _layer_norm(
            h @ w["recurrent_kernel"],
            w["recurrent_norm_gamma"],
            w["recurrent_norm_beta"],
        )
        + w["bias"]
    )
    i, f, g, o = np.split(z, 4, axis=-1)
    c_expected = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    h_expected = _sigmoid(o) * np.tanh(
        _layer_norm(c_expected, w["cell_norm_gamma"], w["cell_norm_beta"])
    )
    np.testing.assert_allclose(new_c, c_expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out, h_expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(new_h, h_expected, rtol=1e-4, atol=1e-5)


def test_lstm_forget_bias_starts_at_one():
    cell = LayerNormLSTMCell(3)
    cell.build((None, 2))
    np.testing.assert_array_equal(cell.bias, [0] * 3 + [1] * 3 + [0] * 6)


def test_gru_cell_step_matches_numpy():
    cell = _random_cell(LayerNormGRUCell)
    x, h = X[:, 0], RNG.normal(size=(2, 4)).astype("float32")
    out, (state,) = cell(x, [h])
    w = {v.name: to_numpy(v) for v in cell.weights}
    x_z, x_r, x_h = np.split(
        _layer_norm(x @ w["kernel"], w["input_norm_gamma"], w["input_norm_beta"])
        + w["bias"],
        3,
        axis=-1,
    )
    h_z, h_r, h_h = np.split(
        _layer_norm(
            h @ w["recurrent_kernel"],
            w["recurrent_norm_gamma"],
            w["recurrent_norm_beta"],
        ),
        3,
        axis=-1,
    )
    z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
    expected = z * h + (1 - z) * np.tanh(x_h + r * h_h)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cell_type", CELLS)
def test_cells_are_seeded(cell_type):
    def weights(seed):
        cell = cell_type(3, seed=seed)
        cell.build((None, 2))
        return [to_numpy(w) for w in cell.weights]

    first, again, other = weights(5), weights(5), weights(6)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(first[0], other[0])


@pytest.mark.parametrize("cell_type", CELLS)
def test_cell_is_causal(cell_type):
    layer = keras.layers.RNN(cell_type(3, seed=0), return_sequences=True)
    changed = X.copy()
    changed[:, 4:] += 10.0
    np.testing.assert_allclose(layer(X)[:, :4], layer(changed)[:, :4], atol=1e-6)


def test_gated_activation_unit():
    inputs = RNG.normal(size=(2, 5, 6)).astype("float32")
    out = GatedActivationUnit()(inputs)
    expected = np.tanh(inputs[..., :3]) * _sigmoid(inputs[..., 3:])
    assert out.shape == (2, 5, 3)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    symbolic = GatedActivationUnit()(keras.Input((None, 8)))
    assert symbolic.shape == (None, None, 4)


def test_gated_activation_unit_refuses_odd_channels():
    with pytest.raises(ValueError, match="even number of channels"):
        GatedActivationUnit()(np.zeros((1, 3, 5), "float32"))


def test_residual_block_outputs():
    inputs = RNG.normal(size=(2, 16, 5)).astype("float32")
    block = WaveNetResidualBlock(4, kernel_size=2, dilation_rate=4, seed=0)
    residual, skip = block(inputs)
    assert residual.shape == skip.shape == (2, 16, 5)
    np.testing.assert_allclose(residual, inputs + to_numpy(skip), atol=1e-6)
    # causal dilated conv (2 * filters channels) then 1x1 conv back to 5 channels
    assert block.dilated_conv.kernel.shape == (2, 5, 8)
    assert block.output_conv.kernel.shape == (1, 4, 5)
    symbolic = block(keras.Input((None, 5)))
    assert [tuple(t.shape) for t in symbolic] == [(None, None, 5)] * 2


@pytest.mark.parametrize("dilation_rate", [1, 3])
def test_residual_block_is_causal_with_its_receptive_field(dilation_rate):
    block = WaveNetResidualBlock(3, kernel_size=3, dilation_rate=dilation_rate, seed=0)
    inputs = RNG.normal(size=(1, 20, 2)).astype("float32")
    _, skip = block(inputs)
    for t in (8, 12):
        changed = inputs.copy()
        changed[:, t + 1 :] += 5.0
        np.testing.assert_allclose(block(changed)[1][:, : t + 1], skip[:, : t + 1])
        # Step t sees the inputs t - 2 * dilation_rate ... t, and no earlier ones.
        changed = inputs.copy()
        changed[:, t - 2 * dilation_rate] += 5.0
        assert not np.allclose(block(changed)[1][:, t], skip[:, t])
        changed = inputs.copy()
        changed[:, : t - 2 * dilation_rate] += 5.0
        np.testing.assert_allclose(block(changed)[1][:, t], skip[:, t])


def test_residual_block_sub_seeds_differ():
    block = WaveNetResidualBlock(3, kernel_size=1, seed=0)
    block.build((None, None, 3))
    first = to_numpy(block.dilated_conv.kernel)[0, :, :3]
    second = to_numpy(block.output_conv.kernel)[0]
    assert not np.allclose(first, second)


@pytest.mark.parametrize(
    ("padding", "n_timesteps", "expected"),
    [
        ("valid", 9, 8),
        ("valid", 10, 10),
        ("causal", 9, 9),
        ("causal", 10, 9),
        ("same", 9, 9),
    ],
)
def test_end_aligned_cropping(padding, n_timesteps, expected):
    inputs = np.arange(2 * n_timesteps, dtype="float32").reshape(1, -1, 2)
    cropped = EndAlignedCropping1D(4, 2, padding)(inputs)
    np.testing.assert_array_equal(cropped, inputs[:, n_timesteps - expected :])
    assert EndAlignedCropping1D(4, 2, padding).compute_output_shape(
        (None, n_timesteps, 2)
    ) == (None, expected, 2)


def test_last_time_step():
    np.testing.assert_array_equal(LastTimeStep()(X), X[:, -1])


LAYERS = [
    LayerNormSimpleRNNCell(3, activation="relu", epsilon=1e-4, seed=1),
    LayerNormLSTMCell(3, recurrent_activation="hard_sigmoid", seed=2),
    LayerNormGRUCell(3, activation="relu", dropout=0.2, recurrent_dropout=0.1, seed=3),
    GatedActivationUnit(),
    WaveNetResidualBlock(4, kernel_size=3, dilation_rate=2, seed=4),
    EndAlignedCropping1D(4, 3, "causal"),
    LastTimeStep(),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: type(layer).__name__)
def test_get_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    # Registered under "skseq", so generic deserialisation finds the class.
    restored = keras.layers.deserialize(keras.layers.serialize(layer))
    assert type(restored) is type(layer)
    assert restored.get_config() == config


def _model_with(layer):
    inputs = keras.Input((None, 4))
    if isinstance(layer, (LayerNormSimpleRNNCell, LayerNormLSTMCell, LayerNormGRUCell)):
        outputs = keras.layers.RNN(layer, return_sequences=True)(inputs)
    elif isinstance(layer, WaveNetResidualBlock):
        outputs = keras.layers.Concatenate()(list(layer(inputs)))
    elif isinstance(layer, EndAlignedCropping1D):
        outputs = keras.layers.Conv1D(2, 4, strides=3, padding="causal")(layer(inputs))
    else:
        outputs = layer(inputs)
    return keras.Model(inputs, outputs)


# Keras' own saving code converts TF variables the NumPy 1 way.
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
@pytest.mark.parametrize("make_layer", LAYERS, ids=lambda layer: type(layer).__name__)
def test_save_load_keras_file(make_layer, tmp_path):
    layer = type(make_layer).from_config(make_layer.get_config())
    model = _model_with(layer)
    for weight in model.weights:
        weight.assign(RNG.normal(size=weight.shape).astype("float32"))
    inputs = RNG.normal(size=(2, 11, 4)).astype("float32")
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded(inputs), model(inputs), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("cell_type", CELLS)
def test_cell_dropout_shares_one_mask_across_time_and_only_trains(cell_type):
    layer = keras.layers.RNN(cell_type(3, dropout=0.5, seed=0), return_sequences=True)
    constant = np.ones((4, 6, 2), "float32")
    inference = to_numpy(layer(constant, training=False))
    np.testing.assert_array_equal(inference, to_numpy(layer(constant)))
    trained = to_numpy(layer(constant, training=True))
    assert not np.allclose(trained, inference)
    assert layer.cell._dropout_mask is None  # reset after each call, as in Keras
    assert not np.array_equal(trained, to_numpy(layer(constant, training=True)))


def test_cell_dropout_mask_is_the_same_at_every_step():
    # Without recurrence, a constant input gives the same output at every step
    # exactly when every step sees the same dropout mask (variational dropout).
    layer = keras.layers.RNN(
        LayerNormSimpleRNNCell(8, dropout=0.5, seed=0), return_sequences=True
    )
    constant = np.ones((16, 5, 6), "float32")
    layer(constant)
    layer.cell.recurrent_kernel.assign(np.zeros((8, 8), "float32"))
    out = to_numpy(layer(constant, training=True))
    np.testing.assert_allclose(out, np.repeat(out[:, :1], 5, axis=1), atol=1e-6)
    assert not np.allclose(out[0], out[1])  # but sequences get their own masks


@pytest.mark.parametrize("cell_type", CELLS)
def test_cell_recurrent_dropout_changes_training_outputs(cell_type):
    layer = keras.layers.RNN(cell_type(3, recurrent_dropout=0.5, seed=0))
    inference = to_numpy(layer(X, training=False))
    assert not np.allclose(to_numpy(layer(X, training=True)), inference)


@pytest.mark.parametrize("rate", [-0.1, 1.0])
def test_cell_refuses_dropout_outside_unit_interval(rate):
    with pytest.raises(ValueError, match="dropout must be in"):
        LayerNormGRUCell(3, dropout=rate)
    with pytest.raises(ValueError, match="recurrent_dropout must be in"):
        LayerNormLSTMCell(3, recurrent_dropout=rate)
