"""Targets ``(n, horizon, n_targets)`` in the shape each kind of regressor's
``fit`` takes: a skseq forecaster, a wrapper around one (``Pipeline``, a
search), or any other sklearn regressor."""

import numpy as np

__all__ = [
    "check_same_units",
    "flat_targets",
    "refuse_per_step_targets",
    "targets_for",
]


def flat_targets(y):
    """Targets ``(n, horizon, n_targets)`` as a regressor that is not a skseq
    forecaster takes them: ``(n, horizon * n_targets)``, 1D for one output
    (sklearn's ``check_X_y`` refuses 3D targets)."""
    y = y.reshape(len(y), -1)
    return y[:, 0] if y.shape[1] == 1 else y


def wrapper_chain(estimator):
    """``estimator`` and the wrapped estimators inside it, outermost first."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline

    chain = [estimator]
    while True:
        if isinstance(estimator, Pipeline) and estimator.steps:
            estimator = estimator.steps[-1][1]
        elif isinstance(estimator, TransformedTargetRegressor):
            estimator = estimator.regressor
        elif _is_search(estimator):
            estimator = estimator.estimator
        else:
            return chain
        chain.append(estimator)


def _is_search(estimator):
    """A hyperparameter search (``GridSearchCV``, ``RandomizedSearchCV``, the
    halving ones), told by its parameters: sklearn's base class is private."""
    params = ("estimator", "cv", "refit", "scoring")
    return all(hasattr(estimator, name) for name in params)


def targets_for(estimator, y, ndim=3):
    """Targets ``(n, horizon, n_targets)`` in the shape ``estimator.fit`` takes.

    A skseq forecaster gets them with ``ndim`` dimensions (1D for one step of one
    target, 2D for one target); a wrapper around one (a ``Pipeline``, a search)
    gets them 3D when there are several targets, since flat ``(n, horizon *
    n_targets)`` targets would read as one target's ``horizon * n_targets``
    steps; any other regressor gets :func:`flat_targets`.

    Raises
    ------
    ValueError
        For several targets and a ``TransformedTargetRegressor`` around a skseq
        forecaster: it takes 2D targets only, in which the targets cannot be told
        from the steps.
    """
    from ._forecaster_base import BaseSequenceForecaster

    if isinstance(estimator, BaseSequenceForecaster):
        if ndim == 1:
            return y[:, 0, 0]
        return y[:, :, 0] if ndim == 2 else y
    chain = wrapper_chain(estimator)
    check_same_units(chain)
    if y.shape[2] == 1 or not isinstance(chain[-1], BaseSequenceForecaster):
        return flat_targets(y)
    from sklearn.compose import TransformedTargetRegressor

    if any(isinstance(e, TransformedTargetRegressor) for e in chain):
        raise ValueError(
            f"{y.shape[2]} targets cannot reach {type(chain[-1]).__name__} "
            "through a TransformedTargetRegressor: it validates y as 2D, where "
            "the targets would read as more steps of one target. Pass the "
            "forecaster itself, with WindowedForecaster(target_transform=...) "
            "for the transform, or forecast one target."
        )
    return y


def check_same_units(chain):
    """Refuse wrappers that put ``y`` and the target features of ``X`` in other
    units when the innermost forecaster of ``chain`` (:func:`wrapper_chain`)
    reads its targets from ``X``: a :class:`~skseq.NaiveForecaster` returns
    them, ``"seq2seq"`` trains on them, ``"recursive"`` feeds its forecasts
    back among them. A ``TransformedTargetRegressor`` that transforms ``y``
    alone, or a ``Pipeline`` step that transforms ``X`` alone, would mix the
    two units silently (a recursive forecast that runs away from the first
    step on)."""
    from sklearn.base import MetaEstimatorMixin
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline

    # a meta-forecaster (ConformalForecaster) hands X and y on as they come
    while isinstance(chain[-1], MetaEstimatorMixin) and hasattr(chain[-1], "estimator"):
        chain = chain + wrapper_chain(chain[-1].estimator)
    reads = _reads_targets_from_X(chain[-1])
    if reads is None:
        return
    for wrapper in chain[:-1]:
        if isinstance(wrapper, TransformedTargetRegressor) and not (
            wrapper.transformer is None
            and wrapper.func is None
            and wrapper.inverse_func is None
        ):
            changed = "a TransformedTargetRegressor transforms y but not X"
        elif isinstance(wrapper, Pipeline) and any(
            step not in (None, "passthrough") for _, step in wrapper.steps[:-1]
        ):
            changed = "a Pipeline step transforms X but not y"
        else:
            continue
        raise ValueError(
            f"{type(chain[-1]).__name__} {reads} the target features of X, "
            f"which must be in y's units; {changed}. Wrap the forecaster "
            "itself and let WindowedForecaster transform the series "
            "(target_transform=..., scale=...), which puts both in the same "
            "units (or, for a network, use strategy='direct')."
        )


def _reads_targets_from_X(forecaster):
    """How ``forecaster`` uses the target features of ``X``, or None."""
    from ._forecasters import NaiveForecaster

    if isinstance(forecaster, NaiveForecaster):
        return "returns"
    strategy = getattr(forecaster, "strategy", None)
    return (
        {"seq2seq": "trains on", "recursive": "feeds its forecasts back among"}.get(
            strategy
        )
        if isinstance(strategy, str)
        else None
    )


def refuse_per_step_targets(X, y):
    """Refuse the chapter's per-step targets ``Y`` of shape ``(n_samples,
    n_timesteps, horizon)`` (``Y[:, t, k]`` the value ``k + 1`` steps after step
    ``t``), told by their shape and by ``Y[:, t, k]`` repeating ``X[:, t + 1 +
    k, 0]``: read as ``n_timesteps`` steps of ``horizon`` targets, they trained a
    wrong model, or failed on the number of features."""
    n_timesteps, horizon = X.shape[1], y.shape[2]
    if y.shape[1] != n_timesteps or horizon < 2 or n_timesteps < 3:
        return
    first = X[:, :, 0]
    if np.all(first == first.flat[0]):  # a constant series repeats anything
        return
    # Y[:, t, k] is X[:, t + 1 + k, 0] where that is still inside X: checked
    # for every k, so that several targets of one periodic series do not pass.
    for k in range(min(horizon, n_timesteps - 1)):
        if not np.allclose(y[:, : n_timesteps - 1 - k, k], X[:, 1 + k :, 0]):
            return
    raise ValueError(
        f"y of shape {y.shape} looks like the per-step targets of every time "
        f"step (the book's Y, shape (n_samples, n_timesteps, horizon)): "
        f"y[:, t, 0] repeats X[:, t + 1, 0]. strategy='seq2seq' builds those "
        f"itself from X and the values after each sequence: pass y[:, -1] "
        f"(shape (n_samples, horizon)). A 3D y means (n_samples, horizon, "
        f"n_targets)."
    )
