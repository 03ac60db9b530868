"""Training-time overhead of skseq over the same model in raw Keras.

Both sides build, compile and train an identical network (same layers, optimizer,
loss, epochs, batch size, shuffling) on the same data, alternating runs so that a
noisy machine slows both alike. Prints the median wall time of each and the ratio.

Run: ``python benchmarks/bench_overhead.py [--repeats 5] [--epochs 5]``
"""

import argparse
import statistics
import time

import numpy as np

from skseq import LSTMForecaster, SimpleRNNForecaster
from skseq.datasets import make_sine_series


def _raw_keras_fit(layer_name, X, y, units, epochs, batch_size):
    import keras

    layer = getattr(keras.layers, layer_name)
    model = keras.Sequential(
        [keras.Input((None, X.shape[2]))]
        + [layer(n, return_sequences=i < len(units) - 1) for i, n in enumerate(units)]
        + [keras.layers.Dense(y.shape[1])]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="mse")
    model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0, shuffle=True)
    return model


def _time(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run(repeats=5, epochs=5, n_series=2000, batch_size=32):
    """Return rows (scenario, skseq seconds, Keras seconds, ratio)."""
    series = make_sine_series(n_series, 60, random_state=0)
    X, y = series[:, :50], series[:, 50:, 0]
    scenarios = [
        ("LSTM(32,32) seq2vec", "LSTM", LSTMForecaster, (32, 32)),
        ("SimpleRNN(20,20) seq2vec", "SimpleRNN", SimpleRNNForecaster, (20, 20)),
    ]
    rows = []
    for name, layer_name, estimator_class, units in scenarios:
        estimator = estimator_class(units, epochs=epochs, batch_size=batch_size)
        # warm-up: imports, first graph traces
        estimator.set_params(epochs=1).fit(X, y)
        estimator.set_params(epochs=epochs)
        skseq_times, keras_times = [], []
        for _ in range(repeats):
            skseq_times.append(_time(lambda e=estimator: e.fit(X, y)))
            keras_times.append(
                _time(
                    lambda ln=layer_name, u=units: _raw_keras_fit(
                        ln, X, y, u, epochs, batch_size
                    )
                )
            )
        ours, theirs = statistics.median(skseq_times), statistics.median(keras_times)
        rows.append((name, ours, theirs, ours / theirs))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--n-series", type=int, default=2000)
    args = parser.parse_args(argv)
    rows = run(args.repeats, args.epochs, args.n_series)
    print(f"{'scenario':<28}{'skseq (s)':>12}{'raw Keras (s)':>15}{'ratio':>8}")
    for name, ours, theirs, ratio in rows:
        print(f"{name:<28}{ours:>12.2f}{theirs:>15.2f}{ratio:>8.3f}")
    return rows


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
