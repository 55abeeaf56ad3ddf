"""The asyncio client: the blocking client's calls, each on a worker thread.

The Rust core releases the GIL for every call, so calls run in parallel on
``asyncio.to_thread``'s pool; nothing runs on the event loop, and nothing
outlives the interpreter (no runtime of its own, no background thread).
"""

from __future__ import annotations

import collections.abc as _abc
import typing as _typing
from typing import Any

from ncloud_wsc._client import Client
from ncloud_wsc._types import Job, JobPage, Report

__all__ = ["AsyncClient"]

_R = _typing.TypeVar("_R")


async def _to_thread(fn: _abc.Callable[..., _R], *args: Any) -> _R:
    # asyncio is imported on first use: `import ncloud_wsc` stays fast for
    # programs that never use the async client.
    import asyncio

    return await asyncio.to_thread(fn, *args)


class AsyncClient:
    """The same methods as ``Client``, as coroutines."""

    def __init__(
        self,
        endpoint: str | None = None,
        site: str | None = None,
        profile: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        timeout: float | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self._client = Client(endpoint, site, profile, access_key, secret_key, timeout, ca_bundle)

    @property
    def endpoint(self) -> str:
        """The base URL requests go to."""
        return self._client.endpoint

    def __repr__(self) -> str:
        return f"ncloud_wsc.AsyncClient(endpoint={self.endpoint!r})"

    async def list_jobs(self, limit: int = 20, page: int = 1) -> JobPage:
        """One page of jobs, newest first."""
        return await _to_thread(self._client.list_jobs, limit, page)

    async def search_jobs(
        self,
        url: str | None = None,
        memo: str | None = None,
        status: str | None = None,
        limit: int = 20,
        page: int = 1,
    ) -> JobPage:
        """Jobs whose target URL or memo contains a keyword."""
        return await _to_thread(self._client.search_jobs, url, memo, status, limit, page)

    async def get_job(self, job_id: int | str) -> Job:
        """One job by id."""
        return await _to_thread(self._client.get_job, job_id)

    async def create_job(
        self,
        url: str,
        *,
        memo: str | None = None,
        exclude: _abc.Iterable[str] = (),
        headers: _abc.Mapping[str, str] | None = None,
        vuln_items: _abc.Iterable[str] = ("ALL",),
        user_agent: str | None = None,
        speed: str | None = None,
    ) -> Job:
        """Starts a scan — **billed**; see ``Client.create_job``."""
        return await _to_thread(
            lambda: self._client.create_job(
                url,
                memo=memo,
                exclude=exclude,
                headers=headers,
                vuln_items=vuln_items,
                user_agent=user_agent,
                speed=speed,
            )
        )

    async def wait(
        self,
        job_id: int | str,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        on_progress: _abc.Callable[[Job], None] | None = None,
    ) -> Job:
        """Waits until the job ends (``on_progress`` runs on the worker thread)."""
        return await _to_thread(
            lambda: self._client.wait(
                job_id, timeout=timeout, interval=interval, on_progress=on_progress
            )
        )

    async def get_report(self, job_id: int | str) -> Report:
        """A completed job's report."""
        return await _to_thread(self._client.get_report, job_id)

    async def cancel_job(self, job_id: int | str) -> None:
        """Cancels a job that has not started."""
        await _to_thread(self._client.cancel_job, job_id)

    async def stop_job(self, job_id: int | str) -> None:
        """Stops a running job."""
        await _to_thread(self._client.stop_job, job_id)

    def dry_run(self, call: str, **kwargs: Any) -> dict[str, Any]:
        """The signed request ``call`` would send (nothing is sent, so not a coroutine)."""
        return self._client.dry_run(call, **kwargs)
