"""A user's script touching every method: type-checked with ``mypy --strict``
(it is never run; the pytest suite runs the same calls)."""

from __future__ import annotations

import asyncio

import ncloud_wsc


def sync(client: ncloud_wsc.Client) -> list[int]:
    page: ncloud_wsc.JobPage = client.list_jobs(limit=10, page=1)
    found = client.search_jobs(url="shop.example.com", memo=None, status="completed")
    job: ncloud_wsc.Job = client.get_job(page.jobs[0].id)
    try:
        created = client.create_job(
            "https://shop.example.com",
            memo="nightly",
            exclude=["https://shop.example.com/logout"],
            headers={"Cookie": "session=..."},
            vuln_items=("ALL",),
            user_agent="chrome",
            speed="2",
        )
    except ncloud_wsc.NotStarted as e:
        print("nothing billed:", e.reason, e.retryable)
        return []
    except ncloud_wsc.MayHaveStarted as e:
        print("look first:", e.tag, [c.id for c in e.candidates])
        return []
    ended = client.wait(created.id, timeout=3600.0, interval=30.0, on_progress=lambda j: print(j.status))
    report: ncloud_wsc.Report = client.get_report(ended.id)
    if report.risk is not None:
        print(report.risk.high, [d.domain for d in report.domains], report.raw.get("Target_Info"))
    client.cancel_job(job.id)
    client.stop_job(job.id)
    request: dict[str, object] = client.dry_run("list_jobs", limit=5)
    print(request["url"], job.started_at, job.to_dict(), report.to_dict(), client.endpoint)
    return [j.id for j in found.jobs]


async def concurrent(client: ncloud_wsc.AsyncClient) -> int:
    pages = await asyncio.gather(*(client.list_jobs() for _ in range(5)))
    job = await client.create_job("https://shop.example.com")
    await client.wait(job.id, timeout=60.0)
    await client.get_report(job.id)
    await client.search_jobs(status="running")
    await client.get_job(job.id)
    await client.cancel_job(job.id)
    await client.stop_job(job.id)
    try:
        await client.list_jobs()
    except ncloud_wsc.GatewayError as e:
        print(e.status, e.code, e.retryable)
    except ncloud_wsc.TransportError as e:
        print(e.may_have_reached_service)
    except ncloud_wsc.Error as e:
        print(e.message)
    return sum(len(p.jobs) for p in pages)
