"""ConvRNNForecaster and WaveNetForecaster: strategies, seq2seq target alignment,
receptive field, grid search and long sequences."""

import warnings

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from skseq.estimators._convolutional import ConvRNNForecaster, WaveNetForecaster

TINY = {"epochs": 1, "batch_size": 16, "random_state": 0}
# Receptive field 1 + 1 + 2 + 4 + 8 + 4 = 20: the 20-step windows below fit exactly.
WAVENET = {"filters": 3, "dilation_rates": (1, 2, 4, 8, 4)}
ESTIMATORS = {
    "conv_rnn": lambda: ConvRNNForecaster(3, units=(3, 2), **TINY),
    "wavenet": lambda: WaveNetForecaster(**WAVENET, **TINY),
    "wavenet_full": lambda: WaveNetForecaster(architecture="full", **WAVENET, **TINY),
}
STRATEGIES = ["direct", "seq2seq", "recursive"]


@pytest.fixture(scope="module")
def series():
    """32 noisy sine series of 23 steps: windows of 20, then 3 steps ahead."""
    rng = np.random.default_rng(0)
    t = np.arange(23)
    phase = rng.uniform(0, 2 * np.pi, size=(32, 1))
    values = np.sin(0.5 * t + phase) + 0.1 * rng.normal(size=(32, 23))
    return values.astype(np.float32)


class _TargetSpy(ConvRNNForecaster):
    """Records the targets the network is trained on."""

    def _train(self, keras, model, data, *args):
        self.trained_targets_ = data.y
        return super()._train(keras, model, data, *args)


@pytest.fixture(scope="module")
def fitted(series):
    """One fitted estimator per (architecture, strategy), with its data."""
    X, y = series[:, :20], series[:, 20:]
    models = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no receptive-field warning
        for name, make in ESTIMATORS.items():
            for strategy in STRATEGIES:
                model = make().set_params(strategy=strategy)
                if name == "conv_rnn" and strategy == "seq2seq":
                    model = _TargetSpy(**model.get_params())
                models[name, strategy] = model.fit(X, y)
    return models, X, y


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_fit_predict_every_strategy(fitted, name, strategy):
    models, X, y = fitted
    model = models[name, strategy]
    y_pred = model.predict(X[:5])
    assert y_pred.shape == (5, 3)
    assert np.isfinite(y_pred).all()
    assert model.horizon_ == 3
    assert model.n_timesteps_in_ == 20
    assert np.isfinite(model.history_["loss"]).all()
    # Any length at predict time (at least kernel_size for a valid conv).
    assert model.predict(X[:5, -9:]).shape == (5, 3)
    assert np.isfinite(model.score(X, y))


def test_seq2seq_trains_on_the_chapters_cropped_targets(fitted, series):
    """The chapter builds Y with 10 steps ahead at each step, then fits on
    ``Y[:, 3::2]`` for its Conv1D(kernel_size=4, strides=2, padding="valid")."""
    models, X, y = fitted
    horizon = y.shape[1]
    Y = np.empty((len(series), 20, horizon), dtype=np.float32)
    for step_ahead in range(1, horizon + 1):
        Y[..., step_ahead - 1] = series[:, step_ahead : step_ahead + 20]
    trained = models["conv_rnn", "seq2seq"].trained_targets_
    np.testing.assert_array_equal(trained, Y[:, 3::2])
    network = models["conv_rnn", "seq2seq"].model_
    assert network.predict_on_batch(X[:2, :, None]).shape == (2, 9, 3)


@pytest.mark.parametrize(
    ("n_timesteps", "params", "steps"),
    [
        (50, {}, slice(3, None, 2)),  # the chapter
        (51, {}, slice(4, None, 2)),  # the oldest step is dropped to end on the last
        (12, {"strides": 1}, slice(3, None)),
        (12, {"kernel_size": 3, "strides": 3, "padding": "causal"}, slice(2, None, 3)),
        (12, {"kernel_size": 2, "strides": 2, "padding": "same"}, slice(1, None, 2)),
    ],
)
def test_align_sequence_targets(n_timesteps, params, steps):
    Y = np.random.default_rng(0).normal(size=(3, n_timesteps, 4))
    aligned = ConvRNNForecaster(**params)._align_sequence_targets(Y)
    np.testing.assert_array_equal(aligned, Y[:, steps])
    assert aligned[0, -1, 0] == Y[0, -1, 0]  # the last output forecasts after the end


def test_wavenet_receptive_field_attribute(fitted):
    models, _, _ = fitted
    assert models["wavenet", "direct"].receptive_field_ == 20
    assert models["wavenet_full", "seq2seq"].receptive_field_ == 20
    assert not hasattr(models["conv_rnn", "direct"], "receptive_field_")


def test_wavenet_warns_when_windows_exceed_the_receptive_field(series):
    model = WaveNetForecaster(2, dilation_rates=(1, 2), n_blocks=2, **TINY)
    with pytest.warns(
        UserWarning,
        match=r"receptive field of this WaveNet is 7: "
        r"its forecasts never see the first 13 step\(s\)",
    ):
        model.fit(series[:, :20], series[:, 20])
    assert model.receptive_field_ == 7


def test_failed_fit_keeps_the_previous_fit(series):
    model = WaveNetForecaster(2, dilation_rates=(1, 2), **TINY)
    model.fit(series[:, :4], series[:, 4])
    network = model.model_
    model.set_params(dilation_rates=(1, 2, 4, 8))
    with pytest.raises(ValueError, match="different numbers of samples"):
        model.fit(series[:, :4], series[:5, 4])
    assert model.model_ is network
    assert model.receptive_field_ == 4


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: ConvRNNForecaster(padding="full"), "padding must be one of"),
        (lambda: ConvRNNForecaster(cell="transformer"), "cell must be one of"),
        (lambda: ConvRNNForecaster(strides=0), "strides must be >= 1"),
        (lambda: ConvRNNForecaster(units=()), "units must hold"),
        (lambda: WaveNetForecaster(dilation_rates=(1, 0)), "dilation_rates must"),
        (lambda: WaveNetForecaster(architecture="gated"), "architecture must be"),
        (lambda: WaveNetForecaster(n_blocks=0), "n_blocks must be >= 1"),
        (lambda: WaveNetForecaster(skip_channels=0), "skip_channels must be >= 1"),
    ],
)
def test_invalid_architecture(series, make, match):
    with pytest.raises(ValueError, match=match):
        make().fit(series[:, :8], series[:, 8])


def test_valid_conv_needs_kernel_size_steps(fitted):
    models, X, _ = fitted
    model = ConvRNNForecaster(kernel_size=4)
    with pytest.raises(ValueError, match="fewer than kernel_size=4"):
        model.fit(X[:, :3], X[:, 3])
    with pytest.raises(ValueError, match="fewer than kernel_size=4"):
        models["conv_rnn", "direct"].predict(X[:, :3])


def test_grid_search_over_dilation_rates(series):
    X, y = series[:, :8], series[:, 8]
    search = GridSearchCV(
        WaveNetForecaster(2, **TINY),
        {"dilation_rates": [(1, 2, 4), (1, 2, 4, 8)]},
        cv=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # receptive fields 8 and 16
        search.fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    assert best.receptive_field_ == 1 + sum(best.dilation_rates)


def test_grid_search_over_filters(series):
    X, y = series[:, :8], series[:, 8]
    search = GridSearchCV(ConvRNNForecaster(units=2, **TINY), {"filters": [2, 3]}, cv=2)
    search.fit(X, y)
    assert [p["filters"] for p in search.cv_results_["params"]] == [2, 3]
    assert search.best_estimator_.model_.get_layer("conv").filters in (2, 3)


def test_params_are_not_mutated():
    model = WaveNetForecaster(dilation_rates=[1, 2], residual_channels=4)
    assert clone(model).get_params()["dilation_rates"] == [1, 2]


@pytest.mark.parametrize(
    "model",
    [
        WaveNetForecaster(2, dilation_rates=(1, 2, 4), epochs=1, batch_size=2),
        WaveNetForecaster(
            2,
            dilation_rates=(1, 2, 4),
            architecture="full",
            strategy="seq2seq",
            epochs=1,
            batch_size=2,
        ),
        # 16 times shorter for the GRU: the recurrent part is sequential.
        ConvRNNForecaster(
            2, kernel_size=16, strides=16, units=2, epochs=1, batch_size=2
        ),
    ],
    ids=["wavenet", "wavenet_full_seq2seq", "conv_rnn"],
)
def test_sequences_of_16384_steps(model):
    rng = np.random.default_rng(0)
    series = rng.normal(size=(2, 16384 + 2)).astype(np.float32)
    X, y = series[:, :-2], series[:, -2:]
    if isinstance(model, WaveNetForecaster):
        with pytest.warns(UserWarning, match="never see the first 16376 step"):
            model.fit(X, y)
    else:
        model.fit(X, y)
    y_pred = model.predict(X)
    assert y_pred.shape == (2, 2)
    assert np.isfinite(y_pred).all()


@pytest.mark.parametrize(
    ("kernel_size", "strides"), [(4, 2), (2, 3)], ids=["wider", "narrower"]
)
def test_same_padding_predicts_on_other_lengths(kernel_size, strides):
    """padding="same" cropped with Python's max on the length, which a graph
    traced for sequences of any length holds as a tensor: predicting on 12
    steps after 8 raised TensorFlow's OperatorNotAllowedInGraphError."""
    rng = np.random.default_rng(0)
    model = ConvRNNForecaster(
        2, kernel_size=kernel_size, strides=strides, padding="same", units=2, **TINY
    ).fit(rng.normal(size=(8, 8)), rng.normal(size=8))
    for n_timesteps in (8, 12, 9, 13):
        X = rng.normal(size=(3, n_timesteps)).astype(np.float32)
        # The network called eagerly on X knows its length as an int (Keras'
        # conversion: np.asarray refuses PyTorch's tensors that require grad).
        eager = model.model_(X[:, :, np.newaxis])
        expected = keras.ops.convert_to_numpy(eager)[:, 0]
        np.testing.assert_allclose(model.predict(X), expected, rtol=1e-5, atol=1e-6)
