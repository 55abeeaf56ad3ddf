"""A wsc-mock server on loopback for each test that asks for one."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ACCESS_KEY = "WSCMOCKDEMOACCESSKEY"
SECRET_KEY = "wsc-mock-demo-secret-key-not-for-real-use"


def mock_binary() -> str:
    given = os.environ.get("WSC_MOCK_BIN")
    if given:
        return given
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "wsc-mock"
        if path.exists():
            return str(path)
    raise RuntimeError("build wsc-mock first (cargo build -p wsc-mock) or set WSC_MOCK_BIN")


@dataclass
class Mock:
    endpoint: str
    process: subprocess.Popen[str]

    def env(self) -> dict[str, str]:
        return {
            "WSC_ENDPOINT": self.endpoint,
            "NCLOUD_ACCESS_KEY_ID": ACCESS_KEY,
            "NCLOUD_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def start(*args: str) -> Mock:
    process = subprocess.Popen(
        [mock_binary(), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("listening on "), line
    return Mock(line.removeprefix("listening on ").strip(), process)


@pytest.fixture
def mock_factory(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    started: list[Mock] = []

    def factory(*args: str) -> Mock:
        mock = start(*args)
        started.append(mock)
        for key, value in mock.env().items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("HOME", str(ROOT / "target" / "py-home-that-does-not-exist"))
        return mock

    yield factory
    for mock in started:
        mock.process.kill()
        mock.process.wait()


@pytest.fixture
def mock(mock_factory: object) -> Mock:
    return mock_factory("--speed", "50")  # type: ignore[operator, no-any-return]
