"""Names Prefect accepts: artifact keys and block document names match ``^[a-z0-9-]+$``."""

from __future__ import annotations

import hashlib
import re

__all__ = ["safe_key"]

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")


def safe_key(text: str, *, max_length: int = 100, unique: bool = False) -> str:
    """Lower-case ``text`` and replace everything outside ``[a-z0-9]`` with single dashes.

    Args:
        text: Any user-given name (``"Orders / Daily_2026"``).
        max_length: Longest result.
        unique: Append a short hash of the exact text, so names that sanitize alike
            (``"a b"`` and ``"a-b"``) stay apart.
    """
    key = _NOT_ALLOWED.sub("-", text.lower()).strip("-") or "data"
    if not unique:
        return key[:max_length].rstrip("-")
    digest = hashlib.sha256(text.encode()).hexdigest()[:10]
    return f"{key[: max_length - 11].rstrip('-')}-{digest}"
