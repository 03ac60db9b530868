"""Fast inference for fitted networks: one forward pass and recursive forecasts.

Keras' per-call and per-loop-step overheads outweigh a small forecast, so a model
called in a loop is traced once into a faster, bit-identical TensorFlow graph.
Design notes and measurements: "Predicting in loops" in docs/user_guide/scaling.rst.
"""

import contextlib
import threading
import time
import weakref

import numpy as np

from ._backend import import_keras

__all__ = ["InferenceRunner", "feedback_loop", "inference_runner"]

# Seconds of tracing per unrolled recurrent step, measured on two CPU cores (the
# figures: "Predicting in loops" in docs/user_guide/scaling.rst).
_TRACE_SECONDS_PER_CELL_STEP = 0.017
# A graph without recurrent layers still costs a trace.
_TRACE_SECONDS_BASE = 0.2
# Windows longer than this are not traced: the unrolled graph would grow too
# large for the time it saves.
_MAX_UNROLL_STEPS = 256

_RUNNERS = weakref.WeakKeyDictionary()
_RUNNERS_LOCK = threading.Lock()
# One trace at a time in the process: a thread that finds it taken serves its
# call through predict_on_batch and tries again at its next call.
_TRACE_LOCK = threading.Lock()


def inference_runner(model):
    """The :class:`InferenceRunner` of ``model``, created on first use.

    Runners are kept beside the models (never inside an estimator), so pickling,
    cloning and sklearn's checks on an estimator's ``__dict__`` never see them,
    and a runner goes away with its model. Threads asking at once get one runner.
    """
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(model)
        if runner is None:
            runner = _RUNNERS[model] = InferenceRunner(model)
        return runner


class InferenceRunner:
    """Runs a fitted Keras model for inference (``training=False``).

    It serves calls through ``predict_on_batch`` (renting) and counts the time
    spent; once that reaches the estimated cost of a trace, it traces a graph
    (buying) and uses it from then on: at most about twice the time of the better
    choice made in hindsight, whatever the number of calls. The graph calls the
    model's own layers, each LSTM/GRU layer replaced by an unrolled stand-in
    around the very same cell (the same operations in the same order, so the
    same outputs); the user's model is never changed. It takes any batch size,
    and for recursive forecasts holds the feedback loop. Several threads may
    predict at once: the bookkeeping is locked, one thread traces while the
    others keep serving, and a graph is published only once complete. Only
    TensorFlow has a graph to gain: JAX already compiles Keras' predict step and
    PyTorch has none, so there the runner is ``predict_on_batch`` alone.

    Parameters
    ----------
    model : keras.Model
        A built model with one input of shape ``(batch, timesteps, features)``
        (``timesteps`` may be None). Its weights are read at every call, so a
        model trained further after the trace is still served correctly.
    trace_after : float or None, default=None
        Seconds spent in ``predict_on_batch`` on one kind of call and one window
        length after which that call's graph is traced. None estimates the cost of
        the trace (ski rental); 0 traces at the first call. The first call is
        never counted, as it includes Keras' own trace of ``predict_on_batch``.
    """

    def __init__(self, model, trace_after=None):
        self._model = weakref.ref(model)
        # _graphs holds complete graphs only; it, _untraceable and _spent change
        # under _lock (a graph is read without it: one dict lookup).
        self._lock = threading.Lock()
        self._graphs = {}
        self._untraceable = set()
        self._spent = {}
        # Keras' predict_on_batch is not thread-safe on JAX (it writes the
        # model's state back, donating the buffers another thread is reading).
        tensorflow = import_keras().backend.backend() == "tensorflow"
        self.state_lock = contextlib.nullcontext() if tensorflow else threading.Lock()
        self._traceable = _traceable(model)
        self._n_unrollable = len(_unrollable_layers(model))
        self.trace_after = trace_after

    def forward(self, X):
        """``model.predict_on_batch(X)`` as a NumPy array."""
        return self._call(("forward",), X)

    def recursive(self, X, horizon):
        """Feed one-step forecasts back into the window ``horizon`` times.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_timesteps, n_features)
            Windows; the model maps one to ``n_features`` values (the next step).
        horizon : int
            Number of steps to forecast.

        Returns
        -------
        ndarray of shape (n_samples, horizon, n_features)
            Step ``k`` is the model's output on the window shifted by ``k`` steps
            with the forecasts of steps ``0 .. k - 1`` appended, exactly as a loop
            over ``predict_on_batch`` would compute it.
        """
        return self._call(("recursive", horizon), X)

    # state_lock: held while Keras runs or reads the model's state (pickling
    # takes it too); a no-op on TensorFlow, where that is thread-safe.

    @property
    def traceable(self):
        """Whether this model can ever be served by a graph (TensorFlow backend,
        one 3D input, no recurrent cell but Keras' own)."""
        return self._traceable

    @property
    def traced(self):
        """Calls now served by a graph: ``("forward", timesteps)`` and
        ``("recursive", horizon, timesteps)``."""
        with self._lock:
            return sorted(self._graphs)

    def _call(self, kind, X):
        model = self._model()
        X = np.asarray(X, dtype=model.inputs[0].dtype)
        key = (*kind, X.shape[1])
        graph = self._graphs.get(key)
        if graph is not None:
            return graph(X).numpy()
        if key in self._untraceable:
            return self._run_in_keras(model, kind, X)
        start = time.perf_counter()
        result = self._run_in_keras(model, kind, X)
        if self._count(key, time.perf_counter() - start):
            self._trace_unless_busy(model, kind, X.shape)
        return result

    def _count(self, key, elapsed):
        """Add ``elapsed`` seconds to ``key``'s account; whether to trace now."""
        with self._lock:
            # The first call is not counted: it includes Keras' own one-off trace.
            self._spent[key] = self._spent[key] + elapsed if key in self._spent else 0.0
            return self._worth_tracing(key)

    def _trace_unless_busy(self, model, kind, shape):
        """Trace ``kind`` unless another thread is tracing or has traced it."""
        if not _TRACE_LOCK.acquire(blocking=False):
            return
        try:
            key = (*kind, shape[1])
            if key in self._graphs or key in self._untraceable:
                return
            graph = self._traced_or_none(model, kind, shape)
            with self._lock:
                if graph is None:
                    self._untraceable.add(key)
                else:
                    self._graphs[key] = graph
        finally:
            _TRACE_LOCK.release()

    @staticmethod
    def _traced_or_none(model, kind, shape):
        """The traced graph, or None (never to be tried again) where tracing
        fails: the graph only saves time, so it must never make a prediction
        fail."""
        try:
            graph = _trace(model, kind, shape)
            graph.get_concrete_function()
        except Exception:  # noqa: BLE001 - any failure means: stay on Keras' path
            return None
        return graph

    def _run_in_keras(self, model, kind, X):
        with self.state_lock:
            if kind[0] == "forward":
                return np.asarray(model.predict_on_batch(X))
            return feedback_loop(model.predict_on_batch, X, kind[1])

    def _worth_tracing(self, key):
        timesteps = key[-1]
        if not self._traceable or timesteps > _MAX_UNROLL_STEPS:
            return False
        if key[0] == "forward" and not self._n_unrollable:
            return False  # the graph would be Keras' own: nothing to gain
        budget = self.trace_after
        if budget is None:
            budget = _estimated_trace_seconds(timesteps, self._n_unrollable)
        return self._spent[key] >= budget


def feedback_loop(predict_step, X, horizon):
    """Feed one-step forecasts back into the windows ``horizon`` times.

    ``predict_step`` maps windows to the next step's values (an array-like of
    ``len(X) * n_features`` values per call); returns (n_samples, horizon,
    n_features). With ``model.predict_on_batch`` this is the reference the
    traced recursive graph is tested against.
    """
    steps = []
    window = X
    for _ in range(horizon):
        step = np.asarray(predict_step(window)).reshape(len(X), 1, -1)
        steps.append(step)
        window = np.concatenate([window[:, 1:], step.astype(window.dtype)], axis=1)
    return np.concatenate(steps, axis=1)


def _traceable(model):
    """Whether a graph can serve ``model``: TensorFlow, one 3D input, and every
    recurrent layer one of Keras' LSTM or GRU layers, called by the model itself
    (where an unrolled stand-in can take its place).

    skseq's layer-normalised cells are left to ``predict_on_batch``: traced in a
    ``tf.function`` of their own, even without unrolling, Grappler optimises them
    differently (outputs 1 ulp apart), and the runner promises identical results.
    So is Keras' SimpleRNN: unrolled, Grappler's remapper fuses its
    ``matmul(state, recurrent_kernel) + h`` (oneDNN, on by default on x86) where
    the loop body does not, so at batch size 1 most outputs come out 1 ulp apart
    (none with ``remapping`` off or ``TF_ENABLE_ONEDNN_OPTS=0``).
    """
    keras = import_keras()
    if keras.backend.backend() != "tensorflow" or len(model.inputs) != 1:
        return False
    shape = model.inputs[0].shape
    if len(shape) != 3 or shape[2] is None or _functional(model) is None:
        return False
    recurrent = [
        layer
        for layer in model._flatten_layers(include_self=False)
        if isinstance(layer, keras.layers.RNN)
    ]
    return len(recurrent) == len(_unrollable_layers(model))


def _unrollable_layers(model):
    """Keras' own LSTM and GRU layers (not stateful) among the operations of
    ``model``'s graph: those an unrolled stand-in can replace.

    Their unrolled graph gives bit-identical outputs (tested for every estimator
    skseq exports, at batch sizes 1, 7 and 80).
    """
    keras = import_keras()
    functional = _functional(model)
    if functional is None:
        return []
    return [
        layer
        for layer in functional.operations
        if type(layer) in (keras.layers.LSTM, keras.layers.GRU) and not layer.stateful
    ]


def _functional(model):
    """The functional graph of ``model`` (a ``Sequential`` keeps one inside)."""
    keras = import_keras()
    if isinstance(model, keras.Sequential):
        model = getattr(model, "_functional", None)
    # Keras' Functional runs its graph with _run_through_graph (a subclassed
    # model has no graph to run).
    return model if callable(getattr(model, "_run_through_graph", None)) else None


def _estimated_trace_seconds(timesteps, n_unrollable):
    """Seconds a trace for windows of ``timesteps`` steps is expected to take
    (an upper bound where a convolution shortens the sequence first)."""
    cell_steps = timesteps * n_unrollable
    return _TRACE_SECONDS_BASE + _TRACE_SECONDS_PER_CELL_STEP * cell_steps


def _unrolled_stand_in(layer):
    """A copy of the recurrent ``layer`` that unrolls its loop, around the very
    same cell (so the same variables); ``layer`` itself is left untouched."""
    stand_in = type(layer).from_config({**layer.get_config(), "unroll": True})
    stand_in.cell = layer.cell
    return stand_in


def _unrolled_forward(model):
    """``model(x, training=False)`` with its LSTM and GRU loops unrolled.

    Runs the model's own graph of layers (Keras' ``Functional`` does the same in
    ``call``), each recurrent layer replaced by its unrolled stand-in.
    """
    keras = import_keras()
    functional = _functional(model)
    stand_ins = {
        id(layer): _unrolled_stand_in(layer) for layer in _unrollable_layers(model)
    }
    functional_ref = weakref.ref(functional)  # the graph must not keep the model alive

    def operation(op):
        op = stand_ins.get(id(op), op)

        def call(*args, **kwargs):
            if "training" in getattr(op, "_call_context_args", ()):
                kwargs["training"] = False
            return op(*args, **kwargs)

        return call

    def forward(x):
        outputs = functional_ref()._run_through_graph([x], operation_fn=operation)
        outputs = keras.tree.flatten(outputs)
        return outputs[0] if len(outputs) == 1 else outputs

    return forward


def _trace(model, kind, shape):
    """A ``tf.function`` for ``kind`` on windows of ``shape[1:]``, taking any
    batch size (never retraced)."""
    import tensorflow as tf

    spec = tf.TensorSpec([None, *shape[1:]], model.inputs[0].dtype)
    forward = _unrolled_forward(model)
    if kind[0] == "forward":
        return tf.function(forward, input_signature=[spec], autograph=False)
    horizon = kind[1]

    def recursive(x):
        def step(i, window, outputs):
            output = tf.reshape(forward(window), [tf.shape(x)[0], 1, -1])
            window = tf.concat([window[:, 1:], tf.cast(output, window.dtype)], 1)
            return i + 1, window, outputs.write(i, output[:, 0])

        outputs = tf.TensorArray(model.outputs[0].dtype, size=horizon)
        _, _, outputs = tf.while_loop(
            lambda i, *_: i < horizon, step, (tf.constant(0), x, outputs)
        )
        return tf.transpose(outputs.stack(), [1, 0, 2])

    return tf.function(recursive, input_signature=[spec], autograph=False)
