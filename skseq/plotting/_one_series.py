"""One series of a panel, as :class:`ForecastDisplay` draws it.

A panel forecaster (fitted with ``series_id``) reads a panel -- a long
DataFrame whose ``series_id`` column names the series, a DataFrame with a
``(series, time)`` ``MultiIndex``, or a dict of series -- and forecasts in the
same layout. A plot shows one series: its rows, without the id, so that the
target's column is the one drawn (not the id's) and the history is that
series' own (duck typing on ``series_id_``: plotting imports no forecasting).
"""

from ..utils._scalars import python_scalars

__all__ = ["one_series"]


def one_series(estimator, values, name):
    """``values`` (a panel input or output) as the plain rows of its one series.

    Parameters
    ----------
    estimator : object
        The forecaster; a panel one has a fitted ``series_id_``.
    values : object
        Its input (``series``, ``actual``) or an output (forecast, bounds,
        quantiles). Anything that holds no panel layout is returned as is.
    name : str
        What errors call ``values``.

    Returns
    -------
    values : object
        The rows of the one series, without the id column or level.

    Raises
    ------
    ValueError
        If ``values`` holds several series of the panel.
    """
    series_id = getattr(estimator, "series_id_", None)
    if series_id is None:
        return values
    if isinstance(values, dict):
        _check_one(list(values), series_id, name)
        return next(iter(values.values()))
    index = getattr(values, "index", None)
    if index is not None and series_id in (index.names or []) and index.nlevels > 1:
        _check_one(index.get_level_values(series_id).unique(), series_id, name)
        return values.droplevel(series_id)
    columns = getattr(values, "columns", None)
    if columns is not None and series_id in columns:
        _check_one(values[series_id].unique(), series_id, name)
        return values.drop(columns=series_id)
    return values


def _check_one(ids, series_id, name):
    ids = [python_scalars(i) for i in ids]
    if len(ids) != 1:
        shown = ", ".join(repr(i) for i in ids[:5]) + (" ..." if len(ids) > 5 else "")
        raise ValueError(
            f"{name} holds {len(ids)} series of the panel ({series_id}: {shown}); "
            "a forecast plot draws one: pass that series' rows, e.g. "
            f"panel[panel[{series_id!r}] == id] (a long panel), "
            f"panel.xs(id, level={series_id!r}, drop_level=False) (a MultiIndex) "
            "or {id: panel[id]} (a dict)."
        )
