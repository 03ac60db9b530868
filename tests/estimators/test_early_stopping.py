"""Early stopping that cannot judge the epochs, or hides a class from training,
says so."""

import warnings

import numpy as np
import pytest

from skseq import ConvClassifier, DenseForecaster


def _diverging_validation(n=60):
    """Training targets follow the inputs; the held-out end does the opposite,
    so every epoch of training makes the validation loss worse."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 4, 1))
    y = X.sum(axis=(1, 2))
    y[-6:] *= -1  # validation_fraction=0.1: the last 6 windows
    return X, y


def test_warns_when_the_first_epoch_is_kept():
    X, y = _diverging_validation()
    model = DenseForecaster(
        (4,),
        epochs=8,
        patience=2,
        early_stopping=True,
        learning_rate=0.05,
        random_state=0,
    )
    with pytest.warns(UserWarning, match="kept the network of epoch 1 of 3"):
        model.fit(X, y)
    assert np.argmin(model.history_["val_loss"]) == 0


def test_no_warning_when_a_later_epoch_is_kept():
    X, y = _diverging_validation()
    y[-6:] *= -1  # validation like training again
    # learning_rate=0.05 overshot after epoch 2 on PyTorch (validation loss 1.24,
    # 0.62, 0.74, 0.76: a fair warning); 0.02 improves every epoch on each backend.
    model = DenseForecaster(
        (4,),
        epochs=4,
        patience=2,
        early_stopping=True,
        learning_rate=0.02,
        random_state=0,
    )
    model.fit(X, y)  # warnings are errors
    assert np.argmin(model.history_["val_loss"]) > 0


def test_warns_when_the_second_epoch_is_kept_and_patience_ran_out():
    # only epoch 1 was warned about: epoch 2 of 4 (patience 2) kept silently. The
    # history is given: a fit's trajectory differs between Keras backends.
    from skseq.estimators._training import warn_early_epoch_kept

    model = DenseForecaster((4,), patience=2, early_stopping=True)
    history = {"loss": [3.0, 2.0, 1.0, 0.5], "val_loss": [2.0, 1.0, 3.0, 4.0]}
    with pytest.warns(UserWarning, match="kept the network of epoch 2 of 4"):
        warn_early_epoch_kept(history, model)


@pytest.mark.parametrize(
    ("val_loss", "patience", "kept"),
    [
        ([1.0, 2.0], 10, 1),  # the first: always
        ([2.0, 1.0, 3.0, 4.0], 2, 2),  # the second, patience ran out
        ([2.0, 1.0, 3.0], 2, None),  # the second, cut short by epochs
        ([3.0, 2.0, 1.0, 4.0, 5.0], 2, None),  # the third of 5
        ([9.0 - k for k in range(3)] + [9.0] * 30, 30, 3),  # within 1/10 of 33
        ([9.0 - k for k in range(12)] + [9.0] * 10, 10, None),  # a healthy run
    ],
)
def test_early_epoch_rule(val_loss, patience, kept):
    from skseq.estimators._training import early_epoch_kept

    assert early_epoch_kept(np.array(val_loss), patience) == kept


def test_no_warning_on_a_healthy_fit_of_a_sine_wave():
    from skseq import GRUForecaster, make_windows

    series = np.sin(np.arange(200) / 4)
    X, y = make_windows(series, window=12, horizon=1)
    model = GRUForecaster(
        4,
        epochs=12,
        patience=3,
        early_stopping=True,
        learning_rate=0.01,
        random_state=0,
    )
    model.fit(X, y)  # warnings are errors
    assert np.argmin(model.history_["val_loss"]) >= 2


def test_warns_when_validation_holds_one_window():
    X, y = _diverging_validation(10)  # ceil(10 * 0.1) = 1
    y[-6:] *= -1
    model = DenseForecaster((2,), epochs=1, early_stopping=True, random_state=0)
    with pytest.warns(UserWarning, match="validates on 1 sample"):
        model.fit(X, y)


def test_too_few_weighted_samples_are_counted_as_such():
    """12 samples of which 11 weigh 0 were refused as "got 1 samples"."""
    X, y = _diverging_validation(12)
    weights = np.zeros(12)
    weights[0] = 1.0
    model = DenseForecaster((2,), epochs=1, early_stopping=True, random_state=0)
    with pytest.raises(ValueError, match="validation sample") as refused:
        model.fit(X, y, sample_weight=weights)
    message = str(refused.value)
    assert "got 1 sample of nonzero weight (11 of the 12 weigh 0)" in message
    with pytest.raises(ValueError, match=r"got 1 sample\.$"):
        model.fit(X[:1], y[:1])


def _sorted_labels():
    """40 sequences sorted by label; the 4 of class "c" are the last 10%."""
    X = np.random.default_rng(0).normal(size=(40, 6, 1))
    return X, np.array(["a"] * 18 + ["b"] * 18 + ["c"] * 4)


def test_warns_when_validation_holds_every_sample_of_a_class():
    # Class "c" was never trained on and never predicted, without a word.
    X, y = _sorted_labels()
    model = ConvClassifier(2, epochs=1, early_stopping=True, random_state=0)
    with pytest.warns(UserWarning, match=r"every sample of the classes \['c'\]"):
        model.fit(X, y)


@pytest.mark.parametrize("early_stopping", [True, False])
def test_no_held_out_class_warning_when_training_sees_every_class(early_stopping):
    X, y = _sorted_labels()
    y[0], y[-1] = "c", "a"
    model = ConvClassifier(2, epochs=1, early_stopping=early_stopping)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    assert not [w for w in caught if "every sample of the classes" in str(w.message)]
    # weight 0 leaves the only trained "c" out: the held-out ones are all there is
    weights = np.ones(len(y))
    weights[0] = 0.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y, sample_weight=weights)
    held_out = [w for w in caught if "every sample of the classes" in str(w.message)]
    assert len(held_out) == early_stopping
    # a class weighted 0 is left out on purpose: nothing to warn about
    model.set_params(class_weight={"c": 0.0})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(*_sorted_labels())
    assert not [w for w in caught if "every sample of the classes" in str(w.message)]


def test_the_warning_names_the_validation_fraction_the_user_gave():
    # Inside WindowedForecaster the fraction is set for the exact purged split
    # while fitting (0.11137440758293839 for a given 0.1); the advice to raise
    # it must quote the user's own value.
    from skseq.estimators._held_out import holding_out
    from skseq.estimators._training import warn_early_epoch_kept

    model = DenseForecaster((4,), patience=2, early_stopping=True)
    history = {"loss": [3.0, 2.0], "val_loss": [1.0, 2.0]}
    with holding_out(model, 24, 211), pytest.warns(UserWarning) as caught:
        assert model.validation_fraction != 0.1  # the temporary split
        warn_early_epoch_kept(history, model)
    assert "validation_fraction, now 0.1)" in str(caught[0].message)
    assert model.validation_fraction == 0.1
    assert "_given_validation_fraction" not in vars(model)
