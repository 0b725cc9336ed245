"""A dispatch's id is the uuid5 of its run, device and request number, however it is computed: a
dispatch published twice is deduplicated by JetStream, across api versions too."""

from uuid import NAMESPACE_URL, uuid4, uuid5

from netraven_api.runs.launcher import RunDispatchIds, dispatch_id


class TestDispatchIds:
    def test_a_runs_ids_are_the_uuid5_of_run_device_and_request_number(self) -> None:
        run_id = uuid4()
        ids = RunDispatchIds(run_id)
        for device_id, number in [(uuid4(), 1), (uuid4(), 1), (uuid4(), 2)]:
            expected = uuid5(NAMESPACE_URL, f"netraven:{run_id}:{device_id}:{number}")
            assert ids.of(device_id, number) == expected
            assert dispatch_id(run_id, device_id, number) == expected
