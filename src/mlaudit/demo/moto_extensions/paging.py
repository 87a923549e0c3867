"""What the extensions' list operations share: answering one page at a time, as AWS does, with the token that
asks for the next (mlaudit's collectors must page through them, never read a whole list from one answer)."""

from __future__ import annotations

from typing import Any

from moto.core.responses import BaseResponse


def page(
    response: BaseResponse,
    key: str,
    items: list[Any],
    *,
    token: str = "NextToken",
    size: str = "MaxResults",
    default_size: int = 100,
) -> dict[str, Any]:
    """The page of `items` the request asks for (its `token` and `size` parameters, AWS's names for the API),
    under `key`, with the token of the next page when there is one."""
    start = int(response._get_param(token) or 0)
    end = start + int(response._get_param(size) or default_size)
    answer: dict[str, Any] = {key: items[start:end]}
    if end < len(items):
        answer[token] = str(end)
    return answer
