"""Commit messages carry the version index, so git alone can rebuild rows lost in a crash."""

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

from netraven_gitkeeper.commit_message import StoredFile, commit_message, parse_files


def stored_file(hostname: str, run: bool = True) -> StoredFile:
    return StoredFile(
        device_id=uuid4(),
        hostname=hostname,
        run_id=uuid4() if run else None,
        sha256="ab" * 32,
        size_bytes=42,
        stored_at=datetime(2026, 11, 23, 10, 0, 6, 123456, tzinfo=UTC),
        path=f"{hostname}.cfg",
    )


class TestCommitMessage:
    def test_every_file_of_a_batch_reads_back_exactly(self) -> None:
        files = [stored_file("core-sw-01"), stored_file("edge-02", run=False)]
        message = commit_message(files)
        assert message.startswith("config backup of 2 devices\n\n")
        assert [
            (f.device_id, f.run_id, f.sha256, f.size_bytes, f.stored_at, f.path)
            for f in parse_files(message)
        ] == [(f.device_id, f.run_id, f.sha256, f.size_bytes, f.stored_at, f.path) for f in files]

    def test_the_outputs_digest_reads_back_and_is_left_out_when_there_are_no_outputs(
        self,
    ) -> None:
        with_outputs = replace(stored_file("core-sw-01"), outputs_sha256="cd" * 32)
        without = stored_file("edge-02")
        message = commit_message([with_outputs, without])
        assert [f.outputs_sha256 for f in parse_files(message)] == ["cd" * 32, None]
        assert message.count(" outputs=") == 1

    def test_a_single_file_names_its_device_in_the_subject(self) -> None:
        file = stored_file("core-sw-01")
        assert commit_message([file]).startswith(f"core-sw-01: config backup (run {file.run_id})\n")

    def test_lines_that_are_not_ours_are_skipped(self) -> None:
        message = (
            "hand-made fix\n\nConfig: not-a-uuid run=- sha256=x size=1 "
            "at=2026-11-23T10:00:00 path=a.cfg\nConfig: broken\n"
        )
        assert parse_files(message) == []
