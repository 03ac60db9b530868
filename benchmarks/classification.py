"""Accuracy and fit time of skseq's classifiers, with their defaults, on UCR/UEA data.

Data sets (``benchmarks/data/``, see its README for source and licence), each
with the archive's own train/test split:

* ``ArrowHead``: univariate, 36 train / 175 test, length 251, 3 classes;
* ``OSULeaf``: univariate, 200 / 242, length 427, 6 classes;
* ``BasicMotions``: multivariate (6 channels), 40 / 40, length 100, 4 classes;
* ``JapaneseVowels``: multivariate (12), variable length (7 to 29), 270 / 370,
  9 classes.

Methods: every sequence classifier of skseq with its defaults (only ``epochs``
and ``random_state`` set), each in a ``Pipeline`` after
:class:`skseq.SequenceNormalizer` (each sequence z-normalised, the UCR
convention; not on JapaneseVowels, see ``NORMALISE``); 1-nearest-neighbour
with Euclidean distance on the same input (the archive's baseline; sequences
of different lengths are padded with zeros); and the published mean
accuracies of FCN and ResNet (Ismail Fawaz et al., "Deep learning for time
series classification: a review", 2019, Data Min. Knowl. Disc. 33; 10 runs of
2000 / 1500 epochs) for the univariate sets.

Run: ``python benchmarks/classification.py [--epochs 200] [--seeds 0 1 2]
[--sets ArrowHead] [--models ConvClassifier GRUClassifier] [--params
batch_size=32]`` (``--params`` changes a parameter of every model, to compare
with a default). On 2 shared CPU cores the default
``ConvClassifier`` takes minutes per set at 200 epochs; a GPU takes seconds.
"""

import argparse
import ast
import gzip
import pathlib
import time

import numpy as np
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

import skseq

DATA = pathlib.Path(__file__).parent / "data"
SETS = ("ArrowHead", "OSULeaf", "BasicMotions", "JapaneseVowels")
# Per-sequence z-normalisation where it helps 1-NN (measured): not on the
# JapaneseVowels coefficients, whose levels tell the speakers apart (1-NN
# 91.6% raw, 56.2% normalised).
NORMALISE = {"ArrowHead": True, "OSULeaf": True, "BasicMotions": True}
MODELS = (
    "ConvClassifier",
    "ResNetClassifier",
    "GRUClassifier",
    "LSTMClassifier",
    "RNNClassifier",
    "WaveNetClassifier",
)
# Ismail Fawaz et al. (2019), mean accuracy (%) over their runs, for the
# univariate sets (their multivariate archive has no BasicMotions and another
# JapaneseVowels split, so nothing is quoted for those).
PUBLISHED = {
    "ArrowHead": {"FCN": 84.3, "ResNet": 84.5},
    "OSULeaf": {"FCN": 97.7, "ResNet": 97.9},
}


def read_ts(path):
    """Sequences and labels of a ``.ts`` file (sktime/aeon format), gzip or not.

    Returns a list of arrays of shape ``(n_timesteps_i, n_channels)`` and an
    array of string labels. Channels are separated by ``:``, the label is last.
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    sequences, labels = [], []
    in_data = False
    with opener(path, "rt") as lines:
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not in_data:
                in_data = line.lower() == "@data"
                continue
            *channels, label = line.split(":")
            values = [np.array(c.split(","), dtype=np.float32) for c in channels]
            sequences.append(np.stack(values, axis=1))
            labels.append(label)
    return sequences, np.array(labels)


def load(name):
    """``(X_train, y_train), (X_test, y_test)`` of a set: an array when every
    sequence has the same length, else a list of arrays."""
    splits = []
    for part in ("TRAIN", "TEST"):
        X, y = read_ts(DATA / f"{name}_{part}.ts.gz")
        if len({len(x) for x in X}) == 1:
            X = np.stack(X)
        splits.append((X, y))
    return splits


def _padded(X, length):
    """Zero-padded 2D copies of the sequences, for the 1-NN baseline."""
    flat = np.zeros((len(X), length * X[0].shape[1]), np.float32)
    for row, x in zip(flat, X, strict=True):
        row[: x.size] = x.ravel()
    return flat


def one_nn(train, test, normalise):
    """Accuracy and fit time of 1-NN Euclidean (on z-normalised sequences)."""
    normalizer = skseq.SequenceNormalizer(with_mean=normalise, with_std=normalise)
    (X_train, y_train), (X_test, y_test) = train, test
    X_train = normalizer.fit_transform(X_train)
    X_test = normalizer.transform(X_test)
    length = max(len(x) for x in [*X_train, *X_test])
    start = time.perf_counter()
    knn = KNeighborsClassifier(n_neighbors=1).fit(_padded(X_train, length), y_train)
    seconds = time.perf_counter() - start
    return knn.score(_padded(X_test, length), y_test), seconds


def skseq_model(name, epochs, seed, train, test, normalise, params=None):
    """Accuracy and fit time of a skseq classifier with its defaults (or with
    ``params`` changed)."""
    model = make_pipeline(
        skseq.SequenceNormalizer(with_mean=normalise, with_std=normalise),
        getattr(skseq, name)(epochs=epochs, random_state=seed, **(params or {})),
    )
    start = time.perf_counter()
    model.fit(*train)
    seconds = time.perf_counter() - start
    return model.score(*test), seconds


def parse_params(items):
    """``["name=value", ...]`` -> dict, values read as Python literals."""
    params = {}
    for item in items:
        name, _, raw = item.partition("=")
        try:
            params[name] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            params[name] = raw
    return params


def _row(name, method, accuracies, seconds):
    accuracies = 100 * np.asarray(accuracies)
    spread = f"± {accuracies.std():4.1f}" if len(accuracies) > 1 else " " * 6
    return (
        f"{name:<15} {method:<24} {accuracies.mean():8.1f} {spread} "
        f"{np.mean(seconds):8.1f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--sets", "--datasets", nargs="+", default=SETS, choices=SETS)
    parser.add_argument("--models", nargs="+", default=MODELS, choices=MODELS)
    parser.add_argument(
        "--params",
        nargs="*",
        default=[],
        help="parameters changed on every model, e.g. batch_size=32",
    )
    args = parser.parse_args()
    params = parse_params(args.params)
    print(
        f"epochs={args.epochs}, seeds={args.seeds}, params={params}; "
        "accuracy (%, mean ± std over seeds), fit time (s, mean)"
    )
    print(f"{'data set':<15} {'method':<24} {'accuracy':>8} {'':6} {'fit s':>8}")
    for name in args.sets:
        train, test = load(name)
        normalise = NORMALISE.get(name, False)
        for model in args.models:
            runs = [
                skseq_model(model, args.epochs, seed, train, test, normalise, params)
                for seed in args.seeds
            ]
            accuracies, seconds = zip(*runs, strict=True)
            print(_row(name, model, accuracies, seconds), flush=True)
            if len(accuracies) > 1:
                each = " ".join(f"{100 * accuracy:.1f}" for accuracy in accuracies)
                print(f"{'':<15} {'  per seed:':<24} {each}", flush=True)
        accuracy, seconds = one_nn(train, test, normalise)
        print(_row(name, "1-NN Euclidean", [accuracy], [seconds]))
        for method, accuracy in PUBLISHED.get(name, {}).items():
            print(f"{name:<15} {method + ' (published)':<24} {accuracy:8.1f}")


if __name__ == "__main__":
    main()
