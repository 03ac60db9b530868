"""Refuse a series forecaster where an estimator of windows is expected.

A :class:`WindowedForecaster` takes a whole series and cuts it into windows
itself; the estimators it wraps, and :class:`ConformalForecaster`'s, take the
windows. Nested the wrong way round, the windows reached a model of series
and failed with a message about array shapes.
"""

__all__ = ["refuse_series_forecaster"]

_MAX_DEPTH = 10  # wrappers followed: searches, pipelines, meta-estimators


def refuse_series_forecaster(estimator, owner):
    """Refuse ``estimator`` (or what it wraps) when it is a ``WindowedForecaster``.

    Parameters
    ----------
    estimator : object
        The ``estimator`` parameter of ``owner``. Wrappers are followed through
        their ``estimator`` parameter (a search, a ``ConformalForecaster``) and
        a ``Pipeline``'s last step.
    owner : {"ConformalForecaster", "WindowedForecaster"}
        The estimator whose parameter it is, for the message.

    Raises
    ------
    TypeError
        Naming the nesting to use instead.
    """
    from ._windowed import WindowedForecaster

    inner = _windowed_inside(estimator, WindowedForecaster)
    if inner is None:
        return
    head = type(inner.estimator).__name__
    if owner == "ConformalForecaster":
        raise TypeError(
            "ConformalForecaster wraps an estimator of windows, not a "
            "WindowedForecaster (which takes a whole series): nest them the other "
            f"way round, WindowedForecaster(ConformalForecaster({head}(...)), "
            "window=..., horizon=...), whose forecast_interval and "
            "predict_interval give the calibrated intervals of the series."
        )
    raise TypeError(
        "WindowedForecaster's estimator is itself a WindowedForecaster, which "
        "takes a whole series, not the windows cut from one: pass the estimator "
        f"it wraps, WindowedForecaster({head}(...), window=..., horizon=...)."
    )


def _windowed_inside(estimator, windowed):
    for _ in range(_MAX_DEPTH):
        if isinstance(estimator, windowed):
            return estimator
        steps = getattr(estimator, "steps", None)
        if isinstance(steps, list) and steps and isinstance(steps[-1], tuple):
            estimator = steps[-1][-1]
        elif hasattr(estimator, "get_params") and hasattr(estimator, "estimator"):
            estimator = estimator.estimator
        else:
            return None
    return None
