"""How a fitted :class:`WindowedForecaster` forecasts the windows of a series.

Functions of the fitted forecaster (``model``), reading only its fitted
attributes: the columns of a series in model units (:func:`model_columns`), the
forecast of every window for scoring and backtests (:func:`window_forecasts`),
row mode's forecast of every row (:func:`predict_rows`), and the wrapped
estimator's predictions in chunks, target scaling undone
(:func:`forecast_windows`). The class keeps thin methods that call them.
"""

import numpy as np

from ..windowing import window_view
from . import _rows as row_mode
from ._columns import CallError, as_frame, check_future, fitted_columns
from ._design import design, in_series_scale
from ._index import check_index_kind, check_time_index
from ._transforms import lags_text, to_model_units

__all__ = [
    "forecast_inputs",
    "forecast_windows",
    "model_columns",
    "model_in_series_scale",
    "predict_rows",
    "row_blocks",
    "predict_windows",
    "series_windows",
    "window_forecasts",
]

# Windows per call of the wrapped estimator's predict in score and backtest.
PREDICT_CHUNK = 4096


def model_columns(model, frame, index, labeled):
    """``fitted_columns`` with the targets both as they are and as the network
    learns them (transformed and differenced, ``sum(difference_)`` rows
    fewer, as the covariates then are): ``((targets, model), past, future)``.
    """
    fitted = _fitted_names(model), model.by_label_, model.n_features_in_
    targets, past, future = fitted_columns(frame, index, labeled, *fitted)
    lags = model.difference_
    in_model_units = to_model_units(
        model.target_transform_, lags, targets, index, model.target_names_
    )
    return (targets, in_model_units), past[sum(lags) :], future[sum(lags) :]


def window_forecasts(model, X, min_windows=1, purpose="forecasting"):
    """``model.window_forecasts(X)``: the truths and forecasts of every window of
    ``X``, ``(n_windows, horizon, n_targets)`` each, with fewer than
    ``min_windows`` windows refused for ``purpose``."""
    windows = series_windows(model, X, min_windows, purpose)
    y_pred = forecast_windows(model, windows.windows)
    return windows.y_true, model._to_series_units(y_pred, windows.history)


def series_windows(model, X, min_windows=1, purpose="forecasting"):
    """The :class:`SeriesWindows` of ``X`` (fewer than ``min_windows`` refused
    for ``purpose``)."""
    frame, index, labeled = as_frame(X, "X")
    check_index_kind(index, _fitted_kind(model))
    check_time_index(index, "X", model.freq_, _fitted_step(model))
    window, horizon = model._n_history(), model.horizon_
    n_windows = len(frame) - window - horizon + 1
    if n_windows < min_windows:
        raise ValueError(
            f"X has {len(frame)} time steps; {purpose} needs at least window"
            f"{' + sum(difference)' if model.difference_ else ''} + "
            f"horizon{' + 1' if min_windows > 1 else ''} = "
            f"{window + horizon + min_windows - 1} (the first {window} are the "
            "history of the first forecast). In cross-validation, use "
            f"SeriesSplit with lookback >= {window} and test_size >= "
            f"{horizon + min_windows - 1}."
        )
    (targets, model_targets), past, future = model_columns(model, frame, index, labeled)
    inputs, _ = design(model_targets, past, future, model._scalers(), horizon)
    y_true = window_view(targets[window:], horizon)[:n_windows]
    windows = window_view(inputs, model.window_)[:n_windows]
    history = window_view(targets, window)[:n_windows]
    return SeriesWindows(y_true, windows, history)


class SeriesWindows:
    """The forecasts of every window of a series: the truths after each
    (``y_true``, ``(n_windows, horizon, n_targets)``, in series units), the
    model's inputs (``windows``, ``(n_windows, window, n_features)``) and the
    targets before each forecast (``history``, ``(n_windows, n_history,
    n_targets)``), as :class:`RowBlocks` holds row mode's."""

    def __init__(self, y_true, windows, history):
        self.y_true, self.windows, self.history = y_true, windows, history


def predict_windows(model, inputs, n_windows):
    """Forecasts in the series' units of the first ``n_windows`` windows."""
    return forecast_windows(model, window_view(inputs, model.window_)[:n_windows])


def check_truth(model, X, y):
    """Refuse a ``y`` that is not the fitted target columns of ``X``, row for
    row: ``predict(X)`` reads their history from ``X``, so a ``y`` scored
    against it must be those columns (``score(X, y)``, skseq's scorers)."""
    if getattr(model, "series_layout_", None) is not None:
        from ._panel_read import check_panel_truth

        return check_panel_truth(model, X, y)
    frame, index, labeled = as_frame(X, "X")
    names = _fitted_names(model)
    fitted = names, model.by_label_, model.n_features_in_
    targets = fitted_columns(frame, index, labeled, *fitted)[0]
    y_frame, y_index, y_labeled = as_frame(y, "y")
    row_mode.check_y(y_frame, y_index, y_labeled, targets, names[0], index, labeled)


def predict_rows(model, X):
    """Row mode's forecast of every row of ``X`` (see ``predict``)."""
    blocks = row_blocks(model, X)
    y_blocks = forecast_windows(model, blocks.windows)
    y_blocks = model._to_series_units(y_blocks, blocks.history)
    y_pred = row_mode.assemble(y_blocks, blocks.n_rows, model.horizon_)
    return model._format_forecast(y_pred, blocks.index)


class RowBlocks:
    """The forecasts row mode makes for the rows of ``X``: ``windows``
    ``(n_blocks, window, n_features)`` in model units, the targets before each
    (``history``, ``(n_blocks, n_history, n_targets)``), ``n_rows`` and
    ``X``'s ``index``."""

    def __init__(self, windows, history, n_rows, index):
        self.windows, self.history = windows, history
        self.n_rows, self.index = n_rows, index


def row_blocks(model, X):
    """The :class:`RowBlocks` of row mode on ``X`` (rows right after the series
    seen in ``fit``)."""
    frame, index, labeled = as_frame(X, "X")
    check_index_kind(index, _fitted_kind(model))
    check_time_index(index, "X", model.freq_, _fitted_step(model))
    row_mode.check_continues(index, model.next_label_)
    fitted = _fitted_names(model), model.by_label_, model.n_features_in_
    columns = fitted_columns(frame, index, labeled, *fitted)
    horizon, n_rows = model.horizon_, len(frame)
    if model.future_covariate_names_ and n_rows < horizon:
        raise ValueError(
            f"X has {n_rows} row(s): forecasting them reads the future "
            f"covariates of the next horizon={horizon} rows from X; pass at "
            f"least {horizon} rows (SeriesSplit(test_size >= {horizon}))."
        )
    targets, past, future = (
        np.concatenate(p) for p in zip(model.last_rows_, columns, strict=True)
    )
    lags = model.difference_
    model_targets = to_model_units(
        model.target_transform_,
        lags,
        targets,
        _kept_then(index, n_rows, targets),
        model.target_names_,
    )
    past, future = past[sum(lags) :], future[sum(lags) :]
    inputs, _ = design(model_targets, past, future, model._scalers(), horizon)
    origins = row_mode.block_origins(n_rows, horizon)
    windows = window_view(inputs, model.window_)[origins]
    history = window_view(targets, model._n_history())[origins]
    return RowBlocks(windows, history, n_rows, index)


def _kept_then(index, n_rows, targets):
    """Labels of the rows of row mode: the kept training rows (by position
    before ``X``), then ``X``'s own, to name a refused value where it is."""
    n_kept = len(targets) - n_rows
    kept = [f"training row {k - n_kept} (before X)" for k in range(n_kept)]
    return kept + list(index)


def forecast_windows(model, windows):
    """Forecasts of windows (n, window, n_features), target scaling undone."""
    n_windows = len(windows)
    chunks = []
    for start in range(0, n_windows, PREDICT_CHUNK):
        stop = min(start + PREDICT_CHUNK, n_windows)
        X = windows[start:stop]
        chunks.append(np.asarray(model.estimator_.predict(X), dtype=np.float64))
    return model_in_series_scale(model, np.concatenate(chunks))


def model_in_series_scale(model, y_pred):
    """Estimator outputs -> (n, horizon, n_targets), target scaling undone."""
    n_targets = len(model.target_names_)
    return in_series_scale(y_pred, model.target_scaler_, model.horizon_, n_targets)


def forecast_inputs(model, X, future):
    """The model inputs of the last window of ``X`` (plus the known future),
    its targets as in the series, and the forecast's dates."""
    frame, index, labeled = as_frame(X, "X")
    window = model._n_history()
    if len(frame) < window:
        raise ValueError(
            f"X has {len(frame)} time steps, fewer than window={model.window_}"
            f"{lags_text(model.difference_)}: a forecast needs {window} rows "
            "of history."
        )
    check_index_kind(index, _fitted_kind(model))
    future_index = model._future_index(index)
    frame = frame.iloc[-window:]
    index = None if index is None else index[-window:]
    (targets, model_targets), past, fut = model_columns(model, frame, index, labeled)
    if model.future_covariate_names_:
        names, by_label = model.future_covariate_names_, model.by_label_
        known = check_future(
            future, future_index, names, model.horizon_, by_label, index is not None
        )
        fut = np.concatenate([fut, known])
    elif future is not None:
        raise CallError(
            "future holds values of known-future covariates, but this "
            "WindowedForecaster has none (future_covariates=None)."
        )
    inputs, _ = design(model_targets, past, fut, model._scalers(), model.horizon_)
    return inputs, targets, future_index


def _fitted_step(model):
    """The step of the integer index seen in ``fit`` (None: another index, or a
    model unpickled from an older skseq)."""
    return getattr(model, "index_step_", None)


def _fitted_kind(model):
    """The kind of index seen in ``fit`` (None: none, or a model unpickled
    from an older skseq)."""
    return getattr(model, "index_kind_", None)


def _fitted_names(model):
    """The fitted target, past and future covariate columns (labels or positions)."""
    names = model.target_names_, model.past_covariate_names_
    return (*names, model.future_covariate_names_)
