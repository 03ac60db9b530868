"""Batches of windows cut on the fly (``WindowBatches``) and the base-class hook."""

import subprocess
import sys

import numpy as np
import pytest

from skseq import SimpleRNNForecaster, make_windows
from skseq.windowing._feeder import window_batch


@pytest.fixture(scope="module")
def WindowBatches():
    from skseq.windowing._feeder import WindowBatches

    return WindowBatches


@pytest.fixture(scope="module")
def series():
    rng = np.random.default_rng(0)
    return rng.normal(size=(103, 3)).astype(np.float32)


def as_3d(y):
    return y.reshape(len(y), y.shape[1] if y.ndim > 1 else 1, -1)


def test_importing_the_module_loads_no_backend():
    code = (
        "import sys; import skseq.windowing._feeder; "
        "heavy = [m for m in ('keras', 'tensorflow') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize(("window", "horizon"), [(1, 1), (5, 3), (20, 1)])
def test_window_batch_equals_make_windows(series, window, horizon):
    X, y = make_windows(series, window, horizon)
    starts = np.array([len(X) - 1, 0, 7, 7, 3])
    X_batch, y_batch = window_batch(series, series, starts, window, horizon)
    np.testing.assert_array_equal(X_batch, X[starts])
    np.testing.assert_array_equal(y_batch, as_3d(y)[starts].reshape(y_batch.shape))


@pytest.mark.parametrize("batch_size", [1, 16, 500])
def test_batches_in_order_equal_make_windows(WindowBatches, series, batch_size):
    window, horizon = 8, 4
    X, y = make_windows(series, window, horizon)
    batches = WindowBatches(series, None, window, horizon, batch_size=batch_size)
    assert batches.n_windows == len(X)
    assert len(batches) == -(-len(X) // batch_size)
    X_all = np.concatenate([batches[i][0] for i in range(len(batches))])
    y_all = np.concatenate([batches[i][1] for i in range(len(batches))])
    np.testing.assert_array_equal(X_all, X)
    np.testing.assert_array_equal(y_all, y)
    assert X_all.dtype == np.float32
    with pytest.raises(IndexError):
        batches[len(batches)]


def test_separate_targets_and_shorter_inputs(WindowBatches, series):
    # Inputs may end horizon rows before the targets (known-future covariates).
    inputs, targets = series[:-2, 1:], series[:, :1]
    batches = WindowBatches(inputs, targets, 10, 2, batch_size=1000)
    X, y = batches[0]
    assert len(X) == len(series) - 10 - 2 + 1 == batches.n_windows
    np.testing.assert_array_equal(X[-1], inputs[-10:])
    np.testing.assert_array_equal(y[-1], targets[-2:])


def test_shuffling_covers_every_window_once_per_epoch(WindowBatches, series):
    batches = WindowBatches(series, None, 5, 1, batch_size=7, shuffle=True, seed=0)
    _, y_ordered = make_windows(series, 5, 1)
    epochs = []
    for _ in range(2):
        y = np.concatenate([batches[i][1] for i in range(len(batches))])
        np.testing.assert_array_equal(
            np.sort(y.reshape(len(y), -1), axis=0),
            np.sort(y_ordered.reshape(len(y_ordered), -1), axis=0),
        )
        epochs.append(y)
        batches.on_epoch_end()
    assert not np.array_equal(epochs[0], epochs[1])
    again = WindowBatches(series, None, 5, 1, batch_size=7, shuffle=True, seed=0)
    np.testing.assert_array_equal(again[0][1], epochs[0][:7])


def test_split_holds_out_the_latest_windows(WindowBatches, series):
    batches = WindowBatches(series, None, 5, 1, batch_size=4, shuffle=True, seed=1)
    train, valid = batches.split(0.1)
    n_val = int(np.ceil(batches.n_windows * 0.1))
    assert valid.n_windows == n_val and train.n_windows == batches.n_windows - n_val
    assert not valid.shuffle and train.shuffle
    assert train.starts.max() < valid.starts.min()
    np.testing.assert_array_equal(valid.starts, np.arange(train.n_windows, 98))
    with pytest.raises(ValueError, match="at least one training and one validation"):
        batches.split(0.999)


def test_split_purges_the_windows_sharing_targets_with_the_held_out(
    WindowBatches, series
):
    # horizon 4: a window shares target rows with those 3 or fewer rows later
    weights = np.ones(len(series) - 5 - 4 + 1)
    weights[:10] = 0  # left out before the split
    batches = WindowBatches(series, None, 5, 4, sample_weight=weights, purge=3)
    train, valid = batches.split(0.1)
    n_val = int(np.ceil(batches.n_windows * 0.1))
    np.testing.assert_array_equal(valid.starts, np.arange(len(weights))[-n_val:])
    np.testing.assert_array_equal(train.starts, np.arange(10, valid.starts[0] - 3))
    assert train.purge == 3  # kept by replace
    with pytest.raises(ValueError, match="no training window is left"):
        batches.replace(purge=90).split(0.1)


def test_transform_and_replace(WindowBatches, series):
    def double(X, y):
        return X * 2, y

    batches = WindowBatches(series, None, 5, 1, batch_size=4)
    doubled = batches.replace(transform=double, batch_size=2)
    assert len(doubled[0][0]) == 2
    np.testing.assert_array_equal(doubled[0][0], batches[0][0][:2] * 2)
    np.testing.assert_array_equal(doubled.peek()[0], batches.peek()[0][:2])
    with pytest.raises(TypeError, match="Unknown"):
        batches.replace(colour="red")


def test_clear_errors(WindowBatches, series):
    with pytest.raises(ValueError, match="too short"):
        WindowBatches(series[:5], None, 5, 1)
    with pytest.raises(ValueError, match="starts must lie"):
        WindowBatches(series, None, 5, 1, starts=[0, 1000])
    with pytest.raises(ValueError, match="window must be >= 1"):
        WindowBatches(series, None, 0, 1)


def test_keras_forecaster_trains_from_batches(WindowBatches, series):
    window, horizon = 6, 2
    source = WindowBatches(series, series[:, :2], window, horizon)
    model = SimpleRNNForecaster(
        3,
        epochs=2,
        batch_size=16,
        early_stopping=True,
        validation_fraction=0.2,
        random_state=0,
    )
    assert model.fit_batches(source) is model
    assert model.n_features_in_ == 3 and model.horizon_ == 2 and model.n_targets_ == 2
    assert set(model.history_) == {"loss", "val_loss"}
    X, _ = make_windows(series, window, horizon)
    assert model.predict(X[:4]).shape == (4, 2, 2)
    # The per-batch transform follows the strategy: seq2seq trains on every step.
    seq2seq = SimpleRNNForecaster(3, strategy="seq2seq", epochs=1, random_state=0)
    assert seq2seq.fit_batches(source).predict(X[:4]).shape == (4, 2, 2)


def test_shuffled_order_is_a_permutation_of_the_starts_per_epoch(WindowBatches, series):
    """Each epoch's order is the next ``Generator.permutation`` of the starts
    (drawn when first asked for, as the panel feeder's), so seeded fits keep
    their batches; no permutation is held between epochs."""
    starts = np.array([40, 3, 17, 8, 25, 60, 11, 90, 5])
    batches = WindowBatches(
        series, None, 5, 1, batch_size=4, shuffle=True, seed=3, starts=starts
    )
    rng = np.random.default_rng(3)
    for _ in range(3):
        expected = rng.permutation(starts)
        got = np.concatenate([batches[i][0][:, 0] for i in range(len(batches))])
        np.testing.assert_array_equal(got, series[expected])
        batches.on_epoch_end()
        assert batches._order is None
