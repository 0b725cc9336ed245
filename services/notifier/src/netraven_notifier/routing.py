"""Routing: which channels a notification goes to.

A rule matches when it is enabled, names the notification's kind, the severity is at least its
`min_severity`, and it has no tags or the device carries one of them (a notification about no
device, like a mirror's, matches only rules without tags). Every matching rule's channel gets the
notification once, however many rules point at it. Disabled channels get nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from netraven_notifier.notification import SEVERITY_RANK, Notification


@dataclass(frozen=True)
class Rule:
    channel_id: UUID
    event_kinds: frozenset[str]
    min_severity: str
    tag_ids: frozenset[UUID]

    def matches(self, notification: Notification, device_tag_ids: frozenset[UUID]) -> bool:
        return (
            notification.kind in self.event_kinds
            and SEVERITY_RANK[notification.severity] >= SEVERITY_RANK[self.min_severity]
            and (not self.tag_ids or bool(self.tag_ids & device_tag_ids))
        )


def routed_channel_ids(
    rules: Iterable[Rule], notification: Notification, device_tag_ids: frozenset[UUID]
) -> list[UUID]:
    """The channels of the matching rules, each once, in the order the rules came."""
    matched = (rule.channel_id for rule in rules if rule.matches(notification, device_tag_ids))
    return list(dict.fromkeys(matched))
