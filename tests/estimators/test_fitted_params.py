"""sklearn's rule, for every public skseq estimator: what ``predict`` and its
friends return depends only on what ``fit`` learned, never on parameters changed
with ``set_params`` afterwards (until the next ``fit``)."""

import contextlib
import inspect
import warnings

import numpy as np
import pytest
from sklearn.base import is_classifier, is_regressor
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import MinMaxScaler

from skseq import NaiveForecaster
from skseq.utils._testing import get_test_params
from skseq.utils.discovery import all_estimators

ESTIMATORS = [cls for _, cls in all_estimators()]

# Candidate values of every parameter: set_params uses the first one that differs
# from the fitted value. Each is valid on its own.
ALTERNATIVES = {
    "activation": ("tanh",),
    "architecture": ("full", "simple"),
    "batch_norm": (True, False),
    "batch_size": (4,),
    "calibration_fraction": (0.3,),
    "callbacks": ([],),
    "cell": ("gru", "lstm"),
    "class_weight": ("balanced", None),
    "clipnorm": (1.0,),
    "clipvalue": (1.0,),
    "conv_filters": ((2,),),
    "dense_units": ((3,),),
    "difference": ((1,),),
    "dilation_rates": ((1,), (1, 2)),
    "dropout": (0.0, 0.2),
    "early_stopping": (True,),
    "embedding_dim": (3,),
    "epochs": (2,),
    "estimator": (NaiveForecaster(season=2),),
    "feed": ("arrays",),
    "filters": (5,),
    "future_covariates": ([],),
    "gap": (1,),
    "hidden_units": ((3,),),
    "horizon": (3,),
    "kernel_size": (3, 2),
    "layer_norm": (True,),
    "learning_rate": (0.01,),
    "loss": ("mae",),
    "mc_samples": (5,),
    "method": ("absolute",),
    "n_blocks": (2,),
    "optimizer": ("sgd",),
    "optimizer_params": ({"weight_decay": 0.01},),
    "output_head": (None, "dense"),
    "padding": ("causal", "same"),
    "past_covariates": ([],),
    "patience": (2,),
    "pooling": ("average", "max"),
    "quantiles": ((0.25, 0.75),),
    "random_state": (1,),
    "recurrent_dropout": (0.2,),
    "reduce_lr_patience": (5, None),
    "refit": (True,),
    "residual_channels": (4,),
    "restore_best_weights": (False,),
    "scale": (False,),
    "scaler": (MinMaxScaler(),),
    "sampling": ("series",),
    "season": (2,),
    "series_encoding": ("onehot",),
    "series_id": ("store",),
    "skip_channels": (4,),
    "solver": ("gradient",),
    "static_covariates": ("size",),
    "strategy": ("recursive", "direct"),
    "stride": (2,),
    "strides": (1,),
    "target": (0,),
    "target_transform": ("log",),
    "units": (3, 2),
    "validation_fraction": (0.2,),
    "verbose": (1,),
    "vocab_size": (2, None),
    "warm_start": (True,),
    "window": (5,),
}


def _make(cls):
    """The class's fast test instance, with dropout on where it has some, so
    that Monte Carlo dropout's ``predict_interval`` is checked too, with 2
    samples (the fewest allowed; the default 100 forward passes, twice, made
    this test the suite's slowest for the recurrent forecasters)."""
    estimator = cls(**get_test_params(cls)[0])
    if estimator.get_params().get("dropout") == 0:
        estimator.set_params(dropout=0.1)
    if "mc_samples" in estimator.get_params():
        estimator.set_params(mc_samples=2)
    return estimator


def _alternative(name, value):
    assert name in ALTERNATIVES, f"add an alternative value of {name!r}"
    for candidate in ALTERNATIVES[name]:
        if not _same(candidate, value):
            return candidate
    raise AssertionError(f"no alternative to {name}={value!r}")


def _same(a, b):
    return type(a) is type(b) and repr(a) == repr(b)


def _outputs(estimator, data):
    """Fit ``estimator`` on tiny ``data``; return a function giving every output
    of its prediction methods, which must not change after ``set_params``."""
    if "window" in estimator.get_params():  # takes one series
        series = data["series"]
        estimator.fit(series)
        if hasattr(estimator, "transform"):
            return lambda: {"transform": estimator.transform(series)}
        return lambda: {
            "forecast": estimator.forecast(series),
            "score": estimator.score(series),
        }
    X = data["X"]
    self_supervised = not estimator.__sklearn_tags__().target_tags.required
    if is_classifier(estimator) and self_supervised:
        tokens = data["tokens"]
        estimator.fit(tokens)
        return lambda: {
            "predict": estimator.predict(tokens),
            "predict_proba": estimator.predict_proba(tokens),
            "score": estimator.score(tokens),
            "generate": estimator.generate([0, 1], n_steps=3, random_state=0),
        }
    if is_classifier(estimator):
        y = data["labels"]
        estimator.fit(X, y)
        return lambda: {
            "predict": estimator.predict(X),
            "predict_proba": estimator.predict_proba(X),
            "score": estimator.score(X, y),
        }
    if is_regressor(estimator):
        y = data["y"]
        estimator.fit(X, y)
        sampled = getattr(estimator, "dropout", 0) > 0

        def outputs():
            result = {"predict": estimator.predict(X), "score": estimator.score(X, y)}
            if sampled:
                # Monte Carlo dropout is random: only check that it still runs.
                lower, upper = estimator.predict_interval(X)
                result["interval_shape"] = lower.shape + upper.shape
            return result

        return outputs
    estimator.fit(X)
    return lambda: {"transform": estimator.transform(X)}


def _learns(cls):
    """Stateless transformers (``requires_fit=False``, such as sklearn's
    ``Normalizer``) learn nothing and read their parameters when they transform."""
    return _make(cls).__sklearn_tags__().requires_fit


def test_only_stateless_transformers_read_parameters_when_they_transform():
    stateless = [cls.__name__ for cls in ESTIMATORS if not _learns(cls)]
    assert stateless == ["SequenceNormalizer"]


@pytest.mark.parametrize(
    "cls", [cls for cls in ESTIMATORS if _learns(cls)], ids=lambda cls: cls.__name__
)
def test_predictions_ignore_parameters_set_after_fit(cls, tiny_data):
    estimator = _make(cls)
    outputs = _outputs(estimator, tiny_data())
    before = outputs()
    changes = {
        name: _alternative(name, value)
        for name, value in estimator.get_params(deep=False).items()
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # set_params itself stays quiet
        estimator.set_params(**changes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        after = outputs()
    # a prediction that reads a changed parameter says it used the fitted one
    frozen = getattr(estimator, "_predict_params", ())
    warned = {str(w.message) for w in caught if "set after fit" in str(w.message)}
    assert bool(warned) == bool(frozen), warned
    for name in frozen:
        assert all(f"{name}=" in text and f"{name}_=" in text for text in warned)
    assert after.keys() == before.keys()
    for method, expected in before.items():
        np.testing.assert_array_equal(after[method], expected, err_msg=method)


def test_every_estimator_is_discovered():
    names = {cls.__name__ for cls in ESTIMATORS}
    assert {"NaiveForecaster", "NextStepClassifier", "WindowedForecaster"} <= names
    assert len(names) >= 18


@pytest.mark.parametrize(
    "cls",
    [cls for cls in ESTIMATORS if hasattr(cls, "score")],
    ids=lambda cls: cls.__name__,
)
def test_score_before_fit_is_not_fitted_error(cls, tiny_data):
    data = tiny_data()
    with pytest.raises(NotFittedError):
        if "window" in inspect.signature(cls).parameters:
            _make(cls).score(data["series"])
        else:
            _make(cls).score(data["X"], data["y"][:, 0])


@contextlib.contextmanager
def _warnings_as_errors():
    """Every warning an error but NumPy's about the ``__array__`` of the tensors
    Keras converts, which pyproject.toml ignores too (each predict on PyTorch)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings(
            "ignore", "__array__ implementation doesn't accept", DeprecationWarning
        )
        yield


def test_mc_samples_set_after_fit_warns_and_waits_for_the_next_fit(tiny_data):
    # set_params(mc_samples=...) on a fitted forecaster was silently ignored:
    # predict_interval kept drawing the fitted number of samples. Now the
    # prediction warns; set_params followed by fit (the usual flow) is quiet.
    from skseq import GRUForecaster

    data = tiny_data()
    X, y = data["X"][..., None], data["y"]
    model = GRUForecaster(2, dropout=0.2, mc_samples=2, epochs=1, random_state=0)
    model.fit(X, y)
    with _warnings_as_errors():
        model.set_params(mc_samples=2, epochs=2)  # as fitted, or not read
        model.predict(X[:3])
        model.set_params(mc_samples=7)  # quiet: may be followed by fit
    assert model.mc_samples_ == 2
    with pytest.warns(
        UserWarning, match=r"mc_samples=7 was set after fit.*mc_samples_=2"
    ):
        assert model._sample_forecasts(X[:3]).shape[0] == 2
    model.fit(X, y)
    with _warnings_as_errors():
        assert model._sample_forecasts(X[:3]).shape[0] == 7
