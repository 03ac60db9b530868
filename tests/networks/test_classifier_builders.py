"""Classifier networks: padding masks, masked pooling, padding invariance, causality.

Untrained networks suffice: masking must hold for any weights.
"""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from skseq.networks import (  # noqa: E402
    LastValidStep,
    MaskedGlobalPooling1D,
    PaddingMask,
    StridedMask,
    build_conv_classifier,
    build_next_step_classifier,
    build_resnet_classifier,
    build_rnn_classifier,
    build_wavenet_classifier,
)

# Forward-only checks: see conftest.py (np.asarray and autograd on PyTorch).
pytestmark = pytest.mark.usefixtures("forward_only_on_torch")


def padded(sequence, n_timesteps):
    """``sequence`` (n, f) followed by NaN steps up to ``n_timesteps``."""
    out = np.full((n_timesteps, sequence.shape[1]), np.nan, dtype=np.float32)
    out[: len(sequence)] = sequence
    return out


@pytest.fixture(scope="module")
def sequences():
    rng = np.random.default_rng(0)
    return rng.normal(size=(7, 2)).astype("float32"), rng.normal(size=(12, 2))


def test_padding_mask_zeroes_nan_steps_and_marks_them():
    x = np.array([[[1.0, 2.0], [3.0, 4.0], [np.nan, np.nan]]], dtype="float32")
    values, mask = PaddingMask()(x)
    np.testing.assert_array_equal(np.asarray(values)[0, 2], [0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(mask), [[True, True, False]])


def test_masked_pooling_and_last_step_skip_padding():
    x = np.array([[[1.0], [-2.0], [9.0]], [[-1.0], [-3.0], [-5.0]]], "float32")
    mask = np.array([[True, True, False], [True, True, True]])
    maximum = MaskedGlobalPooling1D("max")(x, mask=mask)
    mean = MaskedGlobalPooling1D("average")(x, mask=mask)
    last = LastValidStep()(x, mask=mask)
    np.testing.assert_allclose(np.asarray(maximum)[:, 0], [1.0, -1.0])
    np.testing.assert_allclose(np.asarray(mean)[:, 0], [-0.5, -3.0])
    np.testing.assert_allclose(np.asarray(last)[:, 0], [-2.0, -5.0])
    with pytest.raises(ValueError, match="mode"):
        MaskedGlobalPooling1D("min")


BUILDERS = {
    "lstm": lambda: build_rnn_classifier((None, 2), 3, units=(4, 3), seed=0),
    "gru": lambda: build_rnn_classifier((None, 2), 3, cell="gru", seed=0),
    "gru-strided-front": lambda: build_rnn_classifier(
        (None, 2), 3, cell="gru", units=(3,), conv_filters=(4, 4), strides=2, seed=0
    ),
    "conv-same": lambda: build_conv_classifier(
        (None, 2), 3, filters=(4, 4), kernel_size=3, dense_units=(5,), seed=0
    ),
    "conv-batch-norm": lambda: build_conv_classifier(
        (None, 2), 3, filters=(4, 5), kernel_size=(3, 2), batch_norm=True, seed=0
    ),
    "resnet": lambda: build_resnet_classifier(
        (None, 2), 3, filters=(4, 4), kernel_size=(3, 2), seed=0
    ),
    "wavenet": lambda: build_wavenet_classifier(
        (None, 2), 3, filters=4, dilation_rates=(1, 2), seed=0
    ),
    "wavenet-batch-norm": lambda: build_wavenet_classifier(
        (None, 2), 3, filters=4, dilation_rates=(1, 2), batch_norm=True, seed=0
    ),
    "wavenet-full-last": lambda: build_wavenet_classifier(
        (None, 2),
        3,
        filters=4,
        dilation_rates=(1, 2),
        architecture="full",
        pooling="last",
        seed=0,
    ),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_padding_never_changes_the_output(name, sequences):
    short, long = sequences
    model = BUILDERS[name]()
    alone = model.predict_on_batch(short[np.newaxis])
    batch = np.stack([padded(short, 12), long.astype("float32")])
    together = model.predict_on_batch(batch)
    assert together.shape == (2, 3)
    np.testing.assert_allclose(together.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(together[0], alone[0], rtol=1e-5, atol=1e-6)
    # The padding is what is masked: the same batch without it differs.
    zeros = np.nan_to_num(batch)
    assert not np.allclose(model.predict_on_batch(zeros)[0], alone[0], atol=1e-6)


def test_next_step_network_is_causal_and_ignores_padding(sequences):
    model = build_next_step_classifier(
        (None, 1),
        5,
        conv_filters=(4, 4),
        batch_norm=True,
        units=(6,),
        vocab_size=5,
        embedding_dim=3,
        seed=0,
    )
    tokens = np.array([[1, 4, 2, 0, 3, 3, 1]], dtype="float32")[..., np.newaxis]
    out = model.predict_on_batch(tokens)
    assert out.shape == (1, 7, 5)
    changed = tokens.copy()
    changed[0, 4, 0] = 2
    out_changed = model.predict_on_batch(changed)
    np.testing.assert_allclose(out_changed[0, :4], out[0, :4], rtol=1e-5)
    assert not np.allclose(out_changed[0, 4:], out[0, 4:])
    batch = np.concatenate([tokens, np.full((1, 3, 1), np.nan, "float32")], axis=1)
    np.testing.assert_allclose(
        model.predict_on_batch(batch)[0, :7], out[0], rtol=1e-5, atol=1e-6
    )


def test_token_input_needs_one_feature_and_seeds_fix_weights():
    with pytest.raises(ValueError, match="n_features must be 1"):
        build_rnn_classifier((None, 2), 2, vocab_size=10)
    first = build_conv_classifier((None, 1), 2, vocab_size=10, seed=3)
    second = build_conv_classifier((None, 1), 2, vocab_size=10, seed=3)
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_next_step_builder_checks_dilation_rates():
    with pytest.raises(ValueError, match="one rate per convolution"):
        build_next_step_classifier(
            (None, 1), 3, conv_filters=(4, 4), dilation_rates=(1,)
        )


def test_models_with_custom_layers_save_and_load(tmp_path):
    model = build_wavenet_classifier(
        (None, 1), 3, filters=4, dilation_rates=(1, 2), vocab_size=6, seed=0
    )
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = np.array([[[1], [5], [2], [np.nan]]], dtype="float32")
    np.testing.assert_allclose(loaded.predict_on_batch(x), model.predict_on_batch(x))


def test_conv_batch_norm_sits_between_convolution_and_activation():
    model = build_conv_classifier(
        (None, 1), 2, filters=(4, 6), kernel_size=(5, 3), batch_norm=True, seed=0
    )
    kinds = [type(layer).__name__ for layer in model.layers]
    block = ["Conv1D", "BatchNormalization", "Activation", "ZeroPadded"]
    assert kinds[2:10] == block * 2
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv1D"]
    assert [conv.kernel_size for conv in convs] == [(5,), (3,)]
    # the normalisation's shift replaces the bias; the activation comes after it
    assert all(
        not conv.use_bias and conv.activation.__name__ == "linear" for conv in convs
    )
    plain = build_conv_classifier((None, 1), 2, filters=(4,), seed=0)
    assert "BatchNormalization" not in [type(la).__name__ for la in plain.layers]
    with pytest.raises(ValueError, match="kernel_size needs one width"):
        build_conv_classifier((None, 1), 2, filters=(4, 6), kernel_size=(5,))


def test_wavenet_batch_norm_normalises_each_dilated_convolution():
    model = build_wavenet_classifier(
        (None, 1), 2, filters=4, dilation_rates=(1, 2, 4), batch_norm=True, seed=0
    )
    kinds = [type(layer).__name__ for layer in model.layers]
    block = ["Conv1D", "BatchNormalization", "ZeroPadded", "Activation"]
    assert kinds[2:14] == block * 3
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv1D"]
    assert [conv.dilation_rate for conv in convs] == [(1,), (2,), (4,)]
    assert all(not conv.use_bias and conv.padding == "causal" for conv in convs)
    # Eight plain Glorot ReLU layers shrink a unit-variance input to a nearly
    # constant output (the collapse on ArrowHead); normalised ones do not.
    x = np.random.default_rng(0).normal(size=(16, 64, 1)).astype("float32")
    rates = (1, 2, 4, 8) * 2
    spreads = {}
    for batch_norm in (False, True):
        deep = build_wavenet_classifier(
            (None, 1), 2, dilation_rates=rates, batch_norm=batch_norm, seed=0
        )
        kinds = ("Conv1D", "Activation")
        top = [la for la in deep.layers if type(la).__name__ in kinds][-1].output
        spreads[batch_norm] = np.asarray(
            keras.Model(deep.input, top)(x, training=True)
        ).std()
    assert spreads[True] > 10 * spreads[False]
    # The full network has no such layers: its residual connections carry the signal.
    full = build_wavenet_classifier(
        (None, 1),
        2,
        filters=4,
        dilation_rates=(1, 2),
        architecture="full",
        batch_norm=True,
        seed=0,
    )
    assert "BatchNormalization" not in [type(la).__name__ for la in full.layers]


def test_conv_batch_norm_moments_skip_the_padding():
    """In training mode the batch statistics must not see padding steps: a batch
    of padded copies normalises like the unpadded batch."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 6, 1)).astype("float32")
    padded_X = np.concatenate([X, np.full((3, 9, 1), np.nan, "float32")], axis=1)
    model = build_conv_classifier((None, 1), 2, filters=(3,), batch_norm=True, seed=0)
    trained = model(X, training=True)
    padded_out = model(padded_X, training=True)
    np.testing.assert_allclose(np.asarray(padded_out), np.asarray(trained), atol=1e-6)


def test_strided_front_shortens_the_sequences_for_the_recurrent_layer():
    model = build_rnn_classifier(
        (None, 1), 2, cell="gru", units=(3,), conv_filters=(4,), strides=4, seed=0
    )
    front = [la for la in model.layers if type(la).__name__ == "ZeroPadded"][-1]
    steps = keras.Model(model.input, front.output).predict_on_batch(np.ones((1, 13, 1)))
    assert steps.shape == (1, 4, 4)  # ceil(13 / 4) steps of 4 channels
    mask_layer = next(la for la in model.layers if isinstance(la, StridedMask))
    assert type(mask_layer).from_config(mask_layer.get_config()).strides == 4


def test_conv_classifier_refuses_a_padding_that_shortens_the_sequence():
    # "valid" built a model that failed at its first call, the padding mask no
    # longer matching the convolution's shorter output.
    with pytest.raises(ValueError, match="padding must be one of"):
        build_conv_classifier((None, 2), 3, filters=(4,), padding="valid")
