"""The second edition's synthetic-series table: book vs skseq, validation MSE.

The chapter forecasts 10,000 synthetic series (a sum of two sines plus noise, see
:func:`skseq.datasets.make_sine_series`) from their first 50 steps: first the next
step, then the next 10 steps, with a naive baseline, a linear model and a series of
recurrent and convolutional networks. Each row of ``ROWS`` is one skseq estimator.

Setup: 7,000 / 2,000 / 1,000 train / validation / test series (the test series are
left untouched), 50 input steps, targets ``series[:, 50, 0]`` (next step) or
``series[:, 50:60, 0]`` (next 10 steps), 20 epochs of Adam on the MSE loss (the
estimators' defaults). Seeds and library versions differ from the book's, so the
numbers are not expected to match exactly; the order of the rows and their
magnitudes should. See ``NOTES`` and ``examples/synthetic_series.py`` for the
differences from the book.
"""

import time
import warnings

from sklearn.base import clone
from sklearn.metrics import mean_squared_error

from ..datasets import make_sine_series
from ..estimators import (
    ConvRNNForecaster,
    DenseForecaster,
    GRUForecaster,
    LSTMForecaster,
    NaiveForecaster,
    SimpleRNNForecaster,
    WaveNetForecaster,
)
from ._common import book_number, format_rows, report, save_figure

__all__ = ["NOTES", "ROWS", "format_table", "run", "run_synthetic_series"]

TITLE = "Synthetic series (2nd edition), validation MSE"
QUICK = {"n_series": 600, "epochs": 2}
FULL = {"n_series": 10_000, "epochs": 20}

N_STEPS = 50  # input steps of every series
SEED = 42
NEXT, AHEAD = "next step", "next 10 steps"

# (task, model, book's validation MSE, estimator). Recurrent estimators add a linear
# Dense head on top of their recurrent layers; epochs default to the book's 20.
ROWS = [
    (NEXT, "naive (last value)", "0.020", NaiveForecaster()),
    (NEXT, "linear", "0.004", DenseForecaster(random_state=SEED)),
    (
        NEXT,
        "SimpleRNN(1) (skseq adds Dense(1); book: none)",
        "0.014",
        SimpleRNNForecaster(1, random_state=SEED),
    ),
    (
        NEXT,
        "deep RNN (20, 20)",
        "0.003",
        SimpleRNNForecaster((20, 20), random_state=SEED),
    ),
    (AHEAD, "naive (repeat last value) *", "0.223", NaiveForecaster()),
    (
        AHEAD,
        "recursive one-step deep RNN",
        "0.029",
        SimpleRNNForecaster((20, 20), strategy="recursive", random_state=SEED),
    ),
    (AHEAD, "linear (Dense(10))", "0.0188", DenseForecaster(random_state=SEED)),
    (
        AHEAD,
        "seq-to-vector deep RNN",
        "0.008",
        SimpleRNNForecaster((20, 20), strategy="direct", random_state=SEED),
    ),
    (
        AHEAD,
        "seq-to-seq deep RNN, last step (lr 0.01)",
        "0.006",
        # The book trains this one model with Adam(lr=0.01), not the default 0.001.
        SimpleRNNForecaster(
            (20, 20), strategy="seq2seq", learning_rate=0.01, random_state=SEED
        ),
    ),
    (
        AHEAD,
        "seq-to-seq LSTM, last step",
        "better than SimpleRNN",
        LSTMForecaster((20, 20), strategy="seq2seq", random_state=SEED),
    ),
    (
        AHEAD,
        "seq-to-seq GRU, last step",
        "better than SimpleRNN",
        GRUForecaster((20, 20), strategy="seq2seq", random_state=SEED),
    ),
    (
        AHEAD,
        "Conv1D(20, 4, stride 2) + GRU(20, 20), seq2seq",
        "best so far",
        # the per-step targets are cropped to the conv's output steps inside fit
        ConvRNNForecaster(
            20, kernel_size=4, strides=2, strategy="seq2seq", random_state=SEED
        ),
    ),
    (
        AHEAD,
        "WaveNet, dilations (1,2,4,8)x2, 20 filters",
        "as good as the best",
        WaveNetForecaster(20, strategy="seq2seq", random_state=SEED),
    ),
    (
        AHEAD,
        "full WaveNet (gated residual + skip)",
        "(not in the book)",
        WaveNetForecaster(
            20, architecture="full", strategy="seq2seq", random_state=SEED
        ),
    ),
]

NOTES = [
    "Notes: the book's SimpleRNN(1) has no output layer; skseq's recurrent "
    "forecasters always add a linear Dense head.",
    "Next-step rows use 51-step series, 10-step rows 60-step series, as the book. "
    "Its recursive model was trained on the 51-step series (another time grid) and "
    "run on the 60-step ones; ours trains on the series it forecasts.",
    "* the book's 0.223 scores every step against the last *target* value "
    "(Y_valid[:, -1:], which peeks at the future); repeating the last input value, "
    "as this row does, gives 0.257 on the full data set.",
]


def run_synthetic_series(n_series=10_000, epochs=20, *, fitted=None):
    """Fit every model of ``ROWS`` and score it on the validation series.

    Parameters
    ----------
    n_series : int, default=10_000
        Number of series; 70% train, 20% validation, the last 10% test (unused).
    epochs : int, default=20
        Training epochs of the Keras-backed estimators.
    fitted : dict, default=None
        When given, filled with ``{model: (estimator, X_valid, y_valid)}``: each
        fitted estimator and the validation data it was scored on.

    Returns
    -------
    results : list of dict
        One dict per row of ``ROWS``, with keys ``task``, ``model``, ``book``
        (the book's figure, a str), ``skseq`` (validation MSE, a float) and
        ``seconds`` (time to fit and predict).
    """
    # As in the book: 51-step series for the next-step task, 60-step series for the
    # 10-step task (linspace(0, 1, n_steps) makes the time grid depend on n_steps).
    short = make_sine_series(n_series, N_STEPS + 1, random_state=SEED)
    long = make_sine_series(n_series, N_STEPS + 10, random_state=SEED)
    n_train, n_valid = int(0.7 * n_series), int(0.2 * n_series)
    train, valid = slice(0, n_train), slice(n_train, n_train + n_valid)
    data = {
        NEXT: (short[:, :N_STEPS], short[:, N_STEPS, 0]),
        AHEAD: (long[:, :N_STEPS], long[:, N_STEPS:, 0]),
    }

    results = []
    for task, model, book, estimator in ROWS:
        estimator = clone(estimator)
        if "epochs" in estimator.get_params():
            estimator.set_params(epochs=epochs)
        X, y = data[task]
        start = time.perf_counter()
        with warnings.catch_warnings():
            # The book's WaveNet sees 31 of the 50 steps; skseq warns, as expected.
            warnings.filterwarnings(
                "ignore", message=".*receptive field", category=UserWarning
            )
            y_pred = estimator.fit(X[train], y[train]).predict(X[valid])
        mse = float(mean_squared_error(y[valid], y_pred))
        seconds = time.perf_counter() - start
        if fitted is not None:
            fitted[model] = (estimator, X[valid], y[valid])
        report(f"{task}: {model}", f"validation MSE {mse:.4f}", seconds)
        results.append(
            {
                "task": task,
                "model": model,
                "book": book,
                "skseq": mse,
                "seconds": seconds,
            }
        )
    return results


def format_table(results):
    """Render the results as a plain-text table: task | model | book | skseq."""
    return format_rows(
        ("task", "model", "book", "skseq"),
        [(r["task"], r["model"], r["book"], f"{r['skseq']:.4f}") for r in results],
    )


def run(quick=False, epochs=None, fitted=None):
    """Run the table (``quick``: 600 series and 2 epochs); return its results."""
    settings = dict(QUICK if quick else FULL)
    if epochs is not None:
        settings["epochs"] = epochs
    results = run_synthetic_series(**settings, fitted=fitted)
    return results, settings


def describe(settings):
    """First line printed above the table."""
    return (
        f"Synthetic series: {settings['n_series']} series, {settings['epochs']} "
        "epochs, validation MSE"
    )


def save_figures(results, fitted, folder):
    """Save the figures of the table into ``folder``; return their paths.

    ``synthetic_mse.png``: skseq's validation MSE per row, with the book's figure
    where it is a number; ``synthetic_forecast.png``: the best 10-step model's
    forecast of the first validation series; ``synthetic_learning_curves.png``: its
    training loss per epoch.
    """
    import matplotlib.pyplot as plt

    from ..plotting import plot_forecast, plot_learning_curves

    paths = []
    fig, ax = plt.subplots(figsize=(9, 6), layout="constrained")
    labels = [f"{r['task']}: {r['model']}" for r in results]
    positions = range(len(results))
    ax.barh(positions, [r["skseq"] for r in results], color="C0", label="skseq")
    book = [(i, book_number(r["book"])) for i, r in enumerate(results)]
    book = [(i, value) for i, value in book if value is not None]
    if book:
        ax.plot(
            [value for _, value in book],
            [i for i, _ in book],
            "D",
            color="C3",
            label="book",
        )
    ax.set_yticks(list(positions), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("validation MSE (log scale)")
    ax.legend(loc="lower right")
    ax.set_title(TITLE)
    paths.append(save_figure(fig, folder, "synthetic_mse.png"))

    ahead = [r for r in results if r["task"] == AHEAD and r["model"] in fitted]
    best = min(ahead, key=lambda r: r["skseq"], default=None)
    if best is not None:
        estimator, X_valid, y_valid = fitted[best["model"]]
        forecast = estimator.predict(X_valid[:1])[0]
        ax = plot_forecast(X_valid[0, :, 0], forecast, actual=y_valid[0])
        ax.set_title(f"{best['model']}: first validation series")
        paths.append(save_figure(ax.figure, folder, "synthetic_forecast.png"))
        if hasattr(estimator, "history_"):
            ax = plot_learning_curves(estimator, log_scale=True)
            ax.set_title(f"{best['model']}: training loss")
            paths.append(
                save_figure(ax.figure, folder, "synthetic_learning_curves.png")
            )
    return paths
