"""The per-step design of a series: scalers, network inputs and window weights.

After :mod:`._columns` has read the targets, past and future covariates of a
series (and :mod:`._transforms` has put the targets in model units), these
functions make what the wrapped estimator is trained on: one fitted scaler per
group of columns (:func:`fit_scalers`), the per-step inputs and targets
(:func:`design`; windows are views of these rows), the weights of the windows
(:func:`fit_weights`), and the way back from the estimator's scaled outputs
(:func:`in_series_scale`).
"""

import re
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import has_fit_parameter

from ..estimators._forecaster_base import BaseKerasForecaster
from ..estimators._held_out import held_out_count, holding_out, purge_gap
from ..estimators._targets import targets_for, wrapper_chain
from ..utils._validation import check_choice, check_int
from ..windowing import window_view
from ..windowing._windows import no_training_message, purge_mask, window_weights
from ._nesting import refuse_series_forecaster
from ._transforms import check_inverse

__all__ = [
    "check_design_params",
    "clone_wrapped",
    "design",
    "feeds_batches",
    "fit_estimator",
    "fit_on_windows",
    "fit_scalers",
    "fit_weights",
    "in_series_scale",
    "purged_selection",
    "trains_one_step",
    "weight_key",
]


def check_design_params(window, horizon, feed, estimator, scale):
    """``WindowedForecaster``'s ``window`` (an int or ``"auto"``) and
    ``horizon`` as checked ints, after checking ``feed``, ``estimator`` and
    ``scale``."""
    if not (isinstance(window, str) and window == "auto"):
        window = check_int(window, "window", min_value=1)
    horizon = check_int(horizon, "horizon", min_value=1)
    check_choice(feed, "feed", ("auto", "arrays", "batches"))
    if not (hasattr(estimator, "fit") and hasattr(estimator, "predict")):
        raise TypeError(
            f"estimator must be a regressor with fit and predict; got {estimator!r}."
        )
    refuse_series_forecaster(estimator, "WindowedForecaster")
    if isinstance(scale, str):
        if scale not in ("window", "level"):
            raise TypeError(
                "scale must be True, False, 'window' or 'level' (panels) or a "
                f"transformer with inverse_transform; got {scale!r}."
            )
        return window, horizon  # panels only: WindowedForecaster.fit checks
    if not isinstance(scale, bool) and not hasattr(scale, "inverse_transform"):
        raise TypeError(
            "scale must be True, False, 'window' (panels) or a transformer with "
            f"inverse_transform; got {scale!r}."
        )
    return window, horizon


def fit_scalers(scale, *columns):
    """One fitted scaler per group of columns (targets, past, future).

    ``scale`` is ``WindowedForecaster``'s parameter: True (a ``StandardScaler``),
    False (no scaling: None for every group) or a transformer, cloned per group.
    """
    if scale is False:
        return (None,) * len(columns)
    scaler = StandardScaler() if scale is True else scale
    scalers = tuple(
        clone(scaler).fit(values) if values.shape[1] else None for values in columns
    )
    if scale is not True:  # only the targets' scaler is ever inverted
        _check_keeps_targets(scalers[0], columns[0])
        check_inverse(scalers[0], columns[0], "scale")
    return scalers


def _check_keeps_targets(scaler, targets):
    """Refuse a ``scale`` transformer that changes the number of target
    columns: the network's outputs, ``horizon`` steps of ``n_targets`` each,
    are cut into steps by that number, so steps would be read as targets."""
    if scaler is None:
        return
    n_out = np.asarray(scaler.transform(targets[:1])).reshape(1, -1).shape[1]
    if n_out != targets.shape[1]:
        raise ValueError(
            f"scale={type(scaler).__name__}(...) turns the {targets.shape[1]} "
            f"target column(s) into {n_out}: a scale transformer must keep one "
            "column per target (a scaler such as StandardScaler or "
            "MinMaxScaler), as forecasts are read back per target."
        )


def design(targets, past, future, scalers, horizon):
    """Per-step network inputs and (scaled) targets of a series, in float64.

    Row ``s`` of the inputs is ``[targets[s], past[s], future[s + 1], ...,
    future[s + horizon]]``; with future covariates there are ``horizon`` fewer
    input rows than ``future`` has. Values stay float64 (a wrapped Keras model
    casts them itself), so an exact estimator returns exact values.
    """
    targets, past, future = (
        values if scaler is None else scaler.transform(values)
        for values, scaler in zip((targets, past, future), scalers, strict=True)
    )
    parts = [targets, past]
    if future.shape[1]:
        n_rows = len(future) - horizon
        ahead = window_view(future[1:], horizon)[:n_rows]
        parts = [part[:n_rows] for part in parts]
        parts.append(ahead.reshape(n_rows, -1))
    inputs = np.concatenate(parts, axis=1).astype(np.float64, copy=False)
    return inputs, np.asarray(targets, dtype=np.float64)


def fit_weights(estimator, step_weight, window, horizon, n_windows):
    """``fit``'s keyword for the window weights: each window gets the mean weight
    of the ``horizon`` steps it forecasts; with ``strategy="recursive"``, which
    trains on the first of them only, the weight of that step (a step of
    weight 0 is then never a training target)."""
    if step_weight is None:
        return {}
    key = weight_key(estimator)
    trained = 1 if trains_one_step(estimator) else horizon
    weights = window_weights(step_weight, window, trained, n_windows)
    if not weights.any():
        raise ValueError(
            "sample_weight is zero on every step a window forecasts (the rows "
            f"after the first window={window}): no window would be trained on."
        )
    return {key: weights}


def trains_one_step(estimator):
    """Whether the forecaster inside ``estimator`` (through Pipelines, searches
    and ``TransformedTargetRegressor``) trains on the first step only
    (``strategy="recursive"``)."""
    return getattr(wrapper_chain(estimator)[-1], "strategy", None) == "recursive"


def weight_key(estimator):
    """The keyword of ``estimator.fit`` for the window weights: ``sample_weight``
    when its fit takes it or sklearn's metadata routing is on (sklearn then
    routes it to the steps that request it); ``<last step>__sample_weight`` for
    a Pipeline whose last step takes it, with routing off."""
    import sklearn
    from sklearn.pipeline import Pipeline

    from ._conformal import ConformalForecaster

    if isinstance(estimator, ConformalForecaster):
        raise TypeError(_conformal_weights_refusal(estimator))
    if _request_refuses_weights(estimator):
        raise TypeError(
            f"sample_weight was given, but {type(estimator).__name__} requests "
            "sample_weight=False in fit (set_fit_request), so the weights would "
            "be ignored. Request them with set_fit_request(sample_weight=True), "
            "or fit without sample_weight."
        )
    if has_fit_parameter(estimator, "sample_weight"):
        return "sample_weight"
    if sklearn.get_config()["enable_metadata_routing"] and hasattr(
        estimator, "get_metadata_routing"
    ):
        return "sample_weight"
    if isinstance(estimator, Pipeline) and estimator.steps:
        name, last = estimator.steps[-1]
        if last not in (None, "passthrough") and has_fit_parameter(
            last, "sample_weight"
        ):
            return f"{name}__sample_weight"
    raise TypeError(
        f"sample_weight was given, but {type(estimator).__name__}.fit takes no "
        "sample_weight. Wrap an estimator whose fit accepts it (every "
        "Keras-backed skseq forecaster does; a Pipeline whose last step does). "
        "For a meta-estimator that routes metadata, enable sklearn's metadata "
        "routing: sklearn.set_config(enable_metadata_routing=True) (or fit within "
        "sklearn.config_context(enable_metadata_routing=True)), and request the "
        "weights from the step that takes them, e.g. "
        "Ridge().set_fit_request(sample_weight=True)."
    )


def _request_refuses_weights(estimator):
    """Whether metadata routing is on and ``estimator`` (a consumer, not a router
    such as a Pipeline) requests ``sample_weight=False`` in ``fit``."""
    import sklearn

    routing = getattr(estimator, "get_metadata_routing", None)
    if not sklearn.get_config()["enable_metadata_routing"] or routing is None:
        return False
    requests = getattr(getattr(routing(), "fit", None), "requests", {})
    return requests.get("sample_weight") is False


def _conformal_weights_refusal(conformal):
    inner = f"{type(conformal.estimator).__name__}(...)"
    return (
        "sample_weight was given, but ConformalForecaster.fit takes no "
        f"sample_weight: it fits a clone of {inner} on the earlier windows and "
        "calibrates its intervals on the unweighted residuals of the latest "
        "ones, for which split conformal's coverage holds. Either drop "
        "sample_weight, or weight the training by fitting the inner estimator "
        f"yourself: WindowedForecaster({inner}, window=...).fit(series, "
        "sample_weight=...) (point forecasts, without calibrated intervals). "
        "A panel's sampling='series' gives such weights (1 / the windows of "
        "each series): use sampling='window' with ConformalForecaster."
    )


def in_series_scale(y_pred, target_scaler, horizon, n_targets):
    """Estimator outputs -> (n, horizon, n_targets), target scaling undone."""
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1, n_targets)
    if target_scaler is not None:
        y_pred = target_scaler.inverse_transform(y_pred)
    return y_pred.reshape(-1, horizon, n_targets)


def fit_on_windows(
    estimator, inputs, outputs, window, horizon, n_windows, weights, *, batches
):
    """Fit ``estimator`` on the windows of the design rows ``inputs`` and
    ``outputs``: all at once as read-only views, or, with ``batches``, batch by
    batch through a :class:`~skseq.windowing._feeder.WindowBatches` (a Keras
    forecaster's public ``fit_batches``), so that memory does not grow with
    ``window x n_windows``."""
    gap = purge_gap(estimator, window, horizon)
    if batches:
        from ..windowing._feeder import WindowBatches

        source = WindowBatches(
            inputs,
            outputs,
            window,
            horizon,
            batch_size=estimator.batch_size,
            sample_weight=weights.get("sample_weight"),
            purge=gap,
        )
        return estimator.fit_batches(source)
    X = window_view(inputs, window)[:n_windows]
    y = window_view(outputs[window:], horizon)[:n_windows]
    weight = next(iter(weights.values()), None)
    starts = np.arange(n_windows) if weight is None else np.flatnonzero(weight)
    kept, held = purged_selection(estimator, starts, gap)
    if kept is None:
        return fit_on_3d(estimator, X, targets_for(estimator, y), **weights)
    rows = starts[kept]
    weights = {key: value[rows] for key, value in weights.items()}
    with holding_out(estimator, held, len(rows)):
        return fit_on_3d(estimator, X[rows], targets_for(estimator, y[rows]), **weights)


def purged_selection(estimator, starts, gap):
    """The windows ``estimator`` trains and validates on: ``(kept, n_held_out)``.

    ``starts`` are the first rows of the windows of nonzero weight in the
    order ``fit`` gets them, the validation windows last (the latest of each
    series). ``kept`` indexes ``starts``: the training windows that share no
    target row with a held-out window
    (:func:`~skseq.windowing._windows.purge_mask`), then the held-out ones;
    None when nothing is purged (no early stopping, ``gap`` 0, or a split the
    estimator refuses itself). ``n_held_out``: :func:`held_out_count`.

    Raises
    ------
    ValueError
        When the purge leaves no training window.
    """
    held = held_out_count(estimator, len(starts))
    if not gap or not held or held >= len(starts):
        return None, held
    train = np.flatnonzero(purge_mask(starts[:-held], starts[-held:], gap))
    if not len(train):
        raise ValueError(no_training_message(len(starts), held, gap))
    validation = np.arange(len(starts) - held, len(starts))
    return np.concatenate([train, validation]), held


def fit_on_3d(estimator, X, y, **fit_kwargs):
    """``estimator.fit`` on 3D windows ``X``, with the fix named when a
    tabular estimator refuses them (sklearn's own message says only "dim 3")."""
    try:
        return estimator.fit(X, y, **fit_kwargs)
    except ValueError as error:
        if "Found array with dim 3" not in str(error):
            raise
        refusing = re.search(r"required by (\w+)", str(error))
        name = refusing.group(1) if refusing else type(estimator).__name__
        raise ValueError(
            f"{name} takes 2D X, but WindowedForecaster gives the estimator it "
            f"wraps 3D windows, (n_windows, window, n_features) = {X.shape}. "
            f"Flatten them first: make_pipeline(FlattenSequence(), {name}(...)) "
            "(from skseq import FlattenSequence), or wrap a skseq forecaster, "
            "which takes 3D X."
        ) from error


def feeds_batches(estimator, feed, n_values, threshold):
    """Whether ``estimator`` gets its windows batch by batch: a Keras-backed
    skseq forecaster with ``feed="batches"``, or with ``feed="auto"`` above
    ``threshold`` input values; ``feed="batches"`` for any other estimator is
    refused."""
    batches = isinstance(estimator, BaseKerasForecaster) and (
        feed == "batches" or (feed == "auto" and n_values > threshold)
    )
    if feed == "batches" and not batches:
        raise ValueError(
            "feed='batches' needs a Keras-backed skseq forecaster; "
            f"{type(estimator).__name__} takes arrays."
        )
    return batches


def fit_estimator(
    estimator, feed, threshold, inputs, outputs, window, horizon, step_weight=None
):
    """A clone of ``estimator`` fitted on the windows of the design rows.

    ``feed`` and ``threshold`` are ``WindowedForecaster``'s ``feed`` and
    ``FEED_THRESHOLD``: a Keras-backed skseq forecaster gets its windows batch
    by batch with ``feed="batches"``, or with ``feed="auto"`` above
    ``threshold`` input values; every other estimator gets arrays.
    """
    estimator = clone_wrapped(estimator)
    n_windows = len(outputs) - window - horizon + 1
    weights = fit_weights(estimator, step_weight, window, horizon, n_windows)
    n_values = n_windows * window * inputs.shape[1]
    batches = feeds_batches(estimator, feed, n_values, threshold)
    windows = (inputs, outputs, window, horizon, n_windows)
    return fit_on_windows(estimator, *windows, weights, batches=batches)


def clone_wrapped(estimator):
    """The fresh clone of the wrapped ``estimator`` that ``fit`` trains; its
    ``warm_start=True`` is warned about, as it has no effect there."""
    if getattr(estimator, "warm_start", False) is True:
        warnings.warn(
            f"{type(estimator).__name__}(warm_start=True) has no effect inside "
            "WindowedForecaster: every fit trains a fresh clone from scratch. "
            "To train longer, raise epochs; to continue a network, fit the "
            "estimator on windows yourself (make_windows).",
            UserWarning,
            stacklevel=4,
        )
    return clone(estimator)
