"""Gitkeeper answers a config-read request it cannot parse at once, with an error, instead of
leaving the requester to wait for its timeout, and records it as a rejection."""

import json

import nats
import pytest
from netraven_gitkeeper.handlers import register_handlers
from netraven_gitkeeper.reader import ConfigReader
from netraven_shared.events import subjects
from netraven_shared.messaging import build_broker
from netraven_shared.settings import NetRavenSettings

from tests.fixtures.consumers import rejections_on, wait_until
from tests.fixtures.infra import Infra

ANSWER_SECONDS = 2


@pytest.fixture
async def requester(infra: Infra, reader: ConfigReader):
    gitkeeper = build_broker(NetRavenSettings(**infra.nats_settings("gitkeeper")), "gitkeeper")
    register_handlers(gitkeeper, reader)
    await gitkeeper.start()
    connection = await nats.connect(**infra.nats_options("api"))
    yield connection
    await connection.close()
    await gitkeeper.stop()


class TestBadRequest:
    @pytest.mark.parametrize(
        "subject",
        [
            subjects.CONFIG_READ,
            subjects.CONFIG_DIFF,
            subjects.CONFIG_SEARCH,
            subjects.CONFIG_ARCHIVE,
        ],
    )
    async def test_invalid_json_gets_an_error_reply_at_once(self, requester, subject: str) -> None:
        reply = json.loads(
            (await requester.request(subject, b"{not json", timeout=ANSWER_SECONDS)).data
        )
        assert "invalid payload" in reply["error"]

    async def test_a_wrong_schema_gets_an_error_naming_the_field(self, requester) -> None:
        request = json.dumps({"device_id": "not-a-uuid", "commit": "abc1234"}).encode()
        reply = json.loads(
            (await requester.request(subjects.CONFIG_READ, request, timeout=ANSWER_SECONDS)).data
        )
        assert reply["found"] is False and "device_id" in reply["error"]

    async def test_a_search_text_with_a_nul_byte_is_refused_at_once(self, requester) -> None:
        request = json.dumps({"query": "ntp\x00server"}).encode()
        reply = json.loads(
            (await requester.request(subjects.CONFIG_SEARCH, request, timeout=ANSWER_SECONDS)).data
        )
        assert "request.query" in reply["error"]

    async def test_is_recorded_as_a_rejection_without_its_payload(
        self, requester, infra: Infra
    ) -> None:
        async with rejections_on(infra, subjects.CONFIG_DIFF) as rejected:
            await requester.request(
                subjects.CONFIG_DIFF, b"{not json secret-text", timeout=ANSWER_SECONDS
            )

            async def recorded() -> bool:
                return bool(rejected)

            await wait_until(recorded, timeout=5)
        assert [(r.service, r.identity) for r in rejected] == [("gitkeeper", "api")]
        assert "invalid payload" in rejected[0].reason and "secret-text" not in rejected[0].reason

    async def test_an_archive_time_without_a_zone_is_refused_at_once(self, requester) -> None:
        request = json.dumps({"at": "2026-12-01T12:00:00"}).encode()
        reply = json.loads(
            (await requester.request(subjects.CONFIG_ARCHIVE, request, timeout=ANSWER_SECONDS)).data
        )
        assert "request.at" in reply["error"]

    async def test_a_valid_request_still_gets_its_answer(self, requester) -> None:
        request = json.dumps({"query": "hostname", "limit": 5}).encode()
        reply = json.loads(
            (await requester.request(subjects.CONFIG_SEARCH, request, timeout=ANSWER_SECONDS)).data
        )
        assert reply["error"] is None and reply["results"] == []
