"""Proper scoring rules for probabilistic forecasts: quantiles, samples, intervals.

Shapes: ``y_true`` has the shape of ``y``, ``(n_samples,)``, ``(n_samples,
horizon)`` or ``(n_samples, horizon, n_targets)``; quantile forecasts add a last
axis of quantile levels, sample forecasts a last axis of samples; an interval is
two arrays ``lower, upper`` of ``y``'s shape.

A DataFrame is scored column by column, every column as values, so a panel's
series id (or a date) column left in it would be scored too. A frame is refused
where one of its columns cannot be values:

- a column that does not hold numbers (object, string, category, bool or
  datetime dtype: ids, names, dates);
- in a frame of quantile levels or draws (``y_quantiles``, ``samples``), a
  column labelled by a string beside columns labelled by numbers (the levels,
  or the draws 0, 1, ...): the id column of a panel's ``predict_quantiles`` or
  ``predict_samples`` frame;
- frames shaped like ``y`` (``y_true``, ``lower``, ``upper``) pair column by
  column, so they must have the same columns in the same order; an integer
  column equal in all three is refused (an id column: bounds a model forecasts
  are floats, and a zero-width interval on the truth scores nothing).

A frame of ``(target, level)`` (or ``(target, draw)``) columns, as a
:class:`~skseq.forecasting.WindowedForecaster` of several targets gives its
quantiles and sample paths, is scored against a ``y_true`` frame of those
targets, in that order, each target with its own columns; beside any other
``y_true`` it is refused (its columns would be pooled as the levels or draws
of one value).

Rows pair by position too. Series and frames whose indexes are both labelled
(not ``0, 1, ..., n - 1``) and differ, or that hold the same labels in another
order, are refused: forecasts of other dates, or sorted otherwise.

Nothing else is guessed: integer and float targets may stand side by side. An
id column the rules cannot see (say, integer ids beside integer values in
``y_true`` scored against arrays) is scored: pass the value columns only.
"""

import numbers

import numpy as np

from ..utils._validation import as_real_float64, check_coverage

__all__ = [
    "continuous_ranked_probability_score",
    "interval_coverage",
    "interval_score",
    "mean_quantile_loss",
]

_MULTIOUTPUT = ("uniform_average", "raw_values")


def mean_quantile_loss(
    y_true, y_quantiles, quantiles, *, multioutput="uniform_average"
):
    """Pinball (quantile) loss of forecasts at several quantile levels, averaged.

    For a level ``q`` and its forecast ``f``, the pinball loss of a true value
    ``y`` is ``q (y - f)`` when ``y >= f`` and ``(1 - q) (f - y)`` otherwise; it
    is averaged over the samples and the levels. Lower is better; the true
    ``q``-quantile of the predictive distribution minimises its expectation.

    Not named ``mean_pinball_loss``: ``sklearn.metrics.mean_pinball_loss``
    scores the forecasts of *one* level (``alpha``) with another signature;
    this one scores all levels of a quantile forecast at once, as ``"quantile"``
    forecasters predict them (``predict_quantiles``). For one level both agree:
    ``mean_quantile_loss(y, f[:, None], [a])`` equals
    ``sklearn.metrics.mean_pinball_loss(y, f, alpha=a)``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), (n_samples, horizon) or \
            (n_samples, horizon, n_targets)
        True values.
    y_quantiles : array-like of shape y_true.shape + (n_quantiles,)
        Forecasts of each quantile level, in the order of ``quantiles`` (a
        DataFrame whose columns are levels must name them in that order).
        Crossing quantiles (a lower level forecast above a higher one) are
        scored as given.
    quantiles : array-like of shape (n_quantiles,)
        The levels, each strictly between 0 and 1 and given once; any order
        (they pair with the last axis of ``y_quantiles`` by position).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        One number, or one per horizon step (and target).

    Returns
    -------
    loss : float or ndarray of shape (1,), (horizon,) or (horizon, n_targets)
        With ``"raw_values"``, ``loss[k]`` is the loss of the ``k + 1``-step
        forecasts (shape ``(1,)`` for 1D ``y_true``).

    Examples
    --------
    >>> from skseq.metrics import mean_quantile_loss
    >>> y_true = [1.0, 3.0]
    >>> y_quantiles = [[0.0, 2.0], [0.0, 2.0]]  # levels 0.25 and 0.75
    >>> mean_quantile_loss(y_true, y_quantiles, [0.25, 0.75])
    0.5
    """
    _check_multioutput(multioutput)
    y_true, y_quantiles, levels = _check_quantile_forecast(
        y_true, y_quantiles, quantiles
    )
    return _per_step(_pinball(y_true, y_quantiles, levels), multioutput)


def continuous_ranked_probability_score(
    y_true,
    *,
    samples=None,
    y_quantiles=None,
    quantiles=None,
    multioutput="uniform_average",
):
    """Continuous ranked probability score (CRPS) of probabilistic forecasts.

    ``CRPS(F, y) = E|X - y| - E|X - X'| / 2`` for ``X, X'`` independent draws
    of the predictive distribution ``F``: the mean absolute error generalised
    to distributions (it equals the absolute error for a point forecast), in
    the units of ``y``. Lower is better. Give the forecasts either as

    - ``samples``: the CRPS of their empirical distribution, computed exactly
      by sorting the samples (``O(S log S)`` per forecast, not ``O(S^2)``); or
    - ``y_quantiles`` and their ``quantiles`` levels: twice the mean pinball
      loss over the levels (:func:`mean_quantile_loss`), since the CRPS is
      twice the pinball loss integrated over all levels in (0, 1). This is an
      approximation: it approaches the CRPS only with many levels spread
      evenly over (0, 1) (e.g. 0.01, 0.02, ..., 0.99); with a few levels such
      as 0.1, 0.5, 0.9 it is a proper score of those quantiles, not the CRPS.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), (n_samples, horizon) or \
            (n_samples, horizon, n_targets)
        True values.
    samples : array-like of shape y_true.shape + (n_draws,), default=None
        Draws of the predictive distribution of each true value.
    y_quantiles : array-like of shape y_true.shape + (n_quantiles,), default=None
        Forecasts of the levels ``quantiles``, instead of ``samples`` (a
        DataFrame whose columns are levels must name them in that order).
    quantiles : array-like of shape (n_quantiles,), default=None
        The levels of ``y_quantiles``, strictly between 0 and 1, any order.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        One number, or one per horizon step (and target).

    Returns
    -------
    crps : float or ndarray of shape (1,), (horizon,) or (horizon, n_targets)
        With ``"raw_values"``, ``crps[k]`` is the score of the ``k + 1``-step
        forecasts (shape ``(1,)`` for 1D ``y_true``).

    Examples
    --------
    >>> from skseq.metrics import continuous_ranked_probability_score
    >>> continuous_ranked_probability_score([0.0], samples=[[-1.0, 1.0]])
    0.5
    >>> continuous_ranked_probability_score(
    ...     [0.0], y_quantiles=[[-1.0, 1.0]], quantiles=[0.25, 0.75]
    ... )
    0.5
    """
    _check_multioutput(multioutput)
    if (samples is None) == (y_quantiles is None):
        raise ValueError(
            "Pass the forecasts as samples=... or as y_quantiles=... with their "
            "quantiles=..., not both nor neither."
        )
    if samples is not None:
        if quantiles is not None:
            raise ValueError("quantiles are the levels of y_quantiles, not of samples.")
        y_true, samples = _check_forecast(y_true, samples, "samples")
        return _per_step(_crps_of_samples(y_true, samples), multioutput)
    if quantiles is None:
        raise ValueError("y_quantiles needs its levels: pass quantiles=[...].")
    y_true, y_quantiles, levels = _check_quantile_forecast(
        y_true, y_quantiles, quantiles
    )
    return _per_step(2 * _pinball(y_true, y_quantiles, levels), multioutput)


def interval_coverage(y_true, lower, upper, *, multioutput="uniform_average"):
    """Share of true values inside their interval ``[lower, upper]``.

    A diagnostic of calibration, not a score: compare it with the nominal
    coverage of the intervals (0.9 for 90% intervals). Wider intervals always
    cover more, so do not select models by it; :func:`interval_score` rewards
    both coverage and narrowness.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), (n_samples, horizon) or \
            (n_samples, horizon, n_targets)
        True values.
    lower, upper : array-like of the same shape
        Bounds of each interval (inclusive), ``lower <= upper``.
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        One number, or one per horizon step (and target).

    Returns
    -------
    coverage : float or ndarray of shape (1,), (horizon,) or (horizon, n_targets)
        Between 0 and 1.

    Examples
    --------
    >>> from skseq.metrics import interval_coverage
    >>> interval_coverage([0.0, 1.0, 5.0, 2.0], [0, 0, 0, 0], [2, 2, 2, 2])
    0.75
    """
    _check_multioutput(multioutput)
    y_true, lower, upper = _check_interval(y_true, lower, upper)
    inside = (lower <= y_true) & (y_true <= upper)
    return _per_step(inside.astype(np.float64), multioutput)


def interval_score(y_true, lower, upper, coverage, *, multioutput="uniform_average"):
    """Interval score of central prediction intervals (Winkler; Gneiting and
    Raftery, 2007).

    ``(upper - lower) + 2/alpha (lower - y) 1{y < lower} + 2/alpha (y - upper)
    1{y > upper}`` with ``alpha = 1 - coverage``, averaged: the width of the
    interval plus a penalty for each true value outside it, proportional to
    how far outside. A proper score of the ``alpha/2`` and ``1 - alpha/2``
    quantiles: lower is better, and it is smallest in expectation for the
    true central interval of that coverage.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), (n_samples, horizon) or \
            (n_samples, horizon, n_targets)
        True values.
    lower, upper : array-like of the same shape
        Bounds of each interval, ``lower <= upper``.
    coverage : float
        Nominal coverage of the intervals, strictly between 0 and 1 (0.9 for
        90% intervals).
    multioutput : {"uniform_average", "raw_values"}, default="uniform_average"
        One number, or one per horizon step (and target).

    Returns
    -------
    score : float or ndarray of shape (1,), (horizon,) or (horizon, n_targets)
        In the units of ``y``.

    Examples
    --------
    >>> from skseq.metrics import interval_score
    >>> interval_score([1.0, 3.0], [0.0, 0.0], [2.0, 2.0], coverage=0.75)
    6.0
    """
    _check_multioutput(multioutput)
    alpha = 1.0 - check_coverage(coverage)
    y_true, lower, upper = _check_interval(y_true, lower, upper)
    below = np.maximum(lower - y_true, 0.0)
    above = np.maximum(y_true - upper, 0.0)
    scores = (upper - lower) + (2.0 / alpha) * (below + above)
    return _per_step(scores, multioutput)


# -- elementwise scores ---------------------------------------------------------------
def _pinball(y_true, y_quantiles, levels):
    """Mean pinball loss over the levels, of each true value (y_true's shape)."""
    diff = y_true[..., None] - y_quantiles
    return np.maximum(levels * diff, (levels - 1.0) * diff).mean(axis=-1)


def _crps_of_samples(y_true, samples):
    """CRPS of each empirical distribution: E|X - y| - E|X - X'| / 2, where the
    second term, sum_ij |x_i - x_j| / (2 S^2), equals sum_i (2i - S - 1) x_(i) / S^2
    over the sorted draws x_(1) <= ... <= x_(S)."""
    n_draws = samples.shape[-1]
    error = np.abs(samples - y_true[..., None]).mean(axis=-1)
    weights = (2.0 * np.arange(1, n_draws + 1) - n_draws - 1) / n_draws**2
    return error - np.sort(samples, axis=-1) @ weights


def _per_step(values, multioutput):
    """Average values of y_true's shape over the samples (``"raw_values"``: one
    per horizon step and target), or over everything."""
    if multioutput == "raw_values":
        return np.atleast_1d(values.mean(axis=0))
    return float(values.mean())


# -- validation -----------------------------------------------------------------------
def _check_multioutput(multioutput):
    if not (isinstance(multioutput, str) and multioutput in _MULTIOUTPUT):
        raise ValueError(
            "multioutput must be 'raw_values' or 'uniform_average'; got "
            f"{multioutput!r}."
        )


def _as_finite(values, name):
    """Float64 array, refusing NaN and infinity (and a frame's id column)."""
    _refuse_id_columns(values, name)
    values = as_real_float64(values, name)
    if not np.isfinite(values).all():
        raise ValueError(f"{name} must not contain NaN or infinity.")
    return values


def _check_truth(y_true):
    y_true = _as_finite(y_true, "y_true")
    if y_true.ndim not in (1, 2, 3) or len(y_true) == 0:
        raise ValueError(
            "y_true must be 1D, 2D or 3D (n_samples, horizon, n_targets) with at "
            f"least one sample; got shape {y_true.shape}."
        )
    return y_true


def _check_forecast(y_true, forecast, name):
    """y_true and a forecast with one more, last axis (quantile levels or draws)."""
    _refuse_named_beside_numbered(forecast, name)
    _check_same_index(y_true=y_true, **{name: forecast})
    forecast = _by_target(y_true, forecast, name)
    y_true, forecast = _check_truth(y_true), _as_finite(forecast, name)
    if forecast.shape[:-1] != y_true.shape or forecast.ndim != y_true.ndim + 1:
        raise ValueError(
            f"{name} must have y_true's shape {y_true.shape} plus a last axis "
            f"(quantile levels or draws); got shape {forecast.shape}."
        )
    if forecast.shape[-1] == 0:
        raise ValueError(f"{name} has an empty last axis: it needs at least one.")
    return y_true, forecast


def _by_target(y_true, forecast, name):
    """A frame of ``(target, level or draw)`` columns, as a WindowedForecaster
    of several targets gives them, as ``(n, n_targets, k)`` when ``y_true`` is
    a frame of those targets (in that order); refused otherwise, as its
    columns would all be scored as the levels or draws of one value."""
    columns = getattr(forecast, "columns", None)
    if getattr(columns, "nlevels", 1) == 1:
        return forecast
    targets = list(columns.get_level_values(0).unique())
    inner = columns.get_level_values(-1).unique()
    y_columns = list(getattr(y_true, "columns", []))
    target_major = [(target, label) for target in targets for label in inner]
    if len(columns) == len(target_major) and set(columns) == set(target_major):
        forecast = forecast[target_major]  # e.g. sorted by level: by target
        columns = forecast.columns
    laid_out = columns.nlevels == 2 and list(columns) == target_major
    if not laid_out or y_columns != targets:
        y_has = f"has the columns {y_columns}" if y_columns else "is not a frame"
        raise ValueError(
            f"{name} has (target, level or draw) columns for the targets "
            f"{targets}, but y_true {y_has}: pass y_true with the columns "
            f"{targets}, or score one target, e.g. {name}[{targets[0]!r}] "
            f"against y_true[{targets[0]!r}]."
        )
    values = np.asarray(forecast, dtype=np.float64)
    return values.reshape(len(values), len(targets), len(inner))


def _check_quantiles(quantiles, n_quantiles):
    levels = _as_finite(quantiles, "quantiles")
    if levels.ndim != 1 or not ((levels > 0) & (levels < 1)).all():
        raise ValueError(
            "quantiles must be a 1D list of levels strictly between 0 and 1, "
            f"e.g. [0.1, 0.5, 0.9]; got {quantiles!r}."
        )
    if len(np.unique(levels)) != len(levels):
        raise ValueError(f"quantiles must give each level once; got {quantiles!r}.")
    if len(levels) != n_quantiles:
        raise ValueError(
            f"quantiles has {len(levels)} level(s), but the forecasts' last axis "
            f"has {n_quantiles}: one forecast per level."
        )
    return levels


def _check_quantile_forecast(y_true, y_quantiles, quantiles):
    """y_true, the quantile forecasts and their levels; a frame whose columns
    are levels must name them in the order of ``quantiles``."""
    labels = getattr(y_quantiles, "columns", None)
    if getattr(labels, "nlevels", 1) == 2:  # (target, level) pairs
        labels = labels.get_level_values(1).unique()
    y_true, values = _check_forecast(y_true, y_quantiles, "y_quantiles")
    levels = _check_quantiles(quantiles, values.shape[-1])
    if _are_levels(labels) and not np.allclose([_as_level(c) for c in labels], levels):
        raise ValueError(
            f"y_quantiles' columns are the levels {list(labels)}, but "
            f"quantiles={levels.tolist()}: each column is scored at the level in "
            f"its position. Give quantiles={[float(_as_level(c)) for c in labels]}."
        )
    return y_true, values, levels


def _are_levels(labels):
    """Whether a frame's column labels are quantile levels (None: no frame),
    numbers or their text ("0.1", as a CSV read back names them)."""
    return labels is not None and all(
        (level := _as_level(label)) is not None and 0 < level < 1 for label in labels
    )


def _as_level(label):
    """A column label as a number, or None (a bool, or text not a number)."""
    if isinstance(label, str):
        try:
            return float(label)
        except ValueError:
            return None
    if isinstance(label, numbers.Real) and not isinstance(label, bool):
        return label
    return None


def _refuse_id_columns(values, name):
    """A frame with a column that does not hold numbers (ids, names, dates) is
    refused: every column would be scored as forecasts or true values."""
    dtypes = getattr(values, "dtypes", None)
    if dtypes is None or np.ndim(dtypes) == 0:
        return
    others = [
        label
        for label, dtype in zip(values.columns, dtypes, strict=True)
        if getattr(dtype, "kind", "O") not in "iuf"
    ]
    if others:
        raise ValueError(
            f"{name} has column(s) {others} that do not hold numbers: a panel's "
            "series id (or a date) column would be scored as values. Pass the "
            f"value columns only, e.g. {name}.drop(columns={others!r})."
        )


def _refuse_named_beside_numbered(frame, name):
    """A frame of levels or draws whose columns are numbers but for some named
    by a string (a panel frame's id column) is refused."""
    labels = list(getattr(frame, "columns", []))
    named = [label for label in labels if isinstance(label, str)]
    if named and len(named) < len(labels) and _all_numbers(set(labels) - set(named)):
        raise ValueError(
            f"{name} has column(s) {named} beside columns of levels or draws "
            f"numbered {[lb for lb in labels if lb not in named][:5]}: a panel's "
            "series id column would be scored as a level or a draw. Pass those "
            f"columns only, e.g. {name}.drop(columns={named!r})."
        )


def _all_numbers(labels):
    return all(
        isinstance(label, numbers.Real) and not isinstance(label, bool)
        for label in labels
    )


def _refuse_shared_int_columns(y_true, lower, upper):
    """Frames ``y_true``, ``lower``, ``upper`` (same columns): an integer column
    equal in all three is an id column, not bounds a model forecast."""
    if not all(hasattr(frame, "columns") for frame in (y_true, lower, upper)):
        return
    shared = [
        label
        for label in y_true.columns
        if all(frame[label].dtype.kind in "iu" for frame in (y_true, lower, upper))
        and np.array_equal(lower[label], y_true[label])
        and np.array_equal(upper[label], y_true[label])
    ]
    if shared:
        raise ValueError(
            f"y_true, lower and upper share the integer column(s) {shared}, the "
            "same in all three: a panel's series id column would be scored as "
            "bounds. Pass the value columns only, e.g. "
            f"lower.drop(columns={shared!r})."
        )


def _check_interval(y_true, lower, upper):
    _check_same_columns(y_true=y_true, lower=lower, upper=upper)
    _check_same_index(y_true=y_true, lower=lower, upper=upper)
    _refuse_shared_int_columns(y_true, lower, upper)
    columns = [list(getattr(bound, "columns", [])) for bound in (lower, upper)]
    y_true = _check_truth(y_true)
    lower, upper = _as_finite(lower, "lower"), _as_finite(upper, "upper")
    if lower.shape != y_true.shape or upper.shape != y_true.shape:
        labelled = f" (columns {columns[0]}, {columns[1]})" if any(columns) else ""
        raise ValueError(
            f"lower and upper must have y_true's shape {y_true.shape}; got "
            f"{lower.shape} and {upper.shape}{labelled}."
        )
    crossed = lower > upper
    if crossed.any():
        first = tuple(int(i) for i in np.argwhere(crossed)[0])
        raise ValueError(
            f"lower > upper in {int(crossed.sum())} interval(s), the first at "
            f"index {first}: each lower bound must not exceed its upper bound."
        )
    return y_true, lower, upper


def _check_same_columns(**frames):
    """Frames of several targets pair column by column: same names, same order
    (one column pairs with one whatever its name)."""
    named = {
        name: list(frame.columns)
        for name, frame in frames.items()
        if len(getattr(frame, "columns", ())) > 1
    }
    if len({tuple(columns) for columns in named.values()}) > 1:
        raise ValueError(
            f"The columns of {', '.join(named)} differ: {named}. They pair by "
            "position, so give them the same columns in the same order."
        )


def _check_same_index(**objects):
    """Series and frames pair row by row, by position: refuse two whose
    indexes differ where both are labelled (not 0, 1, ..., n - 1), such as
    dates shifted by a step, or hold the same labels in another order (a
    silently wrong score)."""
    indexes = [
        (name, index)
        for name, obj in objects.items()
        if hasattr(index := getattr(obj, "index", None), "equals")
    ]
    for k, (first, a) in enumerate(indexes):
        for name, b in indexes[k + 1 :]:
            if _indexes_conflict(a, b):
                raise ValueError(
                    f"{first} and {name} have different index labels (e.g. "
                    f"{list(a[:3])} and {list(b[:3])}): their rows pair by "
                    "position, not by label, so the score would compare values "
                    "of different rows. Align them first, e.g. "
                    f"{name}.reindex({first}.index), or pass arrays."
                )


def _indexes_conflict(a, b):
    """Whether two indexes of one length label their rows differently: both
    labelled with labels of one kind (dates, periods, numbers, text) that
    differ, or the same labels in another order. Labels of different kinds
    (integer years and periods, a MultiIndex and dates) cannot be compared
    and are left to pair by position."""
    if len(a) != len(b) or a.equals(b):
        return False
    if _is_default_index(a) or _is_default_index(b):
        return _label_kind(a) == _label_kind(b) and set(a) == set(b)
    kind = _label_kind(a)
    if kind is None or kind != _label_kind(b):
        return False
    return not np.array_equal(_comparable(a), _comparable(b))


def _label_kind(index):
    """The kind of an index's labels, or None when they cannot be compared."""
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        return ("multi", index.nlevels)
    if isinstance(index, pd.DatetimeIndex):
        return ("dates", index.tz is not None)
    if isinstance(index, pd.PeriodIndex):
        return ("periods", index.freqstr)
    if isinstance(index, pd.TimedeltaIndex):
        return ("durations",)
    kind = pd.api.types.infer_dtype(index, skipna=False)
    if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
        return ("numbers",)
    return (kind,) if kind in ("string", "boolean") else None


def _comparable(index):
    """Labels as values that compare across dtypes (Int64 and int64; one
    instant in two time zones)."""
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex) and index.tz is not None:
        index = index.tz_convert("UTC")
    if isinstance(index, pd.MultiIndex | pd.DatetimeIndex | pd.PeriodIndex):
        return np.asarray(index, dtype=object)
    if pd.api.types.infer_dtype(index) in ("string", "boolean"):
        return np.asarray(index, dtype=object)
    return np.asarray(index, dtype=np.float64)


def _is_default_index(index):
    """Whether ``index`` is 0, 1, ..., n - 1 (no labels to pair by)."""
    return bool(np.array_equal(np.asarray(index), np.arange(len(index))))
