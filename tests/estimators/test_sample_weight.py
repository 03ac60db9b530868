"""sample_weight in fit: relative weights, zero = removed, routing by sklearn."""

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline

from skseq import (
    DenseForecaster,
    GRUClassifier,
    GRUForecaster,
    NextStepClassifier,
    ResNetClassifier,
    RNNForecaster,
    SequenceScaler,
)

FAST = {"epochs": 2, "random_state": 0}


def weights_of(model):
    return model.model_.get_weights()


def assert_same_network(a, b):
    for left, right in zip(weights_of(a), weights_of(b), strict=True):
        assert_array_equal(left, right)


@pytest.fixture(scope="module")
def data(next_step_data):
    X, y = next_step_data
    return X[:40], y[:40]


def test_unit_weights_are_no_weights(data):
    X, y = data
    plain = DenseForecaster(3, **FAST).fit(X, y)
    weighted = DenseForecaster(3, **FAST).fit(X, y, sample_weight=np.ones(len(X)))
    assert_same_network(plain, weighted)


def test_a_single_number_weighs_every_sample_alike(data):
    # sklearn's estimators take a number as sample_weight
    X, y = data
    plain = DenseForecaster(3, **FAST).fit(X, y)
    weighted = DenseForecaster(3, **FAST).fit(X, y, sample_weight=2.5)
    assert_same_network(plain, weighted)
    with pytest.raises(ValueError, match="zero everywhere"):
        DenseForecaster(3, **FAST).fit(X, y, sample_weight=0)


@pytest.mark.parametrize("strategy", ["direct", "seq2seq"])
def test_weights_are_relative(multi_step_data, strategy):
    # Keras alone would scale the gradients by the weights; skseq scales them to
    # mean 1, so 4 * w (an exact scaling) trains the very same network.
    X, y = multi_step_data
    w = np.random.default_rng(0).uniform(size=len(X))
    model = (GRUForecaster if strategy == "seq2seq" else DenseForecaster)(
        3, strategy=strategy, **FAST
    )
    a = model.fit(X, y, sample_weight=w).model_.get_weights()
    b = model.fit(X, y, sample_weight=4 * w).model_.get_weights()
    c = model.fit(X, y).model_.get_weights()
    for left, right in zip(a, b, strict=True):
        assert_array_equal(left, right)
    changed = [not np.array_equal(p, q) for p, q in zip(a, c, strict=True)]
    assert any(changed)


def test_zero_weight_removes_the_sample(data):
    # One batch holding every sample (the zero-weighted ones change nothing
    # else), and plain SGD, whose steps scale with the loss: Keras' own
    # sum(w * loss) / batch_size would make the weighted fit take 2/3 of the
    # step of the fit without those samples. The loss sums in another order, so
    # the match is to float32 rounding, not bitwise.
    X, y = data
    keep = np.arange(len(X)) % 3 > 0
    params = dict(optimizer="sgd", learning_rate=0.1, batch_size=64, **FAST)
    weighted = DenseForecaster(4, **params).fit(X, y, sample_weight=keep * 1.0)
    removed = DenseForecaster(4, **params).fit(X[keep], y[keep])
    for left, right in zip(weights_of(weighted), weights_of(removed), strict=True):
        assert_allclose(left, right, rtol=1e-5, atol=1e-6)
    assert_allclose(weighted.history_["loss"], removed.history_["loss"], rtol=1e-5)


def test_zero_weight_with_class_weight_removes_the_sample(data):
    X, _ = data
    y = np.where(X[:, -1, 0] > X[:, 0, 0], "up", "down")
    keep = np.arange(len(X)) % 4 > 0
    w = np.where(keep, np.linspace(1, 2, len(X)), 0)
    params = dict(
        optimizer="sgd",
        learning_rate=0.5,
        batch_size=64,
        class_weight={"up": 3},
        **FAST,
    )
    weighted = GRUClassifier(3, **params).fit(X, y, sample_weight=w)
    removed = GRUClassifier(3, **params).fit(X[keep], y[keep], sample_weight=w[keep])
    for left, right in zip(weights_of(weighted), weights_of(removed), strict=True):
        assert_allclose(left, right, rtol=1e-5, atol=1e-6)
    # and the class weight still counts next to the sample weights
    other = GRUClassifier(3, **{**params, "class_weight": None})
    other.fit(X, y, sample_weight=w)
    assert not np.allclose(weights_of(weighted)[-1], weights_of(other)[-1])


def test_balanced_class_weight_counts_weighted_samples(data):
    # sklearn's "balanced" (LogisticRegression, forests) counts each class by its
    # sample weights, so a zero weight still removes a sample exactly: the
    # classes are balanced over the samples actually trained on.
    X, _ = data
    y = np.where(np.arange(len(X)) % 3 == 0, "rare", "common")
    keep = (np.arange(len(X)) % 3 == 0) | (np.arange(len(X)) % 2 == 0)
    w = np.where(keep, np.linspace(1, 2, len(X)), 0)
    params = dict(
        optimizer="sgd",
        learning_rate=0.5,
        batch_size=64,
        class_weight="balanced",
        **FAST,
    )
    weighted = GRUClassifier(3, **params).fit(X, y, sample_weight=w)
    removed = GRUClassifier(3, **params).fit(X[keep], y[keep], sample_weight=w[keep])
    for left, right in zip(weights_of(weighted), weights_of(removed), strict=True):
        assert_allclose(left, right, rtol=1e-5, atol=1e-6)


def test_next_step_balanced_class_weight_counts_weighted_sequences():
    X = np.random.default_rng(0).integers(0, 3, size=(20, 6))
    X[:5] = 0  # the sequences weighted 0 hold one class only
    w = np.r_[np.zeros(5), np.ones(15)]
    params = dict(units=3, optimizer="sgd", learning_rate=0.5, batch_size=64, **FAST)
    params["class_weight"] = "balanced"
    weighted = NextStepClassifier(**params).fit(X, sample_weight=w)
    removed = NextStepClassifier(**params).fit(X[5:])
    for left, right in zip(weights_of(weighted), weights_of(removed), strict=True):
        assert_allclose(left, right, rtol=1e-5, atol=1e-6)


def test_next_step_classifier_weights_sequences():
    X = np.random.default_rng(0).integers(0, 3, size=(20, 6))
    w = np.r_[np.zeros(5), np.ones(15)]
    params = dict(units=3, optimizer="sgd", learning_rate=0.5, batch_size=64, **FAST)
    weighted = NextStepClassifier(**params).fit(X, sample_weight=w)
    removed = NextStepClassifier(**params).fit(X[5:])
    for left, right in zip(weights_of(weighted), weights_of(removed), strict=True):
        assert_allclose(left, right, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "weights, message",
    [
        (-np.ones(40), "non-negative"),
        (np.zeros(40), "zero everywhere"),
        (np.ones(39), "one weight per sample"),
        (np.full(40, np.nan), "sample_weight"),
    ],
)
def test_bad_weights_are_refused(data, weights, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        DenseForecaster(2, **FAST).fit(X, y, sample_weight=weights)


# The fix is in the shared training template: one sequence classifier, the
# per-step classifier and a forecaster with early stopping cover its paths.
BATCH_NORM = {
    "resnet": lambda: ResNetClassifier(3, kernel_size=3, **FAST),
    "next_step": lambda: NextStepClassifier(
        2, conv_filters=(2,), batch_norm=True, **FAST
    ),
    "rnn_forecaster_validation": lambda: RNNForecaster(
        2, batch_norm=True, early_stopping=True, validation_fraction=0.2, **FAST
    ),
}


@pytest.mark.parametrize("make", list(BATCH_NORM.values()), ids=list(BATCH_NORM))
def test_zero_weight_keeps_a_sequence_out_of_batch_norm(data, make):
    """A zero-weighted sequence left the loss but still entered the batch-norm
    statistics and moving averages: one corrupted (x1000) sequence of weight 0
    moved ResNetClassifier's probabilities by up to 0.27. It is now left out
    before batching: the fit is the one without it (the validation part too)."""
    X, y = data
    if not isinstance(make(), RNNForecaster):
        y = np.where(X[:, -1, 0] > X[:, 0, 0], "up", "down")
    X = X.copy()
    X[[5, 38]] *= 1000  # one in the training part, one in the validation part
    w = np.ones(len(X))
    w[[5, 38]] = 0
    keep = w > 0
    if isinstance(make(), NextStepClassifier):
        y = np.where(X[:, :, 0] > 0, "up", "down")
    weighted = make().fit(X, y, sample_weight=w)
    removed = make().fit(X[keep], y[keep])
    method = "predict" if isinstance(weighted, RNNForecaster) else "predict_proba"
    X_test = X[keep][:10]
    # Bit for bit: the same samples, batches and seed.
    assert_array_equal(
        getattr(weighted, method)(X_test), getattr(removed, method)(X_test)
    )


def test_pipeline_routes_sample_weight(data):
    X, y = data
    w = np.random.default_rng(1).uniform(size=len(X))
    direct = make_pipeline(SequenceScaler(), DenseForecaster(2, **FAST))
    direct.fit(X, y, denseforecaster__sample_weight=w)  # without routing
    with sklearn.config_context(enable_metadata_routing=True):
        routed = make_pipeline(
            SequenceScaler(),
            DenseForecaster(2, **FAST).set_fit_request(sample_weight=True),
        ).fit(X, y, sample_weight=w)
    plain = make_pipeline(SequenceScaler(), DenseForecaster(2, **FAST)).fit(X, y)
    assert_same_network(direct[-1], routed[-1])
    assert not np.array_equal(weights_of(plain[-1])[0], weights_of(routed[-1])[0])


def test_grid_search_and_cross_validate_route_sample_weight(data):
    X, y = data
    w = np.random.default_rng(2).uniform(size=len(X))
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = DenseForecaster(2, **FAST).set_fit_request(sample_weight=True)
        estimator.set_score_request(sample_weight=False)
        search = GridSearchCV(estimator, {"hidden_units": [2, 3]}, cv=2, refit=True)
        search.fit(X, y, sample_weight=w)
        results = cross_validate(
            estimator,
            X,
            y,
            cv=KFold(2),
            params={"sample_weight": w},
            return_estimator=True,
        )
    best = DenseForecaster(search.best_params_["hidden_units"], **FAST)
    assert_same_network(search.best_estimator_, best.fit(X, y, sample_weight=w))
    half = np.arange(len(X)) >= len(X) // 2
    first = DenseForecaster(2, **FAST).fit(X[half], y[half], sample_weight=w[half])
    assert_same_network(results["estimator"][0], first)
