"""Training plumbing shared by the estimators: compile settings and the NaN guard.

Nothing here may slow a fit down against the same model trained with plain
``model.fit``: the NaN guard looks at the loss once per epoch, never per batch
(a per-batch callback such as ``keras.callbacks.TerminateOnNaN`` reads the loss
back from the device after every step, which stalls a GPU and turns off Keras'
asynchronous callback dispatch), and several steps run per execution where the
backend gains from it without changing any result.
"""

import math

import numpy as np

from ._backend import import_keras

keras = import_keras()

__all__ = [
    "StopOnNonFiniteLoss",
    "build_for_training",
    "compile_for_training",
    "fit_arguments",
    "finish_training",
    "steps_per_execution",
]

# Training steps per call into the backend on accelerators (JAX only, see
# steps_per_execution); measured on an H100 ("Training on an accelerator" in
# docs/user_guide/scaling.rst).
_ACCELERATOR_STEPS_PER_EXECUTION = 64

# Above this many samples, each epoch's order on TensorFlow comes from a
# vectorised shuffle rather than a shuffle buffer (see _epoch_permutations).
_SHUFFLE_BUFFER_LIMIT = 2**16


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stop training at the end of an epoch whose loss is NaN or infinite.

    The estimators then refuse the network with a ``FloatingPointError``; the
    check is per epoch so that batches stay asynchronous on accelerators.
    """

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.model.stop_training = True


def steps_per_execution():
    """Training steps Keras should run per execution on the active backend.

    64 on JAX with an accelerator: there Keras loops over one jitted step in
    Python and dispatches callbacks once per group of steps, which keeps the
    device busy; every step is the same compiled function on the same batch, so
    weights and history are identical to one step per execution (tested on CPU).
    1 elsewhere: on CPU it gains nothing measurable, TensorFlow fuses the steps
    into a ``while_loop`` whose results on a GPU have not been checked against
    single steps, and PyTorch refuses anything but 1.
    """
    if keras.backend.backend() != "jax":
        return 1
    import jax

    return 1 if jax.default_backend() == "cpu" else _ACCELERATOR_STEPS_PER_EXECUTION


def compile_for_training(model, optimizer, loss):
    """``model.compile`` with skseq's training settings."""
    model.compile(
        optimizer=optimizer, loss=loss, steps_per_execution=steps_per_execution()
    )


def build_for_training(model, X, y):
    """Build ``model``'s compiled loss and metrics on the shapes of ``X`` and
    ``y``, before Keras' ``fit`` would.

    At the start of a model's first ``fit``, Keras builds them from one batch it
    draws from the shuffled data; on JAX and PyTorch that shuffle takes a
    permutation from NumPy's (seeded) global generator, so the epoch then runs
    on the next permutation. A network restored from a pickle or ``skseq.save``
    comes back compiled but with its loss unbuilt: without this, its next fit
    would train on another batch order than the network it was saved from.
    A no-op on a model already built (Keras then draws nothing).
    """
    symbolic_build = getattr(model, "_symbolic_build", None)
    if symbolic_build is not None and model.compiled:
        symbolic_build(data_batch=(X[:1], y[:1]))


def finish_training(model):
    """Set a trained model back to one step per execution.

    Predictions do not depend on it, but a pickled model carries its compile
    settings, and the PyTorch backend refuses to predict with more than one.
    """
    model.steps_per_execution = 1
    config = getattr(model, "_compile_config", None)
    if config is not None and "steps_per_execution" in getattr(config, "config", {}):
        config.config["steps_per_execution"] = 1


def fit_arguments(X, y, sample_weight, batch_size, seed):
    """The training data of ``model.fit(**fit_arguments(...))``, drawn in a fresh
    order every epoch.

    On JAX and PyTorch these are the arrays themselves with ``shuffle=True``:
    Keras permutes them every epoch from NumPy's global generator (seeded by the
    estimator's ``random_state``). On TensorFlow, Keras shuffles arrays inside a
    ``tf.data`` pipeline whose random op restarts from the same seed each time
    the pipeline is iterated: once a global seed is set (any fit with a
    ``random_state``), every epoch visits the batches in one and the same order,
    and SGD loses its epoch-to-epoch randomness (on the chapter's ridership RNN,
    a validation MAE of 34,177 against 31,816 over 14 seeds). There the arrays go
    into a ``tf.data`` pipeline of skseq's own whose order is drawn anew each
    epoch: reproducible from ``seed`` (None: unseeded), and batched as Keras
    batches arrays (in ``batch_size`` runs, the last one shorter).
    """
    if keras.backend.backend() != "tensorflow":
        return {
            "x": X,
            "y": y,
            "sample_weight": sample_weight,
            "batch_size": batch_size,
            "shuffle": True,
        }
    dataset = _reshuffled_dataset(X, y, sample_weight, batch_size, seed)
    return {"x": dataset, "shuffle": False}  # the dataset shuffles itself


def _reshuffled_dataset(X, y, sample_weight, batch_size, seed):
    """A ``tf.data.Dataset`` of ``(X, y[, sample_weight])`` batches, in an order
    drawn anew every time it is iterated (every epoch); float arrays cast to
    Keras' ``floatx`` as Keras casts them.

    Built as Keras builds its own pipeline for arrays, which is what makes it
    as fast: one permutation of the sample numbers per epoch, cut into batches
    of row numbers, each batch gathered from the arrays at once (the arrays ride
    along as one repeated element, not captured by the map), with tf.data's
    static graph rewrites turned off. Only the permutation differs: a new one
    each epoch (``_epoch_permutations``). (A first version that gathered inside
    a map closing over the arrays made a ``GRUForecaster((32, 32))`` fit about
    15-30% slower.)
    """
    import tensorflow as tf

    parts = (X, y) if sample_weight is None else (X, y, sample_weight)
    tensors = tuple(tf.convert_to_tensor(_in_floatx(part)) for part in parts)
    n_samples = int(tensors[0].shape[0])
    n_full, n_partial = divmod(n_samples, batch_size)
    permutations = _epoch_permutations(n_samples, seed)

    def batches_of(order):
        full = tf.reshape(order[: n_full * batch_size], [n_full, batch_size])
        rows = tf.data.Dataset.from_tensor_slices(full)
        if n_partial:
            rows = rows.concatenate(
                tf.data.Dataset.from_tensors(order[n_full * batch_size :])
            )
        return rows

    rows = permutations.flat_map(batches_of).apply(
        tf.data.experimental.assert_cardinality(n_full + bool(n_partial))
    )
    batches = tf.data.Dataset.zip(
        (rows, tf.data.Dataset.from_tensors(tensors).repeat())
    ).map(
        lambda picked, arrays: tuple(tf.gather(part, picked) for part in arrays),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    options = tf.data.Options()
    options.experimental_optimization.apply_default_optimizations = False
    return batches.with_options(options).prefetch(tf.data.AUTOTUNE)


def _epoch_permutations(n_samples, seed):
    """A dataset of one permutation of ``range(n_samples)``, drawn anew each
    time it is iterated; reproducible from ``seed`` (or the global seed).

    Up to ``_SHUFFLE_BUFFER_LIMIT`` samples, ``Dataset.shuffle`` draws it: the
    orders that every result skseq published since the batch-order fix was
    measured with (the chapter's tables, the benchmarks' per-series fits). It
    costs about 2.6 us per sample on a CPU, before the epoch can start, so
    beyond that a vectorised shuffle draws it (about 0.03 s per million
    samples), seeded per epoch from ``Dataset.random``.
    """
    import tensorflow as tf

    if n_samples <= _SHUFFLE_BUFFER_LIMIT:
        return (
            tf.data.Dataset.range(n_samples)
            .shuffle(n_samples, seed=seed, reshuffle_each_iteration=True)
            .batch(n_samples)
        )
    seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
    return (
        seeds.batch(2)
        .take(1)
        .map(
            lambda pair: tf.random.experimental.stateless_shuffle(
                tf.range(n_samples, dtype=tf.int64), seed=pair
            )
        )
    )


def _in_floatx(array):
    """``array`` with floats in Keras' ``floatx`` (integers, e.g. class labels,
    as they are)."""
    array = np.asarray(array)
    if np.issubdtype(array.dtype, np.floating):
        return array.astype(keras.config.floatx(), copy=False)
    return array
