"""warm_start and partial_fit: training continues, optimizer state included."""

import io
import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

import skseq
from skseq import DenseForecaster, GRUClassifier, GRUForecaster

# One batch per epoch: a 2-epoch fit and two warm 1-epoch fits take the same
# steps (the batch's order only moves float32 rounding).
ONE_BATCH = {"batch_size": 64, "random_state": 0}


@pytest.fixture(scope="module")
def data(next_step_data):
    X, y = next_step_data
    return X[:40], y[:40]


@pytest.fixture(scope="module")
def labelled(data):
    X, _ = data
    return X, np.where(X[:, -1, 0] > X[:, 0, 0], "up", "down")


def iterations(model):
    return int(model.model_.optimizer.iterations.numpy())


def test_warm_fits_continue_like_one_longer_fit(data):
    X, y = data
    warm = DenseForecaster(4, epochs=1, warm_start=True, **ONE_BATCH)
    network = warm.fit(X, y).model_
    warm.fit(X, y)
    assert warm.model_ is network and iterations(warm) == 2
    assert len(warm.history_["loss"]) == 2
    once = DenseForecaster(4, epochs=2, **ONE_BATCH).fit(X, y)
    pairs = zip(warm.model_.get_weights(), once.model_.get_weights(), strict=True)
    for left, right in pairs:
        assert_allclose(left, right, rtol=1e-5, atol=1e-7)
    assert_allclose(warm.history_["loss"], once.history_["loss"], rtol=1e-5)


def test_without_warm_start_each_fit_starts_afresh(data):
    X, y = data
    model = DenseForecaster(4, epochs=1, **ONE_BATCH)
    first = model.fit(X, y).model_
    assert model.fit(X, y).model_ is not first
    assert iterations(model) == 1 and len(model.history_["loss"]) == 1


def test_clone_and_grid_search_start_cold(data):
    X, y = data
    fitted = DenseForecaster(4, epochs=1, warm_start=True, **ONE_BATCH).fit(X, y)
    copy = clone(fitted)
    assert not hasattr(copy, "model_")
    assert len(copy.fit(X, y).history_["loss"]) == 1
    search = GridSearchCV(copy, {"hidden_units": [2, 3]}, cv=2).fit(X, y)
    assert len(search.best_estimator_.history_["loss"]) == 1


def test_changed_architecture_or_shapes_are_refused(data, multi_step_data):
    X, y = data
    model = DenseForecaster(4, epochs=1, warm_start=True, **ONE_BATCH).fit(X, y)
    clone(model).set_params(hidden_units=5).fit(X, y)  # a clone starts cold
    with pytest.raises(ValueError, match=r"\['hidden_units'\] changed"):
        model.set_params(hidden_units=5).fit(X, y)
    model.set_params(hidden_units=4, learning_rate=0.01)  # a training parameter
    model.fit(X, y)
    assert_allclose(model.model_.optimizer.learning_rate.numpy(), 0.01)
    with pytest.raises(ValueError, match="horizon_=1"):
        model.fit(*multi_step_data)


def test_failed_warm_fit_restores_network_and_optimizer(data):
    X, y = data
    model = DenseForecaster(4, epochs=1, warm_start=True, **ONE_BATCH).fit(X, y)
    weights, history = model.model_.get_weights(), dict(model.history_)
    with pytest.raises(FloatingPointError):
        model.set_params(learning_rate=1e30, epochs=3).fit(X * 1e6, y * 1e6)
    for left, right in zip(model.model_.get_weights(), weights, strict=True):
        assert_array_equal(left, right)
    assert iterations(model) == 1 and model.history_ == history
    assert_allclose(model.model_.optimizer.learning_rate.numpy(), 0.001)


def test_partial_fit_loop(data):
    X, y = data
    model = GRUForecaster(3, epochs=50, **ONE_BATCH)
    predictions = []
    for start in range(0, 40, 20):
        model.partial_fit(X[start : start + 20], y[start : start + 20])
        predictions.append(model.predict(X))
    assert len(model.history_["loss"]) == 2 and iterations(model) == 2
    assert not np.array_equal(*predictions)


def test_pickle_keeps_the_optimizer_state(data):
    # A warm fit after a pickle round trip takes the very same step as one
    # without it: moments and iteration count travel with the network.
    X, y = data
    model = DenseForecaster(4, epochs=1, warm_start=True, **ONE_BATCH).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    assert iterations(restored) == 1
    model.fit(X, y)
    restored.fit(X, y)
    pairs = zip(model.model_.get_weights(), restored.model_.get_weights(), strict=True)
    for left, right in pairs:
        assert_array_equal(left, right)


def test_classifier_partial_fit_needs_classes(labelled):
    X, y = labelled
    model = GRUClassifier(3, **ONE_BATCH)
    with pytest.raises(ValueError, match="classes must be passed"):
        model.partial_fit(X, y)
    model.partial_fit(X[:20], y[:20], classes=["down", "up"])
    model.partial_fit(X[20:], y[20:])
    assert model.classes_.tolist() == ["down", "up"]
    assert len(model.history_["loss"]) == 2
    with pytest.raises(ValueError, match="not among the classes"):
        model.partial_fit(X[:3], ["down", "up", "sideways"])
    with pytest.raises(ValueError, match="differs from the classes_"):
        model.partial_fit(X, y, classes=["a", "b"])
    with pytest.raises(ValueError, match="balanced"):
        GRUClassifier(3, class_weight="balanced").partial_fit(X, y, classes=y)


def test_classifier_warm_start_keeps_classes(labelled):
    X, y = labelled
    model = GRUClassifier(3, epochs=1, warm_start=True, **ONE_BATCH).fit(X, y)
    network = model.model_
    only_up = y == "up"
    model.fit(X[only_up], y[only_up])  # one class is fine when continuing
    assert model.model_ is network and model.classes_.tolist() == ["down", "up"]


def test_partial_fit_refusals_name_partial_fit_not_warm_start(data, multi_step_data):
    """partial_fit on data of another width said "warm_start=True continues
    training ... Set warm_start=False", although warm_start was False and
    following the advice gave the same error."""
    X, y = data
    model = GRUForecaster(2, **ONE_BATCH).partial_fit(X, y)
    wider = np.concatenate([X, X], axis=2)
    with pytest.raises(ValueError, match="expecting 1") as refused:
        model.partial_fit(wider, y)
    message = str(refused.value)
    assert message.startswith(
        "X has 2 features per time step, but GRUForecaster is expecting 1"
    )
    assert "warm_start=True" not in message and "clone" in message
    with pytest.raises(ValueError, match="partial_fit continues .* horizon_=1"):
        model.partial_fit(*multi_step_data)
    model.set_params(units=3)
    with pytest.raises(ValueError, match=r"\['units'\] of GRUForecaster changed"):
        model.partial_fit(X, y)
    assert len(model.history_["loss"]) == 1  # nothing was trained
    clone(model).partial_fit(wider, y)  # the advice works


def test_classifier_partial_fit_refusals_name_partial_fit(labelled):
    X, y = labelled
    model = GRUClassifier(2, **ONE_BATCH).partial_fit(X, y, classes=["down", "up"])
    with pytest.raises(ValueError, match="X has 2 features per time step, but "):
        model.partial_fit(np.concatenate([X, X], axis=2), y)
    with pytest.raises(ValueError, match="start over with fit") as refused:
        model.partial_fit(X[:3], ["down", "up", "sideways"])
    assert "warm_start=False to train" not in str(refused.value)
    with pytest.raises(ValueError, match=r"\['units'\] of GRUClassifier changed"):
        model.set_params(units=3).partial_fit(X, y)
    # fit keeps the warm_start wording
    warm = GRUClassifier(2, epochs=1, warm_start=True, **ONE_BATCH).fit(X, y)
    with pytest.raises(ValueError, match="warm_start=True continues"):
        warm.fit(np.concatenate([X, X], axis=2), y)


def test_next_step_warm_fit_keeps_the_values_seen_before():
    """A warm fit(B) after fit(A) refused at predict the values seen only in A,
    on which the network had been trained."""
    from skseq import NextStepClassifier

    A = np.tile([9.0, 1.0, 2.0, 3.0], (6, 2))
    B = np.tile([1.0, 2.0, 3.0, 1.0], (6, 2))
    model = NextStepClassifier(2, epochs=1, warm_start=True, **ONE_BATCH).fit(A)
    network = model.model_
    model.fit(B)
    assert model.model_ is network
    assert_array_equal(model.input_values_, [1.0, 2.0, 3.0, 9.0])
    assert_array_equal(model.classes_, [1.0, 2.0, 3.0, 9.0])
    assert model.predict(A[:1]).shape == (1, 8)
    unseen = np.tile([1.0, 2.0, 5.0, 1.0], (6, 2))
    with pytest.raises(ValueError, match=r"X holds values \[5.0\] .*after") as refused:
        model.fit(unseen)
    assert "partial_fit" not in str(refused.value)
    assert_array_equal(model.input_values_, [1.0, 2.0, 3.0, 9.0])  # unchanged
    cold = NextStepClassifier(2, epochs=1, **ONE_BATCH).fit(A).fit(B)
    assert_array_equal(cold.input_values_, [1.0, 2.0, 3.0])  # a new network


def test_next_step_warm_fit_with_new_labels_names_no_partial_fit():
    from skseq import NextStepClassifier

    X = np.tile([0.0, 1.0, 2.0, 3.0], (6, 1))
    model = NextStepClassifier(2, epochs=1, warm_start=True, **ONE_BATCH)
    model.fit(X, X % 2)
    with pytest.raises(ValueError, match=r"labels \[6.0, 7.0\]") as refused:
        model.fit(X, X % 2 + 6)
    assert "partial_fit" not in str(refused.value)
    assert "warm_start=False" in str(refused.value)


def test_array_parameters_equal_in_value_are_unchanged(data, tmp_path):
    # skseq.load (and set_params) give an array parameter back as another
    # array of the same values: that is no new architecture.
    X, y = data
    levels = np.array([0.1, 0.5, 0.9])
    model = GRUForecaster(
        2, epochs=1, loss="quantile", quantiles=levels, warm_start=True, **ONE_BATCH
    ).fit(X, y)
    skseq.save(model, tmp_path / "model.zip")
    restored = skseq.load(tmp_path / "model.zip").fit(X, y)
    assert iterations(restored) == 2
    model.set_params(quantiles=levels.copy()).fit(X, y)
    assert iterations(model) == 2
    with pytest.raises(ValueError, match="quantiles"):
        model.set_params(quantiles=np.array([0.2, 0.5, 0.8])).fit(X, y)


@pytest.mark.parametrize("round_trip", ["pickle", "skseq.save"])
def test_a_restored_network_continues_like_the_one_in_memory(data, round_trip):
    # Several shuffled batches: the batch order must not depend on whether the
    # network came back from a file. On JAX, Keras builds the compiled loss of
    # a network on its first fit by drawing a batch from the shuffled data,
    # which takes a permutation from NumPy's seeded generator; a restored
    # network's loss is unbuilt, so it used to train on another batch order
    # than the network it was saved from.
    X, y = data
    model = GRUForecaster(2, epochs=1, batch_size=8, random_state=0).fit(X, y)
    if round_trip == "pickle":
        restored = pickle.loads(pickle.dumps(model))
    else:
        buffer = io.BytesIO()
        skseq.save(model, buffer)
        restored = skseq.load(io.BytesIO(buffer.getvalue()))
    model.partial_fit(X, y)
    restored.partial_fit(X, y)
    assert_array_equal(restored.history_["loss"], model.history_["loss"])
    assert_array_equal(restored.predict(X), model.predict(X))
