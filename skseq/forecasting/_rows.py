"""Row forecasts of ``WindowedForecaster``: ``predict(X)`` forecasts every row
of ``X``, so that sklearn's scorers can compare it with ``y``.

The forecasts are a non-overlapping rolling-origin backtest: blocks of
``horizon`` rows ending at ``X``'s last row (the first block may be shorter),
each forecast from the ``window`` actual rows before it -- for the first block,
the last rows of the series seen in ``fit``. Every lead ``1 .. horizon`` is thus
scored as often as the others (up to one partial block).
"""

import numpy as np

from ..utils._casts import refuse_numbers_as_text
from ..windowing._blocks import block_origins, row_leads

__all__ = ["block_origins", "next_label", "row_leads"]


def assemble(y_blocks, n_rows, horizon):
    """Block forecasts (n_blocks, horizon, n_targets) -> (n_rows, n_targets)."""
    origins = block_origins(n_rows, horizon)
    stops = origins[1:] + [n_rows]
    return np.concatenate(
        [
            block[: stop - start]
            for block, start, stop in zip(y_blocks, origins, stops, strict=True)
        ]
    )


def next_label(index, freq):
    """Index label the row after a series would have; None if time is unknown."""
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex) and freq is not None and len(index):
        return index[-1] + freq
    if isinstance(index, pd.PeriodIndex) and len(index):
        return index[-1] + 1
    if isinstance(index, pd.TimedeltaIndex) and len(index) > 1:
        return index[-1] + (index[1] - index[0])
    if isinstance(index, pd.Index) and pd.api.types.is_integer_dtype(index.dtype):
        step = index[1] - index[0] if len(index) > 1 else 1
        return index[-1] + step
    return None


def target_spec(target, y_frame, y_labeled, x_labeled):
    """The targets: ``target``, or ``y``'s column labels when ``target`` is None
    and both ``X`` and ``y`` have labels."""
    if y_frame is not None and target is None and y_labeled and x_labeled:
        return list(y_frame.columns)
    return target


def check_y(y_frame, y_index, y_labeled, targets, names, index, labeled):
    """Refuse a ``y`` that is not the target columns of ``X``, row for row."""
    if len(y_frame) != len(targets):
        raise ValueError(
            f"y has {len(y_frame)} rows but X has {len(targets)}: y must be the "
            "target column(s) of X, one row per row of X."
        )
    if index is not None and y_index is not None and not y_index.equals(index):
        raise ValueError(
            "y's index differs from X's: pass y with the rows of X, e.g. "
            "search.fit(series, series) or search.fit(frame, frame['target'])."
        )
    if y_labeled and labeled and list(y_frame.columns) != list(names):
        raise ValueError(
            f"y has the column(s) {list(y_frame.columns)}, but the targets are "
            f"{list(names)}: leave target=None (the targets are then y's columns) "
            "or pass y = X[target]."
        )
    refuse_numbers_as_text(y_frame, "y")
    try:
        values = y_frame.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("y must be numeric: the target column(s) of X.") from exc
    if values.shape != targets.shape or not np.array_equal(values, targets):
        raise ValueError(
            f"y must equal the target column(s) {list(names)} of X (predict(X) "
            "reads their history from X, and scorers compare its forecasts with "
            "y): pass e.g. search.fit(series, series) or search.fit(frame, "
            "frame[target]). To forecast a column from others, make those "
            "past_covariates."
        )


def check_continues(index, expected):
    """Refuse an ``X`` whose first row does not directly follow the fitted series."""
    if expected is None or index is None:
        raise ValueError(
            "predict(X) forecasts each row of X from the rows before it, so X "
            "must start right after the series seen in fit, which only a pandas "
            "index tells; to forecast the steps after X, use forecast(X). To "
            "forecast rows, fit and predict pandas data with a DatetimeIndex "
            "(with a frequency), a PeriodIndex, a TimedeltaIndex or an integer "
            "index (e.g. pandas.Series(values))."
        )
    start = index[0] if len(index) else None
    if start is not None and _before(start, expected):
        raise ValueError(
            f"{_first_sentence(expected)} X starts at {start!r}, before the end "
            "of the series seen in fit. A cross-validation splitter that is not "
            "a time-series split does this (KFold, sklearn's default, tests on "
            "rows before those it trains on): split with "
            "skseq.forecasting.SeriesSplit. Training rows cannot be forecast this "
            "way either: score with return_train_score=False."
        )
    if start != expected:
        raise ValueError(
            f"{_first_sentence(expected)} X starts at {start!r} instead (the "
            "test rows of SeriesSplit(gap=0) start right after their training "
            "rows). Training rows cannot be forecast this way: use "
            f"return_train_score=False.{_zone_note(start, expected)}"
        )


def _zone_note(start, expected):
    """Why two dates that read alike differ: one has a time zone."""
    zones = [getattr(label, "tz", False) for label in (start, expected)]
    if False in zones or (zones[0] is None) == (zones[1] is None):
        return ""
    if zones[0] is None:
        return (
            f" X's dates have no time zone, those seen in fit are in {zones[1]}: "
            f"pass X.tz_localize({str(zones[1])!r}) if they are its local times."
        )
    return (
        f" X's dates are in {zones[0]}, those seen in fit have none: pass "
        "X.tz_localize(None), or fit on dates in that zone."
    )


def _first_sentence(expected):
    """What row forecasts need, and the fix for the future after a series."""
    return (
        "predict(X) forecasts each row of X from the rows before it, so X must "
        f"start right after the series seen in fit (at {expected}); to "
        "forecast the steps after X, use forecast(X)."
    )


def _before(label, expected):
    try:
        return bool(label < expected)
    except TypeError:  # labels of another kind: the check below names them
        return False
