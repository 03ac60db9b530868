"""ResNetClassifier: defaults, masking, parameters, use in a pipeline."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from skseq import ResNetClassifier, SequenceNormalizer

FAST = {"epochs": 2, "batch_size": 16, "random_state": 0}


@pytest.fixture(scope="module")
def ragged():
    """40 univariate sequences of 5 to 14 steps, labelled by the sign of the
    mean of their first half, as strings."""
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(n, 1)) for n in rng.integers(5, 15, size=40)]
    y = np.array(["up" if x[: len(x) // 2].mean() > 0 else "down" for x in X])
    return X, y


@pytest.fixture(scope="module")
def fitted(ragged):
    return ResNetClassifier((3, 4), kernel_size=(3, 2), **FAST).fit(*ragged)


def test_fits_predicts_and_keeps_labels(fitted, ragged):
    X, y = ragged
    assert fitted.classes_.tolist() == ["down", "up"]
    proba = fitted.predict_proba(X)
    assert proba.shape == (40, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(fitted.predict(X)) <= {"down", "up"}
    assert 0.0 <= fitted.score(X, y) <= 1.0
    assert len(fitted.history_["loss"]) == 2


def test_a_sequence_gets_the_same_prediction_alone_or_padded(fitted, ragged):
    X, _ = ragged
    longest = max(range(len(X)), key=lambda i: len(X[i]))
    short = min(range(len(X)), key=lambda i: len(X[i]))
    alone = fitted.predict_proba([X[short]])
    in_batch = fitted.predict_proba([X[short], X[longest]])
    np.testing.assert_allclose(in_batch[:1], alone, atol=1e-6)
    # NaN padding given by the caller is the same as a list of sequences
    padded = np.full((1, len(X[longest]), 1), np.nan)
    padded[0, : len(X[short])] = X[short]
    np.testing.assert_allclose(fitted.predict_proba(padded), alone, atol=1e-6)


def test_defaults_build_the_published_resnet(ragged):
    model = ResNetClassifier(epochs=1, random_state=0).fit(*ragged)
    convs = [la for la in model.model_.layers if type(la).__name__ == "Conv1D"]
    assert [conv.filters for conv in convs] == [64] * 4 + [128] * 4 + [128] * 3
    assert [conv.kernel_size[0] for conv in convs[:4]] == [8, 5, 3, 1]
    assert model.model_.get_layer("pooling").mode == "average"


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"filters": ()}, ValueError, "filters must hold at least one"),
        ({"filters": 0}, ValueError, "filters must be >= 1"),
        ({"kernel_size": 0}, ValueError, "kernel_size must be >= 1"),
        ({"kernel_size": "8"}, TypeError, "kernel_size must be an int"),
        ({"kernel_size": ()}, ValueError, "kernel_size must hold at least one"),
    ],
)
def test_bad_architecture_is_refused_by_name(ragged, params, error, match):
    with pytest.raises(error, match=match):
        ResNetClassifier(**{**FAST, **params}).fit(*ragged)


def test_works_in_a_pipeline_and_clones(ragged):
    X, y = ragged
    pipe = make_pipeline(
        SequenceNormalizer(), ResNetClassifier(2, kernel_size=2, **FAST)
    )
    pipe.fit(X, y)
    assert pipe.predict(X[:3]).shape == (3,)
    clone_ = clone(pipe[-1])
    assert clone_.get_params() == pipe[-1].get_params()
    assert not hasattr(clone_, "model_")
