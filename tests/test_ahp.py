"""AHP weights and consistency against textbook matrices."""

import numpy as np
import pytest

from zahnrad.ahp import RANDOM_INDEX, ahp_weights


def test_classic_three_by_three():
    # The standard 1-3-5 example: weights 0.637 / 0.258 / 0.105, lambda_max 3.039, CR 0.033.
    r = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert np.round(r.weights, 3).tolist() == [0.637, 0.258, 0.105]
    assert r.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert r.consistency_index == pytest.approx(0.0193, abs=1e-4)
    assert r.consistency_ratio == pytest.approx(0.0332, abs=1e-4)
    assert r.consistent


def test_consistent_matrix_recovers_weights_exactly():
    w = np.array([0.4, 0.25, 0.2, 0.1, 0.05])
    a = w[:, None] / w[None, :]
    r = ahp_weights(a)
    assert np.allclose(r.weights, w)
    assert r.lambda_max == pytest.approx(5.0)
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_circular_judgements_are_inconsistent():
    # a > b (9), b > c (9), but c > a (9): as inconsistent as it gets.
    r = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert r.consistency_ratio > 1.0
    assert not r.consistent
    assert np.allclose(r.weights, [1 / 3] * 3)


def test_random_index_table_is_saatys():
    assert RANDOM_INDEX[2] == 0.58 and RANDOM_INDEX[4] == 1.12 and RANDOM_INDEX[9] == 1.49


def test_two_items_are_always_consistent():
    r = ahp_weights([[1, 4], [0.25, 1]])
    assert np.allclose(r.weights, [0.8, 0.2])
    assert r.consistency_ratio == 0.0
