"""Wall time of a small grid search with ``n_jobs=1`` and ``n_jobs=2``.

The search is the model-selection gallery's GRU part: a
``WindowedForecaster(GRUForecaster(...))`` over two windows and two widths, two
time-ordered folds (8 fits and the refit) on the rail ridership of 2018 to
February 2019. Runs alternate between the two settings, so that a busy machine
slows both alike; the first ``n_jobs=2`` run also starts the worker processes
(each imports TensorFlow), the later ones reuse them, as a notebook's second
search does. Prints each run's seconds and the 1-minute load average before it;
for ``n_jobs=1``, also the cores the search kept busy (this process's CPU seconds
over the wall seconds: near 2 means one fit already used both cores).

Run: ``python benchmarks/bench_search_jobs.py [--repeats 3] [--epochs 5]``
"""

import argparse
import os
import time

from sklearn.model_selection import GridSearchCV

from skseq import GRUForecaster
from skseq.datasets import load_ridership
from skseq.forecasting import SeriesSplit, WindowedForecaster


def search_seconds(series, n_jobs, epochs):
    """Wall and CPU seconds (of this process) of one search with ``n_jobs``."""
    model = WindowedForecaster(
        GRUForecaster(units=8, epochs=epochs, learning_rate=0.01, random_state=0),
        window=28,
        horizon=7,
        difference=None,  # as recorded (the default is "auto")
    )
    search = GridSearchCV(
        model,
        {"window": [14, 28], "estimator__units": [4, 8]},
        cv=SeriesSplit(n_splits=2, test_size=28),
        scoring="neg_mean_absolute_error",
        n_jobs=n_jobs,
    )
    start, cpu = time.perf_counter(), time.process_time()
    search.fit(series, series)
    return time.perf_counter() - start, time.process_time() - cpu


def main(repeats=3, epochs=5):
    series = load_ridership().loc["2018-01":"2019-02", "rail"] / 1e6
    print(f"cores: {os.cpu_count()}")
    search_seconds(series, 1, 1)  # imports and traces once, outside the timings
    for run in range(repeats):
        for n_jobs in (1, 2):
            load = os.getloadavg()[0]
            seconds, cpu = search_seconds(series, n_jobs, epochs)
            busy = f", {cpu / seconds:.2f} cores busy" if n_jobs == 1 else ""
            print(
                f"run {run + 1} n_jobs={n_jobs}: {seconds:6.1f} s "
                f"(load {load:.1f}{busy})",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    main(args.repeats, args.epochs)
