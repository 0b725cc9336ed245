from pathlib import Path

from netraven_lab.host_key import load_or_create_host_key


class TestHostKey:
    def test_one_key_per_process_without_a_path(self) -> None:
        assert load_or_create_host_key() is load_or_create_host_key()

    def test_a_saved_key_survives_a_restart(self, tmp_path: Path) -> None:
        path = tmp_path / "keys" / "lab_host_key"
        first = load_or_create_host_key(path)
        assert path.stat().st_mode & 0o777 == 0o600
        again = load_or_create_host_key(path)
        assert again.export_public_key() == first.export_public_key()
