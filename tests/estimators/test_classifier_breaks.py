"""Inputs a notebook user would try on the sequence classifiers, which once
gave plausible but wrong answers."""

import io
import warnings

import numpy as np
import pandas as pd
import pytest

import skseq
from skseq import GRUClassifier, GRUForecaster, NextStepClassifier, SequenceScaler

FAST = {"epochs": 1, "batch_size": 16, "random_state": 0, "verbose": 0}


def _frames(n=20, columns=("temp", "pres")):
    rng = np.random.default_rng(0)
    X = [
        pd.DataFrame(rng.normal(size=(k, len(columns))), columns=list(columns))
        for k in rng.integers(4, 10, size=n)
    ]
    y = np.array(["up" if x.iloc[:, 0].mean() > 0 else "down" for x in X])
    return X, y


@pytest.fixture(scope="module")
def fitted_on_frames():
    X, y = _frames()
    return GRUClassifier(3, conv_filters=(), **FAST).fit(X, y), X


def test_sequences_with_their_columns_swapped_are_refused_at_predict(
    fitted_on_frames,
):
    """A list of DataFrames with the fitted columns in another order fed the
    network the features swapped: other probabilities, without a word."""
    model, X = fitted_on_frames
    swapped = [x[["pres", "temp"]] for x in X]
    for data in (swapped, pd.Series(swapped)):
        with pytest.raises(ValueError, match="another order.*'temp', 'pres'"):
            model.predict_proba(data)
    with pytest.raises(ValueError, match="another order"):
        model.score(swapped, np.array(["up"] * len(X)))
    # The same order, or plain arrays, are read as before.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(
            model.predict_proba(X), model.predict_proba([x.to_numpy() for x in X])
        )


def test_other_column_names_at_predict_warn(fitted_on_frames):
    model, X = fitted_on_frames
    renamed = [x.set_axis(["a", "b"], axis=1) for x in X]
    with pytest.warns(UserWarning, match=r"other columns.*\['a', 'b'\]"):
        model.predict(renamed)


def test_sequences_of_one_x_in_different_column_orders_are_refused():
    X, y = _frames()
    mixed = X[:10] + [x[["pres", "temp"]] for x in X[10:]]
    with pytest.raises(ValueError, match=r"X\[10\] has the columns of X\[0\]"):
        GRUClassifier(3, conv_filters=(), **FAST).fit(mixed, y)
    with pytest.raises(ValueError, match=r"X\[10\] has the columns of X\[0\]"):
        NextStepClassifier(3, **FAST).fit(mixed, [np.zeros(len(x)) for x in X])


def test_sequence_columns_are_checked_by_the_next_step_classifier_and_refit():
    X, _ = _frames()
    labels = [np.arange(len(x)) % 2 for x in X]
    model = NextStepClassifier(3, **FAST).fit(X, labels)
    with pytest.raises(ValueError, match="another order"):
        model.predict([x[["pres", "temp"]] for x in X])
    # A refit on arrays forgets the columns.
    model.fit([x.to_numpy() for x in X], labels)
    assert not hasattr(model, "_sequence_columns_in")
    model.predict([x[["pres", "temp"]] for x in X[:2]])


def test_warm_fit_checks_the_sequence_columns(fitted_on_frames):
    model, X = fitted_on_frames
    swapped = [x[["pres", "temp"]] for x in X]
    warm = skseq.load(_saved(model)).set_params(warm_start=True)
    with pytest.raises(ValueError, match="another order"):
        warm.fit(swapped, np.array(["up", "down"] * (len(X) // 2)))


def _saved(model):
    buffer = io.BytesIO()
    skseq.save(model, buffer)
    buffer.seek(0)
    return buffer


def test_saved_classifier_keeps_its_sequence_columns(fitted_on_frames):
    model, X = fitted_on_frames
    loaded = skseq.load(_saved(model))
    with pytest.raises(ValueError, match="another order"):
        loaded.predict([x[["pres", "temp"]] for x in X])


@pytest.mark.parametrize(
    "make", [lambda: SequenceScaler(), lambda: GRUForecaster(3, **FAST)]
)
def test_forecasters_and_transformers_check_the_sequence_columns_too(make):
    """The same silent swap, for windows of equal length given as DataFrames."""
    rng = np.random.default_rng(0)
    X = [pd.DataFrame(rng.normal(size=(6, 2)), columns=["a", "b"]) for _ in range(20)]
    swapped = [x[["b", "a"]] for x in X]
    estimator = make()
    with pytest.raises(ValueError, match=r"X\[10\] has the columns of X\[0\]"):
        estimator.fit(X[:10] + swapped[10:], rng.normal(size=20))
    estimator.fit(X, rng.normal(size=20))
    method = getattr(estimator, "transform", None) or estimator.predict
    with pytest.raises(ValueError, match="another order"):
        method(swapped)


@pytest.mark.parametrize("make", [lambda: GRUClassifier(3), lambda: GRUForecaster(3)])
def test_a_dataframe_of_sequences_is_refused_naming_the_cause(make):
    """``df[["seq"]]`` (cells holding whole sequences) got NumPy's "Invalid X:
    setting an array element with a sequence"."""
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"seq": [rng.normal(size=(6, 2)) for _ in range(4)]})
    with pytest.raises(ValueError, match=r"cells are sequences.*list\(X\['seq'\]\)"):
        make().fit(df[["seq"]], [0, 1, 0, 1])


@pytest.mark.parametrize(
    "labels, match",
    [
        ([1, 2] * 4, r"integers in an array of dtype object.*y\.astype\(int\)"),
        ([True, False] * 4, r"booleans .*y\.astype\(bool\)"),
        ([1.0, 2.5] * 4, r"numbers .*np\.asarray\(y\.tolist\(\)\)"),
    ],
)
def test_numbers_in_an_object_array_are_refused_naming_the_dtype(labels, match):
    """sklearn's "Unknown label type: unknown ... continuous values" spoke of a
    regression target for integer labels of dtype object (a column that once
    held None), in fit, partial_fit's classes and score."""
    X = np.random.default_rng(0).normal(size=(8, 5))
    y = pd.Series(labels, dtype=object)
    with pytest.raises(ValueError, match=match):
        GRUClassifier(2, **FAST).fit(X, y)
    if match.startswith("integers"):
        objects = np.array([1, 2], dtype=object)
        with pytest.raises(ValueError, match="classes holds integers"):
            GRUClassifier(2, **FAST).partial_fit(X, [1, 2] * 4, classes=objects)
        model = GRUClassifier(2, **FAST).fit(X, np.asarray(labels))
        with pytest.raises(ValueError, match=match):
            model.score(X, y)


@pytest.mark.parametrize("labelled", [True, False])
def test_next_step_score_takes_sample_weight_per_sequence(labelled):
    """score(X, y, sample_weight=...) raised a TypeError (sklearn's classifiers
    all take it); each sequence's weight goes to each of its steps."""
    rng = np.random.default_rng(0)
    X = [rng.integers(0, 3, size=n) for n in (5, 8, 6, 7)]
    y = [x % 2 for x in X] if labelled else None
    model = NextStepClassifier(3, **FAST).fit(X, y)
    weights = np.array([0.0, 2.0, 0.0, 1.0])
    kept = [1, 3]
    steps = np.array([len(x) - (not labelled) for x in X])
    scores = [model.score([X[i]], None if y is None else [y[i]]) for i in kept]
    expected = np.average(scores, weights=weights[kept] * steps[kept])
    both = model.score(X, y, sample_weight=weights)
    assert both == pytest.approx(expected)
    unweighted = model.score(X, y)
    assert model.score(X, y, sample_weight=np.ones(4)) == pytest.approx(unweighted)
    with pytest.raises(ValueError, match="sample_weight"):
        model.score(X, y, sample_weight=np.ones(3))
