"""Backtesting a global model on a panel: every series replayed over one period.

The period (``start``, ``end``) is a pair of time labels shared by every series.
One global model -- the forecaster as fitted, or a clone fitted on the rows of
every series before ``start`` (before each refit's first step) -- forecasts each
series through that series' single-series view (:func:`._panel_predict.member`),
so each series is backtested by the single-series steps of :mod:`._backtest`.
Errors are computed per series, then averaged over the series with equal
weight, as the M competitions score a panel.
"""

import numbers
import warnings

import numpy as np
from sklearn.base import clone

from ..utils._progress import progress
from ..windowing._panel import panel_rows, series_frames
from ._backtest import (
    _is_fitted,
    _refit_every,
    forecast_chunk,
    forecast_frame,
    step_errors,
)
from ._calendar import date_in_zone
from ._index import check_index_kind
from ._panel import is_panel
from ._panel_predict import _known_or_new, _member_of, fitted_static
from ._panel_read import check_series_index, naming, panel_freq

__all__ = ["backtest_panel"]


def backtest_panel(forecaster, panel, start, end, refit, scoring, verbose):
    """``backtest`` of a forecaster with ``series_id``; ``scoring``: ``(metric,
    scorers)``. Returns ``(errors, forecasts, series_errors)``."""
    fitted = refit is False and _is_fitted(forecaster)
    rows = _read_panel(forecaster, panel, fitted)
    frames, positions = series_frames(rows)
    if fitted and not is_panel(forecaster):
        raise ValueError(
            "The forecaster has series_id set but was fitted on one series: "
            "refit it on the panel, or pass it unfitted (backtest then fits it "
            "on every series' rows before start)."
        )
    horizon = forecaster.horizon_ if fitted else forecaster._check_params()[1]
    if fitted:
        check_index_kind(rows.time, getattr(forecaster, "index_kind_", None), "panel")
        freq = forecaster.freq_
        for frame, series_id in zip(frames, rows.ids, strict=True):
            own = check_series_index(frame.index, series_id, freq)
            freq = freq if freq is not None else own
    else:  # as fit checks them: at the frequency of the longest series
        panel_freq(frames, rows.ids, rows, positions)
    start = _time_key(rows.time, start, "start")
    end = None if end is None else _time_key(rows.time, end, "end")
    if end is not None and end < start:
        raise ValueError(f"end ({end}) comes before start ({start}).")
    spans = [_span(frame.index, start, end, horizon) for frame in frames]
    candidates = [i for i, (a, b) in enumerate(spans) if 0 < a <= b]
    if not candidates:
        _refuse_empty(rows, start, end)
    model = forecaster if fitted else _fit_before(forecaster, panel, rows, start)
    if fitted:
        _warn_if_trained_on_the_period(model, start)
    data = [f.drop(columns=fitted_static(model)) for f in frames]
    views = _views(model, frames, spans, rows.ids, candidates)
    kept = [i for i in candidates if spans[i][0] >= views[i]._n_history()]
    _warn_left_out(rows.ids, spans, kept, start, end)
    if not kept:
        _refuse_empty(rows, start, end)

    steps = _steps(frames, spans, kept)
    every = len(steps) if refit is False else _refit_every(refit, len(steps))
    cutoffs = steps[::every]
    parts, last_views = {i: ([], [], [], []) for i in kept}, {}
    labels, short = {i: [] for i in kept}, dict.fromkeys(kept, 0)
    bar = progress(len(cutoffs) * len(kept), verbose, desc="backtest")
    for c, cutoff in enumerate(cutoffs):
        if c > 0:
            model = _fit_before(forecaster, panel, rows, cutoff)
            views = _views(model, frames, spans, rows.ids, kept)
        upper = cutoffs[c + 1] if c + 1 < len(cutoffs) else None
        for i in kept:
            first, last = _chunk(frames[i].index, spans[i], cutoff, upper)
            # a refit may need more history than the first model (differences
            # chosen again by difference="auto", a longer "auto" window): the
            # origins before it has that many rows cannot be forecast by it
            enough = max(first, views[i]._n_history())
            short[i] += max(0, min(enough, last + 1) - first)
            first = enough
            if first <= last:
                chunk = forecast_chunk(
                    views[i], data[i], first, last, horizon, scoring[1]
                )
                for collected, part in zip(parts[i], chunk, strict=True):
                    collected.append(part)
                labels[i].append(frames[i].index[first : last + 1])
                last_views[i] = views[i]  # its model's training targets: MASE
            bar.update(1)
    bar.close()
    _warn_short_history(rows.ids, short)
    kept = [i for i in kept if labels[i]]
    if not kept:
        _refuse_empty(rows, start, end)
    return _results(rows, frames, labels, kept, parts, last_views, scoring)


def _read_panel(forecaster, panel, fitted):
    """The rows of ``panel``, read with the fitted ``series_id_`` of a fitted
    panel model (``fitted``: backtest uses it as it is), else ``series_id``."""
    import pandas as pd

    fitted = fitted and is_panel(forecaster)
    series_id = forecaster.series_id_ if fitted else forecaster.series_id
    if not isinstance(panel, dict | pd.DataFrame):
        raise TypeError(
            f"The forecaster {'was fitted with' if fitted else 'has'} "
            f"series_id={series_id!r}, so backtest "
            "needs a panel: a long DataFrame (a column names the series), a "
            "DataFrame with a (series, time) MultiIndex, or a dict of series; got "
            f"{type(panel).__name__}. Backtest one series with a forecaster "
            "without series_id."
        )
    return panel_rows(panel, series_id)


def _time_key(time, label, name):
    """``start``/``end`` as a label comparable with the panel's time labels."""
    import pandas as pd

    try:
        if isinstance(time, pd.PeriodIndex):
            return pd.Period(label, freq=time.freq)
        if isinstance(time, pd.TimedeltaIndex):
            return pd.Timedelta(label)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}={label!r} is not a time label of the panel.") from exc
    if isinstance(time, pd.DatetimeIndex):
        return date_in_zone(time, label, name)
    if isinstance(label, bool) or not isinstance(label, numbers.Real):
        raise TypeError(
            f"{name} must be a time label of the panel (a number for a numeric "
            f"time index); got {label!r}."
        )
    return label


def _span(index, start, end, horizon):
    """Positions of a series' first and last forecast: from its first step at
    or after ``start`` to its last at or before ``end`` whose whole horizon lies
    in the series."""
    last = len(index) - horizon
    if end is not None:
        last = min(last, int(index.searchsorted(end, side="right")) - 1)
    return int(index.searchsorted(start, side="left")), last


def _warn_if_trained_on_the_period(model, start):
    """Warn when a fitted global model saw rows of a series at or after
    ``start``: its forecasts of them are in-sample."""
    late = []
    for k, series_id in enumerate(model.series_ids_):
        next_label = model.series_state_[k].next_label
        try:
            if next_label is not None and next_label > start:
                late.append(series_id)
        except TypeError:  # labels of another kind: not comparable
            return
    if late:
        warnings.warn(
            f"The fitted model was trained on rows at or after start={start} of "
            f"{len(late)} series ({', '.join(map(repr, late[:5]))}"
            f"{', ...' if len(late) > 5 else ''}): its forecasts of those steps "
            "are in-sample, with errors too low for a model that learned from "
            "those rows. Pass an unfitted model (e.g. sklearn.base.clone(model)), "
            "which backtest fits on every series' rows before start.",
            UserWarning,
            stacklevel=4,
        )


def _fit_before(forecaster, panel, rows, cutoff):
    """A clone fitted on the rows of every series before ``cutoff``."""
    if isinstance(panel, dict):
        before = {}
        for series_id, series in panel.items():
            rows_before = series.index < cutoff
            if rows_before.any():
                before[series_id] = series[rows_before]
    else:
        before = panel[np.asarray(rows.time < cutoff)]
    return clone(forecaster).fit(before)


def _views(model, frames, spans, ids, which):
    """The single-series view of each series in ``which`` (by position); a
    series the model was not fitted on is prepared on its rows before its
    first forecast."""
    heads = [frames[i].iloc[: spans[i][0]] for i in which]
    states = _known_or_new(model, heads, ids[which], None)
    return {i: _member_of(model, s) for i, s in zip(which, states, strict=True)}


def _warn_left_out(ids, spans, kept, start, end):
    no_step = [ids[i] for i, (a, b) in enumerate(spans) if a > b]
    history = [
        ids[i] for i in range(len(ids)) if i not in kept and spans[i][0] <= spans[i][1]
    ]
    if not no_step and not history:
        return
    reasons = []
    if no_step:
        period = f"[{start}, {end if end is not None else 'its end'}]"
        reasons.append(
            f"no forecast from a step in {period} with its whole horizon in "
            f"the series: {_some(no_step)}"
        )
    if history:
        reasons.append(
            f"too few rows before start for a window of history: {_some(history)}"
        )
    warnings.warn(
        f"{len(no_step) + len(history)} of {len(ids)} series are left out of the "
        f"backtest: {'; '.join(reasons)}.",
        UserWarning,
        stacklevel=4,
    )


def _some(ids):
    shown = ", ".join(repr(i) for i in ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _refuse_empty(rows, start, end):
    period = f"from start={start}" + ("" if end is None else f" to end={end}")
    raise ValueError(
        f"No series of the panel ({rows.n_series}) can be backtested {period}: "
        "each needs window (+ differences) rows before start and a forecast "
        "from a step of the period whose whole horizon lies in the series."
    )


def _steps(frames, spans, kept):
    """Every series' forecast steps, merged: the period's steps, in order."""
    labels = [frames[i].index[spans[i][0] : spans[i][1] + 1] for i in kept]
    return labels[0].append(labels[1:]).unique().sort_values()


def _chunk(index, span, cutoff, upper):
    """A series' first and last forecast from ``cutoff`` up to before ``upper``."""
    first = max(span[0], int(index.searchsorted(cutoff, side="left")))
    last = span[1]
    if upper is not None:
        last = min(last, int(index.searchsorted(upper, side="left")) - 1)
    return first, last


def _warn_short_history(ids, short):
    """Warn about the forecasts left out because their model needed more
    history than the series had before their origin."""
    missed = {i: n for i, n in short.items() if n}
    if not missed:
        return
    counts = ", ".join(f"{ids[i]!r}: {n}" for i, n in list(missed.items())[:10])
    more = f" and {len(missed) - 10} more series" if len(missed) > 10 else ""
    warnings.warn(
        f"Forecasts of {len(missed)} series are left out of the backtest "
        f"({counts}{more}): the model refitted for them needs more rows of "
        "history (window + sum(difference), chosen again at each refit when "
        "'auto') than the series has before those steps. Fix window and "
        "difference, or start later, to forecast every step.",
        UserWarning,
        stacklevel=4,
    )


def _results(rows, frames, labels, kept, parts, views, scoring):
    """``(errors, forecasts, series_errors)`` from each series' chunks
    (``labels``: each chunk's first steps)."""
    import pandas as pd

    ids = rows.ids[kept]
    series_errors = pd.concat(
        [_series_errors(views[i], parts[i], scoring, rows.ids[i]) for i in kept],
        keys=ids,
        names=[rows.id_name],
    )
    targets = views[kept[0]].target_names_
    forecasts = pd.concat(
        [
            forecast_frame(targets, parts[i][1], labels[i][0].append(labels[i][1:]))
            for i in kept
        ],
        keys=ids,
        names=[rows.id_name],
    )
    # a series' undefined error (R^2 of one forecast: NaN) stays NaN in the
    # mean, as in its own table, rather than being skipped by pandas' mean
    steps = series_errors.groupby(level="step", sort=False)
    errors = steps.agg(lambda values: values.mean(skipna=False))
    return errors, forecasts, series_errors


def _series_errors(view, part, scoring, series_id):
    """One series' ``step_errors``; a metric's refusal (MASE of a series
    constant in training) names the series."""
    with naming(series_id):
        return step_errors(view, *part, *scoring)
