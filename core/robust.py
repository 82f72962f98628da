"""Robust fitting shared by the calibration and the open-path correction: the MAD scale, a Huber
M-estimate by iteratively reweighted least squares, its day-block bootstrap and cross-validation by
folds of whole days, and the scores of an estimate against a reference."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import check_cancel

MAD_TO_SD = 1.4826      # the median absolute deviation of a normal sample times this is its standard deviation
HUBER_K = 1.345                    # 95 % efficiency at normal errors (Huber 1981) [L]
IRLS_MAX_ITERATIONS = 50           # statsmodels RLM's default maxiter [L]
IRLS_TOLERANCE = 1e-8              # largest coefficient change, relative, that counts as converged
K_FOLDS = 5                        # 5-fold cross-validation (Hastie, Tibshirani & Friedman 2009, 7.10) [L]


def robust_fit(design: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Huber M-estimate of θ in target ≈ design·θ by iteratively reweighted least squares.

    Weights min(1, k·s/|r|) with k = HUBER_K and s = MAD_TO_SD · median |r| of the current
    residuals r, from the least-squares start until θ changes by less than IRLS_TOLERANCE.
    """
    theta = np.linalg.lstsq(design, target, rcond=None)[0]
    for _ in range(IRLS_MAX_ITERATIONS):
        residuals = np.abs(target - design @ theta)
        scale = MAD_TO_SD * np.median(residuals)
        if scale <= 0.0:                     # more than half the points fit exactly
            break
        with np.errstate(divide="ignore"):
            root_weights = np.sqrt(np.minimum(1.0, HUBER_K * scale / residuals))
        updated = np.linalg.lstsq(design * root_weights[:, None], target * root_weights, rcond=None)[0]
        converged = np.max(np.abs(updated - theta)) <= IRLS_TOLERANCE * (1.0 + np.max(np.abs(theta)))
        theta = updated
        if converged:
            break
    return theta


def day_bootstrap(design: np.ndarray, target: np.ndarray, days: np.ndarray, n: int, rng: np.random.Generator,
                  progress: Callable[[float], None] | None = None,
                  is_cancelled: Callable[[], bool] | None = None) -> np.ndarray:
    """``n`` robust refits, each on whole days of the overlap drawn with replacement (n × coefficients)."""
    unique_days, inverse = np.unique(days, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    rows_of_day = np.split(order, np.cumsum(np.bincount(inverse))[:-1])
    samples = np.empty((n, design.shape[1]))
    for b in range(n):
        check_cancel(is_cancelled)
        rows = np.concatenate([rows_of_day[d] for d in rng.integers(0, unique_days.size, unique_days.size)])
        samples[b] = robust_fit(design[rows], target[rows])
        if progress and b % 50 == 0:
            progress(0.95 * b / n)
    return samples


def cross_validate(design: np.ndarray, target: np.ndarray, days: np.ndarray, k: int = K_FOLDS) -> np.ndarray:
    """design·θ on each of ``k`` held-out folds, θ fitted on the other folds; folds of consecutive whole days."""
    unique_days, inverse = np.unique(days, return_inverse=True)
    folds = (np.arange(unique_days.size) * k // unique_days.size)[inverse]
    predicted = np.empty(target.size)
    for fold in range(k):
        held = folds == fold
        predicted[held] = design[held] @ robust_fit(design[~held], target[~held])
    return predicted



def fit_scores(reference: np.ndarray, estimate: np.ndarray) -> dict:
    """n, R² (1 − SSE / SST about the reference mean), RMSE, bias (mean of estimate − reference) and MAE."""
    error = estimate - reference
    spread = np.sum((reference - reference.mean()) ** 2)
    return {"n": int(error.size), "r2": float(1.0 - np.sum(error ** 2) / spread) if spread > 0 else float("nan"),
            "rmse": float(np.sqrt(np.mean(error ** 2))), "bias": float(np.mean(error)),
            "mae": float(np.mean(np.abs(error)))}
