"""The results: jobs, pages of jobs and reports, as typed objects."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

__all__ = ["Job", "JobPage", "Report", "RiskCounts", "DomainCounts"]


def _time(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=timezone.utc)


@dataclass(frozen=True)
class Job:
    """One scan job. ``started_at`` and ``ended_at`` are timezone-aware."""

    id: int
    status: str
    status_label: str
    progress: int | None
    start_url: str
    memo: str
    crawl_count: int | None
    scan_count: int | None
    started_at: datetime | None
    ended_at: datetime | None
    result_button: str

    @classmethod
    def _from_native(cls, raw: dict[str, Any]) -> Job:
        return cls(
            id=int(raw["id"]),
            status=raw.get("status", "unknown"),
            status_label=raw.get("status_label", ""),
            progress=raw.get("progress"),
            start_url=raw.get("start_url", ""),
            memo=raw.get("memo", ""),
            crawl_count=raw.get("crawl_count"),
            scan_count=raw.get("scan_count"),
            started_at=_time(raw.get("started_at")),
            ended_at=_time(raw.get("ended_at")),
            result_button=raw.get("result_button", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        """The job as plain values (times as ISO 8601 text)."""
        out = dataclasses.asdict(self)
        for key in ("started_at", "ended_at"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        return out


@dataclass(frozen=True)
class JobPage:
    """One page of jobs, with the totals the service reported."""

    total: int | None
    pages: int | None
    jobs: list[Job]

    @classmethod
    def _from_native(cls, raw: dict[str, Any]) -> JobPage:
        return cls(
            total=raw.get("total"),
            pages=raw.get("pages"),
            jobs=[Job._from_native(j) for j in raw.get("jobs", [])],
        )

    def to_dict(self) -> dict[str, Any]:
        """The page as plain values."""
        return {"total": self.total, "pages": self.pages, "jobs": [j.to_dict() for j in self.jobs]}


@dataclass(frozen=True)
class RiskCounts:
    """Findings per risk level."""

    high: int
    medium: int
    low: int
    total: int


@dataclass(frozen=True)
class DomainCounts:
    """Findings per risk level on one scanned domain."""

    domain: str
    high: int
    medium: int
    low: int


@dataclass(frozen=True)
class Report:
    """A completed job's report: its summary by risk level and by domain,
    and ``raw``, the whole document with login data and headers masked."""

    job_id: int
    target: str | None
    report_date: str | None
    risk: RiskCounts | None
    domains: list[DomainCounts]
    categories: list[str]
    raw: dict[str, Any] = dataclasses.field(repr=False)

    @classmethod
    def _from_native(cls, raw: dict[str, Any]) -> Report:
        risk = raw.get("risk")
        return cls(
            job_id=int(raw["job_id"]),
            target=raw.get("target"),
            report_date=raw.get("report_date"),
            risk=RiskCounts(**risk) if risk else None,
            domains=[DomainCounts(**d) for d in raw.get("domains", [])],
            categories=list(raw.get("categories", [])),
            raw=raw.get("raw", {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain values."""
        return dataclasses.asdict(self)
