"""Analytic Hierarchy Process: weights from pairwise comparisons.

Weights are the normalised principal eigenvector of the reciprocal comparison matrix (Saaty's
method; the geometric-mean method gives slightly different numbers, so we state which one we use).
Consistency ratio CR = CI / RI with CI = (lambda_max - n) / (n - 1) and Saaty's random index RI;
above 0.10 the judgements are considered inconsistent and the caller warns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Saaty's random consistency index for n = 1..15 (Saaty 1980, as tabulated in most textbooks).
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
CR_LIMIT = 0.10


@dataclass(frozen=True)
class AhpResult:
    weights: np.ndarray
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= CR_LIMIT


def ahp_weights(matrix: np.ndarray | list[list[float]]) -> AhpResult:
    """Principal-eigenvector weights and consistency of a positive reciprocal matrix."""
    a = np.asarray(matrix, dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or n == 0:
        raise ValueError("comparison matrix must be square and non-empty")
    if n > len(RANDOM_INDEX):
        raise ValueError(f"AHP supports at most {len(RANDOM_INDEX)} items")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri else 0.0
    return AhpResult(weights=w, lambda_max=lam, consistency_index=ci, consistency_ratio=max(cr, 0.0))
