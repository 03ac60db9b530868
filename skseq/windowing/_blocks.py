"""Blocks of ``horizon`` rows: how row mode tiles a series with forecasts.

Pure arithmetic on row counts, shared by the forecaster that predicts every row
(:mod:`skseq.forecasting`) and the scorers that weigh each lead
(:mod:`skseq.metrics`), so that neither imports the other.
"""

import numpy as np

__all__ = ["block_origins", "row_leads"]


def block_origins(n_rows, horizon):
    """First row of each forecast block, blocks of ``horizon`` rows ending at row
    ``n_rows - 1``; the first block starts at row 0 and may be shorter."""
    first = n_rows % horizon
    return ([0] if first else []) + list(range(first, n_rows, horizon))


def row_leads(n_rows, horizon):
    """Lead of each row's forecast, 0 for one step ahead: (n_rows,) ints."""
    origins = block_origins(n_rows, horizon)
    stops = origins[1:] + [n_rows]
    return np.concatenate(
        [np.arange(stop - start) for start, stop in zip(origins, stops, strict=True)]
    )
