"""Test instances of every public estimator, from each class's ``_get_test_params``.

The test registries (sklearn's common checks, bad input, persistence, fitted
parameters, doc links) draw their estimators from here, so that a new estimator
is tested once it is exported and defines ``_get_test_params``. It lives in the
package, like sklearn's ``utils/_test_common/instance_generator.py``, so that
every test directory imports it without path tricks. No Keras import.
"""

from sklearn.base import BaseEstimator

from .discovery import all_estimators

# Training settings shared by every fast instance: left out of readable ids.
_TRAINING = ("epochs", "batch_size", "random_state")


def get_test_params(cls):
    """The class's list of test parameter dicts, checked for shape.

    Parameters
    ----------
    cls : type
        A public skseq estimator class.

    Returns
    -------
    params : list of dict
        Non-empty; the first dict is the fast instance every registry tests.
    """
    if not hasattr(cls, "_get_test_params"):
        raise TypeError(
            f"{cls.__name__} has no _get_test_params classmethod: add one that "
            "returns a list of small parameter dicts (see GRUForecaster's)."
        )
    params = cls._get_test_params()
    if not (isinstance(params, list) and params):
        raise TypeError(f"{cls.__name__}._get_test_params() must return a list.")
    if not all(isinstance(p, dict) for p in params):
        raise TypeError(f"{cls.__name__}._get_test_params() must hold dicts.")
    return params


def _short(value):
    if isinstance(value, BaseEstimator):
        return type(value).__name__
    return repr(value).replace(" ", "")


def instance_id(cls, params, index):
    """A readable test id: the class name, with the variant's parameters."""
    if index == 0:
        return cls.__name__
    shown = [f"{k}={_short(v)}" for k, v in params.items() if k not in _TRAINING]
    return f"{cls.__name__}({','.join(shown)})"


def test_instances(type_filter=None, *, variants=True):
    """Build the test instances of every public estimator.

    Parameters
    ----------
    type_filter : str or list of str, default=None
        As in :func:`skseq.utils.discovery.all_estimators`.
    variants : bool, default=True
        Build every dict of ``_get_test_params``; False keeps the first (the
        fast instance) of each class.

    Returns
    -------
    instances : list of (str, estimator) tuples
        Readable ids (the class name for the first instance, the parameters
        for the variants) with fresh, unfitted estimators.
    """
    instances = []
    for _, cls in all_estimators(type_filter):
        params = get_test_params(cls)
        for index, kwargs in enumerate(params if variants else params[:1]):
            instances.append((instance_id(cls, kwargs, index), cls(**kwargs)))
    return instances


test_instances.__test__ = False  # a builder, not a test, where tests import it
