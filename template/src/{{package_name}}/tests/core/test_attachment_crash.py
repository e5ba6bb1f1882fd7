"""A served process killed (SIGKILL) mid-upload, then restarted: every stored file is
complete and has its row, every acknowledged upload keeps its file, nothing is left over."""

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import select, update

from ...core.attachments import PARTIAL_SUFFIX
from ...core.database import session_across_tenants
from ...core.models import Attachment, Item
from ..helpers import FirstMember, FirstTenant
from ..served import cli_environment, run_cli, serving, wait_until_serving

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
UPLOAD = {"file": ("picture.png", PNG + b"\x00" * 65536, "image/png")}
# Older than any upload in progress, as files left by a crash are when the service returns.
LONG_AGO = time.time() - 3600


@contextmanager
def item_locked(database_url: str, item_id: uuid.UUID) -> Iterator[None]:
    """Hold the item's row (and SQLite's write lock): an attachment's commit waits."""
    with session_across_tenants(database_url) as db:
        db.execute(update(Item).where(Item.id == item_id).values(title=Item.title))
        db.execute(select(Item.id).where(Item.id == item_id).with_for_update())
        yield
        db.rollback()


def wait_for_a_new_file(directory: Path, known: set[Path]) -> None:
    deadline = time.monotonic() + 20
    while set(directory.iterdir()) == known:
        assert time.monotonic() < deadline, "the upload never reached the disk"
        time.sleep(0.01)


def upload_cut_off(url: str, headers: dict[str, str]) -> None:
    """An upload whose server dies before it answers."""
    with pytest.raises(httpx.TransportError):
        httpx.post(url, files=UPLOAD, headers=headers)


def crash(pid: int) -> None:
    """SIGKILL the server and its workers at once, as a lost machine or the OOM killer would."""
    server = psutil.Process(pid)
    processes = [server, *server.children(recursive=True)]
    for process in processes:
        process.kill()
    psutil.wait_procs(processes)


def test_a_crash_mid_upload_leaves_no_orphan_and_no_truncated_file(
    new_database_url: Callable[[], str],
    auth_process_environment: dict[str, str],
    first_tenant: FirstTenant,
    first_member: FirstMember,
    tmp_path: Path,
) -> None:
    database_url = new_database_url()
    directory = tmp_path / "attachments"
    env = cli_environment(
        DATABASE_URL=database_url, ATTACHMENTS_DIR=str(directory), **auth_process_environment
    )
    assert run_cli("migrate", env=env).returncode == 0
    tenant = first_tenant(env)

    with serving(env) as (base_url, process):
        wait_until_serving(base_url)
        headers = first_member(env, tenant, base_url)
        item = httpx.post(f"{base_url}/api/v1/items", json={"title": "x"}, headers=headers)
        uploads = f"{base_url}/api/v1/items/{item.json()['id']}/attachments"
        acknowledged = httpx.post(uploads, files=UPLOAD, headers=headers)
        kept = set(directory.iterdir())
        with item_locked(database_url, uuid.UUID(item.json()["id"])):
            interrupted = threading.Thread(target=upload_cut_off, args=(uploads, headers))
            interrupted.start()
            wait_for_a_new_file(directory, kept)
            crash(process.pid)
        interrupted.join()
    for path in directory.iterdir():
        os.utime(path, (LONG_AGO, LONG_AGO))

    with serving(env) as (base_url, _):
        wait_until_serving(base_url)

    with session_across_tenants(database_url) as db:
        rows = dict(db.execute(select(Attachment.stored_name, Attachment.size)).all())
    files = {path.name: path.stat().st_size for path in directory.iterdir()}
    assert acknowledged.status_code == 201
    assert len(rows) == 1
    assert not [name for name in files if name.endswith(PARTIAL_SUFFIX)]
    assert files == rows
