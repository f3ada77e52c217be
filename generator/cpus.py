"""How many processes a build may use: the CPUs this process may run on, ``VALUEMAP_WORKERS``, and whether
the platform can fork (workers inherit the built context instead of receiving it pickled). Its own small
module: validation (the company-file reader, :func:`generator.load.read_in_order`) and rendering
(:mod:`generator.parallel`) both ask, and ``check`` must not import the renderer."""
from __future__ import annotations

import os


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def workers_from_env() -> int | None:
    """``VALUEMAP_WORKERS``: a fixed number of processes (1: no second one); unset or invalid: automatic."""
    value = os.environ.get("VALUEMAP_WORKERS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def processes(limit: int) -> int:
    """How many processes (at most ``limit``) a step that can use several should use: ``VALUEMAP_WORKERS`` if
    set, else one per CPU; one where the platform cannot fork."""
    if not can_fork():
        return 1
    return max(1, min(limit, workers_from_env() or cpu_count()))
