"""The Bach chorales shipped inside the package."""

import hashlib

import numpy as np
import pytest

from skseq.datasets import load_chorales
from skseq.datasets._chorales import CHORALES_SHA256, chorales_path

# The checksum published with the data (shared/data/README.md).
README_SHA256 = "e722fbc866fc1ba0bac56a6fcad95d7e3e584da80173e13932e3da441440efd7"


@pytest.fixture(scope="module")
def chorales():
    return load_chorales()


def test_shipped_archive_is_the_published_one():
    data = chorales_path().read_bytes()
    assert hashlib.sha256(data).hexdigest() == README_SHA256 == CHORALES_SHA256


def test_published_split_sizes_and_shapes(chorales):
    train, valid, test = chorales
    assert (len(train), len(valid), len(test)) == (229, 76, 77)
    lengths = [len(c) for split in chorales for c in split]
    assert min(lengths) == 100 and max(lengths) == 640
    for chorale in train + valid + test:
        assert chorale.ndim == 2 and chorale.shape[1] == 4
        assert chorale.dtype == np.int64
    # chorale_000.csv of the training split opens with this chord
    assert train[0][0].tolist() == [74, 70, 65, 58]


def test_notes_are_piano_keys_36_to_81_or_silence(chorales):
    notes = np.concatenate([c.ravel() for split in chorales for c in split])
    sounding = notes[notes != 0]
    assert sounding.min() == 36 and sounding.max() == 81
    assert (notes == 0).any()


def test_loading_twice_gives_independent_equal_arrays(chorales):
    again = load_chorales()
    np.testing.assert_array_equal(again[2][5], chorales[2][5])
    again[2][5][0, 0] = -1
    assert chorales[2][5][0, 0] != -1
