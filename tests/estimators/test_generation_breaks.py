"""Ways a notebook user could break NextStepClassifier.generate."""

import numpy as np
import pytest

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
