"""What a request changed, as an audit entry's `changes`: the one place that knows which fields are
secret.

A secret field is named with the value "(changed)", never with its value, old or new."""

from typing import Any

from pydantic import BaseModel

SECRET_FIELDS = frozenset(
    {
        "password",
        "current_password",
        "new_password",
        "enable_secret",
        "secret",
        "client_secret",
        "private_key",
        "private_key_passphrase",
        "bind_password",
        "token",
        "access_token",
        "hmac_secret",
        # A notification channel's target: Apprise and webhook URLs carry tokens and passwords.
        "url",
    }
)
SECRET_MARK = "(changed)"


def summarize(
    sent: BaseModel, before: BaseModel | None = None, after: BaseModel | None = None
) -> dict[str, Any]:
    """Without `before`: every field of a new object as sent. With `before` and `after` (the object
    as the api shows it, before and after the change): `{"old", "new"}` for each field sent whose
    value changed."""
    if before is None:
        values = sent.model_dump(mode="json")
        return {
            field: SECRET_MARK if field in SECRET_FIELDS else value
            for field, value in values.items()
            if not (field in SECRET_FIELDS and value is None)
        }
    old_values, new_values = before.model_dump(mode="json"), (after or sent).model_dump(mode="json")
    sent_values = sent.model_dump(mode="json", include=sent.model_fields_set)
    changes: dict[str, Any] = {}
    for field, value in sent_values.items():
        if field in SECRET_FIELDS:
            changes[field] = SECRET_MARK
            continue
        old, new = old_values.get(field), new_values.get(field, value)
        if old != new:
            changes[field] = {"old": old, "new": new}
    return changes
