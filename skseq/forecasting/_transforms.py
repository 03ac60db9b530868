"""Target transforms and differencing of a series, and their exact inversion.

The network of a :class:`WindowedForecaster` learns on the targets after a
transform (log, Box-Cox, any invertible transformer) and differencing; its
forecasts are brought back with :func:`to_series_units`, a function of the
forecasts and of the series' history before each of them, so that every output
path (the future forecast, the per-window forecasts of ``score`` and
:func:`backtest`) inverts them the same way.
"""

import numbers
import warnings
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.preprocessing import FunctionTransformer, PowerTransformer

from ..windowing._columns import plain_label
from ._seasonality import choose_difference

__all__ = [
    "auto_difference",
    "auto_lags_for",
    "neediest",
    "pools_residuals",
    "warn_mixed_lags",
    "check_difference",
    "check_inverse",
    "check_target_transform",
    "difference",
    "integrate",
    "inverse_target_transform",
    "lags_text",
    "to_model_units",
    "to_series_units",
    "to_transformed_levels",
]

_NAMED = ("log", "box-cox")


def check_difference(difference):
    """The lags of the differences to take, as a tuple of ints (empty: none), or
    ``"auto"``.

    ``None``, ``0`` and ``()`` mean no differencing; an int ``s`` one difference
    at lag ``s`` (``y[t] - y[t - s]``); a sequence of ints one difference per
    lag, e.g. ``(1, 12)`` (a first and a yearly difference of monthly data) or
    ``(1, 1)`` (a second-order difference); ``"auto"`` is returned as is, for
    ``fit`` to choose the lags on the training targets (:func:`auto_difference`).
    """
    if isinstance(difference, str) and difference == "auto":
        return "auto"
    if difference is None or (
        isinstance(difference, numbers.Integral)
        and not isinstance(difference, bool)
        and difference == 0
    ):
        return ()
    lags = (
        [difference]
        if isinstance(difference, numbers.Integral) or not np.iterable(difference)
        else list(difference)
    )
    if isinstance(difference, str) or any(
        isinstance(lag, bool) or not isinstance(lag, numbers.Integral) or lag < 1
        for lag in lags
    ):
        raise ValueError(
            "difference must be None, a lag (int >= 1), a sequence of lags or "
            "'auto', e.g. difference=1 (first difference), (1, 12) (first and "
            "yearly difference of monthly data), (1, 1) (second order) or 'auto' "
            f"(chosen in fit by a seasonal F test and KPSS tests); got {difference!r}."
        )
    return tuple(int(lag) for lag in lags)


def auto_difference(levels, season):
    """``difference="auto"``: the lags :func:`choose_difference` picks for the
    targets.

    With several targets, the fewest lags that difference every target's
    choice away (:func:`neediest`: a seasonal difference holds a first one, so
    ``(1,)`` and ``(12,)`` share ``(12,)``): a target differenced once too
    often stays forecastable (its differences are stationary too), one
    differenced too little keeps a trend the network cannot follow.

    Parameters
    ----------
    levels : ndarray of shape (n_steps, n_targets)
        The training targets after the target transform, not differenced.
    season : int
        Steps per cycle (``season_``); 1: no seasonal difference.

    Returns
    -------
    lags : tuple of int
        E.g. ``()``, ``(1,)``, ``(12,)`` or ``(1, 12)``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> walk, noise = rng.normal(size=(2, 200))
    >>> auto_difference(np.column_stack([walk.cumsum(), noise]), season=1)
    (1,)
    """
    return neediest([choose_difference(column, season) for column in levels.T], season)


def neediest(choices, season):
    """The fewest lags that difference every choice (a tuple of lags) away:
    the lags of several targets, or of the series of a panel that must share
    them. As many seasonal differences as the choice with the most, and first
    differences only beyond them: a seasonal difference holds a first one
    (``1 - B**s = (1 - B)(1 + B + ... + B**(s-1))``), so a random walk's
    ``(1,)`` and a season's ``(season,)`` share ``(season,)``, as
    :func:`choose_difference` gives one series."""
    seasonal = season if season > 1 else None
    n_seasonal = max(lags.count(seasonal) for lags in choices)
    # each choice's factors (1 - B), a seasonal difference holding one
    n_unit_roots = max(lags.count(1) + lags.count(seasonal) for lags in choices)
    n_first = n_unit_roots - n_seasonal
    return (1,) * n_first + (season,) * n_seasonal


def auto_lags_for(estimator, lags):
    """``lags`` (from :func:`check_difference`), or ``()`` where ``"auto"``
    must not difference the targets of ``estimator``: a
    :class:`~skseq.NaiveForecaster` (a baseline keeps its meaning), a quantile
    head, a negative binomial head (differences of counts are not counts),
    or a ``ConformalForecaster`` that calibrates a probabilistic head's
    bounds (``method="cqr"``, or ``"auto"``, which picks CQR for one, unless a
    ``TransformedTargetRegressor`` hides it): bounds of differences do not
    add up to bounds of the series. Looks through
    Pipelines, ``TransformedTargetRegressor``, searches and
    ``ConformalForecaster``, nested in any order."""
    if lags != "auto":
        return lags
    return () if _undifferenced_by_auto(estimator) else lags


def _undifferenced_by_auto(estimator):
    from sklearn.compose import TransformedTargetRegressor

    from ..estimators import NaiveForecaster
    from ..estimators._probabilistic import PROBABILISTIC_LOSSES
    from ..estimators._targets import wrapper_chain
    from ._conformal import ConformalForecaster

    calibrates_bounds = False
    while True:
        chain = wrapper_chain(estimator)
        estimator = chain[-1]
        if not isinstance(estimator, ConformalForecaster):
            break
        calibrates_bounds |= estimator.method in ("cqr", "auto")
        if estimator.method == "cqr":
            return True
        estimator = estimator.estimator
    # method="auto" does not pick CQR through a TransformedTargetRegressor
    # (its quantiles are of the transformed targets): it calibrates absolute
    # errors, which difference as any point forecast's do
    if any(isinstance(step, TransformedTargetRegressor) for step in chain):
        calibrates_bounds = False
    if isinstance(estimator, NaiveForecaster):
        return True
    loss = (
        estimator.get_params(deep=False).get("loss")
        if isinstance(estimator, BaseEstimator)
        else None
    )
    if not isinstance(loss, str):
        return False
    # a count head cannot learn differences, which are not counts
    undifferenced = ("quantile", "negative_binomial")
    return loss in undifferenced or (calibrates_bounds and loss in PROBABILISTIC_LOSSES)


def pools_residuals(estimator):
    """Whether ``estimator`` (through Pipelines, searches and
    ``TransformedTargetRegressor``) is a ``ConformalForecaster``, which pools
    the calibration residuals of every series of a panel."""
    from ..estimators._targets import wrapper_chain
    from ._conformal import ConformalForecaster

    return isinstance(wrapper_chain(estimator)[-1], ConformalForecaster)


def warn_mixed_lags(scale, series_lags):
    """Warn when ``difference="auto"`` chose different lags for the series of a
    panel whose windows ``scale="window"`` or ``"level"`` normalizes: the one
    network then sees the levels of some series and the differences of others
    in the same units, with nothing telling them apart, which biases the
    forecasts of both (per-series standardization, ``scale=True``, centres
    each series' own values and does not)."""
    if series_lags is None or not (
        isinstance(scale, str) and scale in ("window", "level")
    ):
        return
    counts = Counter(tuple(lags) for lags in series_lags)
    if len(counts) < 2:
        return
    chosen = ", ".join(f"{lags} for {n}" for lags, n in counts.most_common())
    warnings.warn(
        f"difference='auto' chose different differences for the series of this "
        f"panel ({chosen} series), and scale={scale!r} normalizes their windows "
        "alike: the one network sees levels and differences as the same kind "
        "of values, which biases the forecasts. Give one difference for every "
        "series (e.g. difference=1, or None), or use scale=True.",
        UserWarning,
        stacklevel=4,
    )


def lags_text(lags, chosen=False):
    """`` + sum(difference=lags)`` for the messages on rows of history, or "";
    ``chosen``: the lags that ``difference="auto"`` chose."""
    if not lags:
        return ""
    how = "'auto' -> " if chosen else ""
    return f" + sum(difference={how}{lags})"


def check_target_transform(target_transform):
    """An unfitted transformer for ``target_transform``, or None."""
    if target_transform is None:
        return None
    if isinstance(target_transform, str):
        if target_transform == "log":
            return FunctionTransformer(np.log, inverse_func=np.exp, check_inverse=False)
        if target_transform == "box-cox":
            return PowerTransformer(method="box-cox", standardize=False)
        raise ValueError(
            f"target_transform must be one of {list(_NAMED)}, a transformer with "
            f"inverse_transform, or None; got {target_transform!r}."
        )
    if isinstance(target_transform, type) or not all(
        hasattr(target_transform, method)
        for method in ("fit", "transform", "inverse_transform")
    ):
        raise TypeError(
            "target_transform must be 'log', 'box-cox', None or an invertible "
            "transformer instance (fit, transform and inverse_transform), e.g. "
            "FunctionTransformer(np.log1p, inverse_func=np.expm1); got "
            f"{target_transform!r}."
        )
    return clone(target_transform)


def difference(values, lags, axis=0):
    """Difference ``values`` along ``axis`` once per lag: ``v[t] - v[t - lag]``.

    Parameters
    ----------
    values : ndarray
        The series (time along ``axis``).
    lags : tuple of int
        Lags of the successive differences (see :func:`check_difference`).
    axis : int, default=0
        The time axis.

    Returns
    -------
    differenced : ndarray of float64
        ``sum(lags)`` steps shorter along ``axis``.

    Examples
    --------
    >>> import numpy as np
    >>> difference(np.array([1.0, 2.0, 4.0, 7.0, 11.0]), (1, 1)).tolist()
    [1.0, 1.0, 1.0]
    """
    values = np.asarray(values, dtype=np.float64)
    n_steps = values.shape[axis]
    for lag in lags:
        values = np.take(values, np.arange(lag, n_steps), axis=axis) - np.take(
            values, np.arange(n_steps - lag), axis=axis
        )
        n_steps -= lag
    return values


def integrate(forecasts, history, lags):
    """Undo :func:`difference` on forecasts, given the series before them.

    Parameters
    ----------
    forecasts : ndarray of shape (n_forecasts, horizon, n_targets)
        Forecasts of the differenced series.
    history : ndarray of shape (n_forecasts, n_history, n_targets)
        For each forecast, the (undifferenced) series up to the step before its
        first one; only its last ``sum(lags)`` steps are used.
    lags : tuple of int
        The lags the series was differenced with.

    Returns
    -------
    levels : ndarray of shape (n_forecasts, horizon, n_targets)
        The forecasts of the series itself: difference ``history`` followed by
        ``levels`` with ``lags`` and you get ``forecasts`` back.

    Examples
    --------
    >>> import numpy as np
    >>> series = np.array([1.0, 2.0, 4.0, 7.0, 11.0])[None, :, None]
    >>> integrate(np.array([[[1.0], [1.0]]]), series[:, :3], (1, 1)).ravel().tolist()
    [7.0, 11.0]
    """
    forecasts = np.asarray(forecasts, dtype=np.float64)
    history = np.asarray(history, dtype=np.float64)[:, history.shape[1] - sum(lags) :]
    # bases[j]: the history differenced by the first j lags, the level at which
    # the j-th difference is undone
    bases = [history]
    for lag in lags[:-1]:
        bases.append(difference(bases[-1], (lag,), axis=1))
    horizon = forecasts.shape[1]
    for lag, base in zip(reversed(lags), reversed(bases), strict=True):
        # extended[:, lag + t] = forecasts[:, t] + extended[:, t]
        extended = np.concatenate([base[:, -lag:], np.empty_like(forecasts)], axis=1)
        for step in range(horizon):
            extended[:, lag + step] = forecasts[:, step] + extended[:, step]
        forecasts = extended[:, lag:]
    return forecasts


def to_model_units(transformer, lags, targets, index=None, names=None, *, fit=False):
    """Targets as the network learns them: transformed, then differenced.

    Parameters
    ----------
    transformer : transformer or None
        The target transform (fitted unless ``fit``).
    lags : tuple of int
        Lags of the differences.
    targets : ndarray of shape (n_steps, n_targets)
        The target columns of a series.
    index : pandas.Index, default=None
        The series' index, to name a refused value's row.
    names : list, default=None
        The target columns' names, to name a refused value's column.
    fit : bool, default=False
        Fit ``transformer`` on ``targets`` first.

    Returns
    -------
    values : ndarray of shape (n_steps - sum(lags), n_targets)
    """
    values = _transform(transformer, targets, index, names, fit)
    if fit:
        check_inverse(transformer, targets, "target_transform")
    return difference(values, lags)


def check_inverse(transformer, values, name):
    """Warn when a fitted transformer's ``inverse_transform`` does not undo its
    ``transform`` on a sample of ``values`` (every tenth row), as sklearn's
    ``TransformedTargetRegressor(check_inverse=True)`` does: forecasts would
    come back in the transformed units.

    Skipped for a ``FunctionTransformer`` with ``check_inverse=False``, and for
    one with both functions (its own ``fit`` checks them).

    Parameters
    ----------
    transformer : fitted transformer or None
        The target transform, or the targets' scaler.
    values : ndarray of shape (n_steps, n_targets)
        Values it was fitted on.
    name : str
        The parameter that set it (``"target_transform"``, ``"scale"``), for
        the warning.
    """
    if transformer is None or not _unchecked(transformer):
        return
    sample = np.asarray(values, dtype=np.float64)[:: max(1, len(values) // 10)]
    with np.errstate(all="ignore"):
        back = transformer.inverse_transform(transformer.transform(sample))
    back = np.asarray(back, dtype=np.float64)
    if back.shape == sample.shape and np.allclose(back, sample, equal_nan=True):
        return
    example = (
        f" (e.g. {sample.flat[0]:.6g} comes back as {back.flat[0]:.6g})"
        if back.shape == sample.shape
        else ""
    )
    fix = (
        "pass its inverse, e.g. FunctionTransformer(np.log1p, inverse_func=np.expm1)"
        if isinstance(transformer, FunctionTransformer)
        else "use a transformer whose inverse_transform undoes its transform"
    )
    warnings.warn(
        f"{name}={transformer!r}: inverse_transform does not undo transform on "
        f"the training values{example}, so the forecasts come back in other "
        f"units than the series'. To fix it, {fix}.",
        UserWarning,
        stacklevel=4,
    )


def _unchecked(transformer):
    """Whether nothing has checked the transformer's inverse yet."""
    if not isinstance(transformer, FunctionTransformer):
        return True
    if not transformer.check_inverse:
        return False
    # sklearn checks only when both are given; neither is the identity both ways;
    # one alone (func without inverse_func, or inverse_func without func) is
    # checked here
    return (transformer.func is None) != (transformer.inverse_func is None)


def to_series_units(transformer, lags, forecasts, history):
    """Forecasts of the transformed, differenced targets in the series' units.

    Parameters
    ----------
    transformer : transformer or None
        The fitted target transform.
    lags : tuple of int
        Lags of the differences.
    forecasts : ndarray of shape (n_forecasts, horizon, n_targets)
        Forecasts in the model's units (after the scaler's inversion).
    history : ndarray of shape (n_forecasts, n_history, n_targets)
        For each forecast, the targets (in the series' units) up to the step
        before its first one; at least ``sum(lags)`` steps.

    Returns
    -------
    forecasts : ndarray of shape (n_forecasts, horizon, n_targets), float64

    Raises
    ------
    ValueError
        Where the inverse transform has no value at a finite forecast (Box-Cox
        beyond its bound): a NaN would pass silently into ``forecast`` and
        ``predict``, and fail scorers with "Input contains NaN".
    """
    levels = to_transformed_levels(transformer, lags, forecasts, history)
    values = inverse_target_transform(transformer, levels)
    if np.isfinite(levels).all() and not np.isfinite(values).all():
        raise ValueError(
            "The inverse of target_transform has no value at some forecasts, "
            "quantiles or sample paths (e.g. Box-Cox beyond its bound, "
            "-1/lambda): the model forecast values too far out for the "
            "transform. For quantiles, ask for less extreme levels; else use "
            "target_transform='log' (or none), or a model that forecasts "
            "within the range of the training series."
        )
    return values


def to_transformed_levels(transformer, lags, forecasts, history):
    """The first half of :func:`to_series_units`: the differences integrated
    from ``history``, still in the units of the target transform."""
    if not lags:
        return np.asarray(forecasts, dtype=np.float64)
    history = np.asarray(history)[:, np.asarray(history).shape[1] - sum(lags) :]
    shape = history.shape
    levels = _transform(transformer, history.reshape(-1, shape[2]))
    return integrate(forecasts, levels.reshape(shape), lags)


def inverse_target_transform(transformer, levels):
    """The second half of :func:`to_series_units`: ``levels`` ``(n, horizon,
    n_targets)`` of the transformed targets in the series' units."""
    if transformer is None:
        return np.asarray(levels, dtype=np.float64)
    shape = levels.shape
    with np.errstate(over="ignore"):
        values = transformer.inverse_transform(levels.reshape(-1, shape[2]))
    return np.asarray(values, dtype=np.float64).reshape(shape)


def _transform(transformer, values, index=None, names=None, fit=False):
    """Apply the target transform, refusing values outside its domain."""
    if transformer is None:
        return np.asarray(values, dtype=np.float64)
    if _needs_positive(transformer):
        _check_domain(values, values > 0, transformer, index, names)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (transformer.fit_transform if fit else transformer.transform)(values)
    out = np.asarray(out, dtype=np.float64)
    if out.reshape(len(out), -1).shape != np.shape(values):
        raise ValueError(
            f"target_transform={type(transformer).__name__}(...) turns the "
            f"targets of shape {np.shape(values)} into {out.shape}: it must "
            "keep one column per target and one row per time step (transform "
            "each target on its own, as np.log or a scaler does), as "
            "forecasts are read back per target."
        )
    out = out.reshape(np.shape(values))
    _check_domain(values, np.isfinite(out), transformer, index, names)
    return out


def _needs_positive(transformer):
    if isinstance(transformer, PowerTransformer):
        return transformer.method == "box-cox"
    return isinstance(transformer, FunctionTransformer) and transformer.func is np.log


def _check_domain(values, ok, transformer, index, names):
    if ok.all():
        return
    row, col = np.argwhere(~ok)[0]
    where = f"row {row}" if index is None else f"{index[row]}"
    column = col if names is None else names[col]
    if isinstance(transformer, PowerTransformer):
        name, why = "box-cox", "Box-Cox needs values > 0"
    elif _needs_positive(transformer):
        name, why = "log", "the log needs values > 0"
    else:
        name, why = transformer, "it returns NaN or infinity there"
    raise ValueError(
        f"target_transform={name!r} cannot take the target value "
        f"{float(values[row, col])!r} (column {plain_label(column)}, at {where}; "
        f"{int((~ok).sum())} such value(s)): {why}. "
        "Shift the series to positive values, or for counts with zeros use "
        "target_transform=FunctionTransformer(np.log1p, inverse_func=np.expm1)."
    )
