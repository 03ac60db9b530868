"""How ``WindowedForecaster.fit`` trains on one series (no ``series_id``).

The steps, in order: the column roles (:mod:`._columns`), the target transform
and the differences (:mod:`._transforms`; ``"auto"`` chooses them before the
window), the scalers and per-step design (:mod:`._design`), then the wrapped
estimator on the windows. Panels go through :mod:`._panel` instead.
"""

from ..utils._weights import check_sample_weight
from . import _panel as panel
from . import _rows as row_mode
from ._columns import labels, training_columns
from ._design import design, fit_estimator, fit_scalers
from ._index import (
    fitted_season,
    fitted_window,
    index_kind,
    index_step,
    n_step_features,
)
from ._transforms import (
    auto_difference,
    auto_lags_for,
    check_difference,
    check_target_transform,
    difference,
    to_model_units,
)

__all__ = ["fit_one_series"]


def fit_one_series(model, X, y, sample_weight, window, horizon, threshold):
    """``WindowedForecaster.fit`` on one series: set ``model``'s fitted
    attributes and return it. ``threshold`` is ``FEED_THRESHOLD``."""
    _refuse_panel_options(model, X)
    lags = auto_lags_for(model.estimator, check_difference(model.difference))
    transform = check_target_transform(model.target_transform)
    covariates = model.past_covariates, model.future_covariates
    frame, index, labeled, freq, roles, columns = training_columns(
        X, y, model.target, *covariates
    )
    targets, past, future = columns
    season = fitted_season(model.season, index)
    levels = to_model_units(
        transform, (), targets, index, labels(frame, roles[0]), fit=True
    )
    auto = lags == "auto"  # choose the lags first, then the window
    lags = auto_difference(levels, season) if auto else lags
    width = n_step_features(*(v.shape[1] for v in columns), horizon)
    window, n_windows = fitted_window(
        window, season, len(frame), horizon, lags, auto, n_features=width
    )
    _check_weight_index(sample_weight, index)
    step_weight = check_sample_weight(
        sample_weight, len(frame), unit="time step (row) of X"
    )
    # row mode forecasts from the fitted tail: kept raw, as X's rows come
    tail = tuple(v[-(window + sum(lags)) :] for v in (targets, past, future))
    model_targets = difference(levels, lags)
    past, future = past[sum(lags) :], future[sum(lags) :]
    if step_weight is not None:  # rows of the differenced series
        step_weight = step_weight[sum(lags) :]
    scalers = fit_scalers(model.scale, model_targets, past, future)
    inputs, outputs = design(model_targets, past, future, scalers, horizon)
    windows = inputs, outputs, window, horizon, step_weight
    estimator = fit_estimator(model.estimator, model.feed, threshold, *windows)

    # only now: a refit that fails leaves a panel fit whole, not half forgotten
    panel.forget(model)
    names = [list(frame.columns[c]) for c in roles]
    model.target_names_, model.past_covariate_names_ = names[0], names[1]
    model.future_covariate_names_ = names[2]
    model.by_label_ = labeled
    model.window_, model.horizon_ = window, horizon
    model.target_transform_, model.difference_ = transform, lags
    model.season_ = season
    model.target_scaler_, model.past_scaler_, model.future_scaler_ = scalers
    model.estimator_ = estimator
    model.n_features_in_ = frame.shape[1]
    model.n_windows_ = n_windows
    model.freq_ = freq
    model.index_step_ = index_step(index)
    model.index_kind_ = _fitted_index_kind(index)
    model.last_rows_ = tail
    model.train_targets_ = targets
    model.next_label_ = row_mode.next_label(index, freq)
    return model


def _refuse_panel_options(model, X):
    """Without ``series_id``: refuse a panel and the panel-only options."""
    if isinstance(X, dict):
        raise TypeError(
            "X is a dict of series, a panel: set series_id to the name the "
            "ids get in the forecasts, e.g. series_id='series'."
        )
    _refuse_repeated_dates(X)
    options = {
        "static_covariates": model.static_covariates is not None,
        "series_encoding": model.series_encoding is not None,
        "sampling": model.sampling != "window",
    }
    given = [name for name, is_set in options.items() if is_set]
    if given:
        raise ValueError(
            f"{', '.join(given)} describe the series of a panel; set series_id "
            "(the column or index level naming each row's series) to use them."
        )
    if isinstance(model.scale, str):
        raise ValueError(
            f"scale={model.scale!r} (each window normalized on its own) is for "
            "panels: set series_id. For one series use True or False."
        )


def _check_weight_index(sample_weight, index):
    """Refuse a pandas ``sample_weight`` indexed otherwise than ``X``.

    The weights pair with X's rows by position; ``y`` with another index is
    refused (:func:`._rows.check_y`), and weights indexed by other times
    (reversed, another year, a subset) would weigh the wrong rows without a
    word.
    """
    weight_index = getattr(sample_weight, "index", None)
    if index is None or weight_index is None or weight_index.equals(index):
        return
    raise ValueError(
        "sample_weight's index differs from X's: the weights pair with X's rows "
        "by position, so they would weigh other time steps than their labels "
        "say. Pass sample_weight.reindex(X.index) to match them by label, or "
        "sample_weight.to_numpy() if the order is meant."
    )


def _refuse_repeated_dates(X):
    """Refuse a frame whose dates mostly repeat, naming the panel first: several
    series stacked in one long table (averaging the rows of a date, the fix of
    one series' few duplicates, would mix them)."""
    import pandas as pd

    index = getattr(X, "index", None)
    if not isinstance(index, pd.DatetimeIndex | pd.PeriodIndex) or index.is_unique:
        return
    if 2 * index.nunique() > len(index):  # a few repeats: one series' own
        return
    duplicated = index[index.duplicated()]
    raise ValueError(
        f"X's index has {len(duplicated)} duplicate label(s), e.g. {duplicated[0]}. "
        "Several series stacked in one long table (a panel, their dates "
        "repeating)? Set series_id to the column naming each row's series, for "
        "one global model. One series with repeated rows: keep one row per time "
        "step, e.g. X.groupby(level=0).mean() or X[~X.index.duplicated()]."
    )


def _fitted_index_kind(index):
    """``index_kind`` of the series seen in ``fit``, None for pandas' default
    ``RangeIndex(n)``: no labels but positions, as an array's (a
    ``pd.Series(values)``), so that ``X`` of any kind may follow, as after an
    array; a ``RangeIndex`` that starts elsewhere, or years, are integers."""
    import pandas as pd

    if isinstance(index, pd.RangeIndex) and index.equals(pd.RangeIndex(len(index))):
        return None
    return index_kind(index)
