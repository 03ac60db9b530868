"""The API docs tell the truth about the code they document.

For every public class and function of skseq's packages (their ``__all__``) and
the public methods skseq defines on those classes:

- the Parameters section documents exactly the parameters the signature takes;
- a stated default (``default=X``, the package's convention) equals the real one,
  and a parameter with a default says so (a default, "optional", or the type
  ``None`` of an ignored ``y``);
- no docstring rendered in the API reference names a private module
  (``skseq.windowing._feeder``) that users should not import from;
- after a tiny fit of each public estimator, every documented attribute exists
  and every public attribute ending in ``_`` is documented (sklearn's rule), and
  ``predict``, ``predict_proba`` and ``transform`` return the documented shapes.

The fits are univariate, so a shape such as ``(n_samples, n_timesteps *
n_features)`` cannot be told from ``(n_samples, n_timesteps)`` here.
"""

import ast
import importlib
import inspect
import re
import warnings

import numpy as np
import pytest
from sklearn.base import is_classifier, is_regressor

from skseq.utils._testing import get_test_params
from skseq.utils.discovery import all_estimators

docscrape = pytest.importorskip("numpydoc.docscrape")

PACKAGE_NAMES = (
    "skseq",
    "skseq.windowing",
    "skseq.forecasting",
    "skseq.metrics",
    "skseq.networks",
    "skseq.datasets",
    "skseq.plotting",
)
PRIVATE_PATH = re.compile(r"skseq(\.\w+)*\._\w+")
# "int, default=20" or "float or None, default=None" on the type line.
STATED_DEFAULT = re.compile(r"\bdefault\s*=\s*(.+)$")
# Type lines of parameters with a default that state none: sklearn's "y : None"
# (ignored, there for API consistency) and "optional".
NO_DEFAULT_NEEDED = re.compile(r"^None$|\boptional\b")
# "As in :func:`skseq.networks.build_wavenet`." documents a parameter by
# reference: its default must then be the referenced signature's.
AS_IN = re.compile(r"^As in :(?:func|class):`~?([\w.]+)`")
VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


def _public_objects():
    """``{"package.name": object}`` for the classes and functions skseq defines."""
    seen = {}
    for package_name in PACKAGE_NAMES:
        package = importlib.import_module(package_name)
        for name in package.__all__:
            obj = getattr(package, name)
            defined_here = getattr(obj, "__module__", "").startswith("skseq")
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and defined_here:
                seen[f"{package_name}.{name}"] = obj
    return seen


PUBLIC = _public_objects()


def _unwrap(member):
    """The function behind a class attribute: plain, class or static method, or
    sklearn's ``available_if``; None for properties and sklearn's ``set_*_request``."""
    if isinstance(member, (classmethod, staticmethod)):
        member = member.__func__
    member = getattr(member, "fn", member)  # available_if's descriptor
    return member if inspect.isfunction(member) else None


def _methods(cls):
    """Public methods of ``cls`` written in skseq, first definition in the MRO."""
    found = {}
    for klass in cls.__mro__:
        if not klass.__module__.startswith("skseq"):
            continue
        for name, member in vars(klass).items():
            function = _unwrap(member)
            if not name.startswith("_") and function and name not in found:
                found[name] = function
    return found


def _init_parameters(cls):
    """The parameters of ``cls(...)``: an ``__init__`` that passes ``**kwargs``
    on to an skseq base class takes that class's parameters too. A base outside
    skseq (a Keras layer) counts as its ``**kwargs``."""
    parameters = {}
    for klass in cls.__mro__:
        if "__init__" not in vars(klass) or klass is object:
            continue
        if not klass.__module__.startswith("skseq"):
            if not parameters:
                parameters["kwargs"] = inspect.Parameter(
                    "kwargs", inspect.Parameter.VAR_KEYWORD
                )
            break
        own = inspect.signature(klass.__init__).parameters
        passed_on = {k: v for k, v in parameters.items() if v.kind not in VARIADIC}
        parameters = {**own, **passed_on}
        parameters.pop("self", None)
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in own.values()):
            break
    return parameters


def _documented_callables():
    """``(id, function parameters, numpydoc object)`` of every documented signature."""
    found = {}
    for name, obj in PUBLIC.items():
        if not inspect.isclass(obj):
            found[name] = (_signature(obj), docscrape.FunctionDoc(obj))
            continue
        doc = docscrape.ClassDoc(obj, config={"show_class_members": False})
        found[name] = (_init_parameters(obj), doc)
        for method_name, function in _methods(obj).items():
            if function.__doc__:
                doc = docscrape.FunctionDoc(function)
                found[f"{name}.{method_name}"] = (_signature(function), doc)
    return found


def _signature(function):
    parameters = dict(inspect.signature(function).parameters)
    return {k: v for k, v in parameters.items() if k not in ("self", "cls")}


def _documented(doc, section):
    """``{name: numpydoc Parameter}``, splitting ``"a, b : int"`` entries."""
    return {
        part.strip().lstrip("*"): entry
        for entry in doc[section]
        for part in entry.name.split(",")
    }


with warnings.catch_warnings():
    warnings.simplefilter("error")  # a malformed docstring fails collection
    DOCUMENTED = _documented_callables()


def test_public_objects_found():
    assert {
        "skseq.GRUForecaster",
        "skseq.networks.build_wavenet",
        "skseq.windowing.window_view",
        "skseq.metrics.get_scorer",
        "skseq.forecasting.WindowedForecaster.predict_interval",
    } <= set(DOCUMENTED)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_documented_parameters_match_the_signature(name):
    parameters, doc = DOCUMENTED[name]
    taken = {k for k, p in parameters.items() if p.kind not in VARIADIC}
    variadic = set(parameters) - taken  # may be documented, need not be
    documented = set(_documented(doc, "Parameters"))
    assert documented - variadic == taken, (
        f"undocumented: {sorted(taken - documented)}, "
        f"documented but not taken: {sorted(documented - taken - variadic)}"
    )


def _stated_default(entry):
    match = STATED_DEFAULT.search(entry.type)
    return None if match is None else match.group(1).strip()


def _same_default(text, value):
    numpy_name = text.startswith("np.")  # dtypes: default=np.float32
    stated = getattr(np, text[3:]) if numpy_name else ast.literal_eval(text)
    if isinstance(value, bool) or isinstance(stated, bool):
        return stated is value
    if isinstance(value, (int, float)) and isinstance(stated, (int, float)):
        return stated == value
    return type(stated) is type(value) and stated == value


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_documented_defaults_are_the_real_ones(name):
    parameters, doc = DOCUMENTED[name]
    wrong = []
    for parameter_name, entry in _documented(doc, "Parameters").items():
        parameter = parameters.get(parameter_name)
        if parameter is None or parameter.kind in VARIADIC:
            continue  # reported by the test above
        text = _stated_default(entry)
        real = parameter.default
        reference = AS_IN.match(" ".join(entry.desc))
        if text is None and reference:
            referenced = _referenced_default(reference.group(1), parameter_name)
            if referenced != real:
                wrong.append(f"{parameter_name}: {real!r}, {referenced!r} referenced")
        elif text is None:
            if real is not parameter.empty and not NO_DEFAULT_NEEDED.search(entry.type):
                wrong.append(f"{parameter_name}: states no default, has {real!r}")
        elif real is parameter.empty:
            wrong.append(f"{parameter_name}: states default={text}, is required")
        elif not _same_default(text, real):
            wrong.append(f"{parameter_name}: states default={text}, is {real!r}")
    assert not wrong, wrong


def _referenced_default(path, parameter_name):
    module_name, name = path.rsplit(".", 1)
    obj = getattr(importlib.import_module(module_name), name)
    parameters = _init_parameters(obj) if inspect.isclass(obj) else _signature(obj)
    return parameters[parameter_name].default


def _docstrings(obj):
    yield obj.__doc__ or ""
    if inspect.isclass(obj):
        for name, member in vars(obj).items():
            if not name.startswith("_"):
                yield getattr(member, "__doc__", None) or ""


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_names_no_private_module(name):
    for doc in _docstrings(PUBLIC[name]):
        assert not PRIVATE_PATH.search(doc), PRIVATE_PATH.search(doc).group()


# -- fitted attributes

# Documented attributes a tiny fit on NumPy arrays does not set, by design; the
# docstring must say when they exist (the test checks it names the condition).
CONDITIONAL = {
    # sklearn's rule: only when X has string column names (a DataFrame).
    "feature_names_in_": "only when",
    # WindowedForecaster: only around an estimator with a probabilistic head.
    "quantiles_": "only when",
    # WindowedForecaster: a panel of several series only.
    "series_ids_": "With ``series_id``",
}


def _fit(estimator, data):
    """Fit on tiny ``data``, the way each kind of estimator is fitted."""
    if "window" in estimator.get_params():  # takes one series
        return estimator.fit(data["series"])
    if not estimator.__sklearn_tags__().target_tags.required:
        if is_classifier(estimator):  # self-supervised: next tokens
            return estimator.fit(data["tokens"])
        return estimator.fit(data["X"])
    y = data["labels"] if is_classifier(estimator) else data["y"]
    assert is_classifier(estimator) or is_regressor(estimator)
    return estimator.fit(data["X"], y)


ESTIMATORS = [cls for _, cls in all_estimators()]


@pytest.fixture(scope="module", params=ESTIMATORS, ids=lambda cls: cls.__name__)
def fitted(request, tiny_data):
    """A tiny fitted instance of each public estimator, with its docstring."""
    cls = request.param
    estimator = cls(**get_test_params(cls)[0])
    if "batch_size" in estimator.get_params():
        estimator.set_params(batch_size=16, epochs=1)  # one gradient step
    doc = docscrape.ClassDoc(cls, config={"show_class_members": False})
    return _fit(estimator, tiny_data()), _documented(doc, "Attributes")


def test_documented_attributes_exist_after_fit(fitted):
    estimator, documented = fitted
    missing = [name for name in documented if not hasattr(estimator, name)]
    unexplained = [
        name
        for name in missing
        if CONDITIONAL.get(name, "\0") not in " ".join(documented[name].desc)
    ]
    assert not unexplained, f"documented but not set by fit: {unexplained}"


def test_fitted_attributes_are_documented(fitted):
    estimator, documented = fitted
    names = set(vars(estimator)) | set(dir(type(estimator)))
    fitted_names = {
        name
        for name in names
        if name.endswith("_") and not name.startswith("_") and hasattr(estimator, name)
    }
    assert not fitted_names - set(documented), sorted(fitted_names - set(documented))


# -- shapes of what the prediction methods return

SHAPE = re.compile(r"shape \(([^()]*)\)")
SHAPED_METHODS = ("predict", "predict_proba", "transform")


def _sizes(estimator, X):
    """The sizes the docstrings' shapes name, for the tiny fit's ``X``."""
    shape = np.shape(X)
    sizes = {"n_samples": shape[0]}
    if len(shape) > 1:  # sequences, not one series
        sizes["n_timesteps"] = shape[1]
        sizes["n_features"] = shape[2] if len(shape) > 2 else 1
    for name in ("horizon", "n_targets", "n_features_in", "n_timesteps_in", "window"):
        if hasattr(estimator, f"{name}_"):
            sizes[name] = getattr(estimator, f"{name}_")
    sizes.setdefault("n_features", sizes.get("n_features_in"))
    if hasattr(estimator, "classes_"):
        sizes["n_classes"] = len(estimator.classes_)
    return sizes


def _documented_shapes(text, sizes):
    """Each ``shape (a, b)`` of a Returns type, as a tuple of ints (None where
    the size is not known here, such as ``n_windows``)."""
    shapes = []
    for inside in SHAPE.findall(text.replace("`", "")):
        parts = [part.strip() for part in inside.split(",") if part.strip()]
        shape = []
        for part in parts:
            try:
                shape.append(eval(part, {"__builtins__": {}}, sizes))  # a * b
            except NameError:
                shape.append(None)
        shapes.append(tuple(shape))
    return shapes


def _matches(shape, documented):
    return len(shape) == len(documented) and all(
        expected is None or expected == size
        for size, expected in zip(shape, documented, strict=True)
    )


def test_documented_return_shapes(fitted, tiny_data):
    estimator, _ = fitted
    data = tiny_data()
    self_supervised = not estimator.__sklearn_tags__().target_tags.required
    X = data["tokens"] if is_classifier(estimator) and self_supervised else data["X"]
    if "window" in estimator.get_params():  # takes one series
        if not hasattr(estimator, "transform"):
            pytest.skip("predict returns pandas objects indexed like the series")
        X = data["series"]
    sizes = _sizes(estimator, X)
    checked = 0
    for name in SHAPED_METHODS:
        if not hasattr(estimator, name):
            continue
        (entry, *_) = docscrape.FunctionDoc(getattr(estimator, name))["Returns"]
        shape = np.shape(getattr(estimator, name)(X))
        if "the shape ``y`` had" in entry.type:
            assert shape == np.shape(data["y"]), (name, shape)
        elif "the shape of ``X``" in entry.type:
            assert shape == np.shape(X), (name, shape)
        else:
            documented = _documented_shapes(entry.type, sizes)
            assert any(_matches(shape, d) for d in documented), (name, shape, entry)
        checked += 1
    assert checked, "no prediction method checked"


LAST_AXIS = re.compile(r"the shape ``y`` had in ``fit`` plus a last axis of ``(.+?)``")


@pytest.mark.parametrize("loss", ["quantile", "gaussian"])
def test_documented_shapes_of_probabilistic_forecasts(loss, tiny_data):
    from skseq import DenseForecaster

    data = tiny_data()
    X, y = data["X"], data["y"]
    model = DenseForecaster(loss=loss, epochs=1, batch_size=16, random_state=0)
    model.fit(X, y)
    calls = {
        "predict_interval": lambda: model.predict_interval(X)[0],
        "predict_quantiles": lambda: model.predict_quantiles(X),
        "predict_samples": lambda: model.predict_samples(X, n_samples=5),
    }
    if loss == "quantile":
        del calls["predict_samples"]  # a distribution head's only
    sizes = {"len(quantiles)": len(model.quantiles_), "n_samples": 5}
    for name, call in calls.items():
        (entry, *_) = docscrape.FunctionDoc(getattr(model, name))["Returns"]
        extra = LAST_AXIS.search(entry.type)
        expected = y.shape + ((sizes[extra.group(1)],) if extra else ())
        assert "the shape ``y`` had in ``fit``" in entry.type, (name, entry.type)
        assert np.shape(call()) == expected, name
