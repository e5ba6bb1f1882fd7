"""Threads share two malloc arenas once the allocator is bounded, as `serve` does."""

import platform
import subprocess
import sys

import pytest

from ..served import PACKAGE, cli_environment

THREADS = 8
# Threads that each allocate (and keep) blocks malloc serves from the thread's arena, all
# alive at once, then glibc's own report of its arenas on standard error.
_ALLOCATE_IN_THREADS = """
import ctypes, threading
from {package}.core.memory import bound_allocator_arenas
bounded = bound_allocator_arenas()
kept = []
all_allocated = threading.Barrier({threads})
def allocate():
    kept.extend(bytearray(4096) for _ in range(256))
    all_allocated.wait()
threads = [threading.Thread(target=allocate) for _ in range({threads})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(bounded)
ctypes.CDLL(None).malloc_stats()
"""


def arenas_after_threads(env: dict[str, str]) -> tuple[str, int]:
    script = _ALLOCATE_IN_THREADS.format(package=PACKAGE, threads=THREADS)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip(), result.stderr.count("Arena ")


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="arenas are glibc's malloc's")
def test_threads_share_two_arenas() -> None:
    env = cli_environment()
    env.pop("MALLOC_ARENA_MAX", None)

    assert arenas_after_threads(env) == ("True", 2)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="arenas are glibc's malloc's")
def test_an_operators_choice_is_kept() -> None:
    env = cli_environment(MALLOC_ARENA_MAX="4")

    bounded, arenas = arenas_after_threads(env)

    assert bounded == "False"
    assert arenas == 4
