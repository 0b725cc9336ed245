"""Compliance in the api: rule validation, roles and audit; a device checked on demand, on a
`ConfigChanged` from the bus, and the whole fleet, each against a stand-in for gitkeeper's
config-read RPC; results, counts, history and the `ComplianceViolated` on the bus."""

import asyncio

import nats
import pytest
from httpx import AsyncClient

from tests.api.audit_entries import newest
from tests.api.compliance_setup import (
    BAD,
    GOOD,
    changed,
    create_rule,
    device_with,
    next_violation,
)
from tests.fixtures.factories import create_device, create_tag, record_version, unique
from tests.fixtures.infra import Infra


class TestRuleValidation:
    @pytest.mark.parametrize(
        ("fields", "named"),
        [
            ({"pattern": "(unclosed"}, "pattern"),
            ({"section": "[x"}, "section"),
            ({"pattern": "x" * 501}, "pattern"),
            ({"platforms": ["no_such_platform"]}, "platforms"),
            ({"tags": ["no-such-tag-anywhere"]}, "tags"),
            ({"kind": "should_contain"}, "kind"),
        ],
    )
    async def test_a_bad_field_is_a_422_naming_it(
        self, admin: AsyncClient, scope: str, fields: dict, named: str
    ) -> None:
        body = {"name": unique("rule"), "kind": "must_contain", "pattern": "x", "regex": True}
        response = await admin.post("/api/compliance/rules", json=body | fields)
        assert response.status_code == 422, response.text
        assert named in response.text

    async def test_a_line_pattern_may_hold_regex_characters(
        self, admin: AsyncClient, scope: str
    ) -> None:
        rule = await create_rule(admin, scope, pattern="(unclosed", regex=False, section=None)
        assert (rule["pattern"], rule["regex"]) == ("(unclosed", False)

    async def test_names_are_unique(self, admin: AsyncClient, scope: str) -> None:
        rule = await create_rule(admin, scope)
        response = await admin.post(
            "/api/compliance/rules",
            json={"name": rule["name"], "kind": "must_contain", "pattern": "x"},
        )
        assert response.status_code == 409


class TestScopeTags:
    async def test_a_tag_scoping_a_rule_cannot_be_deleted(self, admin: AsyncClient) -> None:
        tag = await create_tag(admin, unique("scope"))
        rule = await create_rule(admin, tag["name"])
        response = await admin.delete(f"/api/tags/{tag['id']}")
        assert response.status_code == 409
        assert rule["name"] in response.text


class TestRolesAndAudit:
    async def test_only_admins_write_rules_and_everyone_reads(
        self, admin: AsyncClient, operator: AsyncClient, viewer: AsyncClient, scope: str
    ) -> None:
        body = {"name": unique("rule"), "kind": "must_contain", "pattern": "x"}
        assert (await operator.post("/api/compliance/rules", json=body)).status_code == 403
        rule = await create_rule(admin, scope)
        listed = (await viewer.get("/api/compliance/rules")).json()
        assert rule["id"] in [r["id"] for r in listed]
        assert (await viewer.delete(f"/api/compliance/rules/{rule['id']}")).status_code == 403
        assert (await viewer.post("/api/compliance/check")).status_code == 403

    async def test_writes_are_audited(self, admin: AsyncClient, scope: str) -> None:
        rule = await create_rule(admin, scope)
        created = await newest(admin, "compliance_rule.create")
        assert created["object_id"] == rule["id"]
        assert created["changes"]["pattern"] == rule["pattern"]
        response = await admin.patch(
            f"/api/compliance/rules/{rule['id']}", json={"severity": "info", "section": None}
        )
        assert response.status_code == 200, response.text
        assert (response.json()["severity"], response.json()["section"]) == ("info", None)
        updated = await newest(admin, "compliance_rule.update")
        assert updated["changes"]["severity"] == {"old": "critical", "new": "info"}
        assert (await admin.delete(f"/api/compliance/rules/{rule['id']}")).status_code == 204
        assert (await newest(admin, "compliance_rule.delete"))["changes"] == {"name": rule["name"]}


class TestOneDevice:
    async def test_a_failing_device_is_recorded_and_announced(
        self,
        admin: AsyncClient,
        operator: AsyncClient,
        viewer: AsyncClient,
        sessions,
        configs: dict,
        violations: asyncio.Queue,
        scope: str,
    ) -> None:
        rule = await create_rule(admin, scope)
        present = await create_rule(
            admin,
            scope,
            kind="must_contain",
            pattern="service password-encryption",
            regex=False,
            section=None,
            severity="warning",
        )
        device, commit = await device_with(admin, sessions, configs, scope, BAD)
        response = await operator.post(f"/api/devices/{device['id']}/compliance/check")
        assert response.status_code == 200, response.text
        evaluation = response.json()
        assert (evaluation["status"], evaluation["commit"]) == ("noncompliant", commit)
        assert evaluation["worst_severity"] == "critical"
        by_rule = {r["rule_id"]: r for r in evaluation["results"]}
        assert by_rule[rule["id"]]["details"] == ["line vty 0 4 (line 3): transport input telnet"]
        assert by_rule[present["id"]]["details"] == ["missing from config"]
        audited = await newest(admin, "device.compliance_check", object_id=device["id"])
        assert audited["changes"] == {"commit": commit, "status": "noncompliant"}

        event = await next_violation(violations, device["id"])
        assert (event["commit"], event["severity"]) == (commit, "critical")
        assert {v["rule_name"] for v in event["violations"]} == {rule["name"], present["name"]}

        failing = (await viewer.get(f"/api/compliance/rules/{rule['id']}/failing")).json()
        assert [d["device_id"] for d in failing] == [device["id"]]
        summary = (await viewer.get("/api/compliance/summary")).json()
        counts = next(r for r in summary["rules"] if r["rule_id"] == rule["id"])
        assert (counts["failed"], counts["passed"]) == (1, 0)
        standing = next(d for d in summary["devices"] if d["device_id"] == device["id"])
        assert standing["status"] == "noncompliant"

    async def test_history_keeps_every_evaluation_and_the_newest_is_current(
        self, admin: AsyncClient, viewer: AsyncClient, sessions, configs: dict, scope: str
    ) -> None:
        await create_rule(admin, scope)
        device, _ = await device_with(admin, sessions, configs, scope, BAD)
        await admin.post(f"/api/devices/{device['id']}/compliance/check")
        configs[await record_version(sessions, device["id"])] = GOOD
        await admin.post(f"/api/devices/{device['id']}/compliance/check")
        history = (await viewer.get(f"/api/compliance/devices/{device['id']}/history")).json()
        assert [e["status"] for e in history] == ["compliant", "noncompliant"]
        current = (await viewer.get(f"/api/compliance/devices/{device['id']}")).json()
        assert current["id"] == history[0]["id"]

    async def test_a_device_without_a_stored_config_is_a_404(
        self, admin: AsyncClient, scope: str
    ) -> None:
        device = await create_device(admin, 2901, scope)
        response = await admin.post(f"/api/devices/{device['id']}/compliance/check")
        assert response.status_code == 404


class TestDevicesFilter:
    async def test_the_devices_list_filters_by_newest_compliance(
        self, admin: AsyncClient, sessions, configs: dict, scope: str
    ) -> None:
        await create_rule(admin, scope)
        bad, _ = await device_with(admin, sessions, configs, scope, BAD)
        good, _ = await device_with(admin, sessions, configs, scope, GOOD)
        for device in (bad, good):
            await admin.post(f"/api/devices/{device['id']}/compliance/check")
        for status, expected in (("noncompliant", bad), ("compliant", good)):
            response = await admin.get("/api/devices", params={"tag": scope, "compliance": status})
            assert [d["id"] for d in response.json()["items"]] == [expected["id"]]


class TestOnChange:
    async def test_a_changed_config_is_evaluated_within_seconds(
        self,
        admin: AsyncClient,
        viewer: AsyncClient,
        sessions,
        configs: dict,
        violations: asyncio.Queue,
        infra: Infra,
        scope: str,
    ) -> None:
        rule = await create_rule(admin, scope)
        device, commit = await device_with(admin, sessions, configs, scope, BAD)
        change = changed(device, commit)
        client = await nats.connect(**infra.nats_options())
        try:
            await client.jetstream().publish(change.subject, change.model_dump_json().encode())
            event = await next_violation(violations, device["id"])
        finally:
            await client.close()
        assert event["correlation_id"] == str(change.correlation_id)
        assert [v["rule_id"] for v in event["violations"]] == [rule["id"]]
        current = (await viewer.get(f"/api/compliance/devices/{device['id']}")).json()
        assert (current["commit"], current["status"]) == (commit, "noncompliant")

    async def test_a_version_older_than_the_newest_is_not_evaluated(
        self,
        admin: AsyncClient,
        viewer: AsyncClient,
        sessions,
        configs: dict,
        violations: asyncio.Queue,
        infra: Infra,
        scope: str,
    ) -> None:
        await create_rule(admin, scope)
        device, old = await device_with(admin, sessions, configs, scope, BAD)
        new = await record_version(sessions, device["id"])
        configs[new] = BAD
        client = await nats.connect(**infra.nats_options())
        try:
            for commit in (old, new):
                change = changed(device, commit)
                await client.jetstream().publish(change.subject, change.model_dump_json().encode())
            assert (await next_violation(violations, device["id"]))["commit"] == new
        finally:
            await client.close()
        history = (await viewer.get(f"/api/compliance/devices/{device['id']}/history")).json()
        assert [e["commit"] for e in history] == [new]
