"""The one exception the documents raise: a document could not be made, said in Vietnamese."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from tinnhiem.validation import PollError

T = TypeVar("T")


class DocumentError(Exception):
    """Raised when a document cannot be made; ``str()`` is the Vietnamese sentence to show."""


def guarded(title: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Turn any failure inside a document function into a ``DocumentError`` naming ``title``.

    ``PollError`` (the poll itself is not valid, from the tally) passes through: it already
    names the field in Vietnamese. Anything else is a fault of this program, and the
    sentence says so.
    """

    def decorate(function: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(function)
        def wrapper(*args, **kwargs) -> T:
            try:
                return function(*args, **kwargs)
            except (DocumentError, PollError):
                raise
            except MemoryError as error:
                raise DocumentError(
                    f"Không tạo được {title}: máy không đủ bộ nhớ. Đóng bớt chương trình "
                    "khác rồi thử lại."
                ) from error
            except Exception as error:
                raise DocumentError(
                    f"Không tạo được {title} do lỗi của chương trình "
                    f"({type(error).__name__}). Dữ liệu đã nhập không bị ảnh hưởng; hãy tải "
                    "tệp cuộc kiểm phiếu (JSON) và báo lỗi kèm tệp đó."
                ) from error

        return wrapper

    return decorate
