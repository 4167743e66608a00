"""The program each local worker process runs (``python -m wirecoder.executors.worker
READ_FD WRITE_FD``), started by :mod:`wirecoder.executors.processes`.

It reads pickled messages on READ_FD and answers on WRITE_FD:

- ``("init", StageRecipe)`` — build the stages once (the models load here, once per
  process); answer ``("ready",)`` or ``("init_error", kind, message)``;
- ``("batch", task_id, [Article…])`` — answer ``("done", task_id, [Document | ErrorRecord…])``;
- end of input (the parent closed the pipe, exited or died) — exit.

The thread variables are set first thing, before any module that could import numpy or
torch (``wirecoder`` and ``wirecoder.executors`` import neither), and torch's own pools
are set to one thread once the stages are built. Ctrl-C is the parent's
business: this process ignores SIGINT, and ends when its input closes.
"""

from __future__ import annotations

import os

# First of all, before anything can import numpy or torch: one OpenMP/BLAS thread. Two
# workers whose pools each take every core fight over them (measured: embeddings 6x slower).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
if __name__ == "__main__":
    for _name in THREAD_VARIABLES:
        os.environ[_name] = "1"

import signal  # noqa: E402 - after the thread variables, on purpose
import sys  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402


def serve(inbox: Connection, outbox: Connection) -> None:
    from ..errors import WirecoderError
    from .batches import analyze_batch

    stages = None
    while True:
        try:
            message = inbox.recv()
        except (EOFError, OSError):
            return
        if message[0] == "init":
            try:
                stages = message[1].build()
            except WirecoderError as exc:
                outbox.send(("init_error", type(exc).__name__, str(exc)))
                return
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which names it
                outbox.send(("init_error", "ResourceError", f"{type(exc).__name__}: {exc}"))
                return
            outbox.send(("ready",))
        elif message[0] == "batch":
            _, task_id, articles = message
            assert stages is not None, "a batch before init"
            outbox.send(("done", task_id, analyze_batch(stages, articles)))


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox, outbox = Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    try:
        serve(inbox, outbox)
    except (BrokenPipeError, KeyboardInterrupt):  # the parent went away
        pass


if __name__ == "__main__":
    main()
