"""How many processes a build may use: the CPUs this process may run on, ``VALUEMAP_WORKERS``, and whether
the platform can fork (workers inherit the built context instead of receiving it pickled). Its own small
module: validation (the company-file reader, :func:`generator.load.read_in_order`) and rendering
(:mod:`generator.parallel`) both ask, and ``check`` must not import the renderer."""
from __future__ import annotations

import os
import signal
from contextlib import contextmanager


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


_STOP = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _leave(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _child_signals() -> None:
    """In a forked worker, before it takes any work: Ctrl-C is the parent's to handle (it unwinds and
    terminates the pool), and SIGTERM — what ``Pool.terminate`` sends, or a stop sent to the whole process
    group — ends the worker, not the CLI's "SIGTERM is Ctrl-C" handler it inherited. It ends it by raising
    SystemExit, not by the default action: an idle worker waits for work holding the pool's queue lock, and
    a worker killed outright never gives it back, so ``Pool.terminate`` in the parent would wait for that lock
    forever; unwinding releases it. SIGHUP (the terminal closed) is the parent's too. Then the signals held
    back during the fork are let through."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):  # a closed terminal reaches the whole group: the parent stops the pool
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _leave)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP)


@contextmanager
def forked_pool(processes: int):
    """``with forked_pool(n) as pool:`` a pool of ``n`` forked workers (render workers, the company-file reader)
    that is always stopped: closed and joined when the block ends normally, stopped at once
    (:func:`stop_pool`) when anything is raised in it — Ctrl-C, SIGTERM, a failure, a generator closed early.

    Ctrl-C and SIGTERM are held back while the workers start: one arriving between a fork and the worker's own
    handlers (a terminal's Ctrl-C reaches every process of the group) would otherwise interrupt the worker's
    start-up. They are let through inside the guarded block, so one held back during the fork stops the pool
    too. (Let through before it, as they once were, a Ctrl-C dropped the new pool on the floor: its finaliser
    ran ``Pool.terminate`` and the build hung, joining a worker stuck with the signals still blocked — seen
    with Ctrl-C sent to the whole group of a busy machine.)"""
    import multiprocessing

    blocked = hasattr(signal, "pthread_sigmask")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP) if blocked else None
    try:
        pool = multiprocessing.get_context("fork").Pool(processes, initializer=_child_signals)
    except BaseException:
        if blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        raise
    try:
        if blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a signal held back lands here, guarded
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.close()
    pool.join()


def stop_pool(pool, wait: float = 5.0) -> None:
    """Stop a pool at once (Ctrl-C, SIGTERM, a failure): no more workers started, every worker killed
    outright and reaped, the pool's own clean-up cancelled.

    Not ``Pool.terminate()``: it first takes the task queue's lock, and a worker that a signal to the whole
    process group ended while it waited for work, or one started in its place, may hold that lock for good —
    the parent then waited forever (seen under load: a build cancelled with SIGTERM hung). Here nothing waits
    on a lock a worker holds. The pool's helper threads stay blocked; they are daemon threads, and the
    process is about to report the interruption and end (or, in ``serve``, to go on without this pool).
    Uses ``multiprocessing.pool.Pool``'s attributes (stable since Python 3.8); without them, ``terminate()``."""
    handler, workers = getattr(pool, "_worker_handler", None), getattr(pool, "_pool", None)
    notifier, finalizer = getattr(pool, "_change_notifier", None), getattr(pool, "_terminate", None)
    if handler is None or workers is None or notifier is None or finalizer is None:  # pragma: no cover
        pool.terminate()
        pool.join()
        return
    from multiprocessing.pool import TERMINATE

    pool._state = TERMINATE
    handler._state = TERMINATE  # the worker handler starts no new worker, and ends
    notifier.put(None)
    handler.join(wait)
    for process in list(workers):
        if process.exitcode is None:
            process.kill()
    for process in list(workers):
        process.join(wait)
    finalizer.cancel()  # its terminate() would wait for the queue's lock at exit
