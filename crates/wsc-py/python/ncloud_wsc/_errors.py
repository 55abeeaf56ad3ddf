"""The exception tree: every failure is an ``ncloud_wsc.Error``."""

from __future__ import annotations

from typing import Any

from ncloud_wsc._types import Job

__all__ = [
    "Error",
    "ServiceError",
    "GatewayError",
    "TransportError",
    "NotStarted",
    "MayHaveStarted",
    "WaitTimeout",
    "ConfigError",
    "InvalidInput",
]


class Error(Exception):
    """A failure of a WSC call, with the core's message.

    ``retryable`` is the core's answer for this kind of call: ``True`` only
    when trying the same call again is safe (never for a billed create that
    may have started a scan).
    """

    retryable: bool

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable

    def __str__(self) -> str:
        return self.message


class ServiceError(Error):
    """The Web Security Checker service refused the call in its own words."""

    def __init__(
        self, message: str, *, code: str, status: int | None, retryable: bool = False
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.code = code
        self.status = status


class GatewayError(Error):
    """The NCP API gateway refused the call (authentication, throttling, ...)."""

    def __init__(
        self, message: str, *, status: int, code: str, retryable: bool = False
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.status = status
        self.code = code


class TransportError(Error):
    """The HTTP exchange failed. ``may_have_reached_service`` is ``False``
    only when the request provably never arrived."""

    def __init__(
        self, message: str, *, may_have_reached_service: bool, retryable: bool = False
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.may_have_reached_service = may_have_reached_service


class NotStarted(Error):
    """A create started no scan and billed nothing; ``reason`` says how that
    is known (``not_sent``, ``never_arrived`` or ``refused``)."""

    def __init__(
        self, message: str, *, reason: str, tag: str | None, retryable: bool = False
    ) -> None:
        super().__init__(message, retryable=retryable)
        self.reason = reason
        self.tag = tag


class MayHaveStarted(Error):
    """A create started, or may have started, a scan whose job could not be
    named. Never create it again before looking: the message says how; the
    job's memo ends with ``tag`` (when there is one), and ``candidates`` are
    the new jobs that match."""

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        tag: str | None,
        candidates: list[Job],
    ) -> None:
        super().__init__(message, retryable=False)
        self.reason = reason
        self.tag = tag
        self.candidates = candidates


class WaitTimeout(Error):
    """The job had not ended when the wait's timeout passed; ``last`` is the
    job as last seen."""

    def __init__(self, message: str, *, last: Job | None, retryable: bool = True) -> None:
        super().__init__(message, retryable=retryable)
        self.last = last


class ConfigError(Error):
    """Credentials, profile or endpoint could not be resolved, or the
    client could not be set up (an unusable CA bundle, a bad proxy)."""


class InvalidInput(Error, ValueError):
    """An argument was refused before anything was sent."""


def from_native(args: tuple[Any, ...]) -> Error:
    """The typed exception for a ``_native.NativeError``'s arguments."""
    kind, message, details = args
    retryable = bool(details.get("retryable", False))
    if kind == "invalid_input":
        return InvalidInput(message)
    if kind == "config":
        return ConfigError(message)
    if kind == "gateway":
        return GatewayError(
            message, status=details["status"], code=details["code"], retryable=retryable
        )
    if kind == "service":
        return ServiceError(
            message, code=details["code"], status=details["status"], retryable=retryable
        )
    if kind == "transport":
        return TransportError(
            message,
            may_have_reached_service=details["may_have_reached_service"],
            retryable=retryable,
        )
    if kind == "not_started":
        return NotStarted(
            message, reason=details["reason"], tag=details["tag"], retryable=retryable
        )
    if kind == "may_have_started":
        candidates = [Job._from_native(c) for c in details["candidates"]]
        return MayHaveStarted(
            message, reason=details["reason"], tag=details["tag"], candidates=candidates
        )
    if kind == "wait_timeout":
        last = details.get("last")
        return WaitTimeout(message, last=Job._from_native(last) if last else None)
    return Error(message, retryable=retryable)
