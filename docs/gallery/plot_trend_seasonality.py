"""
A trend a network cannot follow, and differencing
=================================================

Mauna Loa's CO2 concentration (weekly, shipped with statsmodels; averaged per
month here) rises year after year around a yearly cycle. A GRU trained on scaled
windows of the levels has never seen values as high as those it must forecast,
and its forecast flattens out below them. Trained on the first and yearly
differences (``difference=(1, 12)``), it learns changes, which stay in the range
it saw; :class:`~skseq.forecasting.WindowedForecaster` integrates its forecasts
back onto the last observed values.
"""

import matplotlib.pyplot as plt
import numpy as np
from statsmodels.datasets import co2

from skseq import GRUForecaster, NaiveForecaster
from skseq.forecasting import WindowedForecaster

weekly = co2.load_pandas().data["co2"]
series = weekly.resample("MS").mean().interpolate().rename("co2")
train, test = series.iloc[:-24], series.iloc[-24:]

# The baseline: the same month a year earlier (seasonal naive), repeated.
naive = WindowedForecaster(NaiveForecaster(season=12), window=12, horizon=24)
forecasts = {"seasonal naive": naive.fit(train).forecast(train)}
mae = np.mean(np.abs(forecasts["seasonal naive"] - test))
print(f"seasonal naive: MAE {mae:.2f} ppm")
for name, difference in {"levels": None, "difference=(1, 12)": (1, 12)}.items():
    model = WindowedForecaster(
        GRUForecaster(16, epochs=20, learning_rate=0.005, random_state=0),
        window=24,
        horizon=24,
        difference=difference,
    )
    forecasts[name] = model.fit(train).forecast(train)
    mae = np.mean(np.abs(forecasts[name] - test))
    print(f"{name}: MAE {mae:.2f} ppm")

# %%
# The forecast from the levels stays below the range the network was trained on;
# the differenced one follows the trend and the season.
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
series.iloc[-96:].plot(ax=ax, color="k", label="observed")
for name, style in zip(["levels", "difference=(1, 12)"], ["--", "-"], strict=True):
    forecasts[name].plot(ax=ax, style=style, label=f"GRU on {name}")
ax.axvline(test.index[0], color="grey", lw=0.5)
ax.set(ylabel="CO2 (ppm)", title="Mauna Loa CO2: the GRU's 24-month forecasts")
ax.legend()
plt.show()
