"""A panel's batches found from per-series window counts (``RecencyIndex``,
``PanelBatches``): the batches of ``WindowBatches`` given every start, with
memory per series and row, none per window."""

import math
import subprocess
import sys

import numpy as np
import pytest

from skseq.forecasting._panel_windows import recency_order, series_of, series_weights
from skseq.windowing import _panel_feeder
from skseq.windowing._panel_feeder import RecencyIndex


def test_importing_the_module_loads_no_backend():
    code = (
        "import sys; import skseq.windowing._panel_feeder; "
        "heavy = [m for m in ('keras', 'tensorflow') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def panel_counts(seed, n_series, max_windows):
    """Window counts (some 0), design rows of each series, and first rows."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, max_windows + 1, size=n_series)
    counts[rng.integers(n_series)] = max_windows
    lengths = counts + rng.integers(3, 6, size=n_series)
    first_rows = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return counts, first_rows, int(lengths.sum())


@pytest.mark.parametrize(
    ("seed", "n_series", "max_windows"), [(0, 1, 5), (1, 7, 9), (2, 700, 30)]
)
def test_recency_index_numbers_the_windows_as_recency_order(
    seed, n_series, max_windows, monkeypatch
):
    # blocks of 4 series: the rank table's scan over blocks is exercised
    monkeypatch.setattr(_panel_feeder, "SELECT_BLOCK", 4)
    counts, first_rows, _ = panel_counts(seed, n_series, max_windows)
    starts, keys = recency_order(counts, first_rows)
    index = RecencyIndex(counts, first_rows)
    numbers = np.arange(index.n_windows)
    assert index.n_windows == len(starts)
    np.testing.assert_array_equal(index.starts(numbers), starts)
    np.testing.assert_array_equal(-index.distances(numbers), keys)
    series = index.locate(numbers)[0]
    for stop in (0, 1, len(starts) // 3, len(starts)):
        expected = np.bincount(series[:stop], minlength=n_series)
        np.testing.assert_array_equal(index.series_counts(stop), expected)


@pytest.fixture(scope="module")
def classes():
    from skseq.windowing._feeder import WindowBatches
    from skseq.windowing._panel_feeder import PanelBatches

    return WindowBatches, PanelBatches


def design(n_rows, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n_rows, 2)).astype(np.float32), rng.normal(
        size=(n_rows, 1)
    ).astype(np.float32)


def batches_of(source):
    """Every batch of two epochs, as the Keras loop asks for them."""
    out = []
    for _ in range(2):
        out += [source[i] for i in range(len(source))]
        source.on_epoch_end()
    return out


@pytest.mark.parametrize("sampling", ["window", "series"])
@pytest.mark.parametrize("fraction", [None, 0.3])
def test_panel_batches_are_window_batches_of_every_start(classes, sampling, fraction):
    WindowBatches, PanelBatches = classes
    window, horizon = 3, 2
    counts, first_rows, n_rows = panel_counts(3, 40, 12)
    inputs, outputs = design(n_rows)
    starts, keys = recency_order(counts, first_rows)
    # early stopping holds out the latest windows: each part is weighed apart
    held_out = 0 if fraction is None else math.ceil(len(starts) * fraction)
    series = series_of(starts, counts, first_rows)
    weights = series_weights(sampling, series, held_out)
    per_start = None
    if weights is not None:
        per_start = np.zeros(n_rows - window - horizon + 1)
        per_start[starts] = weights
    old = WindowBatches(
        inputs,
        outputs,
        window,
        horizon,
        batch_size=16,
        starts=starts,
        sample_weight=per_start,
        split_order=keys,
    )
    new = PanelBatches(
        inputs,
        outputs,
        RecencyIndex(counts, first_rows),
        window,
        horizon,
        batch_size=16,
        sampling=sampling,
    )
    pairs = [(old, new)]
    np.testing.assert_array_equal(old.peek()[0], new.peek()[0])
    old, new = (s.replace(shuffle=True, seed=5) for s in (old, new))
    if fraction is not None:
        pairs = list(zip(old.split(fraction), new.split(fraction), strict=True))
    else:
        pairs = [(old, new)]
    for old, new in pairs:
        assert (len(old), old.n_windows) == (len(new), new.n_windows)
        for expected, got in zip(batches_of(old), batches_of(new), strict=True):
            assert len(expected) == len(got)
            for a, b in zip(expected, got, strict=True):
                np.testing.assert_allclose(b, a, rtol=1e-6)
                assert a.dtype == b.dtype


def array_sizes(source):
    """Sizes of the arrays a source and its index hold, by attribute name."""
    sizes = {}
    for owner, obj in (("source", source), ("index", source.index)):
        for name, value in vars(obj).items():
            if isinstance(value, np.ndarray):
                sizes[f"{owner}.{name}"] = value.size
    return sizes


@pytest.mark.parametrize("sampling", ["window", "series"])
def test_panel_batches_hold_no_array_per_window(classes, sampling):
    """Every array a source holds has a size per series, or per window of its
    longest series (the distance blocks), but the design rows and, while
    shuffling, the one int32 permutation of its window numbers."""
    _, PanelBatches = classes
    n_rows, window, horizon = 4000, 2, 1
    inputs, outputs = design(n_rows)
    counts = np.array([900, 899, 0, 450])
    source = PanelBatches(
        inputs,
        outputs,
        RecencyIndex(counts, np.array([0, 1000, 2000, 3000])),
        window,
        horizon,
        batch_size=8,
        sampling=sampling,
    )
    train, validation = source.replace(shuffle=True, seed=0).split(0.2)
    for part in (source, train, validation):
        part[len(part) - 1]
    order = train._order
    assert order.dtype == np.int32 and order.size == train.n_windows
    train.on_epoch_end()
    assert train._order is None  # no permutation outlives an epoch
    for part in (source, train, validation):
        sizes = array_sizes(part)
        assert sizes.pop("source.inputs") == n_rows * 2
        assert sizes.pop("source.outputs") == n_rows
        assert sizes.pop("index.block_starts") == counts.max() + 1
        assert max(sizes.values()) <= 2 * (len(counts) + 1), sizes


@pytest.mark.parametrize("standardized", [True, False])
def test_series_scaling_cuts_the_batches_of_the_scaled_design(classes, standardized):
    """Batches cut from unscaled float64 rows and standardized per series are
    those of the design rows standardized first and cast to float32."""
    _, PanelBatches = classes
    from skseq.windowing._panel_feeder import SeriesScaling

    counts, first_rows, n_rows = panel_counts(4, 9, 10)
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(n_rows, 2)) * 10.0 ** rng.integers(0, 4, size=(1, 2))
    means = rng.normal(size=(len(counts), 2)) if standardized else None
    scales = rng.uniform(0.5, 3, size=(len(counts), 2)) if standardized else None
    design = rows.copy()
    if standardized:
        ends = np.append(first_rows[1:], n_rows)
        for k, (first, end) in enumerate(zip(first_rows, ends, strict=True)):
            design[first:end] = (rows[first:end] - means[k]) / scales[k]
    design = design.astype(np.float32)
    index = RecencyIndex(counts, first_rows)
    args = 2, 1  # window and horizon that fit panel_counts' rows
    expected = PanelBatches(
        design, design, index, *args, batch_size=8, shuffle=True, seed=0
    )
    lazy = PanelBatches(
        rows,
        rows,
        index,
        *args,
        batch_size=8,
        shuffle=True,
        seed=0,
        series_scaling=SeriesScaling(means, scales),
    )
    assert lazy.inputs is rows  # no float32 copy of the rows
    np.testing.assert_array_equal(lazy.peek()[0], expected.peek()[0])
    for a, b in zip(batches_of(expected), batches_of(lazy), strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_array_equal(y, x)
            assert y.dtype == np.float32


def test_series_sampling_weighs_every_series_the_same_after_a_split(classes):
    # the weights were 1 / a series' windows in the whole panel, so once the
    # latest were held out the series' training windows summed unequally
    _, PanelBatches = classes
    counts, first_rows = np.array([40, 12, 5]), np.array([0, 50, 70])
    inputs, outputs = design(80)
    source = PanelBatches(
        inputs,
        outputs,
        RecencyIndex(counts, first_rows),
        3,
        1,
        batch_size=8,
        sampling="series",
    )
    for part in source.split(0.3):
        series, _ = part.index.locate(np.arange(*part.numbers))
        weights = np.concatenate([part[i][2] for i in range(len(part))])
        # the shortest series has all its windows among the latest
        present = np.bincount(series, minlength=3) > 0
        sums = np.bincount(series, weights[:, 0], minlength=3)[present]
        np.testing.assert_allclose(sums, sums[0], rtol=1e-5)
        assert present.sum() >= 2
        assert weights.mean() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("seed", "n_series", "purge"), [(0, 1, 2), (1, 9, 3), (2, 40, 1)]
)
def test_split_purge_keeps_the_training_windows_purge_mask_keeps(
    classes, seed, n_series, purge
):
    # the panel's batches and its arrays (purge_mask on the recency order)
    # train on the same windows: those sharing no target row with a held-out one
    from skseq.windowing._windows import purge_mask

    _, PanelBatches = classes
    counts = panel_counts(seed, n_series, 12)[0] + 6  # enough that some train
    first_rows = np.concatenate([[0], np.cumsum(counts + 6)[:-1]])
    inputs, outputs = design(int(first_rows[-1] + counts[-1] + 6))
    index = RecencyIndex(counts, first_rows)
    source = PanelBatches(inputs, outputs, index, 3, purge + 1, purge=purge)
    train, validation = source.split(0.2)
    starts, _ = recency_order(counts, first_rows)
    n_val = validation.n_windows
    np.testing.assert_array_equal(
        validation.index.starts(np.arange(*validation.numbers)), starts[-n_val:]
    )
    kept = starts[:-n_val][purge_mask(starts[:-n_val], starts[-n_val:], purge)]
    got = train.index.starts(np.arange(*train.numbers))
    assert sorted(got.tolist()) == sorted(kept.tolist())
    assert len(got) == index.n_windows - n_val - purge * min(n_val, n_series)
