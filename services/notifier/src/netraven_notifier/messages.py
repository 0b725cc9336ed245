"""From bus events to notifications: the kind, the severity, a title and a text for people.

Kinds and severities: a config change is `info`; a backup that failed after its last retry is
`backup_failed` (`warning`), or `host_key_changed` (`critical`) when the device offered another
host key than its pin; a compliance violation takes the event's severity; a stale device and a
failing mirror are `warning`; recoveries are `info`.
"""

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from netraven_shared.db.base import utc_now
from netraven_shared.events import ConfigChanged, DeviceBackupFailed
from netraven_shared.events.compliance import ComplianceViolated
from netraven_shared.events.mirrors import MirrorPushFailed, MirrorPushRecovered

from netraven_notifier.notification import Notification


class Messages:
    """Builds each notification; `public_url` (NETRAVEN_PUBLIC_URL) adds a link to the device."""

    def __init__(self, public_url: str | None) -> None:
        self._public_url = public_url.rstrip("/") if public_url else None

    def _link(self, device_id: UUID | None) -> str | None:
        if self._public_url is None or device_id is None:
            return None
        return f"{self._public_url}/devices/{device_id}"

    def _text(self, lines: list[str], device_id: UUID | None) -> str:
        link = self._link(device_id)
        return "\n".join([*lines, *([link] if link else [])])

    def _device(self, device_id: UUID | None, hostname: str | None) -> dict[str, object]:
        return {"device": {"id": str(device_id) if device_id else None, "hostname": hostname}} | (
            {"link": link} if (link := self._link(device_id)) else {}
        )

    def config_changed(self, event: ConfigChanged) -> Notification:
        lines = [
            f"The config of {event.hostname} changed ({event.changed_lines} lines).",
            f"Run {event.run_id}, commit {event.new_commit[:12]}.",
            "",
            event.diff + ("\n(diff truncated)" if event.diff_truncated else ""),
        ]
        return Notification(
            event_id=event.event_id,
            kind="config_changed",
            severity="info",
            title=f"{event.hostname}: config changed",
            text=self._text(lines, event.device_id),
            occurred_at=event.occurred_at,
            device_id=event.device_id,
            hostname=event.hostname,
            details=self._device(event.device_id, event.hostname)
            | {
                "run_id": str(event.run_id) if event.run_id else None,
                "old_commit": event.old_commit,
                "new_commit": event.new_commit,
                "changed_lines": event.changed_lines,
                "diff": event.diff,
                "diff_truncated": event.diff_truncated,
            },
        )

    def backup_failed(self, event: DeviceBackupFailed) -> Notification:
        offered = event.offered_host_key
        host_key = offered is not None
        hostname = event.hostname or str(event.device_id)
        headline = (
            f"{hostname} offered host key {offered.fingerprint}, not its pinned one: nothing was "
            "sent to it. An admin may accept the key on the device's page."
            if offered is not None
            else f"The backup of {hostname} failed after {event.attempts} attempt(s)."
        )
        lines = [headline, f"Run {event.run_id}.", f"Error: {event.error}"]
        return Notification(
            event_id=event.event_id,
            kind="host_key_changed" if host_key else "backup_failed",
            severity="critical" if host_key else "warning",
            title=f"{hostname}: host key changed" if host_key else f"{hostname}: backup failed",
            text=self._text(lines, event.device_id),
            occurred_at=event.occurred_at,
            device_id=event.device_id,
            hostname=event.hostname,
            details=self._device(event.device_id, event.hostname)
            | {"run_id": str(event.run_id), "error": event.error, "attempts": event.attempts},
        )

    def backup_recovered(
        self,
        event_id: UUID,
        device_id: UUID,
        hostname: str,
        run_id: UUID,
        failures: int,
        since: datetime,
    ) -> Notification:
        lines = [
            (
                f"{hostname} backed up again: recovered after {failures} failure(s) "
                f"since {since:%H:%M} UTC ({since:%Y-%m-%d})."
            ),
            f"Run {run_id}.",
        ]
        return Notification(
            event_id=event_id,
            kind="backup_recovered",
            severity="info",
            title=f"{hostname}: backups work again",
            text=self._text(lines, device_id),
            occurred_at=utc_now(),
            device_id=device_id,
            hostname=hostname,
            details=self._device(device_id, hostname)
            | {"run_id": str(run_id), "failures": failures, "failing_since": since.isoformat()},
        )

    def compliance_violation(self, event: ComplianceViolated) -> Notification:
        lines = [
            (
                f"{event.hostname} breaks {len(event.violations)} compliance rule(s) "
                f"as of commit {event.commit[:12]}:"
            ),
            *(f"- [{v.severity}] {v.rule_name}: {v.detail}" for v in event.violations),
        ]
        return Notification(
            event_id=event.event_id,
            kind="compliance_violation",
            severity=event.severity,
            title=f"{event.hostname}: compliance rules failed",
            text=self._text(lines, event.device_id),
            occurred_at=event.occurred_at,
            device_id=event.device_id,
            hostname=event.hostname,
            details=self._device(event.device_id, event.hostname)
            | {
                "commit": event.commit,
                "violations": [v.model_dump(mode="json") for v in event.violations],
            },
        )

    def stale(
        self, device_id: UUID, hostname: str, since: datetime, threshold_hours: float
    ) -> Notification:
        lines = [
            (
                f"{hostname} has had no good backup since {since:%Y-%m-%d %H:%M} UTC "
                f"(the limit is {threshold_hours:g} h)."
            ),
        ]
        return Notification(
            # one per stale episode: the episode is named by the last good backup it follows
            event_id=uuid5(NAMESPACE_URL, f"netraven:stale:{device_id}:{since.isoformat()}"),
            kind="stale",
            severity="warning",
            title=f"{hostname}: no recent backup",
            text=self._text(lines, device_id),
            occurred_at=utc_now(),
            device_id=device_id,
            hostname=hostname,
            details=self._device(device_id, hostname)
            | {"last_good_backup": since.isoformat(), "stale_after_hours": threshold_hours},
        )

    def mirror_failed(self, event: MirrorPushFailed) -> Notification:
        lines = [
            (
                f"Pushing the config repository to mirror {event.mirror} ({event.remote}) fails "
                f"since {event.failing_since:%Y-%m-%d %H:%M} UTC; "
                f"{event.commits_waiting} commit(s) wait. Commits keep being made."
            ),
            f"Error: {event.error}",
        ]
        return Notification(
            event_id=event.event_id,
            kind="mirror_failed",
            severity="warning",
            title=f"mirror {event.mirror}: push failing",
            text="\n".join(lines),
            occurred_at=event.occurred_at,
            details={"mirror": event.mirror, "remote": event.remote, "error": event.error},
        )

    def mirror_recovered(self, event: MirrorPushRecovered) -> Notification:
        return Notification(
            event_id=event.event_id,
            kind="mirror_recovered",
            severity="info",
            title=f"mirror {event.mirror}: pushing again",
            text=(
                f"Mirror {event.mirror} ({event.remote}) took a push again, failing since "
                f"{event.failing_since:%Y-%m-%d %H:%M} UTC; it holds commit {event.commit[:12]}."
            ),
            occurred_at=event.occurred_at,
            details={"mirror": event.mirror, "remote": event.remote, "commit": event.commit},
        )


def test_message(requested_by: str) -> Notification:
    return Notification(
        event_id=uuid4(),
        kind="test",
        severity="info",
        title="NetRaven test notification",
        text=f"{requested_by} sent this test: the channel works.",
        occurred_at=utc_now(),
        details={"requested_by": requested_by},
    )
