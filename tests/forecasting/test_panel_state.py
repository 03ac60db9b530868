"""A panel model's memory: per-series state in arrays, window starts without an
array per series, the series' rows and frames cut on access."""

import pickle
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from skseq import FlattenSequence
from skseq.forecasting import WindowedForecaster
from skseq.forecasting._panel_state import SeriesStates, Standardizer
from skseq.forecasting._panel_windows import recency_order
from skseq.windowing._panel import SeriesPositions, panel_rows


def panel(lengths, interleave=False):
    rng = np.random.default_rng(0)
    frames = [
        pd.DataFrame(
            {"id": k, "y": 10.0 ** (k % 4) * (5 + rng.normal(size=n).cumsum() / 10)},
            index=pd.date_range("2010-01-01", periods=n, freq="MS", name="date"),
        )
        for k, n in enumerate(lengths)
    ]
    out = pd.concat(frames)
    if interleave:
        out = out.reset_index().sort_values(["date", "id"]).set_index("date")
    return out


def reference_recency(n_windows, first_rows):
    """The order as first written: one array per series, a stable argsort."""
    pairs = zip(first_rows, n_windows, strict=True)
    starts = [f + np.arange(n) for f, n in pairs if n > 0]
    distance = np.concatenate([len(s) - 1 - np.arange(len(s)) for s in starts])
    order = np.argsort(-distance, kind="stable")
    return np.concatenate(starts)[order], -distance[order]


@pytest.mark.parametrize(
    "n_windows", [[5, 5, 5], [3, 0, 7, 1, 7, 2], [1], list(range(40, 0, -3))]
)
def test_recency_order_is_the_argsort_of_the_distances(n_windows, monkeypatch):
    n_windows = np.array(n_windows)
    first_rows = np.concatenate([[0], np.cumsum(n_windows + 9)[:-1]])
    expected = reference_recency(n_windows, first_rows)
    for block in (1 << 20, 4, 1):  # blocks of distances cut anywhere
        monkeypatch.setattr("skseq.forecasting._panel_windows.RECENCY_BLOCK", block)
        starts, keys = recency_order(n_windows, first_rows)
        assert starts.dtype == np.int32 and keys.dtype == np.int16
        np.testing.assert_array_equal(starts, expected[0])
        np.testing.assert_array_equal(keys, expected[1])


def test_series_positions_cost_two_arrays():
    interleaved = panel_rows(panel([3, 5, 4], interleave=True), "id")
    positions = interleaved.series_positions()
    assert isinstance(positions, SeriesPositions) and len(positions) == 3
    assert positions.order is not None and interleaved.codes.dtype == np.int32
    for got, expected in zip(positions, interleaved.positions(), strict=True):
        np.testing.assert_array_equal(got, expected)
    in_order = panel_rows(panel([3, 5, 4]), "id").series_positions()
    assert in_order.order is None  # rows already series after series
    np.testing.assert_array_equal(in_order[1], [3, 4, 5, 6, 7])
    np.testing.assert_array_equal(in_order.lengths, [3, 5, 4])


@pytest.mark.parametrize("interleave", [False, True])
def test_fitted_state_lives_in_arrays_shared_by_every_series(interleave):
    lengths = [30, 24, 7, 28]  # the third too short to train on
    data = panel(lengths, interleave)
    model = WindowedForecaster(
        make_pipeline(FlattenSequence(), LinearRegression()),
        window=6,
        horizon=3,
        series_id="id",
        difference=None,
    )
    with pytest.warns(UserWarning, match="too short"):
        model.fit(data)
    states = model.series_state_
    assert isinstance(states, SeriesStates) and len(states) == 4
    # one array of means and one of scales, not a scaler object per series
    assert states.target_scalers.means.shape == (4, 1)
    assert [s.n_windows for s in states] == [22, 16, 0, 20]
    state = states[1]
    assert isinstance(state.target_scaler, Standardizer)
    own = data[data["id"] == 1]["y"].to_numpy()
    np.testing.assert_allclose(state.target_scaler.mean_, [own.mean()])
    np.testing.assert_array_equal(state.last_rows[0][:, 0], own[-6:])
    assert state.next_label == pd.Timestamp("2012-01-01")
    # train_targets_: a mapping of views of one array
    targets = model.train_targets_
    assert isinstance(targets, Mapping) and sorted(targets) == [0, 1, 2, 3]
    np.testing.assert_array_equal(targets[1][:, 0], own)
    assert np.shares_memory(targets[1], states.targets)
    assert targets.get("missing") is None
    restored = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(restored.forecast(data), model.forecast(data))
    np.testing.assert_array_equal(restored.train_targets_[3], targets[3])


@pytest.mark.parametrize(
    ("params", "lazy"),
    [
        ({}, True),
        ({"scale": False}, True),
        ({"scale": "window"}, True),
        ({"difference": 1}, False),
        ({"past_covariates": ["x"]}, False),
    ],
)
def test_batches_of_targets_alone_keep_no_design_rows(params, lazy, monkeypatch):
    """Fed in batches, a panel of targets alone (no transform, no covariates and
    difference=None) trains from the training targets kept for MASE: no design
    array as large as the panel is made; other panels train from design rows
    of float32, inputs and targets apart."""
    from skseq import GRUForecaster
    from skseq.forecasting import _panel as panel_module

    seen = {}
    fit_global = panel_module._fit_global

    def spy(model, rows, *args):
        seen["rows"] = rows
        return fit_global(model, rows, *args)

    monkeypatch.setattr(panel_module, "_fit_global", spy)
    data = panel([30, 26, 33])
    data["x"] = np.arange(len(data), dtype=float)
    if "past_covariates" not in params:
        data = data.drop(columns="x")
    model = WindowedForecaster(
        GRUForecaster(units=2, epochs=1, random_state=0),
        window=6,
        horizon=2,
        series_id="id",
        feed="batches",
        **{"difference": None, **params},
    ).fit(data)
    inputs, outputs, scaling = seen["rows"]
    targets = model.series_state_.targets
    if lazy:
        assert inputs is targets and outputs is targets and scaling is not None
        assert (scaling.means is None) == (params.get("scale", True) is not True)
    else:
        assert scaling is None and inputs.dtype == np.float32
        assert not np.shares_memory(inputs, targets)
