"""Errors on a panel, as the M competitions compute them: per series, then averaged."""

from collections.abc import Mapping

import numpy as np
from sklearn.utils.validation import check_consistent_length

from ..utils._validation import refuse_masked
from ..windowing._panel import sorted_ids
from ._probabilistic import _check_same_columns

__all__ = ["panel_error"]

_AGGREGATES = ("mean", "median", None)


def panel_error(
    metric, y_true, y_pred, series_ids, *, y_train=None, season=None, aggregate="mean"
):
    """Error of forecasts of many series: ``metric`` per series, then averaged.

    The M competitions and the forecasting literature score a panel this way:
    each series gets its own error (MASE with the scale of its own training
    part), and the errors are averaged with equal weight per series, so that a
    series with more test rows or larger values does not dominate. ``metric``
    is any function ``metric(y_true, y_pred, **kwargs) -> float``: skseq's
    :func:`mean_absolute_scaled_error` (MASE) and
    :func:`symmetric_mean_absolute_percentage_error` (sMAPE), sklearn's
    ``mean_absolute_percentage_error`` (MAPE), ``mean_absolute_error``, ...

    Percentage errors come back as sklearn's and skseq's metrics return them,
    as **fractions**: multiply by 100 for the percent the M competitions report.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred)`` of one series, returning a number.
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True values of every series; the rows of a series in time order (MASE
        without ``y_train`` reads its scale from them).
    y_pred : array-like of the same shape
        Forecasts.
    series_ids : array-like of shape (n_samples,)
        The series of each row (a panel's id column or index level); rows of
        different series may interleave.
    y_train : dict, default=None
        Series id -> that series' training values (array-like of shape
        ``(n_train,)`` or ``(n_train, n_outputs)``), passed to ``metric`` as
        ``y_train=`` for each series: MASE's scale, the in-sample error of the
        seasonal naive forecast on the series' own training part. Every series
        of ``series_ids`` needs an entry; ``None`` passes nothing.
    season : int, default=None
        Passed to ``metric`` as ``season=`` when given (MASE's seasonal
        period); ``None`` passes nothing.
    aggregate : {"mean", "median"} or None, default="mean"
        How the per-series errors are averaged; ``None`` returns them all.

    Returns
    -------
    error : float or pandas.Series
        The averaged error; with ``aggregate=None``, a ``Series`` of the
        per-series errors indexed by series id, sorted (named as
        ``series_ids`` when it is a named pandas object), so that neither they
        nor their mean depend on the order of the rows.

    Examples
    --------
    >>> from skseq.metrics import mean_absolute_scaled_error, panel_error
    >>> ids = ["a", "a", "b", "b"]
    >>> y_true, y_pred = [3.0, 4.0, 10.0, 20.0], [3.5, 4.5, 10.0, 30.0]
    >>> y_train = {"a": [0.0, 1.0, 2.0], "b": [0.0, 10.0]}
    >>> panel_error(
    ...     mean_absolute_scaled_error, y_true, y_pred, ids, y_train=y_train
    ... )
    0.5
    >>> panel_error(
    ...     mean_absolute_scaled_error, y_true, y_pred, ids, y_train=y_train,
    ...     aggregate=None,
    ... )
    a    0.5
    b    0.5
    dtype: float64
    """
    import pandas as pd

    if not callable(metric):
        raise TypeError(
            "metric must be a function metric(y_true, y_pred) -> float, e.g. "
            f"skseq.metrics.mean_absolute_scaled_error; got {metric!r}."
        )
    if aggregate not in _AGGREGATES:
        raise ValueError(
            f"aggregate must be 'mean', 'median' or None; got {aggregate!r}."
        )
    if y_train is not None and not isinstance(y_train, Mapping):
        raise TypeError(
            "y_train must be a dict mapping each series id to its training "
            f"values; got {type(y_train).__name__}."
        )
    check_consistent_length(y_true, y_pred, series_ids)
    _check_same_columns(y_true=y_true, y_pred=y_pred)
    refuse_masked(y_true, "y_true")  # np.asarray would drop the masks
    refuse_masked(y_pred, "y_pred")
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    codes, ids = _factorize(series_ids)
    kwargs = {} if season is None else {"season": season}
    errors = [
        _series_error(
            metric, y_true[codes == code], y_pred[codes == code], sid, y_train, kwargs
        )
        for code, sid in enumerate(ids)
    ]
    errors = pd.Series(errors, index=ids, dtype=np.float64)
    if aggregate is None:
        return errors
    return float(errors.mean() if aggregate == "mean" else errors.median())


def _factorize(series_ids):
    import pandas as pd

    name = getattr(series_ids, "name", None)
    if isinstance(series_ids, (pd.Series, pd.Index)):
        values = series_ids
    else:
        values = np.asarray(series_ids)
        if values.ndim != 1:
            raise ValueError(
                "series_ids must be 1D, the series of each row; got shape "
                f"{values.shape}."
            )
    missing = np.asarray(pd.isna(values))
    if missing.any():
        raise ValueError(
            f"series_ids is missing at {int(missing.sum())} row(s), the first at "
            f"row {int(np.flatnonzero(missing)[0])}: every row must name its series."
        )
    codes, ids = sorted_ids(values)
    return codes, pd.Index(ids, name=name, tupleize_cols=False)


def _series_error(metric, y_true, y_pred, sid, y_train, kwargs):
    if y_train is not None:
        if sid not in y_train:
            raise ValueError(
                f"y_train has no training values for series {sid!r}: it needs "
                "one entry per series id of series_ids."
            )
        kwargs = {**kwargs, "y_train": y_train[sid]}
    try:
        error = metric(y_true, y_pred, **kwargs)
    except ValueError as exc:
        raise ValueError(f"Series {sid!r}: {exc}") from exc
    if np.ndim(error) != 0:
        raise ValueError(
            f"metric returned shape {np.shape(error)} for series {sid!r}, not one "
            "number: average its outputs (e.g. multioutput='uniform_average')."
        )
    if not np.isfinite(error):
        raise ValueError(
            f"metric returned {float(error)} for series {sid!r} ({len(y_true)} "
            "row(s)): its error is undefined (R^2 of one row is), and would be "
            "left out of the average. Use a metric defined on those rows."
        )
    return float(error)
