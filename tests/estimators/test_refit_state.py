"""State carried between calls of the Keras estimators: set_params after fit,
refits, copies."""

import numpy as np
import pandas as pd
import pytest

from skseq import DenseForecaster, GRUClassifier, NextStepClassifier

FAST = {"hidden_units": (4,), "epochs": 1, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(24, 5)).astype("float32"), rng.normal(size=24)


def test_a_head_refusal_names_the_fitted_loss_not_one_set_after(data):
    X, y = data
    model = DenseForecaster(loss="mae", **FAST).fit(X, y)
    model.set_params(loss="quantile")  # takes effect at the next fit only
    with pytest.raises(ValueError, match=r"fitted with loss='mae' \(loss='quantile'"):
        model.predict_quantiles(X)


def test_a_warm_next_step_fit_refuses_the_time_steps_reordered():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.integers(0, 3, (12, 5)), columns=[f"t{i}" for i in range(5)])
    model = NextStepClassifier(units=2, epochs=1, random_state=0, warm_start=True)
    model.fit(X)
    with pytest.raises(ValueError, match="in another order"):
        model.fit(X[X.columns[::-1]])
    with pytest.warns(UserWarning, match="other column names") as record:
        model.fit(X.add_prefix("u"))
    assert record[0].filename == __file__


@pytest.mark.parametrize("first_labelled", [False, True])
def test_a_warm_next_step_fit_refuses_the_other_task(first_labelled):
    # values and labels alike in {0, 1, 2}: no unseen class to give it away
    X = np.tile([0.0, 1.0, 2.0, 1.0], (6, 2))
    labels = (X + 1) % 3
    model = NextStepClassifier(units=2, epochs=1, random_state=0, warm_start=True)
    first, second = ((X, labels), (X,)) if first_labelled else ((X,), (X, labels))
    model.fit(*first)
    network = model.model_
    with pytest.raises(ValueError, match="warm_start=False"):
        model.fit(*second)
    assert model.model_ is network and model.next_step_ is not first_labelled
    model.set_params(warm_start=False).fit(*second)  # a new network is fine
    assert model.next_step_ is first_labelled


def test_a_warm_fit_takes_new_settings_of_the_fit_callbacks():
    X = np.random.default_rng(0).normal(size=(24, 5, 1)).astype("float32")
    y = np.arange(24) % 2
    model = GRUClassifier(units=2, epochs=1, random_state=0, warm_start=True)
    network = model.fit(X, y).model_
    model.set_params(restore_best_weights=False, reduce_lr_patience=None)
    assert model.fit(X, y).model_ is network  # trained further, not refused
    assert len(model.history_["loss"]) == 2
