"""Hyperparameter search across processes: joblib's loky backend and Dask's.

Each worker unpickles the estimator, builds its own network in ``fit`` and sends
the fitted estimator (network as config and weights) back; nothing Keras-side is
shared between processes.
"""

import joblib
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from skseq import GRUForecaster, make_windows
from skseq.datasets import make_sine_series


@pytest.fixture(scope="module")
def windows():
    return make_windows(make_sine_series(1, 120, random_state=0)[0], window=10)


def _search():
    return GridSearchCV(
        GRUForecaster(2, epochs=1, batch_size=64, random_state=0),
        {"units": [2, 3]},
        cv=TimeSeriesSplit(n_splits=2),
        n_jobs=2,
    )


def _check_fitted(search, X, y):
    assert sorted(search.cv_results_["param_units"]) == [2, 3]
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_estimator_.predict(X[:3]).shape == (3,)


def test_grid_search_loky_processes(windows):
    X, y = windows
    with joblib.parallel_backend("loky"):
        search = _search().fit(X, y)
    _check_fitted(search, X, y)


def test_grid_search_dask_local_cluster(windows):
    distributed = pytest.importorskip("dask.distributed")
    X, y = windows
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_backend("dask"),
    ):
        search = _search().fit(X, y)
    _check_fitted(search, X, y)
