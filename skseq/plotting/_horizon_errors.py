"""The bar chart of errors per step ahead, as ``backtest`` returns them."""

from collections.abc import Mapping

import numpy as np

from ._plots import _axes, _outside_legend, _readable_counts

__all__ = ["plot_horizon_errors"]


def plot_horizon_errors(errors, *, ax=None, ylabel="MAE"):
    """Bar chart of the error at each step ahead, as :func:`~skseq.forecasting.backtest`
    returns it.

    Parameters
    ----------
    errors : pandas.DataFrame of shape (horizon, n_columns), pandas.Series or dict
        A DataFrame indexed by the step ahead (``1 ... horizon``) with one column per
        target (``backtest``'s first result), or a dict ``{label: errors}`` of
        one-column DataFrames or Series to compare models side by side. Errors
        without that index (a list, an array, the default ``0 ... n - 1`` index)
        are one per step ahead in order, labelled ``+1 ... +n``. A row
        ``"all"`` (``backtest``'s mean over the steps ahead, with ``scoring``)
        is left out: it is no step ahead. Scores of ``"neg_"`` scorers are
        negated errors: pass ``-scores`` (negative ones are refused).
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when ``None``.
    ylabel : str, default="MAE"
        Label of the y axis (the metric passed to ``backtest``).

    Returns
    -------
    ax : matplotlib.axes.Axes
        One group of bars per step ahead, one bar (container) per column.

    Examples
    --------
    >>> import pandas as pd
    >>> from skseq.plotting import plot_horizon_errors
    >>> errors = pd.DataFrame({"rail": [1.0, 1.5, 2.0]}, index=[1, 2, 3])
    >>> ax = plot_horizon_errors(errors)
    >>> [float(bar.get_height()) for bar in ax.containers[0]]
    [1.0, 1.5, 2.0]
    """
    import pandas as pd

    if isinstance(errors, Mapping):
        columns = {}
        for label, values in errors.items():
            # each model's steps from 1 before they are aligned: a list next
            # to backtest's 1 ... horizon would sit one step ahead of it
            frame = _steps_ahead_from_one(_steps_only(values, label))
            if frame.shape[1] != 1:
                raise ValueError(
                    f"errors[{label!r}] has {frame.shape[1]} columns; a dict of "
                    "models needs one column each."
                )
            columns[label] = frame.iloc[:, 0]
        frame = pd.DataFrame(columns)
    else:
        frame = _steps_only(errors, None)
    if frame.empty:
        raise ValueError("errors is empty.")
    frame = _steps_ahead_from_one(frame)
    ax = _axes(ax)
    steps = np.arange(len(frame))
    n_columns = frame.shape[1]
    width = 0.8 / n_columns
    for j, (name, values) in enumerate(frame.items()):
        offset = (j - (n_columns - 1) / 2) * width
        ax.bar(steps + offset, values.to_numpy(dtype=float), width, label=str(name))
    shown = slice(None, None, -(-len(frame) // 14))  # at most 14 labels, apart
    ax.set_xticks(steps[shown], [f"+{step}" for step in frame.index[shown]])
    ax.set_xlabel("steps ahead")
    ax.set_ylabel(ylabel)
    _readable_counts(ax.yaxis)
    if n_columns > 1 or frame.columns[0] not in (0, None):
        _outside_legend(ax)
    ax.grid(True, axis="y", alpha=0.3)
    return ax


def _steps_ahead_from_one(frame):
    """Errors without ``backtest``'s ``1 ... horizon`` index, renumbered from 1.

    A list, an array or a pandas object with the default ``0 ... n - 1`` index
    holds one error per step ahead in order; the first one is "+1", not "+0".
    """
    import pandas as pd

    index = frame.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        frame = frame.set_axis(pd.RangeIndex(1, len(frame) + 1, name="step"))
    return frame


def _steps_only(errors, label):
    """``errors`` as a DataFrame of the steps ahead: without ``backtest``'s
    ``"all"`` row (their mean), and refused when they hold negated errors."""
    import pandas as pd

    frame = pd.DataFrame(errors)
    if "all" in frame.index:
        frame = frame.drop(index="all")
    for name, values in frame.items():  # a named Series' column is its name
        negative = values.to_numpy(dtype=float) < 0
        if str(name).startswith("neg_") and negative.any():
            where = "errors" if label is None else f"errors[{label!r}]"
            raise ValueError(
                f"{where} holds the scores of {name!r}: negated errors, drawn "
                f"as negative bars. Pass -scores[{name!r}] to draw the errors."
            )
    return frame
