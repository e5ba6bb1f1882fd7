"""The C allocator's share of the service's memory.

glibc's malloc gives each thread that allocates an arena of its own, up to eight per core,
and an arena keeps the most it ever held. A server's worker threads (a thread pool for
each framework) each grow one, so resident memory climbs for minutes under load before it
levels off. Two arenas serve threads that mostly wait on I/O as fast, and keep it flat.
"""

import ctypes
import os
import platform

# mallopt's parameter for the number of arenas (M_ARENA_MAX in glibc's malloc.h).
M_ARENA_MAX = -8
ARENAS = 2


def bound_allocator_arenas() -> bool:
    """Limit glibc's arenas to ARENAS, unless the operator chose with MALLOC_ARENA_MAX.
    Call it before the threads start; whether the limit was set."""
    if platform.libc_ver()[0] != "glibc" or "MALLOC_ARENA_MAX" in os.environ:
        return False
    return bool(ctypes.CDLL(None).mallopt(M_ARENA_MAX, ARENAS))
