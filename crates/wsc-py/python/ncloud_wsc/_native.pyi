"""The Rust core's binding (hand-written stubs, checked by mypy.stubtest)."""

from collections.abc import Callable
from typing import Any, final

__version__: str

class NativeError(Exception):
    """A failure of the core: ``args`` are ``(kind, message, details)``."""

@final
class Client:
    def __new__(
        cls,
        endpoint: str | None = None,
        site: str | None = None,
        profile: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        timeout: float | None = None,
        ca_bundle: str | None = None,
    ) -> Client: ...
    @property
    def endpoint(self) -> str: ...
    def list_jobs(self, limit: int, page: int) -> dict[str, Any]: ...
    def search_jobs(
        self, url: str | None, memo: str | None, status: str | None, limit: int, page: int
    ) -> dict[str, Any]: ...
    def get_job(self, job_id: str) -> dict[str, Any]: ...
    def create_job(
        self,
        url: str,
        memo: str | None,
        exclude: list[str],
        headers: list[tuple[str, str]],
        vuln_items: list[str],
        user_agent: str | None,
        speed: str | None,
    ) -> dict[str, Any]: ...
    def wait(
        self,
        job_id: str,
        timeout: float | None,
        interval: float | None,
        on_progress: Callable[[dict[str, Any]], None] | None,
    ) -> dict[str, Any]: ...
    def get_report(self, job_id: str) -> dict[str, Any]: ...
    def cancel_job(self, job_id: str) -> None: ...
    def stop_job(self, job_id: str) -> None: ...
    def dry_run(self, call: str, **kwargs: Any) -> dict[str, Any]: ...
