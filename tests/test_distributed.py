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


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
def test_grid_search_loky_processes(windows):
    X, y = windows
    with joblib.parallel_backend("loky"):
        search = _search().fit(X, y)
    _check_fitted(search, X, y)


@pytest.mark.slow  # long end-to-end check: CI runs it (-m slow)
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


def test_panel_search_in_processes_equals_one_process():
    # a global model's search over a panel: each worker gets the long frame's
    # rows of its fold (PanelSplit positions) and scores per series
    import pandas as pd
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline

    from skseq import FlattenSequence
    from skseq.forecasting import PanelSplit, WindowedForecaster
    from skseq.metrics import get_scorer

    rng = np.random.default_rng(0)
    frames = []
    for key, n in (("a", 60), ("b", 48), ("c", 40)):
        dates = pd.date_range("2015-01-01", periods=n, freq="MS", name="month")
        values = 10 + np.sin(np.arange(n) / 2) + 0.1 * rng.normal(size=n)
        frames.append(pd.DataFrame({"sales": values, "store": key}, index=dates))
    panel = pd.concat(frames).sort_index(kind="stable")
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), Ridge()), horizon=3, series_id="store"
    )
    searches = [
        GridSearchCV(
            model,
            {"window": [6, 12]},
            cv=PanelSplit("store", n_splits=2, horizon=3, lookback=12),
            scoring=get_scorer("neg_mase_12"),
            n_jobs=n_jobs,
        ).fit(panel, panel["sales"])
        for n_jobs in (1, 2)
    ]
    scores = [s.cv_results_["mean_test_score"] for s in searches]
    assert np.isfinite(scores[0]).all()
    np.testing.assert_allclose(scores[1], scores[0], rtol=1e-12)
