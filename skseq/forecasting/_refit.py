"""A refit rule for sklearn's searches: the simplest candidate within one standard
error of the best."""

import functools
import numbers
import re

import numpy as np

__all__ = ["SimplestWithinOneSE"]


class SimplestWithinOneSE:
    """Refit the simplest candidate whose mean score is near the best one.

    Pass an instance as ``refit`` to ``GridSearchCV`` or ``RandomizedSearchCV``.
    After cross-validation the search calls it with ``cv_results_`` and refits
    the candidate whose index it returns: among the candidates whose mean test
    score is at least ``best - n_std_errors * standard_error``, the one that
    ``complexity`` ranks simplest (ties: the higher mean score, then the first).
    ``standard_error`` is the best candidate's standard deviation of its
    per-fold scores (``ddof=1``) over the square root of the number of folds
    (0 with a single fold: the rule then picks the best, or the simplest of
    equal bests). This is the one-standard-error rule of Breiman et al. and of
    sklearn's example "Balance model complexity and cross-validated score": on
    a short series a network often wins cross-validation by seed and fold luck,
    and the linear model is the safer choice unless the network wins clearly.

    A candidate whose mean score is NaN (a fold failed) is never chosen; if
    every candidate's is, the rule raises a ``ValueError``.

    Parameters
    ----------
    complexity : dict or callable
        What "simpler" means, in your terms. A dict maps parameter names to
        lists of their values, simplest first: ``{"estimator": [DenseForecaster,
        GRUForecaster]}``. An entry matches a candidate's value if it is that
        object, an estimator of its class with the same parameters (a copy:
        ``clone`` of the search, as in nested cross-validation, copies the
        grid and the rule apart), a class the value is an instance of, or
        equal to it; a
        candidate's complexity is the tuple of its values' positions, in the
        dict's order (the first parameter decides first). A parameter the dict
        does not name plays no part; a value no entry matches is an error. A
        candidate that does not set a named parameter (a grid given as a list
        of dicts) is compared on the others only where an earlier one tells it
        apart: where it would decide, the rule refuses (the estimator's
        default is not known to it). A
        callable takes a candidate's parameter dict (``cv_results_["params"]``)
        and returns a sortable key, smaller for simpler, for instance the
        number of units.
    scoring : str, default=None
        With several scorers (``scoring`` a list or dict), the name of the one
        to rank by, as in ``mean_test_<name>``; the search's own ``refit`` must
        then be this callable. None: the single score ``mean_test_score``.
    n_std_errors : float, default=1.0
        How many standard errors below the best score a candidate may be; 0
        picks the best (the simplest of equal bests).

    See Also
    --------
    SeriesSplit : Time-ordered folds for a search on one series.

    Notes
    -----
    Scores are sklearn's: higher is better (``neg_mean_absolute_error``...).
    With a callable ``refit`` sklearn sets ``best_index_`` and
    ``best_params_`` from the returned index but no ``best_score_``: read
    ``cv_results_["mean_test_score"][search.best_index_]``. With several
    scorers, ``search.score(X, y)`` raises a ``KeyError`` (sklearn looks the
    callable up among the scorers' names): call the scorer you want on
    ``search.best_estimator_``.

    ``HalvingGridSearchCV`` and ``HalvingRandomSearchCV`` (sklearn 1.9) never
    call a callable ``refit``: they refit the best candidate of the last
    iteration, silently, with the rule given. Use ``GridSearchCV`` or
    ``RandomizedSearchCV`` with it.

    Examples
    --------
    >>> import numpy as np
    >>> from skseq.forecasting import SimplestWithinOneSE
    >>> rule = SimplestWithinOneSE({"alpha": [10.0, 1.0, 0.1]})
    >>> cv_results = {
    ...     "params": [{"alpha": 0.1}, {"alpha": 1.0}, {"alpha": 10.0}],
    ...     "mean_test_score": np.array([-1.0, -1.1, -2.0]),
    ...     "split0_test_score": np.array([-0.8, -0.9, -1.9]),
    ...     "split1_test_score": np.array([-1.2, -1.3, -2.1]),
    ... }
    >>> rule(cv_results)  # alpha=1.0: within 0.2 of the best, and simpler
    1
    """

    def __init__(self, complexity, *, scoring=None, n_std_errors=1.0):
        self.complexity = complexity
        self.scoring = scoring
        self.n_std_errors = n_std_errors

    def __repr__(self):
        return (
            f"SimplestWithinOneSE({self.complexity!r}, scoring={self.scoring!r}, "
            f"n_std_errors={self.n_std_errors!r})"
        )

    def __call__(self, cv_results):
        """Return the index of the candidate to refit.

        Parameters
        ----------
        cv_results : dict
            A search's ``cv_results_``.

        Returns
        -------
        int
            The index into ``cv_results["params"]``.
        """
        means, splits = _scores(cv_results, self.scoring)
        _check_n_std_errors(self.n_std_errors)
        finite = np.isfinite(means)
        if not finite.any():
            raise ValueError(
                f"Every candidate's mean test score is NaN ({len(means)} "
                "candidates): every one failed in some fold, so there is none to "
                "refit. Run the search with error_score='raise' to see why."
            )
        best = int(np.nanargmax(np.where(finite, means, -np.inf)))
        bound = means[best] - self.n_std_errors * standard_error(splits[:, best])
        eligible = np.flatnonzero(finite & (means >= bound))
        params = cv_results["params"]
        ranked = [(self._key(params[i]), -means[i], i) for i in eligible]
        order = functools.cmp_to_key(lambda a, b: self._compare(a, b, params))
        return int(min(ranked, key=order)[2])

    def _compare(self, a, b, params):
        """-1, 0 or 1: ``a`` simpler, as simple (same score), or ``b`` simpler;
        rows are ``(key, -mean, index)``."""
        if callable(self.complexity):
            return _sign(a[:2], b[:2])
        for name, x, y in zip(self.complexity, a[0], b[0], strict=True):
            if x == y:
                continue
            if x is None or y is None:
                unset, other = (a, b) if x is None else (b, a)
                raise ValueError(
                    f"Candidate {params[unset[2]]} sets no {name!r}, candidate "
                    f"{params[other[2]]} does and matches it on every parameter "
                    f"complexity names before {name!r}: which is simpler is not "
                    "known. Name first in complexity a parameter that tells them "
                    "apart, set it in every grid, or pass a callable."
                )
            return _sign(x, y)
        return _sign(a[1], b[1])

    def _key(self, params):
        if callable(self.complexity):
            return self.complexity(params)
        if not isinstance(self.complexity, dict):
            raise TypeError(
                "complexity must be a dict {parameter: [values, simplest first]} or "
                f"a callable of a candidate's params; got {type(self.complexity)}."
            )
        return tuple(
            _position(name, params[name], values) if name in params else None
            for name, values in self.complexity.items()
        )


def _sign(a, b):
    # int(): NumPy's booleans (of two mean scores) refuse subtraction
    return int(a > b) - int(a < b)


def standard_error(fold_scores):
    """Standard error of a mean over folds: ``std(ddof=1) / sqrt(n)``, 0 for one."""
    fold_scores = np.asarray(fold_scores, dtype=float)
    if fold_scores.size < 2:
        return 0.0
    return float(np.std(fold_scores, ddof=1) / np.sqrt(fold_scores.size))


def _scores(cv_results, scoring):
    suffix = "score" if scoring is None else scoring
    key = f"mean_test_{suffix}"
    if key not in cv_results:
        names = [k[10:] for k in sorted(cv_results) if k.startswith("mean_test_")]
        hint = (
            "pass scoring=<one of them> to SimplestWithinOneSE"
            if scoring is None
            else "pass one of those names"
        )
        raise ValueError(f"cv_results has no {key!r}; its scorers are {names}: {hint}.")
    pattern = re.compile(rf"split\d+_test_{re.escape(suffix)}")
    names = [k for k in cv_results if pattern.fullmatch(k)]
    splits = [np.asarray(cv_results[k], dtype=float) for k in names]
    means = np.asarray(cv_results[key], dtype=float)
    return means, np.array(splits).reshape(len(splits), len(means))


def _check_n_std_errors(n_std_errors):
    if isinstance(n_std_errors, bool) or not isinstance(n_std_errors, numbers.Real):
        raise TypeError(f"n_std_errors must be a number; got {n_std_errors!r}.")
    if not (np.isfinite(n_std_errors) and n_std_errors >= 0):
        raise ValueError(f"n_std_errors must be finite and >= 0; got {n_std_errors!r}.")


def _position(name, value, values):
    # the object itself first, then a copy of it (clone and deepcopy give the
    # grid and the rule copies of their own), then a class or an equal value
    for matches in (_identical, _same_estimator, _matches):
        for i, entry in enumerate(values):
            if matches(value, entry):
                return i
    raise ValueError(
        f"complexity[{name!r}] lists no entry matching the candidate's value "
        f"{value!r}: "
        "list every value searched (the object, its class or an equal value), "
        "simplest first."
    )


def _identical(value, entry):
    return value is entry


def _same_estimator(value, entry):
    """An estimator of the same class with the same parameters (a copy)."""
    if type(value) is not type(entry) or not hasattr(value, "get_params"):
        return False
    mine, theirs = value.get_params(deep=False), entry.get_params(deep=False)
    return mine.keys() == theirs.keys() and all(_same(mine[k], theirs[k]) for k in mine)


def _same(value, entry):
    """A parameter's value and its copy: nested estimators (a Pipeline's steps)
    included."""
    if isinstance(value, (list, tuple)) and type(value) is type(entry):
        return len(value) == len(entry) and all(map(_same, value, entry))
    if isinstance(value, np.ndarray) and isinstance(entry, np.ndarray):
        return value.dtype == entry.dtype and np.array_equal(value, entry)
    return (
        _identical(value, entry)
        or _same_estimator(value, entry)
        or _equal(value, entry)
    )


def _matches(value, entry):
    if value is entry or (isinstance(entry, type) and isinstance(value, entry)):
        return True
    if hasattr(value, "get_params") or hasattr(entry, "get_params"):
        return False  # estimators compare by identity, copy or class, never by ==
    return _equal(value, entry)


def _equal(value, entry):
    if hasattr(value, "get_params") or hasattr(entry, "get_params"):
        return False
    try:
        return bool(value == entry)
    except (TypeError, ValueError):
        return False
