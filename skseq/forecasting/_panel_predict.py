"""How a panel model forecasts: every series through its single-series view.

Each series is forecast by a *member* (:func:`member`): a shallow copy of the
fitted panel :class:`WindowedForecaster` carrying that series' fitted state, so
the single-series functions of :mod:`._prediction` serve panels unchanged. The
last windows of all series are stacked into one call of the shared estimator;
row mode, intervals and window forecasts go series by series.
"""

import copy
import warnings
from collections.abc import Sequence

import numpy as np

from ..windowing._panel import SeriesFrames, panel_rows, series_frames
from ._columns import check_labels
from ._design import in_series_scale
from ._panel import StaticInputs, fit_series, prepare_series
from ._panel_read import check_series_index, naming, on_grid, series_name
from ._panel_static import encode_static, new_series_static
from ._prediction import forecast_inputs, predict_rows
from ._transforms import to_series_units

__all__ = [
    "forecast_panel",
    "member",
    "panel_window_forecasts",
    "predict_interval_panel",
    "predict_panel_rows",
]

PREDICT_CHUNK = 4096


def member(model, code):
    """The single-series view of series number ``code`` of a fitted panel model."""
    return _member_of(model, model.series_state_[code])


def _member_of(model, state):
    view = copy.copy(model)
    view.series_id = None
    view.series_layout_ = None
    view.target_transform_ = state.transform
    view.difference_ = state.lags
    view.target_scaler_, view.past_scaler_ = state.target_scaler, state.past_scaler
    view.last_rows_ = state.last_rows
    view.train_targets_ = state.train_targets
    view.next_label_ = state.next_label
    view.estimator_ = StaticInputs(
        model.estimator_, state.static, model.window_scaling_, state.target_level
    )
    return view


def fitted_static(model):
    """The static covariates seen in fit (``set_params`` takes effect at the
    next fit)."""
    encoder = model.static_encoder_
    return [*encoder.numeric, *encoder.categories]


def _data_columns(model, frame):
    """A series' frame without its static covariates, which must be there."""
    static = fitted_static(model)
    missing = [name for name in static if name not in frame.columns]
    if missing:
        raise ValueError(
            f"The panel lacks the static covariate column(s) {missing} seen in "
            "fit: pass them as in fit (a series seen in fit keeps the values "
            "learned then; a new series is encoded from these)."
        )
    return frame.drop(columns=static) if static else frame


def _known_or_new(model, frames, ids, rows):
    """The fitted state of each series of a panel to forecast (a sequence that
    makes each when asked for); a series not seen in ``fit`` gets a state
    fitted on its own rows (transform, differences and scalers), without id
    information."""
    codes = model.series_ids_.get_indexer(ids)
    new = [i for i, c in zip(ids, codes, strict=True) if c < 0]
    if new and model.static_encoder_.id_categories is not None:
        warnings.warn(
            f"{len(new)} series were not seen in fit ({', '.join(map(repr, new[:5]))}"
            f"{' ...' if len(new) > 5 else ''}): they are forecast without the "
            "series id information (series_encoding) learned for the others.",
            UserWarning,
            stacklevel=4,
        )
    if new:
        _warn_id_types(model, new)
    fitted = {
        k: _new_series_state(model, frames[k], ids[k], rows)
        for k in np.flatnonzero(codes < 0)
    }
    return _States(model.series_state_, codes, fitted)


def _warn_id_types(model, new):
    """Warn of new ids that match ids seen in fit as text only (``"1"`` and
    ``1``): a column read back with another type makes every series new."""
    seen = {str(i): i for i in model.series_ids_}
    clashes = [(i, seen[str(i)]) for i in new if str(i) in seen]
    if clashes:
        new_id, fit_id = clashes[0]
        warnings.warn(
            f"{len(clashes)} series of X match series seen in fit by their text "
            f"only, e.g. {new_id!r} ({type(new_id).__name__}) and {fit_id!r} "
            f"({type(fit_id).__name__}) in fit: ids of another type are new "
            "series, forecast from their own rows without what fit learned for "
            "them. Convert the id column to the type it had in fit.",
            UserWarning,
            stacklevel=5,
        )


class _States(Sequence):
    """The states of the series of a panel: ``known[codes[k]]``, or for a
    series not seen in fit (code -1) ``new[k]``."""

    def __init__(self, known, codes, new):
        self.known, self.codes, self.new = known, codes, new

    def __len__(self):
        return len(self.codes)

    def __getitem__(self, k):
        if not -len(self) <= k < len(self):
            raise IndexError(f"series {k} out of range [0, {len(self)}).")
        code = self.codes[k]
        return self.new[k % len(self)] if code < 0 else self.known[code]


def _new_series_state(model, frame, series_id, rows):
    roles = _fitted_roles(model, frame)
    names = model.target_names_, model.past_covariate_names_
    names = (*names, model.future_covariate_names_)
    # what fit used, not the parameters: set_params takes effect at the next fit
    template = model.target_transform_
    lags = "auto" if isinstance(model.difference_, dict) else model.difference_
    columns = frame.drop(columns=fitted_static(model)).columns
    prep = prepare_series(
        frame, series_id, roles, names, columns, template, lags, model.season_
    )
    static = _static_of_new(model, frame, series_id)
    scale = _fitted_scale(model)
    params = scale, model.future_scaler_, model.window_, model.horizon_
    state, _, _ = fit_series(prep, *params, static, model.freq_)
    return state


def _fitted_scale(model):
    """The ``scale`` a new series is prepared with, as read from the fitted
    states: False (no scalers), a clone of the fitted transformer, "window"
    (any per-window normalization: the targets are scaled per window) or True."""
    from sklearn.base import clone

    states = model.series_state_
    groups = states.target_scalers, states.past_scalers
    kinds = {group.kind for group in groups}
    if kinds == {None}:
        return False
    if "objects" in kinds:
        objects = [g.objects for g in groups if g.kind == "objects"]
        fitted = [s for group in objects for s in group if s is not None]
        return clone(fitted[0]) if fitted else model.scale
    return "window" if model.window_scaling_ is not None else True


def _fitted_roles(model, frame):
    data_columns = frame.drop(columns=fitted_static(model)).columns
    names = model.target_names_, model.past_covariate_names_
    names = (*names, model.future_covariate_names_)
    check_labels(data_columns, [name for group in names for name in group])
    return tuple([data_columns.get_loc(n) for n in group] for group in names)


def _static_of_new(model, frame, series_id):
    encoder = model.static_encoder_
    table = new_series_static(encoder, frame, series_id)
    for name, categories in encoder.categories.items():
        if table[name].iloc[0] not in categories:
            warnings.warn(
                f"static covariate {name!r} of {series_name(series_id)} is "
                f"{table[name].iloc[0]!r}, a category not seen in fit: the series "
                "is forecast without that covariate's information.",
                UserWarning,
                stacklevel=2,
            )
    return encode_static(encoder, table, [series_id])[0]


def forecast_panel(model, X, future):
    """``forecast`` of every series of a panel: a long DataFrame.

    Series are forecast ``PREDICT_CHUNK`` at a time (their last windows in one
    call of the shared estimator), each written into one array of forecasts:
    memory grows with the chunk and the forecasts, not with per-series objects.
    """
    rows = panel_rows(X, model.series_id_)
    # each series' frame is cut when needed, not all held at once
    frames = SeriesFrames(rows)
    if model.freq_ is None or not on_grid(rows.time, frames.positions, model.freq_):
        for frame, series_id in zip(frames, rows.ids, strict=True):
            check_series_index(frame.index, series_id, model.freq_)
    futures = _future_frames(model, future, rows.ids)
    states = _known_or_new(model, frames, rows.ids, rows)
    horizon, n_targets = model.horizon_, len(model.target_names_)
    values = np.empty((len(states) * horizon, n_targets))
    indexes = []
    for first in range(0, len(states), PREDICT_CHUNK):
        chunk = range(first, min(first + PREDICT_CHUNK, len(states)))
        index = _forecast_chunk(model, frames, states, futures, rows.ids, chunk, values)
        indexes.append(index)
    if any(index is None for index in indexes):
        time = None
    else:
        time = indexes[0].append(indexes[1:]) if len(indexes) > 1 else indexes[0]
    codes = np.repeat(np.arange(len(states)), horizon)
    return panel_frame(model, rows, values, codes, time)


def _forecast_chunk(model, frames, states, futures, ids, chunk, out):
    """Forecast the series of ``chunk`` into their rows of ``out``; returns
    their forecasts' time labels, appended (None: some have none)."""
    windows, histories, indexes, levels = [], [], [], []
    for k in chunk:
        view = _member_of(model, states[k])
        # only the last window (and differences) is read; its index was checked
        data = _data_columns(model, frames.tail(k, view._n_history()))
        with naming(ids[k]):
            inputs, targets, index = forecast_inputs(view, data, futures[k])
        windows.append(view.estimator_._inputs(inputs[None, : model.window_]))
        histories.append(targets)
        indexes.append(index)
        levels.append(view.estimator_.level)
    level = None if any(v is None for v in levels) else np.stack(levels)
    shared = StaticInputs(model.estimator_, np.empty(0), model.window_scaling_, level)
    raw = np.asarray(shared.predict(np.concatenate(windows)), dtype=np.float64)
    horizon, n_targets = model.horizon_, len(model.target_names_)
    for j, k in enumerate(chunk):  # as its member would: _member_of
        state = states[k]
        y = in_series_scale(raw[j : j + 1], state.target_scaler, horizon, n_targets)
        y = to_series_units(state.transform, state.lags, y, histories[j][None])
        out[k * horizon : (k + 1) * horizon] = y[0]
    if any(index is None for index in indexes):
        return None
    return indexes[0].append(indexes[1:]) if len(indexes) > 1 else indexes[0]


def _future_frames(model, future, ids):
    """The known future of each series (``future`` is a panel), or Nones."""
    if future is None:
        return [None] * len(ids)
    rows = panel_rows(future, model.series_id_, name="future")
    frames, _ = series_frames(rows)
    by_id = dict(zip(rows.ids, frames, strict=True))
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ValueError(
            f"future has no rows for {len(missing)} series of X, e.g. "
            f"{missing[0]!r}: give the known future of every series forecast."
        )
    return [by_id[i] for i in ids]


def long_frame(model, rows, values, indexes, columns=None):
    """Per-series outputs ``(n_steps, n_columns)`` on their own time labels ->
    one long DataFrame laid out like the panel that came in; ``columns``: the
    targets' names unless given (a ``pandas.MultiIndex`` is kept)."""
    if columns is None:
        columns = list(model.target_names_)
    lengths = [len(v) for v in values]
    codes = np.repeat(np.arange(len(values)), lengths)
    if any(index is None for index in indexes):
        time = None
    else:
        time = indexes[0].append(list(indexes[1:])) if len(indexes) > 1 else indexes[0]
    data = np.concatenate(values) if values else np.empty((0, len(columns)))
    return panel_frame(model, rows, data, codes, time, columns)


def panel_frame(model, rows, data, codes, time, columns=None):
    """Outputs ``data`` (n_rows, n_columns) of the series ``codes`` (positions
    in ``rows.ids``) at ``time`` (None: row numbers) -> one long DataFrame laid
    out like the panel that came in; ``columns``: the targets' names unless
    given."""
    import pandas as pd

    layout, id_name = rows.layout, rows.id_name
    series = rows.ids.take(codes)
    time = pd.RangeIndex(len(data)) if time is None else time
    time_name = rows.time.name
    if columns is None:
        columns = list(model.target_names_)
    if layout == "column":
        out = pd.DataFrame(data, index=pd.Index(time, name=time_name), columns=columns)
        key = id_name if out.columns.nlevels == 1 else (id_name, "")
        out.insert(0, key, series)
        return out
    index = pd.MultiIndex.from_arrays([series, time], names=[id_name, time_name])
    return pd.DataFrame(data, index=index, columns=columns)


# -- row mode ------------------------------------------------------------------
def _check_history(view, series_id):
    """Refuse to forecast rows of a series whose training rows were fewer than
    a forecast's history: its first windows would reach into the rows forecast."""
    n_rows, needed = len(view.last_rows_[0]), view._n_history()
    if n_rows < needed:
        what = "window + differences" if view.difference_ else "window"
        raise ValueError(
            f"{series_name(series_id)} had {n_rows} training row(s), fewer than "
            f"the {needed} ({what}) "
            "a forecast needs: its test rows cannot be forecast from its past "
            "alone. In cross-validation, use PanelSplit(lookback=...) at least "
            "the largest window searched (plus the differences), which leaves such "
            "series out of the fold."
        )


def predict_panel_rows(model, X):
    """Row mode on a panel: every row of ``X`` forecast from its own series'
    history (the series seen in ``fit``), in ``X``'s row order."""

    def one(view, data):
        return (np.asarray(predict_rows(view, data), dtype=np.float64),)

    (y_pred,) = _apply_rows(model, X, one, 1)
    return _row_output(model, X, y_pred, list(model.target_names_))


def quantile_panel_rows(model, X, quantiles):
    """Row mode's quantiles on a panel: one column per level (one target) or
    per ``(target, level)``, rows as in ``X``."""
    from ._probabilistic import quantile_rows

    found = {}

    def one(view, data):
        values, found["levels"], _ = quantile_rows(view, data, quantiles)
        return (values,)

    (values,) = _apply_rows(model, X, one, 1)
    return _row_output(model, X, values, _level_columns(model, found["levels"]))


def sample_panel_rows(model, X, n_samples, random_state):
    """Row mode's sample paths on a panel: one column per path (one target) or
    per ``(target, path)``, rows as in ``X``."""
    from ..estimators._probabilistic import as_generator
    from ._probabilistic import sample_rows

    rng = as_generator(random_state)

    def one(view, data):
        return (sample_rows(view, data, n_samples, rng)[0],)

    (values,) = _apply_rows(model, X, one, 1)
    return _row_output(model, X, values, _level_columns(model, range(n_samples)))


def interval_panel_rows(model, X, coverage):
    """Row mode's intervals on a panel: ``(lower, upper)`` shaped as ``predict``."""
    from ._probabilistic import interval_rows

    def one(view, data):
        return interval_rows(view, data, coverage)[:2]

    bounds = _apply_rows(model, X, one, 2)
    names = list(model.target_names_)
    return tuple(_row_output(model, X, bound, names) for bound in bounds)


def _apply_rows(model, X, one, n_outputs):
    """Run ``one(view, data)`` -> ``n_outputs`` arrays ``(n_rows_of_series,
    ...)`` on every series of ``X``; each output gathered in ``X``'s row
    order as ``(n_rows, k)``."""
    rows = panel_rows(X, model.series_id_)
    frames, positions = series_frames(rows)
    codes = model.series_ids_.get_indexer(rows.ids)
    unseen = [i for i, c in zip(rows.ids, codes, strict=True) if c < 0]
    if unseen:
        raise ValueError(
            "predict(X) of a panel model forecasts each row from "
            f"its series' history seen in fit; {len(unseen)} series of X were not "
            f"in fit, e.g. {unseen[0]!r}. Use forecast(panel) for new series."
        )
    outputs = [None] * n_outputs
    for frame, pos, code, series_id in zip(
        frames, positions, codes, rows.ids, strict=True
    ):
        view = member(model, code)
        _check_history(view, series_id)
        data = _data_columns(model, frame)
        with naming(series_id):
            parts = one(view, data)
        for k, part in enumerate(parts):
            part = np.asarray(part, dtype=np.float64).reshape(len(pos), -1)
            if outputs[k] is None:
                outputs[k] = np.empty((len(rows.frame), part.shape[1]))
            outputs[k][pos] = part
    return outputs


def _row_output(model, X, values, columns):
    """Row-mode values ``(n_rows, k)`` on ``X``'s index: a Series for one
    column named after the target, else a DataFrame."""
    import pandas as pd

    index = X.index if isinstance(X, pd.DataFrame) else None
    if (
        values.shape[1] == 1
        and len(columns) == 1
        and columns == list(model.target_names_)
    ):
        return pd.Series(values[:, 0], index=index, name=columns[0])
    return pd.DataFrame(values, index=index, columns=columns)


def _level_columns(model, labels):
    """Columns of per-level outputs: the labels (one target) or ``(target,
    label)`` pairs."""
    import pandas as pd

    names, labels = list(model.target_names_), list(labels)
    if len(names) == 1:
        return labels
    return pd.MultiIndex.from_product([names, labels])


# -- intervals and scoring -----------------------------------------------------------
def predict_interval_panel(model, X, coverage, future):
    """``predict_interval`` of every series: two long DataFrames (lower, upper)."""
    from ._probabilistic import forecast_interval

    def one(view, data, known):
        lower, upper, index = forecast_interval(view, data, coverage, known)
        return (lower, upper), index

    (lower, upper), rows, indexes = _each_series(model, X, future, one, 2)
    return tuple(long_frame(model, rows, part, indexes) for part in (lower, upper))


def quantiles_panel(model, X, quantiles, future):
    """``predict_quantiles`` of every series: a long DataFrame, one column per
    level (one target) or per ``(target, level)``."""
    from ._probabilistic import forecast_quantiles

    found = {}

    def one(view, data, known):
        values, found["levels"], index = forecast_quantiles(
            view, data, quantiles, known
        )
        return (values,), index

    (values,), rows, indexes = _each_series(model, X, future, one, 1)
    columns = _level_columns(model, found["levels"])
    return long_frame(model, rows, values, indexes, columns=columns)


def samples_panel(model, X, n_samples, random_state, future):
    """``predict_samples`` of every series: a long DataFrame, one column per
    path (one target) or per ``(target, path)``. One generator draws every
    series' paths in turn."""
    from ..estimators._probabilistic import as_generator
    from ._probabilistic import forecast_samples

    rng = as_generator(random_state)

    def one(view, data, known):
        values, index = forecast_samples(view, data, n_samples, rng, known)
        return (values,), index

    (values,), rows, indexes = _each_series(model, X, future, one, 1)
    columns = _level_columns(model, range(n_samples))
    return long_frame(model, rows, values, indexes, columns=columns)


def _each_series(model, X, future, one, n_outputs):
    """Run ``one(view, data, future)`` -> ``(outputs, index)`` on every series
    of the panel ``X`` (the future after each); each output a list of
    ``(horizon, k)`` arrays, one per series; the panel's rows; the indexes."""
    rows = panel_rows(X, model.series_id_)
    frames, _ = series_frames(rows)
    futures = _future_frames(model, future, rows.ids)
    states = _known_or_new(model, frames, rows.ids, rows)
    outputs, indexes = [[] for _ in range(n_outputs)], []
    for frame, state, known, series_id in zip(
        frames, states, futures, rows.ids, strict=True
    ):
        view = _member_of(model, state)
        with naming(series_id):
            parts, index = one(view, _data_columns(model, frame), known)
        for output, part in zip(outputs, parts, strict=True):
            output.append(np.asarray(part, dtype=np.float64).reshape(len(part), -1))
        indexes.append(index)
    return outputs, rows, indexes


def panel_window_forecasts(model, X, min_windows=1, purpose="forecasting"):
    """``window_forecasts`` of every series of a panel, concatenated in the
    order of the series: ``(y_true, y_pred)``, ``(n_windows, horizon,
    n_targets)`` each. Series too short for ``min_windows`` are refused."""
    rows = panel_rows(X, model.series_id_)
    frames, _ = series_frames(rows)
    states = _known_or_new(model, frames, rows.ids, rows)
    truths, forecasts = [], []
    for frame, state, series_id in zip(frames, states, rows.ids, strict=True):
        view = _member_of(model, state)
        data = _data_columns(model, frame)
        with naming(series_id):
            y_true, y_pred = view._window_forecasts(data, min_windows, purpose)
        truths.append(y_true)
        forecasts.append(y_pred)
    return np.concatenate(truths), np.concatenate(forecasts)
