"""Write ``pickles_fc09d2e.pkl``: one small fitted estimator of every class of
``skseq.estimators``, with an input and the predictions it gave.

Run once at commit fc09d2e (before the estimators were split into more modules)
so that ``test_persistence.py`` checks that pickles made by that layout still
load and predict the same. Not rerun by the tests.
"""

import pickle
import sys
from pathlib import Path

import numpy as np

import skseq

FAST = {"epochs": 1, "batch_size": 8, "random_state": 0}
RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 8, 1)).astype(np.float32)
Y = X[:, -1, 0]
RAGGED = [RNG.normal(size=(n, 1)) for n in (3, 8, 5, 8, 2, 6)]
LABELS = np.array(["a", "b", "c"] * 2)
TOKENS = np.tile(np.arange(5), (6, 2))


def _cases():
    forecasters = [
        skseq.NaiveForecaster(season=2),
        skseq.DenseForecaster(**FAST),
        skseq.RNNForecaster(3, cell="simple", layer_norm=True, **FAST),
        skseq.SimpleRNNForecaster(3, **FAST),
        skseq.LSTMForecaster(3, dropout=0.2, **FAST),
        skseq.GRUForecaster(3, **FAST),
        skseq.ConvRNNForecaster(3, units=3, **FAST),
        skseq.WaveNetForecaster(
            3, dilation_rates=(1, 2, 4), architecture="full", **FAST
        ),
    ]
    for model in forecasters:
        yield model.fit(X, Y), X, "predict"
    classifiers = [
        skseq.RNNClassifier(3, **FAST),
        skseq.LSTMClassifier(3, **FAST),
        skseq.GRUClassifier(3, **FAST),
        skseq.ConvClassifier(3, **FAST),
        skseq.WaveNetClassifier(3, dilation_rates=(1, 2), architecture="full", **FAST),
    ]
    for model in classifiers:
        yield model.fit(RAGGED, LABELS), RAGGED, "predict_proba"
    model = skseq.NextStepClassifier(3, vocab_size=5, embedding_dim=2, **FAST)
    yield model.fit(TOKENS), TOKENS, "predict_proba"


def main(path):
    cases = [
        (model, data, method, getattr(model, method)(data))
        for model, data, method in _cases()
    ]
    with open(path, "wb") as file:
        pickle.dump(cases, file)


if __name__ == "__main__":
    main(
        sys.argv[1]
        if len(sys.argv) > 1
        else Path(__file__).with_name("pickles_fc09d2e.pkl")
    )
