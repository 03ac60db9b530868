"""Reproduce the chapter's Chicago ridership results with skseq.

The third edition of "Processing Sequences Using RNNs and CNNs" forecasts the daily
rail boardings of the Chicago Transit Authority (:func:`skseq.datasets.
load_ridership`) from windows of 56 days: naive and linear baselines, simple and
deep RNNs, a multivariate and a multitask RNN, and two ways to forecast 14 days
ahead. Each row of ``ROWS`` below is one :class:`skseq.forecasting.
WindowedForecaster` -- the estimator with the chapter's settings, and which columns
are targets or covariates -- and this script prints the book's validation MAE
beside skseq's::

    model | book | skseq (/1e6, as the book) | skseq (scale=True)

The chapter's protocol: train on 2016-01 to 2018-12, validate on 2019-01 to 2019-05
(the windows lying wholly in that period: their targets run from 2019-02-26), Huber
loss, SGD with momentum 0.9 at the learning rate of each row, batches of 32, up to
500 epochs with early stopping (patience 50, best weights restored). MAE in
boardings. skseq's column "/1e6" divides bus and rail by 1e6 by hand as the chapter
does (``scale=False``); the column "scale=True" leaves the data alone and lets the
forecaster standardize inputs and targets itself, with the same learning rates.

How the protocol maps onto skseq, and where it differs:

- Early stopping. skseq's estimators have no ``validation_data``: with
  ``early_stopping=True`` they hold out the *last* ``validation_fraction`` of their
  training windows. So each model is fitted on the whole series from 2016-01 to
  2019-05 with ``validation_fraction`` set so that exactly the windows wholly inside
  2019-01..2019-05 -- the book's validation windows -- are held out. The training
  windows then include the 56 (or 69) windows that straddle New Year, with targets
  from 2019-01-01 to 2019-02-25, which the book leaves out; no validation target is
  ever trained on. skseq monitors the validation *loss* (Huber), the book its MAE.
- The validation MAE is computed with :func:`skseq.forecasting.backtest`, which
  forecasts every day from 2019-02-26 from the 56 days before it: the book's
  validation windows, one forecast each.
- Known-future covariates. The multivariate and multitask rows pass the day type
  as ``future_covariates``: at each step the network sees the next day's type, the
  chapter's ``next_day_type``. For the 14-day rows skseq would feed the types of
  all 14 forecast days; to match the book (tomorrow's type only) those rows pass
  the book's hand-shifted ``next_day_*`` columns as past covariates. The extra row
  marked "(skseq)" shows the 14-day version.
- The book's ``SimpleRNN(1)`` has no output layer (its tanh unit, bounded in
  [-1, 1], is the forecast); skseq's recurrent forecasters always add a linear
  ``Dense`` head, so that row is far better here.
- "scale=True" fits its scalers on 2016-01..2019-05, validation rows included
  (their mean and variance only).
- SARIMA needs statsmodels (not a dependency of skseq); the row is skipped when it
  is not installed.

Usage::

    python examples/ridership.py                   # full run, ~10 min on 2 cores
    python examples/ridership.py --quick           # 3 epochs: a smoke test
    python examples/ridership.py --epochs 200      # another cap on the epochs
    python examples/ridership.py --output out.csv  # also write a CSV
"""

import argparse
import csv
import logging
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.base import clone

from skseq import DenseForecaster, NaiveForecaster, SimpleRNNForecaster
from skseq.datasets import load_ridership
from skseq.forecasting import WindowedForecaster, backtest

WINDOW = 56
TRAIN_START, VALID_START, VALID_END = "2016-01-01", "2019-01-01", "2019-05-31"
SEED = 42
DAY_TYPES = ["day_type_A", "day_type_U", "day_type_W"]  # the day's own type
NEXT_DAY = ["next_day_A", "next_day_U", "next_day_W"]  # the book's next_day_type


def chapter_rnn(units, learning_rate, **params):
    """A SimpleRNN forecaster with the chapter's training settings."""
    return SimpleRNNForecaster(units, learning_rate=learning_rate, **params)


# (model, book's validation MAE per output line, WindowedForecaster parameters).
# Estimators get the chapter's loss, optimizer and early stopping in fit_like_book.
ROWS = [
    (
        "linear (Dense(1) on 56 days), lr 0.02",
        ["37,866"],
        {"estimator": DenseForecaster(learning_rate=0.02), "target": "rail"},
    ),
    (
        "SimpleRNN(1) (skseq adds Dense(1)), lr 0.02",
        ["102,787"],
        {"estimator": chapter_rnn(1, 0.02), "target": "rail"},
    ),
    (
        "SimpleRNN(32) + Dense(1), lr 0.05",
        ["27,703 / 29,015 nb"],
        {"estimator": chapter_rnn(32, 0.05), "target": "rail"},
    ),
    (
        "deep RNN: SimpleRNN(32) x3 + Dense(1), lr 0.01",
        ["31,211"],
        {"estimator": chapter_rnn((32, 32, 32), 0.01), "target": "rail"},
    ),
    (
        "multivariate: bus, rail, next day type, lr 0.05",
        ["22,062"],
        {
            "estimator": chapter_rnn(32, 0.05),
            "target": "rail",
            "past_covariates": "bus",
            "future_covariates": DAY_TYPES,
        },
    ),
    (
        "multitask: bus and rail, lr 0.02",
        ["bus 26,369", "rail 25,330"],
        {
            "estimator": chapter_rnn(32, 0.02),
            "target": ["bus", "rail"],
            "future_covariates": DAY_TYPES,
        },
    ),
    (
        "14 days, seq-to-vector Dense(14), lr 0.02 (mean of +1..+14)",
        ["35,017"],
        {
            "estimator": chapter_rnn(32, 0.02),
            "horizon": 14,
            "target": "rail",
            "past_covariates": ["bus", *NEXT_DAY],
        },
    ),
    (
        "14 days, seq-to-seq, last step, lr 0.1",
        ["+1: 25,519", "+2: 26,274"] + [""] * 11 + ["+14: 34,322", ""],
        {
            "estimator": chapter_rnn(32, 0.1, strategy="seq2seq"),
            "horizon": 14,
            "target": "rail",
            "past_covariates": ["bus", *NEXT_DAY],
        },
    ),
    (
        "(skseq) 14 days, seq-to-seq, types of all 14 days as future covariates "
        "(mean of +1..+14)",
        ["-"],
        {
            "estimator": chapter_rnn(32, 0.1, strategy="seq2seq"),
            "horizon": 14,
            "target": "rail",
            "past_covariates": "bus",
            "future_covariates": DAY_TYPES,
        },
    ),
]


def chapter_frame():
    """bus, rail, the day type one-hot, and the book's next-day type one-hot."""
    ridership = load_ridership()
    frame = pd.get_dummies(ridership, columns=["day_type"], dtype=float)
    tomorrow = ridership["day_type"].shift(-1)
    return frame.join(pd.get_dummies(tomorrow, prefix="next_day", dtype=float))


def fit_like_book(params, frame, *, scale, epochs):
    """Fit a WindowedForecaster with the chapter's settings and validation windows.

    The series from 2016-01 to 2019-05 is windowed as a whole and the latest
    windows, those wholly inside 2019-01..2019-05, are held out for early stopping.
    """
    params = dict(params)
    horizon = params.get("horizon", 1)
    history = frame[TRAIN_START:VALID_END]
    n_windows = len(history) - WINDOW - horizon + 1
    n_valid = len(frame[VALID_START:VALID_END]) - WINDOW - horizon + 1
    estimator = clone(params.pop("estimator")).set_params(
        loss="huber",
        optimizer="sgd",
        optimizer_params={"momentum": 0.9},
        batch_size=32,
        epochs=epochs,
        early_stopping=True,
        # ceil(n_windows * fraction) == n_valid: hold out exactly those windows.
        validation_fraction=(n_valid - 0.5) / n_windows,
        patience=50,
        random_state=SEED,
    )
    model = WindowedForecaster(estimator, window=WINDOW, scale=scale, **params)
    return model.fit(history)


def validation_errors(model, frame):
    """Per-step MAE over the validation windows (targets from 2019-02-26 on)."""
    first_target = pd.Timestamp(VALID_START) + pd.Timedelta(days=WINDOW)
    errors, _ = backtest(model, frame[:VALID_END], start=first_target)
    return errors


def output_lines(errors, model_name, n_lines):
    """Split a (horizon, n_targets) error table into the printed lines."""
    if errors.shape[1] > 1:  # multitask: one line per target
        return [(f"{model_name} [{name}]", errors[name].iloc[0]) for name in errors]
    maes = errors.iloc[:, 0]
    mean = [(f"{model_name} [mean]" if n_lines > 1 else model_name, maes.mean())]
    if n_lines == 1:  # one line: the mean over the horizon
        return mean
    return [(f"{model_name} [+{step}]", mae) for step, mae in maes.items()] + mean


def naive_and_sarima(ridership):
    """The two baselines of the chapter, forecast day by day over Mar-May 2019."""
    naive = WindowedForecaster(
        NaiveForecaster(season=7), window=7, target="rail", scale=False
    )
    errors, _ = backtest(naive, ridership, start="2019-03-01", end="2019-05-31")
    naive_mae = float(errors["rail"].iloc[0])
    rows = [("naive: value 7 days earlier (Mar-May 2019)", "42,143", naive_mae)]
    try:
        from statsmodels.tsa.arima.model import ARIMA
    except ImportError:
        sarima = float("nan")
    else:
        rail = ridership.loc["2019-01-01":"2019-05-31", "rail"].astype(float)
        days = pd.date_range("2019-03-01", "2019-05-31", freq="D")
        with warnings.catch_warnings():  # convergence chatter of 92 small fits
            warnings.simplefilter("ignore")
            forecasts = [
                ARIMA(
                    rail[: day - pd.Timedelta(days=1)],
                    order=(1, 0, 0),
                    seasonal_order=(0, 1, 1, 7),
                )
                .fit()
                .forecast()
                .iloc[0]
                for day in days
            ]
        sarima = float(np.mean(np.abs(np.array(forecasts) - rail[days].to_numpy())))
    rows.append(
        ("SARIMA (1,0,0)(0,1,1,7), refit daily (Mar-May 2019)", "32,041", sarima)
    )
    return rows


def run_ridership(epochs=500):
    """Fit every model of ``ROWS`` both ways and compute its validation MAE.

    Parameters
    ----------
    epochs : int, default=500
        Most training epochs of each network (early stopping usually ends sooner).

    Returns
    -------
    results : list of dict
        One dict per printed line: ``model``, ``book`` (str), ``per_million``
        and ``scaled`` (validation MAE in boardings, floats; the same for the
        baselines) and ``seconds`` (fitting and evaluating both variants).
    """
    raw = chapter_frame()
    per_million = raw.copy()
    per_million[["bus", "rail"]] /= 1e6

    results = []
    start = time.perf_counter()
    for model, book, mae in naive_and_sarima(raw):
        seconds = time.perf_counter() - start
        results.append(_result(model, book, mae, mae, seconds))
    for model_name, books, params in ROWS:
        start = time.perf_counter()
        model = fit_like_book(params, per_million, scale=False, epochs=epochs)
        by_hand = validation_errors(model, per_million) * 1e6
        model = fit_like_book(params, raw, scale=True, epochs=epochs)
        scaled = validation_errors(model, raw)
        seconds = time.perf_counter() - start
        lines = zip(
            output_lines(by_hand, model_name, len(books)),
            output_lines(scaled, model_name, len(books)),
            books,
            strict=True,
        )
        for (name, mae_by_hand), (_, mae_scaled), book in lines:
            results.append(_result(name, book, mae_by_hand, mae_scaled, seconds))
    return results


def _result(model, book, per_million, scaled, seconds):
    return {
        "model": model,
        "book": book,
        "per_million": float(per_million),
        "scaled": float(scaled),
        "seconds": round(seconds, 1),
    }


def format_table(results):
    """Render the results: model | book | skseq (/1e6) | skseq (scale=True)."""
    header = ("model", "book", "skseq (/1e6, as book)", "skseq (scale=True)")

    def mae(value):
        return "skipped" if np.isnan(value) else f"{value:,.0f}"

    rows = [header] + [
        (r["model"], r["book"], mae(r["per_million"]), mae(r["scaled"]))
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


NOTES = [
    "Validation MAE in boardings over the windows wholly inside 2019-01..2019-05 "
    "(targets 2019-02-26 on); naive and SARIMA over Mar-May 2019.",
    "The book's SimpleRNN(1) has no output layer; skseq adds a linear Dense(1).",
    "SARIMA shows 'skipped' when statsmodels is not installed.",
]


def main(argv=None):
    """Run the comparison, print the table and optionally write it as CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="3 epochs: a smoke test, not a result"
    )
    parser.add_argument("--epochs", type=int, help="most epochs per model (500)")
    parser.add_argument("--output", metavar="PATH", help="also write a CSV here")
    args = parser.parse_args(argv)

    epochs = args.epochs or (3 if args.quick else 500)
    # TensorFlow warns about retracing when many small models predict in a row.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    start = time.perf_counter()
    results = run_ridership(epochs=epochs)
    print(f"CTA rail ridership, window {WINDOW} days, up to {epochs} epochs")
    print(format_table(results))
    print("\n".join(NOTES))
    print(f"Total time: {time.perf_counter() - start:.0f} s")

    if args.output:
        with open(args.output, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(results[0]))
            writer.writeheader()
            writer.writerows(results)
    return results


if __name__ == "__main__":
    main()
