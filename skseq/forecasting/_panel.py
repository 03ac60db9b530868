"""Global models: one ``WindowedForecaster`` trained on every series of a panel.

With ``series_id`` set, :class:`WindowedForecaster` reads a panel (see
:mod:`skseq.windowing._panel`) and prepares each series exactly as it prepares
one series -- its own target transform, differences and scalers, fitted on its
own rows -- then trains *one* wrapped estimator on the windows of every series.
Windows never cross from one series into the next: the per-step design rows of
all series are concatenated, and only the window starts that lie inside one
series are used (views of the concatenation, or batches cut from it).

Afterwards each series is forecast by a *member*: a shallow copy of the panel
model carrying that series' fitted state, so that the single-series functions
(:mod:`._prediction`) serve panels unchanged. Static covariates and the one-hot
series id, constant within a series, are appended to every time step's inputs
by the member's estimator adapter (:class:`StaticInputs`).
"""

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

from ..estimators._forecaster_base import targets_for
from ..utils._validation import check_choice
from ..windowing import window_view
from ..windowing._panel import WindowNorm
from ._columns import column_values
from ._design import design, feeds_batches, fit_scalers, weight_key
from ._index import auto_window, fitted_season
from ._panel_read import (
    panel_columns,
    read_panel,
    series_name,
)
from ._panel_static import encode_static, fit_static
from ._rows import next_label as row_next_label
from ._transforms import (
    auto_difference,
    check_difference,
    check_target_transform,
    difference,
    lags_text,
    to_model_units,
)

__all__ = [
    "SeriesState",
    "StaticInputs",
    "fit_panel",
    "fit_series",
    "forget",
    "is_panel",
    "prepare_series",
]


@dataclass
class SeriesState:
    """What a panel model learned about one series.

    Attributes
    ----------
    transform : transformer or None
        The series' fitted target transform.
    lags : tuple of int
        Its differences.
    target_scaler, past_scaler : transformer or None
        Its scalers, fitted on its training rows.
    static : ndarray of shape (n_static_inputs,)
        Its constant inputs (static covariates, one-hot id), scaled.
    last_rows : tuple of ndarray
        Its last ``window + sum(lags)`` training rows (targets, past, future).
    train_targets : ndarray of shape (n_steps, n_targets)
        Its training targets, for MASE's scale.
    next_label : label or None
        The time label after its training rows.
    n_windows : int
        Its training windows (0: too short, left out of training).
    """

    transform: object
    lags: tuple
    target_scaler: object
    past_scaler: object
    static: np.ndarray
    last_rows: tuple
    train_targets: np.ndarray
    next_label: object
    n_windows: int


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
    """

    def __init__(self, estimator, static, norm=None):
        self.estimator = estimator
        self.static = np.asarray(static, dtype=np.float64)
        self.norm = norm

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
        X, _, stats = self.norm.apply(X)
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

    def _back_each(self, values, stats):
        """``_back`` of every entry of the last axis (levels or samples)."""
        if stats is None:
            return values
        parts = [self._back(values[..., j], stats) for j in range(values.shape[-1])]
        return np.stack(parts, axis=-1)

    def __getattr__(self, name):  # e.g. hasattr(member.estimator_, "predict_interval")
        if name in ("estimator", "static", "norm"):
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
    season = fitted_season(model.season, panel["frames"][0].index)
    lags = check_difference(model.difference)
    template = check_target_transform(model.target_transform)
    values = panel_columns(panel)
    prepared = [
        prepare_series(
            frame, series_id, *panel["columns"], template, lags, season, values=v
        )
        for frame, series_id, v in zip(
            panel["frames"], panel["ids"], values, strict=True
        )
    ]
    window = _panel_window(window, season, [p["n_rows"] for p in prepared], horizon)
    future_scaler = _future_scaler(model.scale, [p["columns"][2] for p in prepared])
    static_table, static_encoder = fit_static(
        model, panel["rows"].frame, panel["positions"], panel["static"], panel["ids"]
    )
    static_rows = encode_static(static_encoder, static_table, panel["ids"])
    design = window, horizon, future_scaler, panel["freq"]
    states, inputs, outputs, starts = _design_panel(
        model, prepared, static_rows, panel["ids"], lags, *design
    )
    names = panel["columns"][1]
    norm = _window_norm(model.scale, len(names[0]), season)
    # the per-series frames and copies are not needed while the network trains
    # (the states keep what forecasts need): free them first, so that the peak
    # memory of a large panel is the panel, the design rows and the batches
    del prepared, values, panel["frames"]
    shape = window, horizon, norm, threshold
    estimator = _fit_global(model, inputs, outputs, starts, *shape)
    model.series_id_ = model.series_id
    model.series_ids_ = panel["ids"]
    model.series_state_ = states
    model.series_layout_ = (panel["rows"].layout, panel["rows"].id_name)
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
    model.n_windows_ = int(sum(len(s) for s in starts))
    model.freq_ = panel["freq"]
    model.predicts_rows_ = y is not None
    model.last_rows_ = None
    model.train_targets_ = {
        i: state.train_targets for i, state in zip(panel["ids"], states, strict=True)
    }
    model.next_label_ = None
    return model


def _design_panel(model, prepared, static_rows, ids, lags, *design):
    """Every series' fitted state and the training rows of the panel.

    Returns ``states`` (one per series), the design ``inputs`` and ``outputs``
    of the series with training windows, concatenated, and ``starts``: per
    such series, the starts of its windows in the concatenation.
    """
    window, horizon, future_scaler, freq = design
    states, inputs, outputs, starts, too_short = [], [], [], [], []
    offset = 0
    for series_id, prep, static in zip(ids, prepared, static_rows, strict=True):
        state, series_inputs, series_outputs = fit_series(
            prep, model.scale, future_scaler, window, horizon, static, freq
        )
        states.append(state)
        if state.n_windows < 1:
            too_short.append(series_id)
            continue
        inputs.append(series_inputs)
        outputs.append(series_outputs)
        starts.append(offset + np.arange(state.n_windows))
        offset += len(series_inputs)
    _warn_too_short(too_short, len(ids), window, horizon)
    if not inputs:
        raise ValueError(
            f"No series of the panel is long enough for one training window: "
            f"each needs window={window} + horizon={horizon}"
            f"{lags_text(lags) if lags != 'auto' else ' + its differences'} rows."
        )
    return states, np.concatenate(inputs), np.concatenate(outputs), starts


def prepare_series(
    frame, series_id, roles, names, columns, template, lags, season, values=None
):
    """One series' columns (``values``, when read already), fitted target
    transform and differences."""
    name = series_name(series_id)
    index = frame.index
    if values is None:
        data = frame[columns] if list(frame.columns) != list(columns) else frame
        values = tuple(column_values(data, cols, index, name) for cols in roles)
    transform = None if template is None else clone(template)
    try:
        levels = to_model_units(transform, (), values[0], index, names[0], fit=True)
        chosen = auto_difference(levels, season) if lags == "auto" else lags
    except ValueError as error:
        raise ValueError(f"{name} of the panel: {error}") from None
    return {
        "columns": values,
        "levels": levels,
        "transform": transform,
        "lags": chosen,
        "index": index,
        "n_rows": len(frame),
    }


def _panel_window(window, season, lengths, horizon):
    """``window_`` of a panel: ``window="auto"`` follows the single-series rule
    (twice a yearly season, else 56) capped for the median series length."""
    if not isinstance(window, str):
        return window
    return auto_window(season, int(np.median(lengths)), horizon)


def _future_scaler(scale, futures):
    """One scaler of the future covariates for the whole panel (calendars are
    shared), fitted on every series' rows."""
    if scale is False or not futures[0].shape[1]:
        return None
    scaler = (
        StandardScaler() if scale is True or isinstance(scale, str) else clone(scale)
    )
    return scaler.fit(np.concatenate(futures))


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


class Standardizer:
    """``StandardScaler`` of one series of a panel, lean: a panel holds one per
    series, fitted and applied hundreds of thousands of times."""

    __slots__ = ("mean_", "scale_")

    def fit(self, values):
        values = np.asarray(values, dtype=np.float64)
        self.mean_ = values.mean(axis=0)
        scale = values.std(axis=0)
        # as sklearn's _handle_zeros_in_scale: a constant column is not divided
        scale[scale < 10 * np.finfo(scale.dtype).eps] = 1.0
        self.scale_ = scale
        return self

    def transform(self, values):
        return (np.asarray(values, dtype=np.float64) - self.mean_) / self.scale_

    def inverse_transform(self, values):
        return np.asarray(values, dtype=np.float64) * self.scale_ + self.mean_


def _warn_too_short(too_short, n_series, window, horizon):
    if not too_short:
        return
    shown = ", ".join(repr(i) for i in too_short[:10])
    more = f" and {len(too_short) - 10} more" if len(too_short) > 10 else ""
    warnings.warn(
        f"{len(too_short)} of {n_series} series are too short for one training "
        f"window (window={window} + horizon={horizon} rows, plus their "
        f"differences) and were left out of training: {shown}{more}. They are "
        "still forecast when they have at least window (+ differences) rows.",
        UserWarning,
        stacklevel=4,
    )


def _panel_lags(lags, states, ids):
    """``difference_`` of a panel: the lags, or with ``difference='auto'`` a dict
    of each series' lags."""
    if lags != "auto":
        return lags
    return {i: s.lags for i, s in zip(ids, states, strict=True)}


def _window_norm(scale, n_targets, season):
    """The per-window normalization of ``scale="window"`` or ``"level"``."""
    if isinstance(scale, str) and scale == "window":
        return WindowNorm("mean", n_targets)
    if isinstance(scale, str) and scale == "level":
        return WindowNorm("level", n_targets, last=season)
    return None


def _fit_global(model, inputs, outputs, starts, window, horizon, norm, threshold):
    """The clone of ``model.estimator`` trained on every series' windows.

    Windows are ordered by recency within their series (the latest window of
    every series last), so that an estimator's early stopping, which validates
    on the last windows, validates on the latest part of every series.
    """
    estimator = clone(model.estimator)
    starts, recency = _recency_order(starts)
    weights = _series_weights(model.sampling, starts, recency)
    n_values = len(starts) * window * inputs.shape[1]
    if feeds_batches(estimator, model.feed, n_values, threshold):
        from ..windowing._feeder import WindowBatches

        per_start = None
        if weights is not None:
            per_start = np.zeros(len(inputs) - window - horizon + 1)
            per_start[starts] = weights
        source = WindowBatches(
            inputs,
            outputs,
            window,
            horizon,
            batch_size=estimator.batch_size,
            starts=starts,
            sample_weight=per_start,
            split_order=recency,
            window_scaling=norm,
        )
        return estimator.fit_batches(source)
    X = window_view(inputs, window)[starts]
    y = window_view(outputs, horizon)[starts + window]
    if norm is not None:
        X, y, _ = norm.apply(X, y)
    # sampling="series": the window weights go where fit takes them (a
    # Pipeline's last step, or sklearn's metadata routing), as sample_weight does
    fit_kwargs = {} if weights is None else {weight_key(estimator): weights}
    return estimator.fit(X, targets_for(estimator, y), **fit_kwargs)


def _recency_order(starts):
    """Window starts of every series, oldest first across series: sorted by
    distance from their series' last window (descending), stably."""
    distance = np.concatenate([len(s) - 1 - np.arange(len(s)) for s in starts])
    flat = np.concatenate(starts)
    order = np.argsort(-distance, kind="stable")
    return flat[order], -distance[order]


def _series_weights(sampling, starts, recency):
    """``sampling='series'``: each window weighted by 1 / its series' window
    count (mean weight 1), so every series counts the same; else None."""
    if sampling == "window":
        return None
    # windows of one series share their series: recover it from the starts'
    # contiguous runs in the concatenation
    order = np.argsort(starts, kind="stable")
    sorted_starts = starts[order]
    run = np.concatenate([[0], np.cumsum(np.diff(sorted_starts) != 1)])
    counts = np.bincount(run)
    weights = np.empty(len(starts))
    weights[order] = 1.0 / counts[run]
    return weights * len(starts) / weights.sum()


def is_panel(model):
    """Whether ``model`` was fitted on a panel (members are not)."""
    return getattr(model, "series_layout_", None) is not None


def forget(model):
    """Drop a previous panel fit's attributes (a refit on one series)."""
    names = "series_id_", "series_ids_", "series_state_", "series_layout_"
    for name in (*names, "static_encoder_", "window_scaling_"):
        if name in vars(model):
            delattr(model, name)
