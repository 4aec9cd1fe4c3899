"""Processes a build starts (the converting worker, Pagefind) end when the build's process ends.

A build that fails is cleaned up by the code that started them; a build that
is killed is not, so the kernel is asked to end them with their parent (Linux's
PR_SET_PDEATHSIG). Elsewhere nothing is asked and a killed build's children
finish their work and exit on their own.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def ending_with(parent: int):
    """What a child runs first, in its own process: end it when `parent` ends."""

    def end_with_parent() -> None:
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent ended before the request above was made
            os._exit(1)

    return end_with_parent
