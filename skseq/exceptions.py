"""Warnings that skseq issues, as classes users can filter by.

Filter one with the standard library, e.g.
``warnings.simplefilter("ignore", UnderdeterminedWarning)``, or turn it into an
error with ``"error"``.
"""

__all__ = ["UnderdeterminedWarning"]


class UnderdeterminedWarning(UserWarning):
    """A closed-form fit had no more training samples than weights.

    The least-squares solution then reproduces every training window exactly
    (training error ~0), whatever the data, and its forecasts are as good as
    arbitrary. Issued by ``DenseForecaster`` when it solves least squares
    (``solver_ == "lstsq"``); fit on a shorter window or more data.

    Examples
    --------
    >>> import warnings
    >>> from skseq.exceptions import UnderdeterminedWarning
    >>> with warnings.catch_warnings():  # make it an error within the block
    ...     warnings.simplefilter("error", UnderdeterminedWarning)
    ...     issubclass(UnderdeterminedWarning, UserWarning)
    True
    """
