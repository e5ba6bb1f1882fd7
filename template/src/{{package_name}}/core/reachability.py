"""Whether a server the service depends on answered when last tried. An outage is logged
when it begins and when it ends, never once per request: a few lines, however busy."""

import threading

import structlog

logger = structlog.get_logger(__name__)


class Reachability:
    """The last known state of one server; only its changes are logged.

    An attempt takes a ticket as it begins. Its outcome changes the state only if nothing
    changed it meanwhile: a request sent before an outage that succeeds after another has
    seen the outage begin does not announce a recovery, nor a slow failure a second outage.
    """

    def __init__(self, lost_event: str, regained_event: str) -> None:
        self._lost_event = lost_event
        self._regained_event = regained_event
        self._lock = threading.Lock()
        self._reachable = True
        self._changes = 0

    def ticket(self) -> int:
        return self._changes

    def _become(self, reachable: bool, ticket: int | None) -> bool:
        with self._lock:
            if self._reachable == reachable or ticket not in (None, self._changes):
                return False
            self._reachable = reachable
            self._changes += 1
            return True

    def lost(self, error: BaseException, ticket: int | None = None) -> None:
        """The server failed an attempt; without a ticket the failure always counts."""
        if self._become(False, ticket):
            # The error message can name hosts or paths: log its class only.
            logger.error(self._lost_event, error=type(error).__name__)

    def regained(self, ticket: int) -> None:
        # Read without the lock first: while reachable, the common case, nothing waits.
        if not self._reachable and self._become(True, ticket):
            logger.info(self._regained_event)
