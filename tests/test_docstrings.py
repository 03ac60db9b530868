"""The API reference shows public names only: no docstring rendered there names a
private module (``skseq.windowing._feeder``) that users should not import from."""

import inspect
import re

import pytest

import skseq
import skseq.datasets
import skseq.forecasting
import skseq.networks
import skseq.plotting

PRIVATE_PATH = re.compile(r"skseq(\.\w+)*\._\w+")
PACKAGES = (skseq, skseq.datasets, skseq.forecasting, skseq.networks, skseq.plotting)


def _public_objects():
    seen = {}
    for package in PACKAGES:
        for name in getattr(package, "__all__", dir(package)):
            obj = getattr(package, name)
            if not name.startswith("_") and (inspect.isclass(obj) or callable(obj)):
                seen[f"{package.__name__}.{name}"] = obj
    return seen


def _docstrings(obj):
    yield obj.__doc__ or ""
    if inspect.isclass(obj):
        for name, member in vars(obj).items():
            if not name.startswith("_"):
                yield getattr(member, "__doc__", None) or ""


@pytest.mark.parametrize("name, obj", sorted(_public_objects().items()))
def test_docstring_names_no_private_module(name, obj):
    for doc in _docstrings(obj):
        assert not PRIVATE_PATH.search(doc), PRIVATE_PATH.search(doc).group()


def test_public_objects_found():
    assert {"skseq.GRUForecaster", "skseq.networks.build_wavenet"} <= set(
        _public_objects()
    )
