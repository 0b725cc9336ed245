"""The integrator kit's README snippet works as written against the real, locked-down server."""

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import nats
import pytest
from netraven_devstack.bus_credentials import write_integrator_kit
from netraven_shared.bus_streams import REQUESTS_STREAM

from tests.fixtures.infra import Infra


async def test_the_readme_snippet_requests_a_backup_and_listens_for_changes(
    infra: Infra, tmp_path: Path
) -> None:
    if infra.credentials is None:
        pytest.skip("needs the integrator identity")
    write_integrator_kit(infra.credentials, tmp_path, infra.nats_url)
    readme = (tmp_path / "README.md").read_text()
    (snippet,) = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    quick = snippet.replace("await asyncio.sleep(60)", "await asyncio.sleep(0.2)")
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", quick],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "backup requested, stream sequence" in result.stdout
    tests = await nats.connect(
        **infra.nats_options()
    )  # no worker of a later test should try that device
    await tests.jetstream().purge_stream(REQUESTS_STREAM)
    await tests.close()
