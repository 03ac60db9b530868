"""The forecast as pandas data: the dates after a series, and the Series or
DataFrame on them (arrays stay arrays)."""

from ._index import check_time_index

__all__ = ["format_forecast", "future_index"]


def future_index(index, fitted_freq, horizon):
    """The ``horizon`` dates after a ``DatetimeIndex``, or None.

    ``fitted_freq`` is the frequency seen in ``fit``, which ``index`` must have.
    """
    import pandas as pd

    freq = check_time_index(index, "X", fitted_freq)
    if not isinstance(index, pd.DatetimeIndex):
        return None
    if freq is None:
        raise ValueError(
            "Cannot tell the dates of the forecast: X's DatetimeIndex has no "
            "frequency and none can be inferred; set one, e.g. X.asfreq('D')."
        )
    start = index[-1] + freq
    return pd.date_range(start, periods=horizon, freq=freq, name=index.name)


def format_forecast(y_pred, future_index, target_names):
    """(horizon, n_targets) -> Series/DataFrame on the future dates, or ndarray."""
    if future_index is None:
        return y_pred[:, 0] if y_pred.shape[1] == 1 else y_pred
    import pandas as pd

    if y_pred.shape[1] == 1:
        return pd.Series(y_pred[:, 0], index=future_index, name=target_names[0])
    return pd.DataFrame(y_pred, index=future_index, columns=target_names)
