"""Rendered answers, kept while everything that decides them stays the same.

An answer to a key press depends only on the menu, the call state, the key, the content
snapshot and a few facts of the moment (is the office open, is it a holiday, which news are
public). Callers pressing the same keys get the same document, so it is rendered once per content
snapshot instead of on every request. Speech is not kept: its words vary too much.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

# A rendered answer: the provider's document, and the usage events of the step (ivr.usage_steps).
Kept = tuple[str, tuple[tuple[str, str], ...]]


class AnswerCache:
    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._generation: object = None
        self._answers: OrderedDict[Hashable, Kept] = OrderedDict()

    def get(self, generation: object, key: Hashable, render: Callable[[], Kept]) -> Kept:
        """The answer for key, rendered now only if this content generation has not seen it."""
        with self._lock:
            if generation is not self._generation:
                self._generation = generation
                self._answers.clear()
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                return answer
        answer = render()
        with self._lock:
            if generation is self._generation:
                self._answers[key] = answer
                if len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return answer
