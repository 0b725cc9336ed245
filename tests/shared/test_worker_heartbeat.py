"""The worker heartbeat in `netraven-workers` is a contract like the events: a checked example,
tolerance of fields a later version adds, and keys NATS KV accepts."""

import pytest
from netraven_shared.events.worker_heartbeat import WorkerHeartbeat, heartbeat_key
from pydantic import ValidationError

EXAMPLE = WorkerHeartbeat.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]


class TestContract:
    def test_its_example_validates_and_unknown_fields_are_ignored(self) -> None:
        heartbeat = WorkerHeartbeat.model_validate(EXAMPLE | {"added_in_a_later_version": 1})
        assert (heartbeat.in_flight, heartbeat.capacity) == (3, 4)
        assert not hasattr(heartbeat, "added_in_a_later_version")

    def test_a_negative_session_count_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            WorkerHeartbeat.model_validate(EXAMPLE | {"in_flight": -1})


class TestKey:
    def test_characters_a_kv_key_cannot_hold_become_underscores(self) -> None:
        assert heartbeat_key("worker-host/1:2") == "worker-host_1_2"
        assert heartbeat_key("worker-host.example.com") == "worker-host.example.com"
