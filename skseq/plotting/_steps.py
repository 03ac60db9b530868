"""Labels of what a forecast plot draws at the forecast's steps: the truth,
bounds and quantiles must be those of the forecast's own steps, or they would be
drawn at steps they do not belong to."""

import numpy as np

__all__ = ["aligned", "check_steps"]


def aligned(actual, forecast):
    """The truth at the forecast's labels (dates, or integers other than the
    default ``0 ... h - 1``) when it has them, NaN (not drawn) at those it
    lacks, else as given: one value per forecast step, in order (so is a truth
    of ``h`` values on the default index)."""
    if _labels(actual) is None or _labels(forecast) is None:
        return actual
    if is_default(forecast.index):
        return actual
    missing = forecast.index.difference(actual.index)
    if not len(missing):
        return actual.loc[forecast.index]
    if is_default(actual.index) and len(actual) == len(forecast):
        return actual
    if len(missing) == len(forecast.index):
        raise ValueError(
            f"actual holds none of the forecast's dates {list(missing)[:5]}: "
            "pass the truth of the forecast's steps (the whole series, say)."
        )
    if not actual.index.is_unique:
        raise ValueError("actual repeats some of its dates: pass one value each.")
    # a truth with gaps, or not known yet for the last steps: drawn where it
    # is known (NaN is not drawn)
    return actual.reindex(forecast.index)


def check_steps(forecast, **others):
    """Refuse bounds or quantiles labelled with other steps than the forecast
    (another origin's): they would be drawn at the forecast's steps."""
    index = _labels(forecast)
    for name, values in others.items():
        other = _labels(values)
        if index is None or other is None or same_steps(other, index):
            continue
        labelled = not (is_default(other) or is_default(index))
        if len(other) == len(index) and labelled:
            raise ValueError(
                f"{name} is labelled {list(other[:2])}..., the forecast "
                f"{list(index[:2])}...: {name} of another forecast would be "
                "drawn at this one's steps. Pass those of the same forecast "
                "(forecast_interval or forecast_quantiles of the same series)."
            )


def same_steps(index, other):
    """Whether two indexes label the same steps: dates of the same instants
    in different time zones do (``Index.equals`` says they differ)."""
    zoned = all(getattr(i, "tz", None) is not None for i in (index, other))
    if zoned:
        index, other = index.tz_convert("UTC"), other.tz_convert("UTC")
    return bool(index.equals(other))


def is_default(index):
    return bool(np.array_equal(np.asarray(index), np.arange(len(index))))


def _labels(values):
    """The index of a pandas object, else None (a list's ``index`` is a method)."""
    return values.index if hasattr(values, "iloc") else None
