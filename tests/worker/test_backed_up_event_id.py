"""A device backed up again within its run (an ack lost with a NATS node) announces the same
DeviceBackedUp, which JetStream's duplicate window then stores once."""

from uuid import uuid4

from netraven_worker.report import BackupIds


def test_one_event_id_per_device_and_run() -> None:
    run_id, device_id = uuid4(), uuid4()
    first = BackupIds(uuid4(), run_id, device_id, uuid4())
    again = BackupIds(None, run_id, device_id, uuid4())
    assert first.backed_up_event_id == again.backed_up_event_id
    assert (
        first.backed_up_event_id != BackupIds(None, uuid4(), device_id, uuid4()).backed_up_event_id
    )
    assert first.backed_up_event_id != BackupIds(None, run_id, uuid4(), uuid4()).backed_up_event_id
