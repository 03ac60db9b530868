"""Every epoch of a seeded fit visits the training samples in a fresh order.

Keras 3 on TensorFlow shuffles arrays inside a ``tf.data`` pipeline whose random
op restarts from the same seed every epoch once a global seed is set, so a fit
with a ``random_state`` used to train on one and the same batch order each
epoch; a ``partial_fit`` loop with an int ``random_state`` did so on every
backend. The batches are read off a linear network trained by plain SGD on
all-zero inputs: its bias moves by the mean target of each batch, and with
targets of distinct powers of two the batch sums name the samples.
"""

import keras
import numpy as np
import pytest

from skseq import DenseForecaster

N_SAMPLES, BATCH_SIZE, LEARNING_RATE = 12, 4, 0.1
BIASES = []


class RecordBias(keras.callbacks.Callback):
    """Appends the output bias after every batch (callbacks are copied per fit,
    so the record lives in a module list)."""

    def on_train_batch_end(self, batch, logs=None):
        BIASES.append(float(self.model.layers[-1].bias.numpy()[0]))


def _model(**params):
    settings = {
        "optimizer": "sgd",
        "learning_rate": LEARNING_RATE,
        "loss": "mse",
        "batch_size": BATCH_SIZE,
        "early_stopping": False,
        "random_state": 0,
        "callbacks": [RecordBias()],
    }
    return DenseForecaster(**{**settings, **params})


def _data():
    return np.zeros((N_SAMPLES, 3)), 2.0 ** np.arange(N_SAMPLES) / 2**N_SAMPLES


def _batch_orders(train):
    """The samples of each batch, per epoch, while ``train()`` runs."""
    BIASES.clear()
    train()
    bias = np.array([0.0, *BIASES])
    # SGD on the mean squared error: b' = b - 2 lr (b - mean(y_batch))
    batch_means = bias[:-1] - (bias[:-1] - bias[1:]) / (2 * LEARNING_RATE)
    sums = np.rint(batch_means * BATCH_SIZE * 2**N_SAMPLES).astype(int)
    batches = [frozenset(i for i in range(N_SAMPLES) if s >> i & 1) for s in sums]
    n_batches = N_SAMPLES // BATCH_SIZE
    epochs = [batches[k : k + n_batches] for k in range(0, len(batches), n_batches)]
    for epoch in epochs:  # the read-off is right: each epoch covers every sample
        assert sorted(i for batch in epoch for i in batch) == list(range(N_SAMPLES))
    return epochs


def test_each_epoch_of_a_seeded_fit_draws_a_fresh_order():
    X, y = _data()
    epochs = _batch_orders(lambda: _model(epochs=3).fit(X, y))
    assert len(epochs) == 3
    assert epochs[0] != epochs[1] and epochs[1] != epochs[2]


def test_the_orders_of_a_seeded_fit_are_reproducible():
    X, y = _data()
    first = _batch_orders(lambda: _model(epochs=3).fit(X, y))
    again = _batch_orders(lambda: _model(epochs=3).fit(X, y))
    other_seed = _batch_orders(lambda: _model(epochs=3, random_state=1).fit(X, y))
    assert first == again
    assert first != other_seed


def test_the_vectorised_order_of_many_samples_is_fresh_and_reproducible(monkeypatch):
    # beyond _SHUFFLE_BUFFER_LIMIT samples, TensorFlow's order comes from a
    # vectorised shuffle: lower the limit so that these 12 samples take it
    if keras.backend.backend() != "tensorflow":
        pytest.skip("the reshuffled tf.data pipeline is built on TensorFlow only")
    from skseq.networks import _training

    X, y = _data()
    buffered = _batch_orders(lambda: _model(epochs=3).fit(X, y))
    monkeypatch.setattr(_training, "_SHUFFLE_BUFFER_LIMIT", 4)
    first = _batch_orders(lambda: _model(epochs=3).fit(X, y))
    assert first[0] != first[1] and first[1] != first[2]
    assert _batch_orders(lambda: _model(epochs=3).fit(X, y)) == first
    assert _batch_orders(lambda: _model(epochs=3, random_state=1).fit(X, y)) != first
    assert first != buffered  # the other path was taken


@pytest.mark.parametrize("continue_with", ["partial_fit", "warm_start"])
def test_a_loop_of_continued_fits_draws_a_fresh_order_each_call(continue_with):
    X, y = _data()

    def loop():
        model = _model(epochs=1, warm_start=continue_with == "warm_start")
        name = "partial_fit" if continue_with == "partial_fit" else "fit"
        train = getattr(model, name)
        for _ in range(3):
            train(X, y)

    epochs = _batch_orders(loop)
    assert len(epochs) == 3
    assert epochs[0] != epochs[1] and epochs[1] != epochs[2]
    assert _batch_orders(loop) == epochs  # and the same loop gives the same orders


def test_the_tensorflow_pipeline_batches_as_keras_does():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("the reshuffled tf.data pipeline is built on TensorFlow only")
    from skseq.networks._training import fit_arguments

    X = np.arange(10.0)[:, None, None]
    y = np.arange(10)
    weights = np.arange(10.0) / 10
    dataset = fit_arguments(X, y, weights, 4, seed=3)["x"]
    orders = []
    for _ in range(2):
        batches = list(dataset)
        assert [len(b[0]) for b in batches] == [4, 4, 2]
        x_rows = np.concatenate([b[0].numpy().ravel() for b in batches])
        assert batches[0][0].dtype == keras.config.floatx()  # floats cast
        assert batches[0][1].dtype.is_integer  # labels kept
        for features, labels, weight in batches:  # rows stay together
            np.testing.assert_array_equal(features.numpy().ravel(), labels.numpy())
            np.testing.assert_allclose(weight.numpy(), labels.numpy() / 10)
        assert sorted(x_rows) == list(range(10))
        orders.append(x_rows.tolist())
    assert orders[0] != orders[1]


def test_the_validation_samples_never_enter_a_training_batch():
    # N_SAMPLES=12 with a third held out: 8 training samples, two full batches
    X, y = _data()
    model = _model(epochs=3, early_stopping=True, validation_fraction=1 / 3)
    model.patience = 10
    BIASES.clear()
    model.fit(X, y)
    bias = np.array([0.0, *BIASES])
    batch_means = bias[:-1] - (bias[:-1] - bias[1:]) / (2 * LEARNING_RATE)
    sums = np.rint(batch_means * BATCH_SIZE * 2**N_SAMPLES).astype(int)
    seen = [sorted(i for i in range(N_SAMPLES) if s >> i & 1) for s in sums]
    assert len(seen) == 3 * 2
    for epoch in range(3):  # the first 8 samples, each once per epoch
        rows = sorted(seen[2 * epoch] + seen[2 * epoch + 1])
        assert rows == list(range(8))


@pytest.mark.parametrize(("n_samples", "batch_size"), [(1, 4), (4, 4), (5, 4), (3, 1)])
def test_each_epoch_takes_one_step_per_batch(n_samples, batch_size):
    X, y = np.zeros((n_samples, 3)), np.arange(n_samples) / n_samples
    model = _model(epochs=2, batch_size=batch_size, callbacks=None, solver="gradient")
    model.fit(X, y)
    steps = int(keras.ops.convert_to_numpy(model.model_.optimizer.iterations))
    assert steps == 2 * -(-n_samples // batch_size)
