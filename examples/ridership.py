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
  2019-01..2019-05 -- the book's validation windows -- are held out. The rows
  2019-01-01..2019-02-25 get ``sample_weight`` 0, so the windows that straddle New
  Year (targets in 2019, before the first validation target) are left out of
  training, as the book leaves them out (for the 14-day rows, the 13 windows whose
  targets run from late December into January keep a partial weight or are purged).
  skseq monitors the validation *loss* (Huber), the book its MAE.
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
  [-1, 1], is the forecast); that row uses ``output_head=None`` to match it.
- "scale=True" fits its scalers on 2016-01..2019-05, validation rows included
  (their mean and variance only).
- SARIMA needs statsmodels (not a dependency of skseq); the row is skipped when it
  is not installed.

The code lives in ``skseq._chapter.ridership`` (shared with ``skseq reproduce
--only ridership``, which also saves figures); this script is a thin wrapper.

Usage::

    python examples/ridership.py                   # full run, ~35 min on 2 busy cores
    python examples/ridership.py --quick           # 3 epochs: a smoke test
    python examples/ridership.py --epochs 200      # another cap on the epochs
    python examples/ridership.py --output out.csv  # also write a CSV
"""

import argparse
import logging
import time

from skseq._chapter._common import write_csv
from skseq._chapter.ridership import (  # noqa: F401  (ROWS: for readers and tests)
    NOTES,
    ROWS,
    WINDOW,
    format_table,
    run,
)


def main(argv=None):
    """Run the comparison, print the table and optionally write it as CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="3 epochs: a smoke test, not a result"
    )
    parser.add_argument("--epochs", type=int, help="most epochs per model (500)")
    parser.add_argument("--output", metavar="PATH", help="also write a CSV here")
    args = parser.parse_args(argv)

    # TensorFlow warns about retracing when many small models predict in a row.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    start = time.perf_counter()
    results, settings = run(quick=args.quick, epochs=args.epochs)
    print(
        f"CTA rail ridership, window {WINDOW} days, up to {settings['epochs']} epochs"
    )
    print(format_table(results))
    print("\n".join(NOTES))
    print(f"Total time: {time.perf_counter() - start:.0f} s")
    if args.output:
        write_csv(results, args.output)
    return results


if __name__ == "__main__":
    main()
