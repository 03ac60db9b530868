"""The residual network classifier: blocks, shortcuts, masking, saving."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from skseq.networks import build_resnet_classifier  # noqa: E402

# Forward-only checks: see conftest.py (np.asarray and autograd on PyTorch).
pytestmark = pytest.mark.usefixtures("forward_only_on_torch")


def _kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def test_default_network_is_wang_et_al_resnet():
    model = build_resnet_classifier((251, 1), 3, seed=0)
    convs = [layer for layer in model.layers if type(layer).__name__ == "Conv1D"]
    # three blocks of (8, 5, 3) plus a 1x1 shortcut where the channels change
    assert [(conv.filters, conv.kernel_size[0]) for conv in convs] == [
        (64, 8), (64, 5), (64, 3), (64, 1),
        (128, 8), (128, 5), (128, 3), (128, 1),
        (128, 8), (128, 5), (128, 3),
    ]  # fmt: skip
    assert not any(conv.use_bias for conv in convs)
    assert _kinds(model).count("Add") == 3
    assert _kinds(model).count("BatchNormalization") == 12  # 9 + 3 shortcuts
    # the published count for a univariate 3-class problem (Ismail Fawaz et al.)
    assert 500_000 < model.count_params() < 510_000
    assert model.output_shape == (None, 3)


def test_int_kernel_size_gives_three_convolutions_per_block():
    model = build_resnet_classifier((None, 2), 4, filters=(4,), kernel_size=3)
    widths = [
        layer.kernel_size[0]
        for layer in model.layers
        if type(layer).__name__ == "Conv1D"
    ]
    assert widths == [3, 3, 3, 1]
    with pytest.raises(ValueError, match="kernel_size needs at least one width"):
        build_resnet_classifier((None, 1), 2, filters=(4,), kernel_size=())


def test_batch_norm_moments_skip_the_padding():
    """In training mode padded copies of a batch normalise like the batch."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 6, 1)).astype("float32")
    padded = np.concatenate([X, np.full((3, 5, 1), np.nan, "float32")], axis=1)
    model = build_resnet_classifier((None, 1), 2, filters=(3, 3), kernel_size=2)
    np.testing.assert_allclose(
        np.asarray(model(padded, training=True)),
        np.asarray(model(X, training=True)),
        atol=1e-6,
    )


def test_seeded_network_saves_and_loads(tmp_path):
    build = lambda seed: build_resnet_classifier(  # noqa: E731
        (None, 1), 2, filters=(3,), kernel_size=2, seed=seed
    )
    model = build(0)
    x = np.array([[[1.0], [-2.0], [0.5], [np.nan]]], dtype="float32")
    np.testing.assert_array_equal(build(0).predict_on_batch(x), model(x))
    assert not np.allclose(build(1).predict_on_batch(x), model(x))
    model.save(tmp_path / "resnet.keras")
    loaded = keras.saving.load_model(tmp_path / "resnet.keras")
    np.testing.assert_allclose(loaded.predict_on_batch(x), model.predict_on_batch(x))
