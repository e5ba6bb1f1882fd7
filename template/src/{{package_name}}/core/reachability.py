"""Whether a server the service depends on answered when last tried. An outage is logged
when it begins and when it ends, never once per request: a few lines, however busy."""

import threading

import structlog

logger = structlog.get_logger(__name__)


class Reachability:
    """The last known state of one server; only its changes are logged."""

    def __init__(self, lost_event: str, regained_event: str) -> None:
        self._lost_event = lost_event
        self._regained_event = regained_event
        self._lock = threading.Lock()
        self._reachable = True

    def _become(self, reachable: bool) -> bool:
        with self._lock:
            changed = self._reachable != reachable
            self._reachable = reachable
        return changed

    def lost(self, error: BaseException) -> None:
        if self._become(False):
            # The error message can name hosts or paths: log its class only.
            logger.error(self._lost_event, error=type(error).__name__)

    def regained(self) -> None:
        # Read without the lock first: while reachable, the common case, nothing waits.
        if not self._reachable and self._become(True):
            logger.info(self._regained_event)
