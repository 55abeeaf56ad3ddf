"""ncloud-wsc: the NAVER Cloud Platform Web Security Checker API from Python.

A typed client (``Client``) and its asyncio twin (``AsyncClient``) on the
wsc Rust core: signed requests, the API's retry rules, and the billed
create's safety (sent once; the job it started is found, or you are told
exactly what may exist).
"""

from ncloud_wsc._async import AsyncClient
from ncloud_wsc._client import Client
from ncloud_wsc._errors import (
    ConfigError,
    Error,
    GatewayError,
    InvalidInput,
    MayHaveStarted,
    NotStarted,
    ServiceError,
    TransportError,
    WaitTimeout,
)
from ncloud_wsc._native import __version__
from ncloud_wsc._types import DomainCounts, Job, JobPage, Report, RiskCounts

__all__ = [
    "AsyncClient",
    "Client",
    "ConfigError",
    "DomainCounts",
    "Error",
    "GatewayError",
    "InvalidInput",
    "Job",
    "JobPage",
    "MayHaveStarted",
    "NotStarted",
    "Report",
    "RiskCounts",
    "ServiceError",
    "TransportError",
    "WaitTimeout",
    "__version__",
]
