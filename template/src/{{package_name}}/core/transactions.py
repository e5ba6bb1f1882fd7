"""Whether a session's transaction has written anything.

Every write issued through a session (an ORM flush, an INSERT, UPDATE or DELETE statement)
marks it until its transaction ends: only a transaction that wrote has anything a commit
would keep.
"""

from sqlalchemy import event
from sqlalchemy.orm import (
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    sessionmaker,
)

_WROTE = "transaction_wrote"


def track_writes(sessions: "sessionmaker[Session]") -> None:
    @event.listens_for(sessions, "do_orm_execute")
    def _statement(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_WROTE] = True

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _flush: UOWTransaction) -> None:
        session.info[_WROTE] = True

    @event.listens_for(sessions, "after_transaction_end")
    def _ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop(_WROTE, None)


def has_written(db: Session) -> bool:
    """Whether `db`'s transaction has changes to write, flushed or still pending."""
    return bool(db.new or db.dirty or db.deleted or db.info.get(_WROTE))
