"""Column names of transformers that keep the shape of ``X``."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["StepNamesMixin", "kept_column_names", "record_layout"]


def record_layout(estimator, X):
    """Keep the number of columns of a 2D ``X`` (None for 3D ``X`` or a list of
    sequences of different lengths), for ``get_feature_names_out``."""
    shape = getattr(X, "shape", None)
    if shape is None:
        try:
            shape = np.asarray(X).shape
        except ValueError:  # a ragged list of sequences
            shape = ()
    estimator._step_columns = shape[1] if len(shape) == 2 else None


def kept_column_names(estimator, input_features):
    """The names of the columns of a 2D ``X`` seen in ``fit`` by a transformer
    that keeps them (``FlattenSequence`` of 2D ``X``): ``input_features`` when
    they name those ``n_timesteps_in_`` columns, else ``feature_names_in_``;
    None for a 3D ``X`` or ``input_features`` that name something else."""
    if getattr(estimator, "_step_columns", None) is None:
        return None
    known = getattr(estimator, "feature_names_in_", None)
    if input_features is None:
        return None if known is None else np.asarray(known, dtype=object)
    names = np.asarray(input_features, dtype=object)
    if names.shape != (estimator.n_timesteps_in_,):
        return None
    if known is not None and list(names) != list(known):
        raise ValueError(
            "input_features must name the columns of X seen in fit "
            f"{list(known)}; got {list(names)!r}."
        )
    return names


class StepNamesMixin:
    """``get_feature_names_out`` for a transformer whose output has the shape of
    ``X``: for a 2D ``X`` (one column per time step) the output columns are the
    input's, so ``ColumnTransformer`` keeps their names; for a 3D ``X`` the
    features of each time step keep theirs (``FlattenSequence`` after it
    combines them with the steps)."""

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns (2D ``X``) or of the features of each time
        step (3D ``X``), which the transformer keeps.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Names of the columns of a 2D ``X`` (by default ``feature_names_in_``,
            else ``x0``, ``x1``, ...), or of the features of each time step of a
            3D ``X`` (by default ``x0``, ``x1``, ...).

        Returns
        -------
        names : ndarray of str of shape (n_columns,) or (``n_features_in_``,)
        """
        check_is_fitted(self)
        columns = getattr(self, "_step_columns", None)
        count = self.n_features_in_ if columns is None else columns
        known = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if known is not None:
                return np.asarray(known, dtype=object)
            return np.array([f"x{j}" for j in range(count)], dtype=object)
        names = np.asarray(input_features, dtype=object)
        if names.shape != (count,) or (
            known is not None and list(names) != list(known)
        ):
            what = "columns of X" if columns is not None else "features per time step"
            raise ValueError(
                f"input_features must name the {count} {what} seen in fit"
                f"{'' if known is None else f' {list(known)}'}; got {list(names)!r}."
            )
        return names
