"""The blocking client: every call runs in the Rust core with the GIL released."""

from __future__ import annotations

import collections.abc as _abc
import typing as _typing
from typing import Any

from ncloud_wsc import _native
from ncloud_wsc._errors import from_native
from ncloud_wsc._types import Job, JobPage, Report

__all__ = ["Client"]

_T = _typing.TypeVar("_T")


def _call(fn: _abc.Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    try:
        return fn(*args, **kwargs)
    except _native.NativeError as error:
        raise from_native(error.args) from None


class Client:
    """A Web Security Checker client.

    With no arguments it reads what the ``wsc`` CLI reads: ``NCLOUD_ACCESS_KEY_ID``
    / ``NCLOUD_SECRET_ACCESS_KEY``, ``NCLOUD_SITE``, ``WSC_ENDPOINT``,
    ``NCLOUD_PROFILE`` and the profiles of ``~/.ncloud/configure``.
    ``timeout`` (seconds) bounds each call, retries included.
    """

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
        self._native = _call(
            _native.Client, endpoint, site, profile, access_key, secret_key, timeout, ca_bundle
        )

    @property
    def endpoint(self) -> str:
        """The base URL requests go to."""
        return self._native.endpoint

    def __repr__(self) -> str:
        return f"ncloud_wsc.Client(endpoint={self.endpoint!r})"

    def list_jobs(self, limit: int = 20, page: int = 1) -> JobPage:
        """One page of jobs, newest first."""
        return JobPage._from_native(_call(self._native.list_jobs, limit, page))

    def search_jobs(
        self,
        url: str | None = None,
        memo: str | None = None,
        status: str | None = None,
        limit: int = 20,
        page: int = 1,
    ) -> JobPage:
        """Jobs whose target URL or memo contains a keyword, optionally in one status."""
        return JobPage._from_native(
            _call(self._native.search_jobs, url, memo, status, limit, page)
        )

    def get_job(self, job_id: int | str) -> Job:
        """One job by id (a ``ServiceError`` with code ``not_found`` when it is not listed)."""
        return Job._from_native(_call(self._native.get_job, str(job_id)))

    def create_job(
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
        """Starts a scan — **billed** — and returns its job.

        Sent once; never again after a reply is lost. Raises ``NotStarted``
        when provably nothing was started (safe to try again), and
        ``MayHaveStarted`` when a job started, or may have, and could not be
        named: look (its message says how) before creating it again.
        """
        pairs = list((headers or {}).items())
        raw = _call(
            self._native.create_job,
            url,
            memo,
            list(exclude),
            pairs,
            list(vuln_items),
            user_agent,
            speed,
        )
        return Job._from_native(raw)

    def wait(
        self,
        job_id: int | str,
        *,
        timeout: float | None = None,
        interval: float | None = None,
        on_progress: _abc.Callable[[Job], None] | None = None,
    ) -> Job:
        """Waits until the job ends and returns it as it ended (raises
        ``WaitTimeout`` after ``timeout`` seconds; default six hours)."""
        callback = None
        if on_progress is not None:
            progress = on_progress

            def callback(raw: dict[str, Any]) -> None:
                progress(Job._from_native(raw))

        return Job._from_native(
            _call(self._native.wait, str(job_id), timeout, interval, callback)
        )

    def get_report(self, job_id: int | str) -> Report:
        """A completed job's report."""
        return Report._from_native(_call(self._native.get_report, str(job_id)))

    def cancel_job(self, job_id: int | str) -> None:
        """Cancels a job that has not started."""
        _call(self._native.cancel_job, str(job_id))

    def stop_job(self, job_id: int | str) -> None:
        """Stops a running job."""
        _call(self._native.stop_job, str(job_id))

    def dry_run(self, call: str, **kwargs: Any) -> dict[str, Any]:
        """The signed request ``call`` would send (``list_jobs``, ``search_jobs``,
        ``create_job``, ``cancel_job``, ``stop_job`` or ``get_report``, with its
        arguments), its signature masked; nothing is sent."""
        if "job_id" in kwargs:
            kwargs["job_id"] = str(kwargs["job_id"])
        result: dict[str, Any] = _call(self._native.dry_run, call, **kwargs)
        return result
