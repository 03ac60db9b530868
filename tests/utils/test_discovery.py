"""Estimator discovery, and the meta-test of the test registries built on it."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sklearn.base import BaseEstimator, clone

import skseq
from skseq.utils._testing import get_test_params, test_instances
from skseq.utils.discovery import all_estimators

ROOT = Path(__file__).resolve().parents[2]
CLASSES = [cls for _, cls in all_estimators()]


def _test_module(path):
    """A test module of the suite, imported by path (tests is no package)."""
    spec = importlib.util.spec_from_file_location(Path(path).stem, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_all_estimators_finds_the_exported_estimators():
    found = all_estimators()
    names = [name for name, _ in found]
    assert names == sorted(names)
    assert all(getattr(skseq, name) is cls for name, cls in found)
    exported = {
        name
        for name in skseq.__all__
        if isinstance(getattr(skseq, name), type)
        and issubclass(getattr(skseq, name), BaseEstimator)
    }
    assert set(names) == exported
    assert "SeriesSplit" not in names  # a splitter, not an estimator


@pytest.mark.parametrize(
    "type_filter, expected",
    [
        ("meta-estimator", {"ConformalForecaster", "WindowedForecaster"}),
        ("transformer", {"FlattenSequence", "SequenceNormalizer", "SequenceScaler"}),
        (["classifier"], {"GRUClassifier", "NextStepClassifier", "WaveNetClassifier"}),
        ("forecaster", {"NaiveForecaster", "GRUForecaster", "WindowedForecaster"}),
        ("keras", {"DenseForecaster", "ConvClassifier"}),
    ],
)
def test_type_filter(type_filter, expected):
    names = {name for name, _ in all_estimators(type_filter)}
    assert expected <= names
    assert len(names) < len(CLASSES)


def test_type_filters_are_unions():
    both = all_estimators(["classifier", "transformer"])
    assert set(both) == set(all_estimators("classifier")) | set(
        all_estimators("transformer")
    )
    assert not set(all_estimators("keras")) & set(all_estimators("meta-estimator"))


@pytest.mark.parametrize("type_filter", ["regressor", ["classifier", "cluster"], []])
def test_unknown_type_filter_is_named(type_filter):
    with pytest.raises(ValueError, match=r"type_filter must be None, one of"):
        all_estimators(type_filter)


def test_discovery_imports_no_keras():
    code = (
        "import sys; from skseq.utils.discovery import all_estimators; "
        "from skseq.utils._testing import test_instances; "
        "all_estimators(); test_instances(); "
        "assert not {'keras', 'tensorflow', 'jax'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


# -- every class brings its test parameters, documentation and registries -------
@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_estimator_has_test_params(cls):
    # one place per class: its own, not a base class's
    assert "_get_test_params" in vars(cls), f"{cls.__name__}: add _get_test_params"
    for params in get_test_params(cls):
        estimator = cls(**params)
        assert estimator.get_params(deep=False).keys() >= params.keys()
        assert clone(estimator).get_params(deep=False).keys() == (
            estimator.get_params(deep=False).keys()
        )
    first = get_test_params(cls)[0]
    if "epochs" in first:  # Keras: the fast settings, shared
        assert first["epochs"] <= 2 and first["random_state"] == 0


def test_get_test_params_is_checked():
    class NoParams(BaseEstimator):
        pass

    with pytest.raises(TypeError, match="NoParams has no _get_test_params"):
        get_test_params(NoParams)

    class EmptyParams(BaseEstimator):
        @classmethod
        def _get_test_params(cls):
            return []

    with pytest.raises(TypeError, match="must return a list"):
        get_test_params(EmptyParams)


def test_instances_have_readable_unique_ids():
    ids = [name for name, _ in test_instances()]
    assert len(ids) == len(set(ids))
    assert [name for name, _ in test_instances(variants=False)] == [
        cls.__name__ for cls in CLASSES
    ]
    assert "WindowedForecaster(estimator=GRUForecaster,window=8,horizon=2)" in ids


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_estimator_is_in_the_api_reference(cls):
    text = (ROOT / "docs" / "api.rst").read_text()
    assert re.search(rf"^   {cls.__name__}$", text, re.MULTILINE)


def test_every_estimator_is_in_every_registry():
    """The registries are built from discovery: a new exported class is tested
    by sklearn's checks (unless test_common excludes it, with a reason), the
    bad-input matrix (or its series and next-step tests) and persistence."""
    common = _test_module("tests/test_common.py")
    bad = _test_module("tests/test_bad_input.py")
    in_common = {type(e) for e in common.ESTIMATORS} | set(common.NOT_CHECKED)
    bad_registries = (bad.SEQUENCE_MODELS, bad.CLASSIFIERS, bad.TRANSFORMERS)
    in_bad = {type(e) for registry in bad_registries for e in registry.values()}
    for cls in CLASSES:
        assert cls in in_common, cls
        instance = cls(**get_test_params(cls)[0])
        own_tests = (
            bad._takes_a_series(instance)
            or bad._self_supervised(instance)
            or not instance.__sklearn_tags__().requires_fit
        )
        assert cls in in_bad or own_tests, cls
    persisted = {type(e) for _, e in test_instances()}
    assert persisted == set(CLASSES)
    assert all(reason for reason in common.NOT_CHECKED.values())
