"""Discovery of skseq's public estimators (like :mod:`sklearn.utils.discovery`)."""

import inspect

from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    TransformerMixin,
)

__all__ = ["all_estimators"]

TYPES = ("classifier", "forecaster", "transformer", "meta-estimator", "keras")


def _is_meta(cls):
    return "estimator" in inspect.signature(cls).parameters


def _is_keras(cls):
    from ..estimators._base import BaseKerasEstimator

    return issubclass(cls, BaseKerasEstimator)


_HAS_TYPE = {
    "classifier": lambda cls: issubclass(cls, ClassifierMixin),
    "forecaster": lambda cls: issubclass(cls, RegressorMixin),
    "transformer": lambda cls: issubclass(cls, TransformerMixin),
    "meta-estimator": _is_meta,
    "keras": _is_keras,
}


def _check_type_filter(type_filter):
    if type_filter is None:
        return list(TYPES)
    types = [type_filter] if isinstance(type_filter, str) else list(type_filter)
    unknown = [kind for kind in types if kind not in TYPES]
    if unknown or not types:
        raise ValueError(
            f"type_filter must be None, one of {TYPES} or a list of them; "
            f"got {type_filter!r}."
        )
    return types


def all_estimators(type_filter=None):
    """List the public estimator classes of skseq.

    The classes that ``import skseq`` exports and that are concrete scikit-learn
    estimators (no ``Base*`` class), found by inspection: a new estimator appears
    here once it is exported. Neither Keras nor a backend is imported.

    Parameters
    ----------
    type_filter : {"classifier", "forecaster", "transformer", "meta-estimator", \
"keras"} or list of them, default=None
        Keep the classes of any of the given kinds: ``"classifier"`` and
        ``"forecaster"`` (regressors of sequences or series), ``"transformer"``,
        ``"meta-estimator"`` (wrapping an ``estimator`` parameter, such as
        :class:`~skseq.forecasting.WindowedForecaster`) and ``"keras"`` (training
        a Keras network in ``fit``). None keeps every class.

    Returns
    -------
    estimators : list of (str, type) tuples
        The ``(name, class)`` pairs, sorted by name.

    Raises
    ------
    ValueError
        If ``type_filter`` names an unknown kind.

    See Also
    --------
    sklearn.utils.discovery.all_estimators : The same for scikit-learn.

    Examples
    --------
    >>> from skseq.utils.discovery import all_estimators
    >>> [name for name, _ in all_estimators("meta-estimator")]
    ['ConformalForecaster', 'WindowedForecaster']
    >>> ("GRUClassifier", __import__("skseq").GRUClassifier) in all_estimators(
    ...     ["classifier", "transformer"]
    ... )
    True
    """
    import skseq

    types = _check_type_filter(type_filter)
    found = []
    for name in skseq.__all__:
        cls = getattr(skseq, name)
        if _is_public_estimator(name, cls) and any(_HAS_TYPE[t](cls) for t in types):
            found.append((name, cls))
    return sorted(found)


def _is_public_estimator(name, obj):
    return (
        inspect.isclass(obj)
        and issubclass(obj, BaseEstimator)
        and not inspect.isabstract(obj)
        and not name.startswith(("Base", "_"))
    )
