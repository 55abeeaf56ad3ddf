"""ncloud_wsc against wsc-mock on loopback: every method, each exception,
the billed create's safety, the GIL, Ctrl-C and asyncio."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime

import pytest

import ncloud_wsc
from conftest import ACCESS_KEY, SECRET_KEY, Mock


def test_every_read_method_returns_typed_objects(mock: Mock) -> None:
    client = ncloud_wsc.Client()
    page = client.list_jobs(limit=3)
    assert page.total == 5 and len(page.jobs) == 3
    job = page.jobs[0]
    assert isinstance(job, ncloud_wsc.Job) and isinstance(job.id, int)
    assert job.started_at is None or (
        isinstance(job.started_at, datetime) and job.started_at.tzinfo is not None
    )
    assert client.get_job(job.id) == job
    found = client.search_jobs(url="shop.example")
    assert [j.start_url for j in found.jobs] == ["https://shop.example.com"]
    completed = client.search_jobs(status="completed")
    assert completed.jobs and all(j.status == "completed" for j in completed.jobs)
    report = client.get_report(completed.jobs[0].id)
    assert report.risk is not None and report.risk.total == sum(
        (report.risk.high, report.risk.medium, report.risk.low)
    )
    assert report.domains and isinstance(report.raw, dict)
    assert job.to_dict()["id"] == job.id and page.to_dict()["total"] == 5
    assert report.to_dict()["job_id"] == report.job_id


def test_create_wait_report_cancel_and_stop(mock: Mock) -> None:
    client = ncloud_wsc.Client()
    created = client.create_job("https://new.example.com", memo="py test")
    assert created.start_url == "https://new.example.com"
    assert created.memo.startswith("py test [wsc:")  # tagged by the core
    seen: list[str] = []
    ended = client.wait(created.id, interval=1, timeout=60, on_progress=lambda j: seen.append(j.status))
    assert ended.status == "completed" and seen
    assert client.get_report(ended.id).job_id == ended.id
    to_cancel = client.create_job("https://cancel.example.com")
    client.cancel_job(to_cancel.id)
    assert client.get_job(to_cancel.id).status == "cancelled"
    with pytest.raises(ncloud_wsc.ServiceError) as refused:
        client.stop_job(to_cancel.id)  # not running
    assert refused.value.code and not refused.value.retryable


def test_dry_run_shows_the_signed_request_with_the_secret_masked(mock: Mock) -> None:
    client = ncloud_wsc.Client()
    request = client.dry_run("list_jobs", limit=5)
    assert request["method"] == "GET" and request["url"].endswith("/api/v1/jobs?limit=5&page=1")
    assert request["headers"]["x-ncp-iam-access-key"].startswith(ACCESS_KEY[:4])
    assert ACCESS_KEY not in repr(request)
    assert SECRET_KEY not in repr(request)
    assert request["headers"]["x-ncp-apigw-signature-v2"] != ""
    assert client.list_jobs().total == 5, "a dry run sent nothing"


def test_repr_and_errors_never_show_the_secret(mock: Mock) -> None:
    client = ncloud_wsc.Client(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    assert SECRET_KEY not in repr(client)
    with pytest.raises(ncloud_wsc.GatewayError) as failed:
        ncloud_wsc.Client(access_key=ACCESS_KEY, secret_key="wrong-secret").list_jobs()
    assert failed.value.status == 401 and "wrong-secret" not in str(failed.value)
    assert not failed.value.retryable


def test_each_exception_is_typed_and_keeps_the_retry_answer(mock_factory) -> None:  # type: ignore[no-untyped-def]
    mock_factory()
    with pytest.raises(ncloud_wsc.InvalidInput) as bad:
        ncloud_wsc.Client().get_job("not-an-id")
    assert isinstance(bad.value, ValueError) and not bad.value.retryable
    with pytest.raises(ncloud_wsc.ConfigError):
        ncloud_wsc.Client(access_key="only-one")
    # A used-up quota is never retried: the core says so.
    quota = mock_factory("--fault", "getJobs:always:quota")
    with pytest.raises(ncloud_wsc.GatewayError) as gateway:
        ncloud_wsc.Client(endpoint=quota.endpoint, timeout=30).list_jobs()
    assert gateway.value.status == 429 and not gateway.value.retryable
    # A reset after a read was sent: it may have arrived, and a read is safe to retry.
    reset = mock_factory("--fault", "getJobs:always:reset-after-read")
    with pytest.raises(ncloud_wsc.TransportError) as transport:
        ncloud_wsc.Client(endpoint=reset.endpoint, timeout=30).list_jobs()
    assert transport.value.may_have_reached_service and transport.value.retryable
    slow = mock_factory("--speed", "0.001")
    client = ncloud_wsc.Client(endpoint=slow.endpoint)
    job = client.create_job("https://slow.example.com")
    with pytest.raises(ncloud_wsc.WaitTimeout) as timeout:
        client.wait(job.id, timeout=0.5, interval=0.1)
    assert timeout.value.last is not None and timeout.value.last.id == job.id
    for cls in (ncloud_wsc.ServiceError, ncloud_wsc.NotStarted, ncloud_wsc.MayHaveStarted):
        assert issubclass(cls, ncloud_wsc.Error)


def test_a_lost_create_reply_is_never_resent_and_the_job_is_found(mock_factory) -> None:  # type: ignore[no-untyped-def]
    mock = mock_factory("--fault", "createJob:first:acted-then-reset")
    client = ncloud_wsc.Client()
    before = client.list_jobs(limit=100).total or 0
    job = client.create_job("https://lost.example.com", memo="lost reply")
    assert job.start_url == "https://lost.example.com"
    jobs = client.search_jobs(url="lost.example.com").jobs
    assert [j.id for j in jobs] == [job.id], "one job, found"
    assert (client.list_jobs(limit=100).total or 0) == before + 1
    del mock


def test_a_create_refused_before_arrival_is_not_started(mock_factory) -> None:  # type: ignore[no-untyped-def]
    mock_factory("--fault", "getJobs:always:reset-before-read")
    with pytest.raises(ncloud_wsc.NotStarted) as not_started:
        ncloud_wsc.Client(timeout=3).create_job("https://never.example.com")
    assert not_started.value.reason == "not_sent" and not_started.value.retryable


def test_a_create_whose_job_cannot_be_named_may_have_started(mock_factory) -> None:  # type: ignore[no-untyped-def]
    # The reply is lost, then every listing fails: a job may exist.
    mock_factory("--fault", "createJob:first:acted-then-reset", "--fault", "getJobs:nth=2:api-call-fail=400")
    with pytest.raises(ncloud_wsc.MayHaveStarted) as may:
        ncloud_wsc.Client(timeout=5).create_job("https://maybe.example.com")
    assert may.value.tag and may.value.tag in str(may.value)
    assert "search_jobs" in str(may.value) and not may.value.retryable


def test_calls_release_the_gil(mock_factory) -> None:  # type: ignore[no-untyped-def]
    mock_factory("--fault", "getJobs:always:slow-headers=1500")
    client = ncloud_wsc.Client(timeout=10)
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    client.list_jobs()
    stop.set()
    counter.join()
    assert ticks > 50, f"another thread ran only {ticks} times during a 1.5 s call"


def test_ctrl_c_during_wait_reaches_python_within_half_a_second(mock_factory) -> None:  # type: ignore[no-untyped-def]
    mock = mock_factory("--speed", "0.001")
    script = textwrap.dedent(
        """
        import sys, time, ncloud_wsc
        client = ncloud_wsc.Client()
        job = client.create_job("https://ctrl-c.example.com")
        print("waiting", flush=True)
        started = time.monotonic()
        try:
            client.wait(job.id, interval=30)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        """
    )
    env = {**os.environ, **mock.env()}
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "waiting"
    time.sleep(0.5)
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    line = child.stdout.readline().strip()
    elapsed = time.monotonic() - sent
    assert child.wait(timeout=5) == 0
    assert line == "interrupted" and elapsed < 0.5, (line, elapsed)


def test_asyncio_runs_fifty_calls_at_once(mock: Mock) -> None:
    async def main() -> list[ncloud_wsc.JobPage]:
        client = ncloud_wsc.AsyncClient()
        created = await client.create_job("https://async.example.com")
        assert (await client.get_job(created.id)).id == created.id
        return await asyncio.gather(*(client.list_jobs(limit=2) for _ in range(50)))

    pages = asyncio.run(main())
    assert len(pages) == 50 and all(len(p.jobs) == 2 for p in pages)


def test_interpreter_exit_with_async_calls_in_flight_never_crashes(mock: Mock) -> None:
    script = textwrap.dedent(
        """
        import asyncio, ncloud_wsc, threading
        client = ncloud_wsc.Client()
        # Calls in flight on other threads while the interpreter exits.
        for _ in range(4):
            threading.Thread(target=client.list_jobs, daemon=True).start()
        async def main():
            c = ncloud_wsc.AsyncClient()
            tasks = [asyncio.ensure_future(c.list_jobs()) for _ in range(8)]
            await asyncio.sleep(0)
        asyncio.run(main())
        """
    )
    env = {**os.environ, **mock.env()}
    runs = int(os.environ.get("NCLOUD_WSC_EXIT_RUNS", "200"))
    crashes = []
    for i in range(runs):
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
        if done.returncode not in (0,):
            crashes.append((i, done.returncode, done.stderr[-300:]))
    assert not crashes, crashes[:3]
