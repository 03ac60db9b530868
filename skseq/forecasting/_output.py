"""The forecast as pandas data: the labels after a series (dates, periods,
timedeltas or integers, as its index), and the Series or DataFrame on them
(arrays stay arrays)."""

from ._index import check_time_index, next_labels

__all__ = ["format_forecast", "future_index"]


def future_index(index, fitted_freq, horizon, fitted_step=None):
    """The labels of the ``horizon`` steps after a series, of its index's type.

    ``index`` is checked first (:func:`~skseq.forecasting._index.check_time_index`
    at ``fitted_freq``, the frequency seen in ``fit``); see
    :func:`~skseq.forecasting._index.next_labels` for what follows it, and
    ``fitted_step``, the step of an integer index seen in ``fit``.
    """
    freq = check_time_index(index, "X", fitted_freq, fitted_step)
    return next_labels(index, freq, horizon, fitted_step)


def format_forecast(y_pred, future_index, target_names):
    """(horizon, n_targets) -> Series/DataFrame on the future dates, or ndarray."""
    if future_index is None:
        return y_pred[:, 0] if y_pred.shape[1] == 1 else y_pred
    import pandas as pd

    if y_pred.shape[1] == 1:
        return pd.Series(y_pred[:, 0], index=future_index, name=target_names[0])
    return pd.DataFrame(y_pred, index=future_index, columns=target_names)
