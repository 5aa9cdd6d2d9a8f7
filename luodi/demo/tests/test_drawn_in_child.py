"""Rows drawn in a forked copy of the builder reach it in order, with the copy's state; rows
mapped in a copy come back in order."""

import multiprocessing
import os
import random

import pytest

from luodi.demo.common import drawn_in_child, mapped_in_child


class Drawer:
    def __init__(self):
        self.rng = random.Random(7)  # nosec B311 # repeatable test data, not a secret
        self.seen: list[int] = []

    def draw(self):
        for batch in range(5):
            numbers = [self.rng.randrange(1000) for _ in range(batch * 1000)]
            self.seen.append(len(numbers))
            yield batch, numbers

    def kept(self):
        return self.rng.getstate(), self.seen

    def restore(self, kept):
        state, self.seen = kept
        self.rng.setstate(state)


def test_items_arrive_in_order_and_the_draws_state_comes_back():
    expected = Drawer()
    in_order = list(expected.draw())
    after = expected.rng.random()

    drawer = Drawer()
    received = list(drawn_in_child(drawer.draw, drawer.kept, drawer.restore))

    assert received == in_order
    assert drawer.seen == [0, 1000, 2000, 3000, 4000]
    # The generator goes on from where the copy left it: the steps after draw the same.
    assert drawer.rng.random() == after
    assert multiprocessing.active_children() == []


def test_an_error_in_the_copy_is_raised_here():
    def draw():
        yield 1
        raise ValueError("no such district code 999999")

    received = []

    def consume():
        for item in drawn_in_child(draw, lambda: None, lambda kept: None):
            received.append(item)

    with pytest.raises(RuntimeError, match="no such district code 999999"):
        consume()
    assert received == [1]
    assert multiprocessing.active_children() == []


def test_a_caller_that_stops_early_leaves_no_process_behind():
    def draw():
        while True:
            yield list(range(10_000))

    for _item in drawn_in_child(draw, lambda: None, lambda kept: None):
        break
    assert multiprocessing.active_children() == []


def test_mapped_items_come_back_in_order_computed_in_another_process():
    batches = ([n] * n for n in range(1, 8))
    mapped = list(mapped_in_child(lambda batch: (os.getpid(), sum(batch)), batches))

    assert [total for _pid, total in mapped] == [n * n for n in range(1, 8)]
    pids = {pid for pid, _total in mapped}
    assert len(pids) == 1
    assert os.getpid() not in pids
    assert multiprocessing.active_children() == []


def test_an_error_in_the_mapping_copy_is_raised_here():
    def encode(number):
        if number == 3:
            raise ValueError("no such district code 999999")
        return number * 2

    received = []

    def consume():
        for item in mapped_in_child(encode, range(10)):
            received.append(item)

    with pytest.raises(RuntimeError, match="no such district code 999999"):
        consume()
    assert received == [0, 2, 4]
    assert multiprocessing.active_children() == []


def test_a_mapping_caller_that_stops_early_leaves_no_process_behind():
    def endless():
        while True:
            yield list(range(10_000))

    for _item in mapped_in_child(len, endless()):
        break
    assert multiprocessing.active_children() == []
