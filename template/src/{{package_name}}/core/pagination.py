"""Bounded pages for every list endpoint: the list envelope of the contract."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from .validation import DEFAULT_LIMIT, Limit, Offset

T = TypeVar("T")
OutT = TypeVar("OutT", bound=BaseModel)


class PageRequest(BaseModel):
    """Query parameters of a list: integers read from their digits, bounded values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: Limit = DEFAULT_LIMIT
    offset: Offset = 0


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


class PageOut(BaseModel, Generic[OutT]):
    """The list envelope: `{"items", "total", "limit", "offset"}`."""

    items: list[OutT]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[Any]) -> "PageOut[OutT]":
        return cls.model_validate(
            {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset},
            from_attributes=True,
        )
