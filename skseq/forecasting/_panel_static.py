"""Constant inputs of the series of a panel: static covariates and the id.

A panel's static covariates (region, category, size) are constant within each
series; :class:`StaticEncoder` turns them, and optionally the series id, into a
row of inputs per series that the panel model appends to every time step:
numeric ones standardized over the series, the others one-hot in the order of
their sorted values (a category or id not seen in ``fit`` gets zeros).
"""

from dataclasses import dataclass

import numpy as np
from sklearn.preprocessing import StandardScaler

from ..utils._validation import refuse_inexact_integers
from ..windowing._panel import sorted_ids

__all__ = [
    "StaticEncoder",
    "encode_static",
    "fit_static",
    "new_series_static",
    "series_static_value",
]


def _series_name(series_id):
    return f"series {series_id!r}"


@dataclass
class StaticEncoder:
    """How the constant inputs of a series are made: numeric static covariates
    standardized over the series, categorical ones and the id one-hot."""

    numeric: list
    numeric_scaler: object
    categories: dict
    id_categories: object

    @property
    def n_inputs(self):
        n = len(self.numeric) + sum(len(c) for c in self.categories.values())
        return n + (0 if self.id_categories is None else len(self.id_categories))


def fit_static(model, frame, positions, static_names, ids):
    """Per-series static values (a DataFrame indexed by series) and the encoder."""
    import pandas as pd

    values = {}
    for name in static_names:
        column = frame[name]
        values[name] = [
            series_static_value(column.iloc[pos], name, series_id)
            for pos, series_id in zip(positions, ids, strict=True)
        ]
    table = pd.DataFrame(values)
    numeric = [n for n in static_names if pd.api.types.is_numeric_dtype(table[n])]
    refuse_inexact_integers(table[numeric], "static_covariates")
    categorical = [n for n in static_names if n not in numeric]
    scaler = StandardScaler().fit(table[numeric]) if numeric else None
    # sorted, as the ids: the one-hot columns do not depend on the rows' order
    categories = {n: sorted_ids(table[n])[1] for n in categorical}
    id_categories = ids if model.series_encoding == "onehot" else None
    return table, StaticEncoder(numeric, scaler, categories, id_categories)


def series_static_value(values, name, series_id):
    """The one value of static covariate ``name`` in a series' rows
    (``values``, a Series), refused when missing or varying."""
    if values.isna().any():
        raise ValueError(
            f"static covariate {name!r} is missing in "
            f"{_series_name(series_id)}: give every series its value "
            "(e.g. fillna with a value of its own, or a category 'unknown')."
        )
    if values.nunique(dropna=False) > 1:
        raise ValueError(
            f"static covariate {name!r} varies within "
            f"{_series_name(series_id)}: a static covariate is constant "
            "per series (make it a past or future covariate)."
        )
    return values.iloc[0]


def new_series_static(encoder, frame, series_id):
    """The static covariates of a series not seen in fit, one row, checked as
    fit checks them (present, constant, numbers where fit had numbers)."""
    import pandas as pd

    names = [*encoder.numeric, *encoder.categories]
    table = pd.DataFrame(
        {n: [series_static_value(frame[n], n, series_id)] for n in names}
    )
    for name in encoder.numeric:
        if not pd.api.types.is_numeric_dtype(table[name]):
            raise ValueError(
                f"static covariate {name!r} of {_series_name(series_id)} is "
                f"{table[name].iloc[0]!r}, not a number: it held numbers in fit."
            )
    return table


def encode_static(encoder, table, ids):
    """One row of constant inputs per series of ``ids``, ``ndarray of shape
    (n_series, n_static_inputs)``; ``table`` holds their
    static covariates (rows in the order of ``ids``); an id not seen in fit gets
    zeros for its one-hot."""
    parts = []
    if encoder.numeric:
        parts.append(encoder.numeric_scaler.transform(table[encoder.numeric]))
    for name, categories in encoder.categories.items():
        parts.append(_one_hot(table[name].to_numpy(), categories))
    if encoder.id_categories is not None:
        parts.append(_one_hot(np.asarray(ids, dtype=object), encoder.id_categories))
    if not parts:
        return np.empty((len(ids), 0))
    return np.concatenate([np.asarray(p, dtype=np.float64) for p in parts], axis=1)


def _one_hot(values, categories):
    codes = categories.get_indexer(values)
    encoded = np.zeros((len(values), len(categories)))
    known = codes >= 0
    encoded[np.flatnonzero(known), codes[known]] = 1.0
    return encoded
