"""Values come back as given: baselines compute in float64, labels keep their
dtype and value (no float32 rounding outside the Keras networks)."""

import numpy as np
import pytest

from skseq import NaiveForecaster, NextStepClassifier, WindowedForecaster
from skseq.utils._testing import get_test_params
from skseq.utils.discovery import all_estimators

BIG = 2**24 + 1  # the first integer float32 cannot hold
FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}


def _sequence_classifiers():
    """Every public classifier with one label per sequence (discovered)."""
    return [
        cls
        for _, cls in all_estimators("classifier")
        if cls().__sklearn_tags__().target_tags.required
    ]


@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_naive_forecaster_returns_exact_values(dtype):
    X = np.array([[1, 2, 123456789], [4, 5, 2**40 + 1]], dtype=dtype)
    y_pred = NaiveForecaster().fit(X, [0, 0]).predict(X)
    assert y_pred.dtype == np.float64
    np.testing.assert_array_equal(y_pred, [123456789, 2**40 + 1])
    X = np.array([[0.1, 0.2, 0.3, 0.7]])
    seasonal = NaiveForecaster(season=2).fit(X, [[0, 0, 0]]).predict(X)
    np.testing.assert_array_equal(seasonal, [[0.3, 0.7, 0.3]])


def test_windowed_baseline_returns_exact_values():
    series = 123456789 + np.arange(10.0)
    model = WindowedForecaster(NaiveForecaster(), window=3, scale=False)
    np.testing.assert_array_equal(model.fit(series).forecast(series), [series[-1]])


@pytest.mark.parametrize("cls", _sequence_classifiers(), ids=lambda c: c.__name__)
def test_classifiers_keep_large_integer_labels(cls):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 4))
    y = np.array([BIG, BIG + 2, BIG + 4] * 4)
    model = cls(**get_test_params(cls)[0]).fit(X, y)
    assert model.classes_.dtype == y.dtype
    np.testing.assert_array_equal(model.classes_, [BIG, BIG + 2, BIG + 4])
    y_pred = model.predict(X)
    assert y_pred.dtype == y.dtype and set(y_pred) <= set(y)


@pytest.fixture(scope="module")
def big_next_step():
    """A next-step model fitted on sequences of integers above 2**24."""
    X = np.tile([BIG, BIG + 2, BIG + 4], (8, 2))
    return X, NextStepClassifier(2, **FAST).fit(X)


def test_next_step_classes_keep_large_integers(big_next_step):
    X, model = big_next_step
    assert model.classes_.dtype == X.dtype
    np.testing.assert_array_equal(model.classes_, [BIG, BIG + 2, BIG + 4])
    for values in (model.predict(X), model.generate(X[0, :2], n_steps=3)):
        assert values.dtype == X.dtype and set(values.ravel()) <= set(X[0])
    assert model.generate(X[0, :2], n_steps=3)[:2].tolist() == [BIG, BIG + 2]
    assert 0 <= model.score(X) <= 1


def test_next_step_keeps_per_step_labels_as_given():
    X = np.tile([0.0, 1.0, 2.0], (8, 2))
    for y in (np.where(X > 0, "on", "off"), (X + BIG).astype(np.int64)):
        model = NextStepClassifier(2, **FAST).fit(X, y)
        assert model.classes_.dtype == y.dtype
        np.testing.assert_array_equal(model.classes_, np.unique(y))
        assert model.predict(X).dtype == y.dtype


def test_generate_strips_the_nan_padding_of_the_seed():
    X = np.tile([0, 1, 2, 3], (8, 2))
    model = NextStepClassifier(2, vocab_size=4, **FAST).fit(X)
    padded = model.generate([0.0, 1.0, np.nan, np.nan], n_steps=3, random_state=0)
    plain = model.generate([0, 1], n_steps=3, random_state=0)
    assert padded.dtype == np.int64
    np.testing.assert_array_equal(padded, plain)
    assert len(plain) == 5 and set(plain.tolist()) <= {0, 1, 2, 3}


def test_generate_takes_a_generator_and_names_a_bad_random_state():
    X = np.tile([0, 1, 2, 3], (8, 2))
    model = NextStepClassifier(2, vocab_size=4, **FAST).fit(X)
    one = model.generate([0, 1], n_steps=4, random_state=np.random.default_rng(3))
    two = model.generate([0, 1], n_steps=4, random_state=np.random.default_rng(3))
    np.testing.assert_array_equal(one, two)
    with pytest.raises(ValueError, match="random_state"):
        model.generate([0, 1], n_steps=2, random_state=-1)
