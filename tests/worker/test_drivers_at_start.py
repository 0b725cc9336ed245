"""The worker loads its drivers once, at start: a broken local file is an error line, no crash."""

from pathlib import Path

from netraven_worker.config import WorkerSettings
from netraven_worker.handlers import build_app
from structlog.testing import capture_logs


def test_a_broken_local_driver_is_logged_with_its_file_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "acme.yaml"
    broken.write_text("platform: acme_os\nnetmiko_device_type: cisco_ios\nneeds_enable: maybe\n")

    with capture_logs() as logs:
        build_app(WorkerSettings(drivers_dir=tmp_path))

    [invalid] = [entry for entry in logs if entry["event"] == "drivers.file_invalid"]
    assert (invalid["log_level"], invalid["file"], invalid["field"]) == (
        "error",
        str(broken),
        "needs_enable",
    )
