"""Bach's chorales (JSB Chorales), shipped with skseq."""

import io
import tarfile
from importlib import resources

import numpy as np

__all__ = ["load_chorales"]

_FILENAME = "jsb_chorales.tgz"
# sha256 of data/jsb_chorales.tgz as published in shared/data/README.md.
CHORALES_SHA256 = "e722fbc866fc1ba0bac56a6fcad95d7e3e584da80173e13932e3da441440efd7"
_SPLITS = ("train", "valid", "test")


def chorales_path():
    """Return a traversable path to the archive shipped inside the package."""
    return resources.files("skseq.datasets") / "data" / _FILENAME


def load_chorales():
    """Load the 382 Bach chorales of the chapter's exercise, split as published.

    Each chorale is a sequence of chords, one per time step (a sixteenth note),
    of four voices (soprano, alto, tenor, bass); each voice holds a MIDI note
    number from 36 (C2) to 81 (A5; 60 is middle C, C4), or 0 for silence (the
    chapter's "36 (C1)" counts octaves from another origin than its "81
    (A5)"). Read from an archive
    shipped inside skseq (no network access).

    Returns
    -------
    train : list of 229 ndarray of shape (n_timesteps_i, 4), dtype int64
    valid : list of 76 ndarray of shape (n_timesteps_i, 4), dtype int64
    test : list of 77 ndarray of shape (n_timesteps_i, 4), dtype int64
        The chorales of each split in the order of their file names
        (``chorale_000.csv``, ...); they last 100 to 640 time steps.

    Notes
    -----
    Source: the JSB Chorales data set of Boulanger-Lewandowski, Bengio and
    Vincent (2012), "Modeling Temporal Dependencies in High-Dimensional
    Sequences", with their train/valid/test split; Bach's chorales are in the
    public domain. As used by the exercise of the chapter "Processing Sequences
    Using RNNs and CNNs" of Géron's *Hands-On Machine Learning*.

    Examples
    --------
    >>> from skseq.datasets import load_chorales
    >>> train, valid, test = load_chorales()
    >>> len(train), len(valid), len(test)
    (229, 76, 77)
    >>> train[0].shape, train[0][0].tolist()
    ((192, 4), [74, 70, 65, 58])
    """
    splits = {name: [] for name in _SPLITS}
    data = chorales_path().read_bytes()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        members = sorted(
            (m for m in archive.getmembers() if m.isfile() and m.name.endswith(".csv")),
            key=lambda member: member.name,
        )
        for member in members:
            split = member.name.split("/")[-2]
            chorale = np.loadtxt(
                archive.extractfile(member), delimiter=",", skiprows=1, dtype=np.int64
            )
            splits[split].append(chorale.reshape(-1, 4))
    return tuple(splits[name] for name in _SPLITS)
