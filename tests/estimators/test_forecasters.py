import pickle
import warnings

import joblib
import keras
import numpy as np
import pytest
from sklearn.base import clone

from skseq import (
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    RNNForecaster,
    SimpleRNNForecaster,
    make_windows,
)
from skseq.estimators._forecaster_base import seq2seq_targets, split_validation

FAST = {"epochs": 2, "batch_size": 16, "random_state": 0}


def test_naive_repeats_last_value_and_last_season():
    X = np.arange(20.0).reshape(2, 10)
    y = np.zeros((2, 5))
    np.testing.assert_array_equal(NaiveForecaster().fit(X, y).predict(X)[0], [9] * 5)
    seasonal = NaiveForecaster(season=3).fit(X, y).predict(X)
    np.testing.assert_array_equal(seasonal[1], [17, 18, 19, 17, 18])


def test_naive_forecasts_the_first_features_as_targets():
    X = np.stack([np.arange(6.0), -np.arange(6.0), np.full(6, 9.0)], axis=-1)[None]
    y = np.zeros((1, 2, 2))
    pred = NaiveForecaster().fit(X, y).predict(X)
    np.testing.assert_array_equal(pred, [[[5.0, -5.0], [5.0, -5.0]]])
    with pytest.raises(ValueError, match="shorter than season=7"):
        NaiveForecaster(season=7).fit(X, y)


def test_seq2seq_targets_match_the_chapters_construction():
    series = np.random.default_rng(0).normal(size=(4, 13, 1)).astype(np.float32)
    n_steps, horizon = 8, 5
    X, y = series[:, :n_steps], series[:, n_steps:, 0]
    # the chapter: Y[:, :, k - 1] = series[:, k : k + n_steps, 0]
    expected = np.empty((4, n_steps, horizon), np.float32)
    for step_ahead in range(1, horizon + 1):
        expected[:, :, step_ahead - 1] = series[:, step_ahead : step_ahead + n_steps, 0]
    Y = seq2seq_targets(X, y[:, :, None])
    np.testing.assert_array_equal(Y, expected)


def test_split_validation_holds_out_the_latest_samples():
    X, y = np.arange(10)[:, None], np.arange(10)
    (X_train, _), (X_val, y_val) = split_validation(X, y, 0.25)
    np.testing.assert_array_equal(X_val[:, 0], [7, 8, 9])
    np.testing.assert_array_equal(X_train[:, 0], np.arange(7))
    with pytest.raises(ValueError, match="at least one training and one validation"):
        split_validation(X[:1], y[:1], 0.5)


@pytest.mark.parametrize("strategy", ["direct", "seq2seq", "recursive"])
@pytest.mark.parametrize("y_shape", [(80,), (80, 5), (80, 5, 1)])
def test_predictions_take_the_shape_of_y(sine_series, strategy, y_shape):
    X = sine_series[:, :20]
    y = sine_series[:, 20 : 20 + (y_shape[1] if len(y_shape) > 1 else 1)]
    y = y.reshape(y_shape)
    model = GRUForecaster(4, strategy=strategy, **FAST).fit(X, y)
    pred = model.predict(X[:7])
    assert pred.shape == (7, *y_shape[1:])
    assert pred.dtype == np.float64 and np.isfinite(pred).all()
    assert model.horizon_ == (y_shape[1] if len(y_shape) > 1 else 1)


def test_direct_strategy_uses_covariates_and_several_targets(multivariate_data):
    X, y = multivariate_data
    model = LSTMForecaster((4, 3), **FAST).fit(X, y)
    assert model.predict(X).shape == (60, 4, 2)
    assert (model.n_features_in_, model.n_targets_, model.horizon_) == (3, 2, 4)
    seq = RNNForecaster(4, cell="simple", strategy="seq2seq", **FAST).fit(X, y)
    assert seq.predict(X).shape == (60, 4, 2)


def test_recursive_strategy_needs_every_feature_to_be_a_target(multivariate_data):
    X, y = multivariate_data
    with pytest.raises(ValueError, match="every feature of X must be a target"):
        GRUForecaster(4, strategy="recursive", **FAST).fit(X, y)


def test_recursive_forecast_feeds_its_own_steps_back(next_step_data, multi_step_data):
    X, _ = multi_step_data
    model = SimpleRNNForecaster(4, strategy="recursive", **FAST).fit(*multi_step_data)
    pred = model.predict(X[:3])
    # the same one-step network, driven by hand
    window, manual = X[:3], []
    for _ in range(5):
        step = model.model_.predict_on_batch(window)
        manual.append(step[:, 0])
        window = np.concatenate([window[:, 1:], step[:, None]], axis=1)
    np.testing.assert_allclose(pred, np.stack(manual, axis=1), rtol=1e-6)


def test_recurrent_models_accept_other_lengths_dense_does_not(next_step_data):
    X, y = next_step_data
    rnn = RNNForecaster(3, **FAST).fit(X, y)
    assert rnn.predict(X[:, :12]).shape == (80,)
    dense = DenseForecaster(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="fitted on 20"):
        dense.predict(X[:, :12])


def test_dense_forecaster_learns_a_sine(next_step_data):
    X, y = next_step_data
    model = DenseForecaster(
        epochs=60, learning_rate=0.01, solver="gradient", random_state=0
    ).fit(X, y)
    assert model.score(X, y) > 0.8
    assert model.history_["loss"][-1] < model.history_["loss"][0]
    assert len(model.history_["loss"]) == 60


def test_same_random_state_same_predictions_other_state_differs(next_step_data):
    X, y = next_step_data
    first = LSTMForecaster(4, **FAST).fit(X, y).predict(X)
    again = LSTMForecaster(4, **FAST).fit(X, y).predict(X)
    other = LSTMForecaster(4, **{**FAST, "random_state": 1}).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


@pytest.fixture(scope="module")
def fitted_gru(multi_step_data):
    return GRUForecaster((4, 3), **FAST).fit(*multi_step_data)


def test_pickle_and_joblib_round_trip(fitted_gru, multi_step_data, tmp_path):
    X, _ = multi_step_data
    expected = fitted_gru.predict(X)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(fitted_gru)).predict(X), expected
    )
    joblib.dump(fitted_gru, tmp_path / "model.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "model.joblib").predict(X), expected
    )


def test_clone_of_fitted_estimator_is_unfitted_with_same_params(fitted_gru):
    copy = clone(fitted_gru)
    assert copy.get_params() == fitted_gru.get_params()
    assert not hasattr(copy, "model_")


def test_early_stopping_validates_on_the_end_and_restores(next_step_data):
    X, y = next_step_data
    model = DenseForecaster(
        epochs=30,
        early_stopping=True,
        patience=2,
        learning_rate=0.5,
        solver="gradient",
        random_state=0,
    )
    # lr=0.5 overshoots: on TensorFlow the best validation loss is the first
    # epoch's (kept, with a warning); other backends may train past it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    assert "val_loss" in model.history_
    assert len(model.history_["val_loss"]) == len(model.history_["loss"])
    kept_first = int(np.argmin(model.history_["val_loss"])) == 0
    warned = [w for w in caught if "kept the network of epoch 1" in str(w.message)]
    assert bool(warned) == kept_first


def test_user_callbacks_are_copied_not_mutated(next_step_data):
    class CountEpochs(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.epochs_seen = 0

        def on_epoch_end(self, epoch, logs=None):
            self.epochs_seen += 1

    callback = CountEpochs()
    model = DenseForecaster(callbacks=[callback], **FAST).fit(*next_step_data)
    assert callback.epochs_seen == 0
    assert model.callbacks[0] is callback


def test_optimizer_params_and_clipping_reach_the_optimizer(next_step_data):
    model = DenseForecaster(
        optimizer="sgd",
        learning_rate=0.02,
        optimizer_params={"momentum": 0.9},
        clipnorm=1.0,
        loss="huber",
        **FAST,
    ).fit(*next_step_data)
    optimizer = model.model_.optimizer
    assert optimizer.momentum == 0.9 and optimizer.clipnorm == 1.0
    assert np.isclose(float(optimizer.learning_rate), 0.02)


def test_a_failed_refit_keeps_the_previous_model(fitted_gru, multi_step_data):
    X, y = multi_step_data
    model = clone(fitted_gru).fit(X, y)
    before = model.predict(X)
    with pytest.raises(ValueError, match="NaN"):
        model.fit(np.full_like(X, np.nan), y)
    np.testing.assert_array_equal(model.predict(X), before)
    assert model.horizon_ == 5


def test_windows_straight_from_a_series_to_a_forecaster():
    series = np.sin(np.arange(400) / 6.0)
    X, y = make_windows(series, window=24, horizon=6)
    pred = GRUForecaster(4, **FAST).fit(X, y).predict(X[-1:])
    assert pred.shape == (1, 6)


@pytest.fixture(scope="module")
def dropout_gru(multi_step_data):
    return GRUForecaster(
        6, dropout=0.3, recurrent_dropout=0.2, mc_samples=15, **FAST
    ).fit(*multi_step_data)


def test_mc_dropout_std_and_intervals(dropout_gru, multi_step_data):
    X, _ = multi_step_data
    mean, std = dropout_gru.predict(X[:10], return_std=True)
    lower, upper = dropout_gru.predict_interval(X[:10], coverage=0.8)
    assert mean.shape == std.shape == lower.shape == upper.shape == (10, 5)
    assert (std > 0).all()
    assert (lower < upper).all()
    # without return_std dropout is off: deterministic, and near the MC mean
    point = dropout_gru.predict(X[:10])
    np.testing.assert_array_equal(point, dropout_gru.predict(X[:10]))
    assert np.abs(point - mean).max() < 3 * std.max()


def test_mc_dropout_needs_dropout(fitted_gru, multi_step_data):
    # the refusal leads to the calibrated method first (it only said "set dropout")
    with pytest.raises(ValueError, match=r"no dropout to sample.*ConformalForecaster"):
        fitted_gru.predict(multi_step_data[0], return_std=True)
    with pytest.raises(ValueError, match="no dropout to sample") as refusal:
        DenseForecaster(**FAST).fit(*multi_step_data).predict_interval(
            multi_step_data[0]
        )
    # a DenseForecaster has no dropout to set: it is not suggested
    assert "loss='student_t'" in str(refusal.value)
    assert "set dropout" not in str(refusal.value)


def _recurrent_layers(model):
    return [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]


@pytest.mark.parametrize("cell", ["simple", "lstm", "gru"])
def test_layer_norm_runs_skseq_cells_in_every_layer(cell, multi_step_data):
    X, y = multi_step_data
    model = RNNForecaster((4, 3), cell=cell, layer_norm=True, **FAST).fit(X, y)
    layers = _recurrent_layers(model.model_)
    assert [layer.cell.units for layer in layers] == [4, 3]
    assert all(type(layer.cell).__name__.startswith("LayerNorm") for layer in layers)
    assert np.isfinite(model.predict(X)).all()
    plain = RNNForecaster((4, 3), cell=cell, **FAST).fit(X, y)
    assert not any(
        type(layer.cell).__name__.startswith("LayerNorm")
        for layer in _recurrent_layers(plain.model_)
    )


@pytest.mark.parametrize("units, n_norms", [(4, 0), ((4, 4), 1), ((4, 4, 4), 2)])
def test_batch_norm_sits_between_stacked_layers(units, n_norms, next_step_data):
    model = SimpleRNNForecaster(units, batch_norm=True, **FAST).fit(*next_step_data)
    kinds = [type(layer).__name__ for layer in model.model_.layers]
    assert kinds.count("BatchNormalization") == n_norms
    # every norm is followed by a recurrent layer, never by the head
    for position, kind in enumerate(kinds):
        if kind == "BatchNormalization":
            assert kinds[position + 1] == "SimpleRNN"


def test_recursive_mc_dropout_samples_every_fed_back_step(multi_step_data):
    X, y = multi_step_data
    model = GRUForecaster(
        4, strategy="recursive", dropout=0.3, mc_samples=8, **FAST
    ).fit(X, y)
    mean, std = model.predict(X[:6], return_std=True)
    assert mean.shape == std.shape == (6, 5)
    assert (std > 0).all()
    # the mean of the dropout passes differs from the deterministic forecast
    assert not np.allclose(mean, model.predict(X[:6]))


def test_layer_norm_with_dropout_samples_and_pickles(multi_step_data):
    X, y = multi_step_data
    model = GRUForecaster(
        4, layer_norm=True, dropout=0.2, recurrent_dropout=0.2, mc_samples=5, **FAST
    ).fit(X, y)
    _, std = model.predict(X[:4], return_std=True)
    assert (std > 0).all()
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X), model.predict(X))


@pytest.mark.parametrize("layer_norm", [False, True])
def test_mc_dropout_on_univariate_input_gives_a_spread_of_forecasts(
    layer_norm, next_step_data
):
    # Keras' input dropout draws one mask per sequence: with one feature it keeps
    # or zeroes the whole window, so MC samples took only 2 distinct values.
    X, y = next_step_data
    model = GRUForecaster(
        8, dropout=0.2, layer_norm=layer_norm, mc_samples=40, **FAST
    ).fit(X, y)
    samples = model._sample_forecasts(X[:1])[:, 0, 0, 0]
    assert len(np.unique(samples)) > 20


@pytest.mark.parametrize("coverage", [0.0, 1.0])
def test_mc_dropout_interval_refuses_degenerate_coverage(
    coverage, dropout_gru, multi_step_data
):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        dropout_gru.predict_interval(multi_step_data[0][:2], coverage=coverage)


@pytest.mark.parametrize(
    "units, strategy, y_slice",
    [
        (1, "direct", 20),
        ((4, 5), "direct", slice(20, 25)),
        ((4, 5), "seq2seq", slice(20, 25)),
        (1, "recursive", slice(20, 25)),
    ],
)
def test_output_head_none_forecasts_with_the_last_recurrent_layer(
    sine_series, units, strategy, y_slice
):
    # The chapter's first RNN is SimpleRNN(1) alone: no Dense layer on top.
    X, y = sine_series[:, :20], sine_series[:, y_slice, 0]
    model = SimpleRNNForecaster(units, output_head=None, strategy=strategy, **FAST).fit(
        X, y
    )
    assert not any(isinstance(x, keras.layers.Dense) for x in model.model_.layers)
    assert model.model_.layers[-1].units == model.model_.output_shape[-1]
    pred = model.predict(X)
    assert pred.shape == y.shape
    # the forecast is the tanh output of the recurrent layer itself
    assert np.abs(pred).max() < 1
    np.testing.assert_allclose(
        pred.reshape(len(X), -1)[:, : model.model_.output_shape[-1]],
        np.asarray(model.model_.predict_on_batch(X))[
            (slice(None), -1) if strategy == "seq2seq" else (slice(None),)
        ],
        rtol=1e-5,
    )
    headed = SimpleRNNForecaster(units, strategy=strategy, **FAST).fit(X, y)
    assert isinstance(headed.model_.layers[-1], keras.layers.Dense)


@pytest.mark.parametrize(
    "params, strategy, match",
    [
        ({"units": 3}, "direct", r"its units must equal .*: 5 .*units=3"),
        ({"units": (4, 1)}, "seq2seq", r"equal .*: 5 "),
        ({"units": 5}, "recursive", r"equal .*: 1 "),
        ({"units": 5, "output_head": "Dense"}, "direct", "output_head must be"),
        ({"units": 5, "dropout": 0.2}, "direct", "nothing to drop"),
    ],
)
def test_output_head_none_refuses_mismatched_units(
    multi_step_data, params, strategy, match
):
    params = {"output_head": None, **params}
    model = GRUForecaster(**params, strategy=strategy, **FAST)
    with pytest.raises(ValueError, match=match):
        model.fit(*multi_step_data)
    assert not hasattr(model, "model_")


def test_fit_warns_when_float32_rounds_a_large_level(next_step_data):
    # 1e8 + changes of ~1: float32 rounds each value by up to 6, which the
    # network would learn and forecast as if it were the data.
    X, y = next_step_data
    forecaster = DenseForecaster(epochs=1, random_state=0)
    with pytest.warns(UserWarning, match=r"holds large values.*float32") as record:
        forecaster.fit(1e8 + X.astype(np.float64), 1e8 + y.astype(np.float64))
    ours = [w for w in record if "holds large values" in str(w.message)]
    assert [str(w.message)[:2] for w in ours] == ["X ", "y "]
    assert ours[0].filename == __file__  # points at the caller of fit
    with warnings.catch_warnings():
        # the same changes around 0 are exact
        warnings.filterwarnings("error", message=".*holds large values")
        forecaster.fit(X.astype(np.float64), y.astype(np.float64))
