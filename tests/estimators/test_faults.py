"""Faults during training, and determinism of training."""

import random

import keras
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skseq import DenseForecaster, GRUForecaster, SimpleRNNForecaster

FAST = {"epochs": 2, "batch_size": 8, "random_state": 0}
RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 6, 1)).astype(np.float32)
Y = X[:, -1, 0] * 2.0


class _Interrupt(keras.callbacks.Callback):
    """Stands for a user pressing Ctrl-C in the middle of an epoch."""

    def on_train_batch_end(self, batch, logs=None):
        if batch == 1:
            raise KeyboardInterrupt


def _diverging(**params):
    # Plain SGD with a huge step on a linear model: the loss overflows at once.
    return DenseForecaster(
        optimizer="sgd", learning_rate=1e12, solver="gradient", **params
    )


def test_diverging_loss_raises_and_leaves_no_broken_model():
    model = _diverging(epochs=5, batch_size=8, random_state=0)
    with pytest.raises(FloatingPointError, match="Training diverged.*epoch 1"):
        model.fit(X * 1e3, Y * 1e3)
    with pytest.raises(NotFittedError):
        model.predict(X)


def test_diverging_refit_keeps_the_previous_model():
    model = DenseForecaster(
        optimizer="sgd", learning_rate=0.01, solver="gradient", **FAST
    ).fit(X, Y)
    before = model.predict(X)
    model.set_params(learning_rate=1e12)
    with pytest.raises(FloatingPointError, match="clipnorm"):
        model.fit(X * 1e3, Y * 1e3)
    np.testing.assert_array_equal(model.predict(X), before)
    assert model.learning_rate == 1e12  # parameters are the user's, untouched


def test_training_stops_at_the_first_nan_batch():
    model = _diverging(epochs=50, batch_size=8, random_state=0)
    seen = []

    class Count(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    model.set_params(callbacks=[Count()])
    with pytest.raises(FloatingPointError):
        model.fit(X * 1e3, Y * 1e3)
    # The copy fit makes of the callback still appends to ``seen`` (a closure).
    assert len(seen) == 1


@pytest.mark.parametrize("previously_fitted", [False, True])
def test_keyboard_interrupt_leaves_a_defined_state(previously_fitted):
    model = SimpleRNNForecaster(3, **FAST)
    before = model.fit(X, Y).predict(X) if previously_fitted else None
    model.set_params(callbacks=[_Interrupt()], epochs=3)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, Y)
    if previously_fitted:
        np.testing.assert_array_equal(model.predict(X), before)
    else:
        with pytest.raises(NotFittedError):
            model.predict(X)
    model.set_params(callbacks=None)
    assert model.fit(X, Y).predict(X).shape == (len(X),)  # usable afterwards


def test_same_random_state_same_model_despite_global_seeds_dropout_shuffle():
    def fit(global_seed, random_state):
        keras.utils.set_random_seed(global_seed)  # must not matter
        np.random.seed(global_seed)  # noqa: NPY002  (the legacy global seed)
        return GRUForecaster(
            4,
            dropout=0.3,
            recurrent_dropout=0.3,
            mc_samples=3,
            epochs=2,
            batch_size=8,
            random_state=random_state,
        ).fit(X, Y)

    first, second = fit(1, 7), fit(2, 7)
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    assert first.history_ == second.history_
    np.testing.assert_array_equal(
        first.predict(X, return_std=True)[1], second.predict(X, return_std=True)[1]
    )


def test_random_state_none_varies():
    first = SimpleRNNForecaster(4, epochs=1, batch_size=8).fit(X, Y)
    second = SimpleRNNForecaster(4, epochs=1, batch_size=8).fit(X, Y)
    assert not np.array_equal(first.predict(X), second.predict(X))


def test_seeded_fit_leaves_the_users_global_generators_alone():
    # A bootstrap loop drawing from np.random must not get the same resample on
    # every pass because each seeded fit reseeded the global generators.
    np.random.seed(123)  # noqa: NPY002  (the user's legacy global seed)
    random.seed(123)
    expected = (np.random.rand(3), [random.random() for _ in range(3)])  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    random.seed(123)
    GRUForecaster(4, epochs=1, batch_size=8, random_state=0).fit(X, Y)
    after = (np.random.rand(3), [random.random() for _ in range(3)])  # noqa: NPY002
    np.testing.assert_array_equal(after[0], expected[0])
    assert after[1] == expected[1]
