"""Objects that live as long as the process, kept out of the garbage collector's way.

It imports nothing but the standard library: the dbt process uses it too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen_once_created() -> Iterator[None]:
    """The collector off while the block runs, then what exists frozen: no collection goes through it again.

    For imports whose modules, classes and definitions live until the process ends.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
