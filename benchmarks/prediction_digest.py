"""Bit-identity check for behaviour-preserving refactors.

Fits every discovered skseq estimator (``skseq.utils.discovery.all_estimators``)
with each of its test parameter sets and ``random_state=0`` on fixed small data,
and saves its predictions (``predict_proba`` for classifiers, ``forecast`` for
``WindowedForecaster``, ``transform`` for transformers), or compares them with a
saved file, array by array, exactly.

Run from the repository root, before and after a change, on the same machine and
backend:

    PYTHONPATH=. python benchmarks/prediction_digest.py save /tmp/before.npz
    PYTHONPATH=. python benchmarks/prediction_digest.py compare /tmp/before.npz

Issue "A forecasting layer a newcomer can read": 34 of 34 identical across the
refactor (window_view, carved WindowedForecaster, heads, persistence move).
"""

import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")
from skseq.utils._testing import get_test_params  # noqa: E402
from skseq.utils.discovery import all_estimators  # noqa: E402

rng = np.random.default_rng(0)
X3 = rng.normal(size=(24, 10, 2)).astype("float64")
y_cls = np.array([0, 1, 2] * 8)
y_fc = rng.normal(size=(24, 3))
series = np.sin(np.arange(120) / 4.0)[:, None] + 0.1 * rng.normal(size=(120, 1))


def run(cls, params):
    kinds = {
        k
        for k in ("classifier", "forecaster", "transformer", "meta-estimator")
        if cls in dict(all_estimators(k)).values()
    }
    est = cls(**params)
    if "random_state" in est.get_params():
        est.set_params(random_state=0)
    name = cls.__name__
    if name == "NextStepClassifier":
        Xi = (np.abs(X3[..., 0]) * 3).astype(int) % 5
        est.fit(Xi)
        return est.predict_proba(Xi)
    if "meta-estimator" in kinds:
        if name == "WindowedForecaster":
            est.fit(series)
            return est.forecast(series)
        est.fit(X3[..., :1], y_fc)
        return est.predict(X3[..., :1])
    if "classifier" in kinds:
        est.fit(X3, y_cls)
        return est.predict_proba(X3)
    if "transformer" in kinds:
        data = series if name == "SlidingWindowTransformer" else X3
        return est.fit_transform(data)
    est.fit(X3[..., :1], y_fc)
    return est.predict(X3[..., :1])


def main(mode, path):
    out = {}
    for name, cls in all_estimators():
        for i, params in enumerate(get_test_params(cls)):
            key = f"{name}[{i}]"
            try:
                out[key] = np.asarray(run(cls, params), dtype="float64")
            except Exception as exc:  # noqa: BLE001
                out[key] = np.array([np.nan])
                print(key, "ERROR", type(exc).__name__, str(exc)[:100])
    if mode == "save":
        np.savez(path, **out)
        print(f"saved {len(out)} predictions to {path}")
        return
    ref = np.load(path)
    bad = 0
    for key in sorted(set(ref) | set(out)):
        if key not in ref or key not in out:
            print(key, "missing in", "reference" if key not in ref else "current")
            continue
        same = ref[key].shape == out[key].shape and np.array_equal(
            ref[key], out[key], equal_nan=True
        )
        bad += not same
        print(f"{key:40s} {'identical' if same else 'DIFFERENT'}")
    print(f"{len(out) - bad} identical, {bad} different")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
