"""Choose classifier training defaults by cross-validation on training data only.

For each data set of ``benchmarks/classification.py`` and each combination of
the ``--grid`` values, prints the mean and standard deviation of the accuracy
over the folds of a stratified k-fold split of the archive's *training* set
(the test set is never read), and the mean fit time per fold. Use it to choose
a default; then report test accuracy once with ``classification.py``.

Run: ``python benchmarks/classification_tuning.py --sets ArrowHead --model
ConvClassifier --epochs 300 --grid batch_size=32,3 reduce_lr_patience=10,50``.
Values are parsed as Python literals (``None``, ``"auto"``, ints, tuples:
``--grid "kernel_size=5,(8,5,3)"``). Measure on the backend users get
(TensorFlow): on JAX the same seeds give other initial weights and, on
ArrowHead, 7 points less for the default ``ConvClassifier`` (67.4 vs 74.3% test
accuracy, seed 0, 200 epochs).
"""

import argparse
import ast
import itertools
import time

import numpy as np
from classification import NORMALISE, SETS, load
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import make_pipeline

import skseq


def parse_grid(items):
    """``["name=v1,v2", ...]`` -> list of parameter dicts (cartesian product)."""
    names, values = [], []
    for item in items:
        name, _, raw = item.partition("=")
        names.append(name)
        values.append(_values(raw))
    return [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)
    ]


def _values(raw):
    """``"5,(8, 5, 3)"`` -> ``[5, (8, 5, 3)]``; bare words (``auto``) as strings."""
    try:
        return list(ast.literal_eval(f"[{raw}]"))
    except (ValueError, SyntaxError):
        return [_literal(value) for value in raw.split(",")]


def _literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def cross_validate(name, model, params, epochs, n_folds, seed, n_repeats=1):
    """Fold accuracies and mean fit time of one configuration on a training set
    (``n_repeats`` shuffles of a stratified k-fold split; each fold's network
    gets its own seed)."""
    (X, y), _ = load(name)
    normalise = NORMALISE.get(name, False)
    folds = RepeatedStratifiedKFold(
        n_splits=n_folds, n_repeats=n_repeats, random_state=seed
    )
    scores, seconds = [], []
    for fold, (train, valid) in enumerate(folds.split(np.zeros(len(y)), y)):
        pipe = make_pipeline(
            skseq.SequenceNormalizer(with_mean=normalise, with_std=normalise),
            getattr(skseq, model)(epochs=epochs, random_state=seed + fold, **params),
        )
        start = time.perf_counter()
        pipe.fit(_take(X, train), y[train])
        seconds.append(time.perf_counter() - start)
        scores.append(pipe.score(_take(X, valid), y[valid]))
    return np.array(scores), float(np.mean(seconds))


def sem(scores):
    """Standard error of the mean accuracy (folds treated as independent, which
    flatters it a little: their training sets overlap)."""
    return scores.std(ddof=1) / np.sqrt(len(scores)) if len(scores) > 1 else 0.0


def _take(X, rows):
    """Rows of an array, or of a list of variable-length sequences."""
    return X[rows] if isinstance(X, np.ndarray) else [X[row] for row in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["ArrowHead"], choices=SETS)
    parser.add_argument("--model", default="ConvClassifier")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="reshuffled k-fold splits; more repeats, less noise on small sets",
    )
    parser.add_argument("--grid", nargs="+", default=["batch_size=32,3"])
    args = parser.parse_args()
    print(
        f"{args.model}, epochs={args.epochs}, {args.folds}-fold CV "
        f"x {args.repeats} on TRAIN only"
    )
    for name in args.sets:
        for params in parse_grid(args.grid):
            scores, seconds = cross_validate(
                name,
                args.model,
                params,
                args.epochs,
                args.folds,
                args.seed,
                args.repeats,
            )
            print(
                f"{name:<12} {params!s:<50} cv acc {100 * scores.mean():5.1f} "
                f"± {100 * scores.std():4.1f} (sem {100 * sem(scores):3.1f})  "
                f"fit {seconds:6.1f} s  folds {np.round(100 * scores).astype(int)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
