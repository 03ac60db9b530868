"""Write the small intersphinx inventories the docs link to scikit-learn, NumPy,
pandas and Keras with (``docs/_inv/*.inv``).

The documentation builds offline (CI has no network beyond the package index), so
``intersphinx_mapping`` in ``conf.py`` reads these local files instead of each
project's ``objects.inv``; no package on the index ships those (``auto-intersphinx``
and ``intersphinx-registry`` ship URLs only), and keras.io is not built with Sphinx
and has no inventory at all. Each file lists only the names skseq's docs use.

To link another name, add it below and run ``python3 docs/_inv/make_inventories.py``.
The format is Sphinx's inventory version 2: four header lines, then zlib-compressed
lines ``name domain:role priority uri dispname`` (``-`` in ``dispname`` stands for
the name; below, ``$`` in a URI pattern stands for it too and is expanded here).
"""

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

SKLEARN = {
    "py:class": [
        "sklearn.base.BaseEstimator",
        "sklearn.base.ClassifierMixin",
        "sklearn.base.RegressorMixin",
        "sklearn.base.TransformerMixin",
        "sklearn.compose.TransformedTargetRegressor",
        "sklearn.linear_model.Ridge",
        "sklearn.metrics.PredictionErrorDisplay",
        "sklearn.model_selection.GridSearchCV",
        "sklearn.model_selection.KFold",
        "sklearn.model_selection.RandomizedSearchCV",
        "sklearn.model_selection.TimeSeriesSplit",
        "sklearn.pipeline.Pipeline",
        "sklearn.preprocessing.StandardScaler",
    ],
    "py:function": [
        "sklearn.base.clone",
        "sklearn.base.is_classifier",
        "sklearn.base.is_regressor",
        "sklearn.metrics.accuracy_score",
        "sklearn.metrics.mean_absolute_error",
        "sklearn.metrics.mean_squared_error",
        "sklearn.metrics.r2_score",
        "sklearn.model_selection.cross_val_score",
        "sklearn.model_selection.cross_validate",
        "sklearn.pipeline.make_pipeline",
        "sklearn.set_config",
        "sklearn.utils.estimator_checks.check_estimator",
        "sklearn.utils.validation.check_is_fitted",
        "sklearn.utils.validation.validate_data",
    ],
}

PANDAS = {
    "py:class": [
        "pandas.DataFrame",
        "pandas.DateOffset",
        "pandas.DatetimeIndex",
        "pandas.RangeIndex",
        "pandas.Series",
        "pandas.Timedelta",
        "pandas.Timestamp",
    ],
    "py:function": [
        "pandas.date_range",
        "pandas.get_dummies",
        "pandas.infer_freq",
        "pandas.read_csv",
        "pandas.to_datetime",
    ],
    "py:method": [
        "pandas.DataFrame.asfreq",
        "pandas.DataFrame.groupby",
        "pandas.DataFrame.interpolate",
        "pandas.DataFrame.sort_index",
    ],
}

NUMPY = {
    "py:class": [
        ("numpy.ndarray", "reference/generated/numpy.ndarray.html#$"),
        ("numpy.random.Generator", "reference/random/generator.html#$"),
        ("numpy.float64", "reference/arrays.scalars.html#$"),
    ],
    "py:function": [
        ("numpy.asarray", "reference/generated/numpy.asarray.html#$"),
        ("numpy.random.default_rng", "reference/random/generator.html#$"),
        (
            "numpy.lib.stride_tricks.sliding_window_view",
            "reference/generated/numpy.lib.stride_tricks.sliding_window_view.html#$",
        ),
    ],
    "py:data": [("numpy.nan", "reference/constants.html#$")],
}

# keras.io pages, one per object (anchors for methods).
KERAS = {
    "py:class": [
        ("keras.Model", "api/models/model/"),
        ("keras.Sequential", "api/models/sequential/"),
        ("keras.layers.Layer", "api/layers/base_layer/"),
        ("keras.layers.RNN", "api/layers/recurrent_layers/rnn/"),
        ("keras.layers.SimpleRNN", "api/layers/recurrent_layers/simple_rnn/"),
        ("keras.layers.LSTM", "api/layers/recurrent_layers/lstm/"),
        ("keras.layers.GRU", "api/layers/recurrent_layers/gru/"),
        ("keras.layers.SimpleRNNCell", "api/layers/recurrent_layers/simple_rnn_cell/"),
        ("keras.layers.LSTMCell", "api/layers/recurrent_layers/lstm_cell/"),
        ("keras.layers.GRUCell", "api/layers/recurrent_layers/gru_cell/"),
        ("keras.layers.Conv1D", "api/layers/convolution_layers/convolution1d/"),
        ("keras.layers.Dense", "api/layers/core_layers/dense/"),
        ("keras.layers.Embedding", "api/layers/core_layers/embedding/"),
        ("keras.layers.Dropout", "api/layers/regularization_layers/dropout/"),
        (
            "keras.layers.BatchNormalization",
            "api/layers/normalization_layers/batch_normalization/",
        ),
        (
            "keras.layers.LayerNormalization",
            "api/layers/normalization_layers/layer_normalization/",
        ),
        ("keras.callbacks.Callback", "api/callbacks/base_callback/"),
        ("keras.callbacks.EarlyStopping", "api/callbacks/early_stopping/"),
        ("keras.callbacks.TerminateOnNaN", "api/callbacks/terminate_on_nan/"),
        ("keras.optimizers.Optimizer", "api/optimizers/"),
        ("keras.utils.PyDataset", "api/utils/python_utils/#pydataset-class"),
    ],
    "py:method": [
        ("keras.Model.fit", "api/models/model_training_apis/#fit-method"),
        ("keras.Model.predict", "api/models/model_training_apis/#predict-method"),
        (
            "keras.Model.predict_on_batch",
            "api/models/model_training_apis/#predictonbatch-method",
        ),
        ("keras.Model.summary", "api/models/model/#summary-method"),
    ],
    "py:function": [
        (
            "keras.utils.set_random_seed",
            "api/utils/python_utils/#setrandomseed-function",
        ),
        (
            "keras.saving.register_keras_serializable",
            "api/models/model_saving_apis/serialization_utils/"
            "#registerkerasserializable-function",
        ),
    ],
}


def _entries(objects, pattern):
    for role, names in objects.items():
        for item in names:
            name, uri = item if isinstance(item, tuple) else (item, pattern)
            yield f"{name} {role} 1 {uri.replace('$', name)} -"


def write_inventory(path, project, version, objects, pattern=None):
    """Write ``objects`` ({role: [name or (name, uri)]}) as an inventory file."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "\n".join(sorted(_entries(objects, pattern))) + "\n"
    path.write_bytes(header.encode() + zlib.compress(body.encode(), 9))


def main():
    write_inventory(
        HERE / "sklearn.inv",
        "scikit-learn",
        "stable",
        SKLEARN,
        "modules/generated/$.html#$",
    )
    write_inventory(
        HERE / "pandas.inv", "pandas", "stable", PANDAS, "reference/api/$.html#$"
    )
    write_inventory(HERE / "numpy.inv", "NumPy", "stable", NUMPY)
    write_inventory(HERE / "keras.inv", "Keras", "3", KERAS)


if __name__ == "__main__":
    main()
