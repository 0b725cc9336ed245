"""Routing and the notifications' kinds and severities, without I/O."""

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from netraven_notifier.messages import Messages
from netraven_notifier.notification import Notification
from netraven_notifier.routing import Rule, routed_channel_ids
from netraven_shared.db.base import utc_now
from netraven_shared.events import ComplianceViolated, ConfigChanged, DeviceBackupFailed
from netraven_shared.events.compliance import RuleViolation
from netraven_shared.host_keys import HostKey

ALL_KINDS = frozenset({"config_changed", "backup_failed", "host_key_changed"})


def notification(kind: str = "backup_failed", severity: str = "warning") -> Notification:
    return Notification(
        event_id=uuid.uuid4(),
        kind=kind,
        severity=severity,  # type: ignore[arg-type]
        title="t",
        text="x",
        occurred_at=utc_now(),
        device_id=uuid.uuid4(),
    )


def rule(
    channel: uuid.UUID,
    kinds: frozenset[str] = ALL_KINDS,
    min_severity: str = "info",
    tags: frozenset[uuid.UUID] = frozenset(),
) -> Rule:
    return Rule(channel, kinds, min_severity, tags)


class TestRouting:
    def test_a_rule_takes_only_its_kinds(self) -> None:
        a, b = uuid.uuid4(), uuid.uuid4()
        rules = [rule(a, frozenset({"config_changed"})), rule(b, frozenset({"backup_failed"}))]
        assert routed_channel_ids(rules, notification("backup_failed"), frozenset()) == [b]

    @pytest.mark.parametrize(
        ("severity", "minimum", "routed"),
        [
            ("info", "warning", False),
            ("warning", "warning", True),
            ("critical", "warning", True),
            ("warning", "critical", False),
        ],
    )
    def test_a_rule_takes_its_severity_and_above(
        self, severity: str, minimum: str, routed: bool
    ) -> None:
        channel = uuid.uuid4()
        chosen = routed_channel_ids(
            [rule(channel, min_severity=minimum)],
            notification("backup_failed", severity),
            frozenset(),
        )
        assert chosen == ([channel] if routed else [])

    def test_a_rule_with_tags_takes_devices_carrying_one_of_them(self) -> None:
        channel, core, edge = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        rules = [rule(channel, tags=frozenset({core}))]
        assert routed_channel_ids(rules, notification(), frozenset({core, edge})) == [channel]
        assert routed_channel_ids(rules, notification(), frozenset({edge})) == []
        assert routed_channel_ids(rules, notification(), frozenset()) == []

    def test_a_channel_of_several_matching_rules_gets_one_delivery(self) -> None:
        a, b = uuid.uuid4(), uuid.uuid4()
        rules = [rule(a), rule(b), rule(a, min_severity="warning")]
        assert routed_channel_ids(rules, notification(), frozenset()) == [a, b]


def failed(**fields: object) -> DeviceBackupFailed:
    return DeviceBackupFailed(
        run_id=uuid.uuid4(),
        device_id=uuid.uuid4(),
        hostname="r1",
        error="timed out",
        attempts=2,
        **fields,  # type: ignore[arg-type]
    )


class TestMessages:
    def test_a_failed_backup_is_a_warning(self) -> None:
        message = Messages(None).backup_failed(failed())
        assert (message.kind, message.severity) == ("backup_failed", "warning")
        assert "timed out" in message.text

    def test_a_changed_host_key_is_critical(self) -> None:
        public = Ed25519PrivateKey.generate().public_key()
        key = HostKey.parse(public.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode())
        message = Messages(None).backup_failed(failed(offered_host_key=key))
        assert (message.kind, message.severity) == ("host_key_changed", "critical")
        assert key.fingerprint in message.text

    def test_a_change_carries_its_diff_and_the_device_link(self) -> None:
        event = ConfigChanged(
            device_id=uuid.uuid4(),
            hostname="r1",
            new_commit="a" * 40,
            diff="-hostname old\n+hostname new",
            changed_lines=2,
        )
        message = Messages("https://netraven.example.com/").config_changed(event)
        assert (message.kind, message.severity) == ("config_changed", "info")
        assert message.details["diff"] == "-hostname old\n+hostname new"
        link = f"https://netraven.example.com/devices/{event.device_id}"
        assert message.details["link"] == link
        assert link in message.text

    def test_a_compliance_violation_takes_the_events_severity(self) -> None:
        violation = RuleViolation(
            rule_id=uuid.uuid4(), rule_name="no telnet", severity="critical", detail="matched"
        )
        event = ComplianceViolated(
            device_id=uuid.uuid4(),
            hostname="r1",
            commit="b" * 40,
            severity="critical",
            violations=[violation],
        )
        message = Messages(None).compliance_violation(event)
        assert (message.kind, message.severity) == ("compliance_violation", "critical")
        assert "no telnet" in message.text
