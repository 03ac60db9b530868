"""Inputs that made the model-selection path give a wrong or unhelpful answer."""

import numpy as np
import pandas as pd
import pytest

from skseq.forecasting import SeriesSplit


def test_series_split_refuses_a_dict_of_series():
    # len(dict) is the number of series: they were split as if time steps,
    # and the search then failed with a bare KeyError
    dates = pd.date_range("2020-01-01", periods=40, freq="D")
    panel = {f"s{i}": pd.Series(np.arange(40.0) + i, dates) for i in range(10)}
    with pytest.raises(TypeError, match="dict of 10 series.*PanelSplit"):
        next(SeriesSplit(2, test_size=3).split(panel))
