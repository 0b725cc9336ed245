"""Every event contract has example payloads that validate; consumers tolerate what they don't
know."""

import uuid

import pytest
from netraven_shared.events import (
    ALL_EVENTS,
    LIVE_EVENTS,
    Event,
    JobRequested,
    LogEmitted,
    RunProgressed,
    subjects,
)
from netraven_shared.messaging import stream_of
from pydantic import ValidationError


def examples(event: type[Event]) -> list[dict]:
    return event.model_config["json_schema_extra"]["examples"]


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda e: e.__name__)
class TestEveryContract:
    def test_has_examples_that_validate(self, event: type[Event]) -> None:
        assert examples(event)
        for example in examples(event):
            event.model_validate(example)

    def test_ignores_unknown_fields(self, event: type[Event]) -> None:
        parsed = event.model_validate(examples(event)[0] | {"added_in_a_later_version": 1})
        assert not hasattr(parsed, "added_in_a_later_version")

    def test_carries_the_common_envelope(self, event: type[Event]) -> None:
        parsed = event.model_validate(examples(event)[0])
        assert isinstance(parsed.event_id, uuid.UUID)
        assert isinstance(parsed.correlation_id, uuid.UUID)
        assert parsed.schema_version == 1

    def test_its_subject_is_held_by_a_stream(self, event: type[Event]) -> None:
        assert stream_of(event.subject).startswith("NETRAVEN_")


@pytest.mark.parametrize("event", LIVE_EVENTS, ids=lambda e: e.__name__)
class TestEveryLiveAnnouncement:
    def test_has_examples_that_validate(self, event: type[Event]) -> None:
        assert examples(event)
        for example in examples(event):
            event.model_validate(example)

    def test_ignores_unknown_fields(self, event: type[Event]) -> None:
        parsed = event.model_validate(examples(event)[0] | {"added_in_a_later_version": 1})
        assert not hasattr(parsed, "added_in_a_later_version")

    def test_no_stream_keeps_it(self, event: type[Event]) -> None:
        with pytest.raises(ValueError, match="no NetRaven stream holds"):
            stream_of(event.subject)


class TestRunProgressed:
    def test_a_status_runs_do_not_have_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            RunProgressed.model_validate(examples(RunProgressed)[0] | {"status": "exploded"})

    def test_a_negative_count_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            RunProgressed.model_validate(examples(RunProgressed)[0] | {"failed_count": -1})


class TestJobRequested:
    def test_a_hostname_alone_is_enough(self) -> None:
        request = JobRequested.model_validate({"hostname": "core-sw-01"})
        assert request.run_id is None
        assert request.trigger == "bus"

    def test_a_request_naming_no_device_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="must name a device"):
            JobRequested.model_validate({"run_id": str(uuid.uuid4())})


class TestLogEmitted:
    def test_unknown_level_is_refused(self) -> None:
        with pytest.raises(ValidationError):
            LogEmitted(level="loud", log_type="job", message="x", source="test")


def test_subjects_are_unique() -> None:
    names = [value for key, value in vars(subjects).items() if key.isupper()]
    assert len(names) == len(set(names))
