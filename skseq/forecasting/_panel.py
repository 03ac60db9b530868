"""Global models: one ``WindowedForecaster`` trained on every series of a panel.

With ``series_id`` set, :class:`WindowedForecaster` reads a panel (see
:mod:`skseq.windowing._panel`) and prepares each series exactly as it prepares
one series -- its own target transform, differences and scalers, fitted on its
own rows -- then trains *one* wrapped estimator on the windows of every series.
Windows never cross from one series into the next: the per-step design rows of
all series are concatenated, and only the window starts that lie inside one
series are used (views of the concatenation, or batches cut from it).

Memory grows with the panel's rows, not with objects per series or windows:
series are prepared one after the other, their fitted state written into the
arrays of :class:`SeriesStates`, their design rows into one preallocated array
-- none at all for targets alone, untransformed and undifferenced
(``difference=None``), fed in batches, whose batches are cut from the training
targets and standardized per series. Fed in batches, the windows of
each batch are found from the series' window counts
(:class:`~skseq.windowing._panel_feeder.RecencyIndex`), never listed; fed as
arrays, their starts are made without an array per series
(:func:`~._panel_windows.recency_order`).

Afterwards each series is forecast by a *member*: a shallow copy of the panel
model carrying that series' fitted state, so that the single-series functions
(:mod:`._prediction`) serve panels unchanged. Static covariates and the one-hot
series id, constant within a series, are appended to every time step's inputs
by the member's estimator adapter (:class:`StaticInputs`).
"""

import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

from ..estimators._held_out import holding_out, purge_gap
from ..estimators._targets import targets_for
from ..utils._validation import check_choice, check_float_range
from ..windowing import window_view
from ..windowing._panel import WindowNorm
from ..windowing._panel_feeder import SeriesScaling
from ._columns import PANEL_FILL_HINT, column_values
from ._design import (
    clone_wrapped,
    design,
    feeds_batches,
    fit_on_3d,
    fit_scalers,
    purged_selection,
    weight_key,
)
from ._index import auto_window, fitted_season, index_kind, n_step_features
from ._panel_read import (
    panel_columns,
    read_panel,
    series_name,
)
from ._panel_state import SeriesState, SeriesStates, SeriesTargets, Standardizer
from ._panel_static import encode_static, fit_static
from ._panel_warnings import warn_pooled_units, warn_too_short
from ._panel_windows import recency_order, series_of, series_weights
from ._rows import next_label as row_next_label
from ._transforms import (
    auto_difference,
    auto_lags_for,
    check_difference,
    check_target_transform,
    difference,
    lags_text,
    neediest,
    pools_residuals,
    to_model_units,
    warn_mixed_lags,
)

__all__ = [
    "SeriesState",
    "SeriesStates",
    "StaticInputs",
    "fit_panel",
    "fit_series",
    "forget",
    "is_panel",
    "prepare_series",
]


class StaticInputs:
    """The shared estimator as one series sees it: that series' constant inputs
    appended to every time step of its windows, and with ``scale="window"`` or
    ``"level"`` each window normalized and the forecasts mapped back.

    Parameters
    ----------
    estimator : estimator
        The fitted shared estimator.
    static : ndarray of shape (n_static_inputs,)
        The series' constant inputs (empty: none).
    norm : WindowNorm or None
        How each window is normalized (None: not).
    level : ndarray of shape (n_targets,) or (n_windows, n_targets) or None
        With ``scale="window"``: the scale of a window of zeros, the series'
        mean absolute training target (of each window's series); None: 1.
    """

    def __init__(self, estimator, static, norm=None, level=None):
        self.estimator = estimator
        self.static = np.asarray(static, dtype=np.float64)
        self.norm = norm
        self.level = level

    def _inputs(self, X):
        X = np.asarray(X, dtype=np.float64)
        if not self.static.size:
            return X
        static = np.broadcast_to(self.static, (*X.shape[:2], self.static.size))
        return np.concatenate([X, static], axis=2)

    def _normalized(self, X):
        """Windows normalized, and their statistics (None: not normalized)."""
        X = self._inputs(X)
        if self.norm is None:
            return X, None
        X, _, stats = self.norm.apply(X, fallback=self.level)
        return X, stats

    def _back(self, y_pred, stats):
        return y_pred if stats is None else self.norm.invert(y_pred, stats)

    def predict(self, X):
        X, stats = self._normalized(X)
        return self._back(self.estimator.predict(X), stats)

    def predict_interval(self, X, coverage=0.9):
        X, stats = self._normalized(X)
        bounds = self.estimator.predict_interval(X, coverage=coverage)
        return tuple(self._back(bound, stats) for bound in bounds)

    def predict_quantiles(self, X, quantiles=None):
        """The estimator's quantiles (last axis), each level mapped back."""
        X, stats = self._normalized(X)
        values = np.asarray(self.estimator.predict_quantiles(X, quantiles=quantiles))
        return self._back_each(values, stats)

    def predict_samples(self, X, n_samples=100, random_state=None):
        """The estimator's sample paths (last axis), each mapped back."""
        X, stats = self._normalized(X)
        values = np.asarray(
            self.estimator.predict_samples(
                X, n_samples=n_samples, random_state=random_state
            )
        )
        return self._back_each(values, stats)

    def output_slope(self, X, n_targets):
        """``(n_windows, n_targets)``: how far one unit of the estimator's
        output moves each window's forecast (the normalization is affine)."""
        ones = np.ones((len(X), n_targets))
        if self.norm is None:
            return ones
        stats = self._normalized(X)[1]
        return np.abs(self._back(ones, stats) - self._back(0 * ones, stats))

    def _back_each(self, values, stats):
        """``_back`` of every entry of the last axis (levels or samples)."""
        if stats is None:
            return values
        parts = [self._back(values[..., j], stats) for j in range(values.shape[-1])]
        return np.stack(parts, axis=-1)

    def __getattr__(self, name):  # e.g. hasattr(member.estimator_, "predict_interval")
        if name in ("estimator", "static", "norm", "level"):
            raise AttributeError(name)
        return getattr(self.estimator, name)


# -- fit ---------------------------------------------------------------------------
def check_panel_params(model):
    """Check the panel parameters; ``sampling`` and ``series_encoding`` as given."""
    check_choice(model.sampling, "sampling", ("window", "series"))
    if model.series_encoding not in (None, "onehot"):
        raise ValueError(
            "series_encoding must be None or 'onehot' (the series id as one-hot "
            "inputs, which the first layer turns into a learned embedding); got "
            f"{model.series_encoding!r}."
        )


def fit_panel(model, X, y, sample_weight, window, horizon, threshold):
    """``WindowedForecaster.fit`` with ``series_id``: set ``model``'s fitted
    attributes and return it. ``threshold`` is ``FEED_THRESHOLD``."""
    check_panel_params(model)
    if sample_weight is not None:
        raise ValueError(
            "sample_weight is not supported with series_id; weight whole series "
            "with sampling='series' (every series counts the same)."
        )
    panel = read_panel(model, X, y)
    season = fitted_season(model.season, panel["frames"][0].index, panel["freq"])
    lags = auto_lags_for(model.estimator, check_difference(model.difference))
    template = check_target_transform(model.target_transform)
    values = panel_columns(panel)
    if values is None:  # a bad value: each series read on its own names it
        values = _values_by_series(panel, template, lags, season)
    series_lags = None  # chosen before the window when it depends on them
    if lags == "auto" and pools_residuals(model.estimator):
        lags = neediest(_auto_lags(panel, values, template, season), season)
    elif lags == "auto" and isinstance(window, str):
        series_lags = _auto_lags(panel, values, template, season)
    lengths = panel["positions"].lengths
    width = n_step_features(*map(len, panel["columns"][1]), horizon)
    shape = season, lengths, horizon, series_lags or lags, width
    window = _panel_window(window, *shape)
    future_scaler = _future_scaler(model.scale, values[2])
    static_table, static_encoder = fit_static(
        model, panel["rows"].frame, panel["positions"], panel["static"], panel["ids"]
    )
    static_rows = encode_static(static_encoder, static_table, panel["ids"])
    design = window, horizon, future_scaler, panel["freq"]
    preparation = template, lags, season, series_lags
    states, rows, starts = _design_panel(
        model, panel, values, static_rows, preparation, *design
    )
    names = panel["columns"][1]
    norm = _window_norm(model.scale, len(names[0]), season)
    # what the states do not keep is freed before the network trains, so that
    # the peak memory of a large panel is the panel, the design rows, the
    # window starts and the batches
    layout = panel["rows"].layout, panel["rows"].id_name
    kind = index_kind(panel["rows"].time)
    del values, panel["frames"], panel["positions"], panel["rows"]
    shape = window, horizon, norm, threshold
    estimator = _fit_global(model, rows, starts, *shape, states.target_levels)
    model.series_id_ = model.series_id
    model.series_ids_ = panel["ids"]
    model.series_state_ = states
    model.series_layout_ = layout
    model.static_encoder_ = static_encoder
    model.window_scaling_ = norm
    model.target_names_, model.past_covariate_names_ = names[0], names[1]
    model.future_covariate_names_ = names[2]
    model.by_label_ = True
    model.window_, model.horizon_ = window, horizon
    model.target_transform_ = template
    model.difference_ = _panel_lags(lags, states, panel["ids"])
    model.season_ = season
    model.target_scaler_, model.past_scaler_ = None, None
    model.future_scaler_ = future_scaler
    model.estimator_ = estimator
    model.n_features_in_ = len(panel["columns"][2])
    model.n_windows_ = int(states.n_windows.sum())
    model.freq_ = panel["freq"]
    model.index_step_ = panel["step"]
    model.index_kind_ = kind
    model.last_rows_ = None
    model.train_targets_ = SeriesTargets(panel["ids"], states)
    model.next_label_ = None
    warn_pooled_units(model, estimator, states)
    warn_mixed_lags(model.scale, states.series_lags)
    return model


def _values_by_series(panel, template, lags, season):
    """The columns of every series read (and prepared) one by one, which fails
    naming the series and the date of a bad value; concatenated."""
    frames, ids = panel["frames"], panel["ids"]
    parts = [
        prepare_series(frames[k], ids[k], *panel["columns"], template, lags, season)[
            "columns"
        ]
        for k in range(len(ids))
    ]
    return tuple(np.concatenate(group) for group in zip(*parts, strict=True))


def _design_panel(model, panel, values, static_rows, preparation, *design):
    """Every series' fitted state and the training rows of the panel.

    Series after series: its targets' transform and differences, its scalers,
    its design rows, written into one preallocated array (float32 when fed in
    batches, as the batches are), so that no series leaves an object behind.
    Returns ``states`` (:class:`SeriesStates`), the design ``inputs`` and
    ``outputs`` of the series with training windows, concatenated, and
    ``starts``: ``(n_windows, offsets)``, each series' training windows and
    where its design rows start in the concatenation.
    """
    window, horizon, future_scaler, freq = design
    template, lags, season, series_lags = preparation
    roles, names, _ = panel["columns"]
    offsets, time = panel["positions"].offsets, _series_times(panel)
    n_columns = tuple(v.shape[1] for v in values)
    kind = _scaler_kind(model.scale)
    states = SeriesStates(
        values[0],
        offsets,
        static_rows,
        n_columns,
        None if lags == "auto" else lags,
        (kind, kind),
        template is not None,
    )
    n_inputs = n_columns[0] + n_columns[1] + n_columns[2] * horizon
    n_inputs += static_rows.shape[1]
    dtype = np.float32 if model.feed == "batches" else np.float64
    # targets alone (no covariates, static or future inputs): the inputs are
    # the scaled targets, the same values as the outputs, kept once; fed in
    # batches, untransformed and undifferenced, not kept at all: each batch is
    # cut from the training targets and standardized per series (PanelBatches)
    shared = n_inputs == n_columns[0]
    lazy = shared and dtype is np.float32 and template is None
    lazy = lazy and lags != "auto" and not sum(lags) and kind != "objects"
    inputs = None if lazy else np.empty((offsets[-1], n_inputs), dtype=dtype)
    outputs = inputs
    if not shared:
        outputs = np.empty((offsets[-1], n_columns[0]), dtype)
    design_starts = np.zeros(len(states), dtype=np.int64)
    too_short, offset = [], 0
    for k, series_id in enumerate(panel["ids"]):
        columns = tuple(v[offsets[k] : offsets[k + 1]] for v in values)
        own = lags if series_lags is None else series_lags[k]
        prep = prepare_values(columns, time(k), series_id, names, template, own, season)
        state, series_inputs, series_outputs = fit_series(
            prep, model.scale, future_scaler, window, horizon, static_rows[k], freq
        )
        states.set(k, state)
        if state.n_windows < 1:
            too_short.append(series_id)
            continue
        n_rows = len(series_inputs)
        if dtype is np.float32:  # as the batches' cast checks the whole series
            check_float_range(series_inputs, dtype, "series")
            check_float_range(series_outputs, dtype, "targets")
        if lazy:  # its rows in the training targets
            design_starts[k] = offsets[k]
            offset += n_rows
            continue
        inputs[offset : offset + n_rows] = series_inputs
        if not shared:
            outputs[offset : offset + n_rows] = series_outputs
        design_starts[k] = offset
        offset += n_rows
    warn_too_short(too_short, len(states), window, horizon)
    if not offset:
        raise ValueError(
            f"No series of the panel is long enough for one training window: "
            f"each needs window={window} + horizon={horizon}"
            f"{lags_text(lags) if lags != 'auto' else ' + its differences'} rows."
        )
    starts = states.n_windows, design_starts
    states.finish()
    if lazy:
        scaling = SeriesScaling(*states.target_scalers.arrays())
        return states, (states.targets, states.targets, scaling), starts
    return states, (inputs[:offset], outputs[:offset], None), starts


def _auto_lags(panel, values, template, season):
    """``difference="auto"``: every series' lags, each chosen as in fit."""
    offsets, time = panel["positions"].offsets, _series_times(panel)
    preparation = panel["columns"][1], template, "auto", season
    series = enumerate(zip(panel["ids"], offsets[:-1], offsets[1:], strict=True))
    # only the lags are kept: the transformed levels go with each series
    return [
        prepare_values(tuple(v[a:b] for v in values), time(k), i, *preparation)["lags"]
        for k, (i, a, b) in series
    ]


def _series_times(panel):
    """``time(k)``: the time labels of series ``k`` (a slice of the panel's when
    its rows come series after series)."""
    time, positions = panel["rows"].time, panel["positions"]
    if positions.order is None:
        offsets = positions.offsets
        return lambda k: time[offsets[k] : offsets[k + 1]]
    return lambda k: time.take(positions[k])


def _scaler_kind(scale):
    """How :class:`SeriesStates` keeps the series' scalers."""
    if scale is False:
        return None
    return "standard" if scale is True or isinstance(scale, str) else "objects"


def prepare_series(
    frame, series_id, roles, names, columns, template, lags, season, values=None
):
    """One series' columns (``values``, when read already), fitted target
    transform and differences."""
    index = frame.index
    if values is None:
        name = series_name(series_id)
        data = frame[columns] if list(frame.columns) != list(columns) else frame
        values = tuple(
            column_values(data, cols, index, name, PANEL_FILL_HINT) for cols in roles
        )
    return prepare_values(values, index, series_id, names, template, lags, season)


def prepare_values(values, index, series_id, names, template, lags, season):
    """One series' fitted target transform and differences, from its columns
    ``values`` (targets, past, future) and time ``index``."""
    transform = None if template is None else clone(template)
    try:
        levels = to_model_units(transform, (), values[0], index, names[0], fit=True)
        chosen = auto_difference(levels, season) if lags == "auto" else lags
    except ValueError as error:
        raise ValueError(f"{series_name(series_id)} of the panel: {error}") from None
    return {
        "columns": values,
        "levels": levels,
        "transform": transform,
        "lags": chosen,
        "index": index,
        "n_rows": len(index),
    }


def _panel_window(window, season, lengths, horizon, lags, n_features):
    """``window_`` of a panel: ``window="auto"`` follows the single-series rule
    (twice a yearly season, else 56, capped so that a series has more training
    windows than a linear model of the window has weights, ``n_features`` per
    step) for the median series, its length less its differences (``lags``: the
    panel's, or a list of each series')."""
    if not isinstance(window, str):
        return window
    if isinstance(lags, list):
        n_lags = np.array([sum(own) for own in lags])
    else:
        n_lags = sum(lags)
    n_rows = int(np.median(lengths - n_lags))
    return auto_window(season, n_rows, horizon, n_features=n_features)


def _future_scaler(scale, futures):
    """One scaler of the future covariates for the whole panel (calendars are
    shared), fitted on every series' rows (``futures``: series after series)."""
    if scale is False or not futures.shape[1]:
        return None
    scaler = (
        StandardScaler() if scale is True or isinstance(scale, str) else clone(scale)
    )
    return scaler.fit(futures)


def fit_series(prep, scale, future_scaler, window, horizon, static, freq):
    """One series' state and design rows (inputs with its static ones appended)."""
    targets, past, future = prep["columns"]
    lags = prep["lags"]
    n_lags = sum(lags)
    model_targets = difference(prep["levels"], lags)
    past, future = past[n_lags:], future[n_lags:]
    n_windows = len(model_targets) - window - horizon + 1
    target_scaler, past_scaler = _series_scalers(scale, model_targets, past)
    scalers = target_scaler, past_scaler, future_scaler
    inputs, outputs = design(model_targets, past, future, scalers, horizon)
    if static.size:
        inputs = np.concatenate(
            [inputs, np.broadcast_to(static, (len(inputs), static.size))], axis=1
        )
    # With future covariates the inputs stop `horizon` rows before the targets
    # (the last rows have no known future); zero rows keep the two in step, so
    # that one start indexes both in the panel's concatenation. No window
    # reaches them: a window's inputs end `horizon` rows before its series does.
    padding = np.zeros((len(outputs) - len(inputs), inputs.shape[1]))
    inputs = np.concatenate([inputs, padding]) if len(padding) else inputs
    n_history = window + n_lags
    level = np.abs(model_targets).mean(axis=0) if len(model_targets) else 0.0
    state = SeriesState(
        transform=prep["transform"],
        lags=lags,
        target_scaler=target_scaler,
        past_scaler=past_scaler,
        static=static,
        last_rows=tuple(v[-n_history:] for v in prep["columns"]),
        train_targets=targets,
        next_label=row_next_label(prep["index"], freq),
        n_windows=max(n_windows, 0),
        target_level=np.broadcast_to(level, model_targets.shape[1:]),
    )
    return state, inputs, outputs


def _series_scalers(scale, targets, past):
    """Per-series scalers of the targets and past covariates (a series with one
    row, or constant, is centred but not divided: StandardScaler's rule)."""
    if len(targets) == 0:
        return None, None
    if scale is True or isinstance(scale, str):  # StandardScaler's, lean
        target_scaler, past_scaler = (
            Standardizer().fit(v) if v.shape[1] else None for v in (targets, past)
        )
        # scale="window": the targets are scaled per window (StaticInputs)
        return (None if isinstance(scale, str) else target_scaler), past_scaler
    empty = np.empty((len(targets), 0))
    target_scaler, past_scaler, _ = fit_scalers(scale, targets, past, empty)
    return target_scaler, past_scaler


def _panel_lags(lags, states, ids):
    """``difference_`` of a panel: the lags, or with ``difference='auto'`` a dict
    of each series' lags."""
    if lags != "auto":
        return lags
    return dict(zip(ids, states.series_lags, strict=True))


def _window_norm(scale, n_targets, season):
    """The per-window normalization of ``scale="window"`` or ``"level"``."""
    if isinstance(scale, str) and scale == "window":
        return WindowNorm("mean", n_targets)
    if isinstance(scale, str) and scale == "level":
        return WindowNorm("level", n_targets, last=season)
    return None


def _fit_global(model, rows, starts, window, horizon, norm, threshold, levels):
    """The clone of ``model.estimator`` trained on every series' windows
    (``rows``: the design inputs, outputs and their per-series scaling, None
    when they are scaled already; ``starts``: each series' window count and
    first design row; ``levels``: each series' mean absolute training target,
    the scale of its windows of zeros with ``norm``).

    Windows are ordered by recency within their series (the latest window of
    every series last), so that an estimator's early stopping, which validates
    on the last windows, validates on the latest part of every series.
    """
    estimator = clone_wrapped(model.estimator)
    inputs, outputs, scaling = rows
    n_windows, first_rows = starts
    n_values = int(n_windows.sum()) * window * inputs.shape[1]
    gap = purge_gap(estimator, window, horizon)
    if feeds_batches(estimator, model.feed, n_values, threshold):
        from ..windowing._panel_feeder import PanelBatches, RecencyIndex

        source = PanelBatches(
            inputs,
            outputs,
            RecencyIndex(n_windows, first_rows),
            window,
            horizon,
            batch_size=estimator.batch_size,
            sampling=model.sampling,
            window_scaling=norm,
            series_scaling=scaling,
            window_fallback=levels,
            purge=gap,
        )
        return estimator.fit_batches(source)
    starts, _ = recency_order(n_windows, first_rows)
    kept, held_out = purged_selection(estimator, starts, gap)
    if kept is not None:
        starts = starts[kept]
    series = series_of(starts, n_windows, first_rows)
    weights = series_weights(model.sampling, series, held_out)
    X = window_view(inputs, window)[starts]
    y = window_view(outputs, horizon)[starts + window]
    if norm is not None:
        X, y, _ = norm.apply(X, y, fallback=levels[series])
    # sampling="series": the window weights go where fit takes them (a
    # Pipeline's last step, or sklearn's metadata routing), as sample_weight does
    fit_kwargs = {} if weights is None else {weight_key(estimator): weights}
    if kept is None:
        return fit_on_3d(estimator, X, targets_for(estimator, y), **fit_kwargs)
    with holding_out(estimator, held_out, len(starts)):
        return fit_on_3d(estimator, X, targets_for(estimator, y), **fit_kwargs)


def is_panel(model):
    """Whether ``model`` was fitted on a panel (members are not)."""
    return getattr(model, "series_layout_", None) is not None


def forget(model):
    """Drop a previous panel fit's attributes (a refit on one series)."""
    names = "series_id_", "series_ids_", "series_state_", "series_layout_"
    for name in (*names, "static_encoder_", "window_scaling_"):
        if name in vars(model):
            delattr(model, name)
