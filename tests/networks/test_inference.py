"""The inference runner: traced graphs give exactly what Keras' predict gives."""

import gc
import inspect
import pickle
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest

import skseq
from skseq import (
    ConvRNNForecaster,
    DenseForecaster,
    GRUClassifier,
    GRUForecaster,
    LSTMForecaster,
    RNNForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
)
from skseq.estimators import BaseKerasClassifier, BaseKerasForecaster
from skseq.networks import _inference
from skseq.networks._inference import (
    InferenceRunner,
    _trace,
    feedback_loop,
    inference_runner,
)

TENSORFLOW = keras.backend.backend() == "tensorflow"

FORECASTERS = {
    "GRU(8, 8)": lambda: GRUForecaster((8, 8)),
    "LSTM(8)": lambda: LSTMForecaster(8),
    "SimpleRNN layer-norm": lambda: SimpleRNNForecaster(8, layer_norm=True),
    "deep RNN, batch norm": lambda: RNNForecaster((8, 8, 8), batch_norm=True),
    "Conv1D + GRU": lambda: ConvRNNForecaster(filters=4, kernel_size=4, strides=2),
    "WaveNet": lambda: WaveNetForecaster(filters=4, dilation_rates=(1, 2, 4, 8, 16)),
    "Dense": lambda: DenseForecaster(),
}


def _fitted(make, X, y):
    return make().set_params(epochs=1, random_state=0).fit(X, y)


def _forced(model):
    """A runner that traces at its second call (the first is never counted)."""
    return InferenceRunner(model, trace_after=0)


# Forecasters with a SimpleRNN, LSTM or GRU layer: the only ones whose one-pass
# graph (unrolled) is worth a trace.
UNROLLED = {"GRU(8, 8)", "LSTM(8)", "deep RNN, batch norm", "Conv1D + GRU"}


@pytest.mark.skipif(not TENSORFLOW, reason="graphs are traced on TensorFlow only")
@pytest.mark.parametrize("name", sorted(set(FORECASTERS) - {"SimpleRNN layer-norm"}))
def test_forward_graph_equals_predict_on_batch_bit_for_bit(name, next_step_data):
    X, y = next_step_data
    model = _fitted(FORECASTERS[name], X, y).model_
    graph = _trace(model, ("forward",), X.shape)
    for batch in (X[:1], X[:7], X):
        np.testing.assert_array_equal(
            graph(batch).numpy(), np.asarray(model.predict_on_batch(batch))
        )


@pytest.mark.parametrize("name", FORECASTERS)
def test_forward_is_traced_only_where_loops_unroll(name, next_step_data):
    X, y = next_step_data
    model = _fitted(FORECASTERS[name], X, y).model_
    runner = _forced(model)
    for _ in range(2):
        runner.forward(X[:1])
    unrolled = TENSORFLOW and name in UNROLLED
    assert runner.traced == ([("forward", X.shape[1])] if unrolled else [])
    np.testing.assert_array_equal(
        runner.forward(X[:3]), np.asarray(model.predict_on_batch(X[:3]))
    )


def test_models_with_layer_norm_cells_are_never_traced(sine_series):
    # Traced in a graph of their own, skseq's layer-normalised cells come out
    # 1 ulp away from predict_on_batch, so the runner leaves them to Keras.
    X = sine_series[:, :20]
    forecaster = SimpleRNNForecaster(8, layer_norm=True, strategy="recursive")
    model = _fitted(lambda: forecaster, X, sine_series[:, 20:23, 0]).model_
    runner = _forced(model)
    for _ in range(3):
        runner.forward(X[:1])
        runner.recursive(X[:1], 3)
    assert runner.traced == []


def test_graph_takes_any_batch_size_without_retracing(next_step_data):
    X, y = next_step_data
    runner = _forced(_fitted(FORECASTERS["GRU(8, 8)"], X, y).model_)
    runner.forward(X[:1])
    for size in (1, 2, 5, 33, len(X)):
        assert runner.forward(X[:size]).shape == (size, 1)
    if TENSORFLOW:
        (graph,) = runner._graphs.values()
        assert graph.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("name", ["GRU(8, 8)", "WaveNet", "Dense", "Conv1D + GRU"])
def test_recursive_graph_equals_the_predict_on_batch_loop(name, sine_series):
    X = sine_series[:, :20]
    forecaster = FORECASTERS[name]().set_params(strategy="recursive")
    model = _fitted(lambda: forecaster, X, sine_series[:, 20:24, 0]).model_
    runner = _forced(model)
    for horizon in (4, 6):
        runner.recursive(X[:1], horizon)
        runner.recursive(X[:1], horizon)
    expected, window = [], X[:9]
    for _ in range(6):
        step = np.asarray(model.predict_on_batch(window)).reshape(9, 1, 1)
        expected.append(step)
        window = np.concatenate([window[:, 1:], step], axis=1)
    np.testing.assert_array_equal(
        runner.recursive(X[:9], 6), np.concatenate(expected, 1)
    )
    traced = [("recursive", 4, 20), ("recursive", 6, 20)] if TENSORFLOW else []
    assert runner.traced == traced


def test_masked_classifier_graph_equals_predict_on_batch():
    rng = np.random.default_rng(0)
    sequences = [rng.normal(size=(n, 2)).astype("float32") for n in (5, 9, 3, 9) * 5]
    labels = ["up", "down"] * 10
    classifier = GRUClassifier(4, epochs=1, random_state=0).fit(sequences, labels)
    padded, _ = classifier._validate_sequences(sequences[:3], fitted=True)
    runner = _forced(classifier.model_)
    for _ in range(2):
        runner.forward(padded)
    np.testing.assert_array_equal(
        runner.forward(padded), np.asarray(classifier.model_.predict_on_batch(padded))
    )
    assert runner.traced == ([("forward", 9)] if TENSORFLOW else [])


def test_graph_reads_weights_trained_after_the_trace(next_step_data):
    X, y = next_step_data
    model = _fitted(FORECASTERS["LSTM(8)"], X, y).model_
    runner = _forced(model)
    for _ in range(2):
        before = runner.forward(X)
    model.fit(X, y.reshape(-1, 1), epochs=1, verbose=0)
    after = runner.forward(X)
    assert not np.array_equal(before, after)
    np.testing.assert_array_equal(after, np.asarray(model.predict_on_batch(X)))


def test_ski_rental_traces_only_after_time_spent_in_predict_on_batch(next_step_data):
    X, y = next_step_data
    model = _fitted(FORECASTERS["GRU(8, 8)"], X, y).model_
    never = InferenceRunner(model, trace_after=float("inf"))
    for _ in range(3):
        never.forward(X[:1])
    assert never.traced == []
    # The first call (Keras' own trace) is not counted, so even a zero budget
    # waits for the second call.
    runner = InferenceRunner(model, trace_after=1e-9)
    runner.forward(X[:1])
    runner.forward(X[:1])
    assert runner.traced == ([("forward", X.shape[1])] if TENSORFLOW else [])
    # The default budget (an estimate of the trace, a fraction of a second at
    # least) is not reached by two calls on a tiny model.
    default = InferenceRunner(model)
    default.forward(X[:1])
    default.forward(X[:1])
    assert default.traced == []


def test_estimator_predictions_do_not_change_when_the_graph_takes_over(
    multi_step_data,
):
    X, y = multi_step_data
    forecaster = GRUForecaster(8, strategy="recursive", epochs=1, random_state=0)
    forecaster.fit(X, y)
    before = forecaster.predict(X)
    inference_runner(forecaster.model_).trace_after = 0
    forecaster.predict(X)  # the first call is not counted: this one traces
    np.testing.assert_array_equal(forecaster.predict(X), before)
    assert inference_runner(forecaster.model_).traced == (
        [("recursive", 5, 20)] if TENSORFLOW else []
    )


def test_runner_does_not_keep_its_model_alive(next_step_data):
    X, y = next_step_data
    forecaster = _fitted(FORECASTERS["GRU(8, 8)"], X, y)
    runner = inference_runner(forecaster.model_)
    runner.trace_after = 0
    forecaster.predict(X)
    forecaster.predict(X)
    model = weakref.ref(forecaster.model_)
    del forecaster
    gc.collect()
    assert model() is None


def test_a_failed_trace_falls_back_to_keras_for_good(next_step_data, monkeypatch):
    X, y = next_step_data
    model = _fitted(FORECASTERS["GRU(8, 8)"], X, y).model_
    attempts = []

    class Untraceable:
        def get_concrete_function(self):
            raise RuntimeError("this graph cannot be traced")

    def failing_trace(*args):
        attempts.append(args[1:])
        return Untraceable()

    monkeypatch.setattr(_inference, "_trace", failing_trace)
    runner = _forced(model)
    for _ in range(4):
        np.testing.assert_array_equal(
            runner.forward(X[:2]), np.asarray(model.predict_on_batch(X[:2]))
        )
    assert runner.traced == []
    assert len(attempts) == (1 if TENSORFLOW else 0)


def _recurrent_layers(model):
    return [
        layer
        for layer in model._flatten_layers(include_self=False)
        if isinstance(layer, keras.layers.RNN)
    ]


def test_threads_predicting_at_once_get_the_serial_results(next_step_data):
    # Six threads predict single windows of two lengths (two graphs to trace)
    # across the switch to the traced graphs while a seventh pickles the
    # estimator: every result must be the serial one, the model must be left as
    # it was, and every pickle must load as a working model.
    X, y = next_step_data
    forecaster = GRUForecaster((4, 4), epochs=1, random_state=0).fit(X, y)
    windows = [X[i : i + 1] for i in range(30)] + [X[i : i + 1, 4:] for i in range(30)]
    runner = inference_runner(forecaster.model_)
    runner.trace_after = float("inf")
    expected = [forecaster.predict(window) for window in windows]
    runner.trace_after = 0
    start = threading.Barrier(7)
    predicting = threading.Event()

    def predict(offset):
        start.wait()
        order = [(offset + 7 * k) % len(windows) for k in range(50)]
        return [(i, forecaster.predict(windows[i])) for i in order]

    def pickle_while_predicting():
        start.wait()
        pickles = []
        while predicting.is_set() or not pickles:
            pickles.append(pickle.dumps(forecaster))
        return pickles

    predicting.set()
    with ThreadPoolExecutor(7) as pool:
        pickler = pool.submit(pickle_while_predicting)
        futures = [pool.submit(predict, offset) for offset in range(6)]
        results = [result for future in futures for result in future.result()]
        predicting.clear()
        pickles = pickler.result()
    assert len(results) == 300
    for i, result in results:
        np.testing.assert_array_equal(result, expected[i])
    if TENSORFLOW:
        assert runner.traced == [("forward", 16), ("forward", 20)]
    assert not any(layer.unroll for layer in _recurrent_layers(forecaster.model_))
    new_length = X[:5, :11]  # never seen: an unrolled layer would refuse it
    reference = forecaster.predict(new_length)
    for data in [pickles[0], pickles[-1], pickle.dumps(forecaster)]:
        restored = pickle.loads(data)
        assert not any(layer.unroll for layer in _recurrent_layers(restored.model_))
        np.testing.assert_array_equal(restored.predict(new_length), reference)
        np.testing.assert_array_equal(restored.predict(windows[0]), expected[0])


def test_monte_carlo_dropout_while_another_thread_predicts():
    # predict(return_std=True) ran the network with dropout on outside the
    # runner's state lock; on JAX a predict in another thread replaced the
    # buffers it was reading: "Array has been deleted" from inside GRU.call.
    X = np.random.default_rng(0).normal(size=(16, 6, 1)).astype("float32")
    forecaster = GRUForecaster(3, dropout=0.2, mc_samples=3, epochs=1, random_state=0)
    expected = forecaster.fit(X, X[:, -1, 0]).predict(X)

    def predict():
        return [forecaster.predict(X) for _ in range(30)]

    def sample():
        return [forecaster.predict(X, return_std=True)[1] for _ in range(3)]

    with ThreadPoolExecutor(4) as pool:
        predicting = [pool.submit(predict) for _ in range(2)]
        sampling = [pool.submit(sample) for _ in range(2)]
        spreads = [spread for future in sampling for spread in future.result()]
        predictions = [result for future in predicting for result in future.result()]
    for prediction in predictions:
        np.testing.assert_array_equal(prediction, expected)
    assert all(np.isfinite(spread).all() and spread.any() for spread in spreads)


# Small values for whichever of these parameters an estimator sets by default.
SMALL = {
    "units": (4, 4),
    "filters": 4,
    "dilation_rates": (1, 2, 4),
    "embedding_dim": 2,
    "epochs": 1,
    "random_state": 0,
}


def _every_keras_estimator():
    """Every estimator class skseq exports that fits a Keras network, with each
    of its recurrent cells where it has a choice."""
    for name in skseq.__all__:
        cls = getattr(skseq, name)
        if not (
            isinstance(cls, type)
            and issubclass(cls, (BaseKerasForecaster, BaseKerasClassifier))
        ):
            continue
        cells = ("simple", "lstm", "gru") if "cell" in cls().get_params() else (None,)
        for cell in cells:
            yield pytest.param(cls, cell, id=name if cell is None else f"{name}-{cell}")


def _fitted_small(cls, cell, X, y):
    params = cls().get_params()
    small = {key: value for key, value in SMALL.items() if params.get(key) is not None}
    estimator = cls(**small, **({} if cell is None else {"cell": cell}))
    if inspect.signature(cls.fit).parameters["y"].default is None:
        return estimator.fit(X)  # learns the next step of X itself
    return estimator.fit(X, y)


@pytest.mark.parametrize(("cls", "cell"), _every_keras_estimator())
def test_every_traced_network_gives_predict_on_batch_bit_for_bit(
    cls, cell, sine_series
):
    # Discovered, not listed: every network the runner traces must give what
    # predict_on_batch gives, at batch size 1 too; the others must never be traced.
    if issubclass(cls, BaseKerasClassifier):
        X = np.round(2 * sine_series[:, :8] + 2)  # token-like values 0 .. 4
        y = np.where(sine_series[:, 8, 0] > 0, "up", "down")
    else:
        X, y = sine_series[:, :8], sine_series[:, 8, 0]
    model = _fitted_small(cls, cell, X, y).model_
    runner = InferenceRunner(model)
    if not runner.traceable:
        runner.trace_after = 0
        for _ in range(3):
            runner.forward(X[:1])
            runner.recursive(X[:1], 2) if model.outputs[0].shape[-1] == 1 else None
        assert runner.traced == []
        return
    forward = _trace(model, ("forward",), X.shape)
    recursive = model.outputs[0].shape[-1] == X.shape[-1]  # a next-step model
    if recursive:
        feedback = _trace(model, ("recursive", 3), X.shape)
    for size in (1, 7, 80):
        batch = X[:size]
        np.testing.assert_array_equal(
            forward(batch).numpy(), np.asarray(model.predict_on_batch(batch))
        )
        if recursive:
            np.testing.assert_array_equal(
                feedback(batch).numpy(),
                feedback_loop(model.predict_on_batch, batch, 3),
            )
