"""The models a calibrated scheme must beat out of sample (docs/SCIENCE.md section 4, item 5).

- null: the mean flux of the training steps, whatever the weather;
- q10: the soil-respiration model soil scientists fit first,
  R10 * Q10^((T10 - 10)/10) * f(theta10) with the saturating f(theta) = theta / (theta + K)
  (Michaelis-Menten in water content; Davidson et al. 2012, Global Change Biology 18, 371 [L]).

Both are fitted to the same training steps as the scheme, with the same robust soft-L1 loss, and
predict the same held-out steps, so their scores are comparable fold by fold.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

NAMES = ("null", "q10")
LABELS = {"fit": "fitted scheme", "initial": "starting coefficients", "null": "null model (training mean)",
          "q10": "Q10 × moisture model"}
# Bounds of the Q10 model [P]: R10 a respiration rate at 10 °C (non-negative), Q10 within the range
# reported for soils (1-10), K a water content between 0.1 ‰ and 1 m3 m-3.
Q10_BOUNDS = {"r10": (0.0, 50.0), "q10": (1.0, 10.0), "k": (1e-4, 1.0)}


@dataclass(frozen=True)
class BenchmarkModels:
    """The null and Q10 models fitted on one training set."""
    mean: float
    r10: float
    q10: float
    k: float

    def predict(self, name: str, t10: np.ndarray, theta10: np.ndarray) -> np.ndarray:
        if name == "null":
            return np.full(np.shape(t10), self.mean)
        return q10_flux(t10, theta10, self.r10, self.q10, self.k)


def q10_flux(t10: np.ndarray, theta10: np.ndarray, r10: float, q10: float, k: float) -> np.ndarray:
    """R10 * Q10^((T10-10)/10) * theta/(theta + K), theta clipped at 0, in the unit of R10."""
    theta = np.clip(theta10, 0.0, None)
    return r10 * q10 ** ((np.asarray(t10) - 10.0) / 10.0) * theta / (theta + k)


def fit_benchmarks(fc: np.ndarray, t10: np.ndarray, theta10: np.ndarray, robust: callable) -> BenchmarkModels:
    """Fit both models to training steps; ``robust`` maps residuals to the scheme's robust residuals."""
    names = tuple(Q10_BOUNDS)
    low = np.array([Q10_BOUNDS[n][0] for n in names])
    high = np.array([Q10_BOUNDS[n][1] for n in names])
    start = np.clip([max(float(np.mean(fc)), 0.01) * 2.0, 2.0, max(float(np.median(theta10)), 1e-3)], low, high)

    def residuals(x):
        return robust(fc - q10_flux(t10, theta10, *x))

    solution = least_squares(residuals, start, bounds=(low, high), method="trf", x_scale="jac")
    r10, q10, k = (float(v) for v in solution.x)
    return BenchmarkModels(mean=float(np.mean(fc)), r10=r10, q10=q10, k=k)
