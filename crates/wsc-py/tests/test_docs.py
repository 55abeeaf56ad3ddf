"""Every ``python`` block of docs/python.md runs against wsc-mock."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT, Mock

DOC = ROOT / "docs" / "python.md"


def test_every_python_block_of_the_docs_runs(mock: Mock) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 2
    env = {**os.environ, **mock.env()}
    for block in blocks:
        done = subprocess.run([sys.executable, "-c", block], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{block}\n---\n{done.stdout}\n{done.stderr}"
