"""The services' least-recently-used memo."""

from __future__ import annotations

import threading

import pytest

from spinecoach.services.memo import Memo


def test_the_least_recently_used_goes_first() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "a" is now the most recently used
    memo.put("c", 3)
    assert memo.get("b") is None
    assert (memo.get("a"), memo.get("c"), len(memo)) == (1, 3, 2)


def test_putting_a_key_again_replaces_and_refreshes_it() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("a", 10)
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (10, None, 3)


def test_a_memo_holds_at_least_one_value() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Memo[str, int](0)


def test_threads_never_grow_it_past_its_size() -> None:
    memo: Memo[int, int] = Memo(50)

    def work(offset: int) -> None:
        for key in range(offset, offset + 2_000):
            memo.put(key, key)
            memo.get(key - 7)

    threads = [threading.Thread(target=work, args=(k * 1_000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(memo) == 50
