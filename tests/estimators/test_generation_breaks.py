"""Ways a notebook user could break NextStepClassifier.generate."""

import numpy as np
import pytest

import skseq
from skseq import NextStepClassifier

FAST = {"epochs": 1, "batch_size": 16, "random_state": 0, "verbose": 0}


def test_generate_refuses_classes_that_are_not_token_ids():
    """After fit(X, y) with vocab_size, labels that are not token ids were fed
    back into the embedding: a backend error (TensorFlow's 'indices[0,2] = 30 is
    not in [0, 4)') when such a label was sampled, at random."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, size=(8, 6))
    model = NextStepClassifier(2, vocab_size=4, embedding_dim=2, **FAST).fit(
        X, X * 10 + 10
    )
    with pytest.raises(ValueError, match=r"token id in \[0, vocab_size=4\).*\[10, 20"):
        model.generate([1, 2], 3, random_state=0)
    # Labels that are token ids (the book's X[:, :-1], X[:, 1:]) still generate.
    model = NextStepClassifier(2, vocab_size=4, embedding_dim=2, **FAST)
    model.fit(X[:, :-1], X[:, 1:])
    sequence = model.generate([1, 2], 3, random_state=0)
    assert sequence[:2].tolist() == [1, 2]
    assert np.isin(sequence[2:], np.arange(4)).all()


def test_generate_refuses_labels_the_network_never_read(tmp_path):
    """After fit(X, y) with per-step labels that are no value of X (a tagger),
    generate fed the labels back as inputs and returned a plausible sequence
    mixing inputs and labels, without a word."""
    rng = np.random.default_rng(0)
    X = rng.integers(5, 9, size=(8, 6))
    model = NextStepClassifier(2, **FAST).fit(X, (X > 6).astype(int))
    match = r"labels \(such as \[0.0, 1.0\]\) none.*fit\(X\)"
    with pytest.raises(ValueError, match=match):
        model.generate([5, 6], 3, random_state=0)
    # the refusal survives skseq.save and load (a private fitted attribute)
    skseq.save(model, tmp_path / "tagger.skseq")
    loaded = skseq.load(tmp_path / "tagger.skseq")
    with pytest.raises(ValueError, match=match):
        loaded.generate([5, 6], 3, random_state=0)
    # Labels that are the next values of X (the book's shift) still generate.
    # A value found only at the last step (9) is no input, but others are.
    X[0, -1] = 9
    model = NextStepClassifier(2, **FAST).fit(X[:, :-1], X[:, 1:])
    sequence = model.generate([5, 6], 3, random_state=0)
    assert np.isin(sequence, np.arange(5, 10)).all()
