"""Bad labels and class weights are refused before training, with a message that
names ``y`` or ``class_weight`` and says what to do."""

import numpy as np
import pandas as pd
import pytest

from skseq import GRUClassifier, NextStepClassifier

X = np.random.default_rng(0).normal(size=(8, 5))
FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}


@pytest.mark.parametrize(
    "y",
    [
        pd.array([0, 1, pd.NA, 1, 0, 1, 0, 1], dtype="Int64"),
        pd.array(["a", "b", pd.NA, "b", "a", "b", "a", "b"], dtype="string"),
        np.array(["a", "b", None, "b", "a", "b", "a", "b"], dtype=object),
    ],
    ids=["Int64", "string", "None"],
)
def test_missing_labels_are_refused(y):
    with pytest.raises(ValueError, match=r"y contains missing .*drop those"):
        GRUClassifier(2, **FAST).fit(X, y)


@pytest.mark.parametrize(
    "y", [["a", 1] * 4, np.array([1, "b"] * 4, dtype=object)], ids=["ab", "ba"]
)
def test_mixed_string_and_number_labels_are_refused(y):
    with pytest.raises(TypeError, match=r"y mixes strings and numbers.*astype\(str\)"):
        GRUClassifier(2, **FAST).fit(X, y)


def test_per_step_labels_are_checked_too():
    steps = np.tile([0.0, 1.0], (4, 3))
    y = np.where(steps > 0, "on", None).astype(object)
    with pytest.raises(ValueError, match="y contains missing"):
        NextStepClassifier(2, **FAST).fit(steps, y)
    mixed = [["on", 0] * 3] * 4
    for y in (mixed, [np.array(row, dtype=object) for row in mixed]):
        with pytest.raises(TypeError, match="y mixes strings and numbers"):
            NextStepClassifier(2, **FAST).fit(steps, y)


@pytest.mark.parametrize("make", [np.array, list], ids=["arrays", "lists"])
def test_per_step_labels_of_sequences_of_different_types_are_refused(make):
    # each sequence's labels are of one type, but the sequences differ: NumPy
    # would turn 0 into '0' and the model would learn classes that do not exist
    steps = [np.arange(4.0).reshape(-1, 1), np.arange(3.0).reshape(-1, 1)]
    y = [make([0, 1, 0, 1]), make(["a", "b", "a"])]
    with pytest.raises(TypeError, match="y mixes strings and numbers"):
        NextStepClassifier(2, **FAST).fit(steps, y)
    model = NextStepClassifier(2, **FAST).fit(steps, [[0, 1, 0, 1], [1, 0, 1]])
    with pytest.raises(TypeError, match="y mixes strings and numbers"):
        model.score(steps, [make([0, 1, 0, 1]), make(["1", "0", "1"])])
    # numbers of different dtypes are one type of label
    assert model.score(steps, [np.array([0, 1, 0, 1]), np.array([1.0, 0.0, 1.0])]) >= 0


@pytest.mark.parametrize(
    "class_weight, error, match",
    [
        (
            {0: 1.0, 5: 3.0},
            ValueError,
            r"class_weight has labels not in y: \[5\], and leaves out classes of "
            r"y: \[1\]",
        ),
        ({"0": 1.0, 1: 2.0}, ValueError, r"class_weight has labels not in y: \['0'\]"),
        ({0: -1.0, 1: 1.0}, ValueError, "class_weight must map labels to finite"),
        ({0: np.nan, 1: 1.0}, ValueError, "class_weight must map labels to finite"),
        ({0: "heavy", 1: 1.0}, TypeError, "class_weight must map labels to numbers"),
        ({0: 0.0, 1: 0}, ValueError, "class_weight gives every class of y weight 0"),
        ("balance", TypeError, "class_weight must be a dict"),
    ],
)
def test_bad_class_weights_are_refused(class_weight, error, match):
    model = GRUClassifier(2, class_weight=class_weight, **FAST)
    with pytest.raises(error, match=match):
        model.fit(X, [0, 1] * 4)
    assert not hasattr(model, "model_")


def test_classes_left_out_of_class_weight_weigh_one():
    model = GRUClassifier(2, class_weight={"b": 3.0}, **FAST)
    encoded = np.array([0, 1, 2, 1])
    weights = model._class_weights(np.array(["a", "b", "c"]), encoded)
    np.testing.assert_array_equal(weights, [1.0, 3.0, 1.0])


@pytest.mark.parametrize(
    "classes, error, match",
    [
        ([0, 1, np.nan], ValueError, r"classes contains missing .* at index \[2\]"),
        ([0, 1, None], ValueError, r"classes contains missing .* at index \[2\]"),
        ([0, 1, "a"], TypeError, "classes mixes strings and numbers"),
        ([0, 1, 0.5], ValueError, "continuous"),
    ],
    ids=["nan", "None", "mixed", "continuous"],
)
def test_bad_classes_of_partial_fit_are_refused(classes, error, match):
    # NaN and 0.5 became classes of the network (predict could return them),
    # None failed in NumPy's sort, and "a" turned 0 and 1 into "0" and "1".
    model = GRUClassifier(2, **FAST)
    with pytest.raises(error, match=match):
        model.partial_fit(X, [0, 1] * 4, classes=classes)
    assert not hasattr(model, "model_")


def test_class_weight_of_every_class_fits_a_fold_without_a_rare_class():
    # sklearn's rule: labels not in y are ignored when the dict weighs every
    # class of y, so a cross-validation fold that lacks a rare class trains
    # with the other classes' weights (it was refused: a NaN fold score).
    from sklearn.linear_model import LogisticRegression

    class_weight = {0: 1.0, 1: 2.0, 2: 5.0}
    fold_y = [0, 1] * 4  # the rare class 2 is in another fold
    LogisticRegression(class_weight=class_weight).fit(X.reshape(len(X), -1), fold_y)
    model = GRUClassifier(2, class_weight=class_weight, **FAST)
    weights = model._class_weights(np.array([0, 1]), np.array(fold_y))
    np.testing.assert_array_equal(weights, [1.0, 2.0])
    assert model.fit(X, fold_y).predict_proba(X).shape == (len(X), 2)
