"""Work done in a child forked from this process (the child has everything imported)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable


def fork(work: Callable[[], object]) -> int:
    """Start a child that runs `work` and exits (status 0 when it returned, 1 when it
    raised, its traceback printed); the child's pid. The parent's buffered output is
    flushed first so the child does not print it again."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    status = 1  # the child: never returns
    try:
        work()
        status = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
