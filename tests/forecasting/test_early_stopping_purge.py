"""WindowedForecaster purges the training windows next to the validation ones.

Windows cut at stride 1 share target rows: early stopping validated partly on
rows the network trained on, so it kept overfit epochs. Each series' values
here are its row numbers (plus an offset per series, and per target), so the
target rows a network trains and validates on can be read off its targets.
"""

import keras
import numpy as np
import pandas as pd
import pytest

from skseq import GRUForecaster
from skseq.forecasting import WindowedForecaster

SERIES_STEP = 10_000  # offset of each series' values
TARGET_STEP = 1_000  # offset of a second target's values


@pytest.fixture
def trained_on(monkeypatch):
    """Records the targets of every Keras ``fit``: (train, validation, weights)."""
    calls = []
    original = keras.Model.fit

    def spy(self, x=None, y=None, *args, validation_data=None, **kwargs):
        weights = kwargs.get("sample_weight")
        if y is None:  # a batch source: its batches, then its validation part
            train, weights = _targets_of(x)
            if isinstance(validation_data, tuple):  # arrays, fed by tf.data
                validation = validation_data[1]
            else:
                validation, _ = _targets_of(validation_data)
        else:
            train = np.asarray(y)
            validation = None if validation_data is None else validation_data[1]
        calls.append((train, validation, weights))
        return original(self, x, y, *args, validation_data=validation_data, **kwargs)

    monkeypatch.setattr(keras.Model, "fit", spy)
    return calls


def _targets_of(source):
    """The targets (and weights) of a batch source: a ``PyDataset`` of skseq's
    feeders, or the ``tf.data`` pipeline arrays are fed through on TensorFlow."""
    if source is None:
        return None, None
    if hasattr(source, "as_numpy_iterator"):  # tf.data: one pass over its batches
        batches = list(source.as_numpy_iterator())
    else:
        batches = [source[i] for i in range(len(source))]
    targets = np.concatenate([np.asarray(batch[1]) for batch in batches])
    if len(batches[0]) < 3:
        return targets, None
    return targets, np.concatenate([np.asarray(batch[2]) for batch in batches])


def _network(**params):
    return GRUForecaster(
        2, epochs=1, batch_size=8, random_state=0, early_stopping=True, **params
    )


def _model(horizon, feed, **params):
    return WindowedForecaster(
        _network(validation_fraction=0.1),
        window=4,
        horizon=horizon,
        scale=False,
        difference=None,
        feed=feed,
        **params,
    )


def _rows(targets, horizon, n_targets=1):
    """The first target's rows of each window: (n_windows, horizon)."""
    flat = np.rint(targets.reshape(len(targets), horizon, n_targets)[..., 0])
    return flat.astype(np.int64)


def _check_purged(train, validation, lengths, gap_expected):
    """No training row of a series is one of its validation rows; its
    validation windows are its latest, the ``gap_expected`` before them left
    out."""
    train_rows, validation_rows = set(train.ravel()), set(validation.ravel())
    assert not train_rows & validation_rows
    for k, length in enumerate(lengths):
        own = validation[validation[:, 0] // SERIES_STEP == k]
        if not len(own):
            continue
        last = k * SERIES_STEP + length - 1
        first_window = own[:, 0].min()
        # the latest windows of the series, every one of them
        assert own[:, -1].max() == last
        assert len(own) == last - own.shape[1] + 1 - first_window + 1
        trained = train[train[:, 0] // SERIES_STEP == k]
        assert trained[:, 0].max() == first_window - gap_expected - 1


@pytest.mark.parametrize("feed", ["arrays", "batches"])
def test_one_series_trains_on_no_validation_target(trained_on, feed):
    # 29 windows at horizon 12: 3 validate, 11 of their 14 rows were trained on
    series = pd.Series(np.arange(44.0))
    _model(12, feed).fit(series)
    train, validation, _ = trained_on[-1]
    _check_purged(_rows(train, 12), _rows(validation, 12), [44], 11)
    assert len(validation) == 3


def test_one_series_multi_target_and_zero_weights(trained_on):
    rows = np.arange(60.0)
    frame = pd.DataFrame({"a": rows, "b": rows + TARGET_STEP})
    weights = np.ones(60)
    weights[30:40] = 0  # windows forecasting these rows are left out first
    _model(3, "arrays").fit(frame, sample_weight=weights)
    train, validation, _ = trained_on[-1]
    train, validation = _rows(train, 3, 2), _rows(validation, 3, 2)
    _check_purged(train, validation, [60], 2)


def _panel(lengths):
    return {
        f"s{k}": pd.Series(np.arange(length, dtype=float) + k * SERIES_STEP)
        for k, length in enumerate(lengths)
    }


@pytest.mark.parametrize("feed", ["arrays", "batches"])
@pytest.mark.parametrize("sampling", ["window", "series"])
def test_panel_trains_on_no_validation_target_of_a_series(trained_on, feed, sampling):
    lengths = [40, 60, 30]
    model = _model(4, feed, series_id="series", sampling=sampling)
    model.fit(_panel(lengths))
    train, validation, weights = trained_on[-1]
    train, validation = _rows(train, 4), _rows(validation, 4)
    _check_purged(train, validation, lengths, 3)
    if sampling == "series":  # every series' training windows weigh the same
        series = train[:, 0] // SERIES_STEP
        sums = np.bincount(series, weights=np.ravel(weights))
        np.testing.assert_allclose(sums, sums[0], rtol=1e-5)


@pytest.mark.parametrize("feed", ["arrays", "batches"])
def test_purge_leaving_no_training_window_is_refused(feed):
    series = pd.Series(np.arange(20.0))
    model = WindowedForecaster(
        _network(validation_fraction=0.5),
        window=4,
        horizon=6,
        scale=False,
        difference=None,
        feed=feed,
    )
    with pytest.raises(ValueError, match="no training window.*early_stopping=False"):
        model.fit(series)


def test_without_early_stopping_every_window_trains(trained_on):
    series = pd.Series(np.arange(44.0))
    model = _model(12, "arrays")
    model.set_params(estimator__early_stopping=False).fit(series)
    train, _, _ = trained_on[-1]
    assert len(train) == 44 - 4 - 12 + 1


def test_fitted_estimator_keeps_its_validation_fraction():
    model = _model(12, "arrays").fit(pd.Series(np.arange(44.0)))
    assert model.estimator_.validation_fraction == 0.1


def _strategy_model(strategy):
    return WindowedForecaster(
        _network(validation_fraction=0.1, strategy=strategy),
        window=4,
        horizon=3,
        scale=False,
        difference=None,
        feed="arrays",
    )


def test_seq2seq_purges_every_window_its_step_targets_reach(trained_on):
    # a target after every input step: windows 4 + 3 - 2 apart share rows
    _strategy_model("seq2seq").fit(pd.Series(np.arange(60.0)))
    train, validation, _ = trained_on[-1]
    rows = [set(np.rint(values).astype(int).ravel()) for values in (train, validation)]
    assert not rows[0] & rows[1]
    assert max(rows[1]) == 59 and len(validation) == 6
    assert len(train) == 54 - 6 - 5


def test_recursive_trains_one_step_ahead_and_purges_nothing(trained_on):
    _strategy_model("recursive").fit(pd.Series(np.arange(60.0)))
    train, validation, _ = trained_on[-1]
    assert len(train) == 54 - 6 and len(validation) == 6
    assert np.rint(train).max() < np.rint(validation).min()
