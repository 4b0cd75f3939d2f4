"""The numpy helpers the indexes share."""

from __future__ import annotations

import numpy as np

from bot.arrays import highest, products, runs


def test_products_are_the_matrix_products_within_float32_rounding() -> None:
    rng = np.random.default_rng(14)
    rows = rng.standard_normal((2204, 256)).astype(np.float32)
    vector = rng.standard_normal(256).astype(np.float32)
    found = products(rows, vector)
    assert found.dtype == np.float32
    assert found.shape == (2204,)
    np.testing.assert_allclose(found, rows @ vector, rtol=1e-4, atol=1e-4)


def test_products_are_the_same_bits_every_time() -> None:
    # The same question must rank the same entries, whatever else the process is doing.
    rng = np.random.default_rng(15)
    rows = rng.standard_normal((1049, 256)).astype(np.float32)
    vector = rng.standard_normal(256).astype(np.float32)
    first = products(rows, vector)
    assert all(np.array_equal(first, products(rows, vector)) for _ in range(20))
    assert np.array_equal(first[:500], products(rows[:500], vector))
    # ...and whatever view of the same values a caller passes (a row of a matrix, a column)
    wide = np.repeat(vector[:, np.newaxis], 3, axis=1)
    assert np.array_equal(first, products(rows, wide[:, 1]))
    assert np.array_equal(first, products(np.asfortranarray(rows), vector))


def test_runs_lists_each_run_in_order() -> None:
    starts = np.array([5, 0, 9], dtype=np.int64)
    lengths = np.array([2, 0, 3], dtype=np.int64)
    assert runs(starts, lengths).tolist() == [5, 6, 9, 10, 11]


def test_highest_takes_the_highest_values_and_tied_ones_in_order() -> None:
    values = np.array([0.5, 0.9, 0.5, 0.1, 0.5, 0.9], dtype=np.float64)
    assert sorted(highest(values, 3).tolist()) == [0, 1, 5]
    assert sorted(highest(values, 4).tolist()) == [0, 1, 2, 5]
    assert sorted(highest(values, 9).tolist()) == [0, 1, 2, 3, 4, 5]
    assert highest(values, 0).tolist() == []
    assert highest(np.zeros(0, dtype=np.float64), 3).tolist() == []
