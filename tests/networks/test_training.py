"""Training plumbing: steps per execution, the per-epoch NaN guard."""

import keras
import numpy as np
import pytest

from skseq import GRUClassifier, LSTMForecaster
from skseq.networks import _training
from skseq.networks._training import StopOnNonFiniteLoss, steps_per_execution

BACKEND = keras.backend.backend()


def _on_accelerator():
    if BACKEND != "jax":
        return False
    import jax

    return jax.default_backend() != "cpu"


def test_one_step_per_execution_except_jax_on_an_accelerator():
    assert steps_per_execution() == (64 if _on_accelerator() else 1)


def _fit_forecaster(X, y):
    forecaster = LSTMForecaster(
        (4, 4), epochs=3, batch_size=16, early_stopping=True, random_state=0
    )
    return forecaster.fit(X, y)


def _fit_classifier(X, y):
    labels = np.where(y > np.median(y), "high", "low")
    return GRUClassifier(4, epochs=3, batch_size=16, random_state=0).fit(X, labels)


@pytest.mark.skipif(
    BACKEND == "torch", reason="PyTorch refuses steps_per_execution > 1"
)
@pytest.mark.parametrize("fit", [_fit_forecaster, _fit_classifier])
def test_several_steps_per_execution_train_identically(
    fit, next_step_data, monkeypatch
):
    # 80 sequences (64 after the early-stopping hold-out) in batches of 16: 4 or 5
    # batches per epoch, so steps in groups of 3 leave a partial group.
    X, y = next_step_data
    one = fit(X, y)
    monkeypatch.setattr(_training, "steps_per_execution", lambda: 3)
    grouped = fit(X, y)
    assert grouped.history_ == one.history_
    for ours, theirs in zip(
        grouped.model_.get_weights(), one.model_.get_weights(), strict=True
    ):
        np.testing.assert_array_equal(ours, theirs)
    # ... and the fitted model is set back to one step, also in what it pickles.
    assert grouped.model_.steps_per_execution == 1
    assert grouped.model_.get_compile_config()["steps_per_execution"] == 1


class _Model:
    stop_training = False


@pytest.mark.parametrize(
    ("loss", "stops"), [(0.5, False), (float("nan"), True), (float("inf"), True)]
)
def test_nan_guard_stops_at_the_end_of_an_epoch_with_a_non_finite_loss(loss, stops):
    guard = StopOnNonFiniteLoss()
    guard.set_model(_Model())
    guard.on_epoch_end(0, {"loss": loss})
    assert guard.model.stop_training is stops


def test_nan_guard_has_no_per_batch_hook():
    # A per-batch hook reads the loss back after every step (a device sync on a
    # GPU) and turns off Keras' asynchronous callback dispatch.
    base = keras.callbacks.Callback
    for hook in ("on_batch_end", "on_train_batch_end", "on_train_batch_begin"):
        assert getattr(StopOnNonFiniteLoss, hook) is getattr(base, hook)
