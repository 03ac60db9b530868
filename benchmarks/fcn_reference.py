"""The published FCN, in plain Keras, trained by the published protocol.

A reference for ``benchmarks/classification.py``: does the published number
reproduce on this stack at all? The network and training are those of the
code released with Ismail Fawaz et al., "Deep learning for time series
classification: a review" (2019, ``classifiers/fcn.py``), written here in
plain Keras 3 with no skseq code:

* three blocks of ``Conv1D`` (128 filters of width 8, 256 of 5, 128 of 3,
  ``padding="same"``), ``BatchNormalization()`` (Keras' defaults) and ReLU,
  then ``GlobalAveragePooling1D`` and a softmax ``Dense`` layer;
* Adam (learning rate 0.001), batch size ``int(min(n_train / 10, 16))``
  (3 on ArrowHead), 2000 epochs, ``ReduceLROnPlateau(monitor="loss",
  factor=0.5, patience=50, min_lr=0.0001)``;
* the model of the lowest training loss is the one scored (their
  ``ModelCheckpoint(monitor="loss", save_best_only=True)``).

Each seed sets ``keras.utils.set_random_seed(seed)``: weights and shuffling.
The data are the archive's own split, as read by
``benchmarks/classification.py`` (already z-normalised per sequence).

Run: ``python benchmarks/fcn_reference.py [--sets ArrowHead] [--seeds 0 1]
[--epochs 2000]``. On one CPU core a 2000-epoch ArrowHead fit takes about 5
minutes; several processes with different ``--seeds`` use several cores.
"""

import argparse
import time

import numpy as np
from classification import PUBLISHED, load

FILTERS_AND_WIDTHS = ((128, 8), (256, 5), (128, 3))


def build_fcn(keras, input_shape, n_classes):
    """The FCN exactly as published (biases in the convolutions, Keras' own
    batch-normalisation defaults)."""
    inputs = keras.Input(input_shape)
    hidden = inputs
    for n_filters, width in FILTERS_AND_WIDTHS:
        hidden = keras.layers.Conv1D(n_filters, width, padding="same")(hidden)
        hidden = keras.layers.BatchNormalization()(hidden)
        hidden = keras.layers.Activation("relu")(hidden)
    hidden = keras.layers.GlobalAveragePooling1D()(hidden)
    outputs = keras.layers.Dense(n_classes, activation="softmax")(hidden)
    return keras.Model(inputs, outputs)


def _as_3d(X):
    X = np.asarray(X, dtype=np.float32)
    return X[..., np.newaxis] if X.ndim == 2 else X


def fit_and_score(keras, train, test, seed, epochs):
    """Test accuracy of the lowest-training-loss model, and the fit time."""
    (X_train, y_train), (X_test, y_test) = train, test
    classes = np.unique(y_train)
    keras.utils.set_random_seed(seed)
    model = build_fcn(keras, _as_3d(X_train).shape[1:], len(classes))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001),
        loss="sparse_categorical_crossentropy",
    )
    best = keras.callbacks.EarlyStopping(
        monitor="loss", patience=epochs + 1, restore_best_weights=True
    )
    schedule = keras.callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=50, min_lr=0.0001
    )
    start = time.perf_counter()
    model.fit(
        _as_3d(X_train),
        np.searchsorted(classes, y_train),
        batch_size=int(min(len(y_train) / 10, 16)),
        epochs=epochs,
        callbacks=[schedule, best],
        verbose=0,
    )
    seconds = time.perf_counter() - start
    predicted = classes[model.predict(_as_3d(X_test), verbose=0).argmax(axis=1)]
    return float(np.mean(predicted == y_test)), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["ArrowHead"], choices=PUBLISHED)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--epochs", type=int, default=2000)
    args = parser.parse_args()
    import keras

    print(f"published FCN protocol, epochs={args.epochs}, Keras {keras.__version__}")
    for name in args.sets:
        train, test = load(name)
        accuracies = []
        for seed in args.seeds:
            accuracy, seconds = fit_and_score(keras, train, test, seed, args.epochs)
            accuracies.append(100 * accuracy)
            print(f"{name} seed {seed}: {100 * accuracy:.1f}% ({seconds:.0f} s)")
        print(
            f"{name}: {np.mean(accuracies):.1f} ± {np.std(accuracies):.1f} over "
            f"{len(accuracies)} seed(s); published {PUBLISHED[name]['FCN']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
