"""`python -m netraven_worker.drivers test`: a driver file against a recorded session."""

import subprocess
import sys
from pathlib import Path

import pytest
from netraven_shared.drivers.catalog import BUILTIN_DIR
from netraven_shared.drivers.secret_check import read_secrets
from netraven_worker.drivers.replay import main

GOLDEN = Path(__file__).parents[1] / "shared/drivers/golden"

ACME = """\
platform: acme_os
netmiko_device_type: cisco_ios
noise: ['^! Last change']
redactions:
  - {pattern: '^(\\s*secret) \\S+'}
"""
RECORDING = "acme-01#show running-config\n! Last change 12:00\nhostname acme-01\n secret hunter2\n"
# an SNMPv3 key that neither this driver's rules nor the generic fallback know
MISSED = " snmp-agent usm-user v3 ops authentication-mode sha Aut0Key99\n"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


class TestReplay:
    def test_a_built_in_driver_stores_its_golden_and_no_secret_survives(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        golden = GOLDEN / "huawei"
        argv = ["test", str(BUILTIN_DIR / "huawei.yaml"), "--session", str(golden / "raw.txt")]

        code = main([*argv, "--secrets", str(golden / "secrets.txt")])

        out, err = capsys.readouterr()
        assert code == 0 and out == (golden / "expected.cfg").read_text()
        secrets = read_secrets((golden / "secrets.txt").read_text())
        assert err == f"0 of {len(secrets)} secret(s) survive\n"

    def test_a_secret_the_driver_misses_is_named_and_fails(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        driver = write(tmp_path, "acme.yaml", ACME)
        session = write(tmp_path, "session.txt", RECORDING + MISSED)
        secrets = write(tmp_path, "secrets.txt", "hunter2\n\nAut0Key99\n")

        code = main(["test", str(driver), "--session", str(session), "--secrets", str(secrets)])

        out, err = capsys.readouterr()
        assert code == 1
        assert " secret <redacted>\n" in out and "! Last change" not in out
        assert err == "1 of 2 secret(s) survive\nsurvives: Aut0Key99\n"

    def test_without_secrets_it_prints_the_stored_config(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        driver = write(tmp_path, "acme.yaml", ACME)
        session = write(tmp_path, "session.txt", RECORDING)

        assert main(["test", str(driver), "--session", str(session)]) == 0
        assert capsys.readouterr() == (
            "acme-01#show running-config\nhostname acme-01\n secret <redacted>\n",
            "",
        )


class TestAnInvalidInput:
    def test_a_broken_driver_file_is_named_with_its_field(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        driver = write(tmp_path, "acme.yaml", ACME.replace("(\\s*secret) ", "\\s*secret "))
        session = write(tmp_path, "session.txt", RECORDING)

        assert main(["test", str(driver), "--session", str(session)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.startswith(
            f"error: {driver}: redactions.0.pattern: needs a group 1"
        )

    def test_a_missing_recording_is_named(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        driver = write(tmp_path, "acme.yaml", ACME)

        assert main(["test", str(driver), "--session", str(tmp_path / "none.txt")]) == 2
        assert f"{tmp_path / 'none.txt'}: cannot be read" in capsys.readouterr().err


def test_runs_as_python_m_netraven_worker_drivers(tmp_path: Path) -> None:
    driver = write(tmp_path, "acme.yaml", ACME)
    session = write(tmp_path, "session.txt", RECORDING)
    secrets = write(tmp_path, "secrets.txt", "hunter2\n")
    command = [sys.executable, "-m", "netraven_worker.drivers", "test", str(driver)]

    done = subprocess.run(
        [*command, "--session", str(session), "--secrets", str(secrets)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (done.returncode, done.stderr) == (0, "0 of 1 secret(s) survive\n")
    assert done.stdout.endswith(" secret <redacted>\n")
