"""One comparison of column labels with those seen in ``fit``.

Columns are read by position (as time steps or as features), so the labels of
``fit`` in another order would feed a network its inputs swapped, a wrong
answer without a word: refused. Other labels (later dates, renamed columns) may
be meant, so they get a warning at most.
"""

import warnings

__all__ = ["check_label_order", "shown_labels"]


def shown_labels(labels, count=5):
    """The first ``count`` labels as a short list for a message."""
    labels = list(labels)
    shown = ", ".join(repr(label) for label in labels[:count])
    return f"[{shown}{', ...' if len(labels) > count else ''}]"


def check_label_order(seen, fitted, *, reordered, renamed=None, stacklevel=3):
    """Compare the labels ``seen`` now with those ``fitted`` (lists of str).

    Parameters
    ----------
    seen, fitted : list of str
        The labels of the input now, and those stored in ``fit``.
    reordered : str
        The ``ValueError`` message when ``seen`` holds ``fitted`` in another
        order. ``{seen}`` and ``{fitted}`` are replaced by the first labels.
    renamed : str or None, default=None
        The ``UserWarning`` message when the labels differ otherwise (same
        placeholders); None says nothing.
    stacklevel : int, default=3
        Where the warning points, counted from the caller of this function.
    """
    if seen == fitted:
        return
    shown = {"seen": shown_labels(seen), "fitted": shown_labels(fitted)}
    if sorted(seen) == sorted(fitted):
        raise ValueError(reordered.format(**shown))
    if renamed is not None:
        warnings.warn(renamed.format(**shown), UserWarning, stacklevel=stacklevel + 1)
