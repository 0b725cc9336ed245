"""A private key entered for a credential, checked before it is stored: one that does not parse,
or that its passphrase does not unlock, would only fail at the device's login later."""

from netraven_shared.errors import InvalidInput
from netraven_shared.ssh_private_keys import InvalidPrivateKey, PrivateKey, read_private_key


def checked_private_key(text: str, passphrase: str | None) -> PrivateKey:
    """The key, or a 422 naming the field to fix."""
    try:
        return read_private_key(text, passphrase)
    except InvalidPrivateKey as error:
        field = "private_key_passphrase" if error.passphrase else "private_key"
        raise InvalidInput(f"{field}: {error}", [{"field": field, "message": str(error)}]) from None


def neither_password_nor_key() -> InvalidInput:
    message = "a credential needs a password, a private key, or both"
    return InvalidInput(
        message,
        [
            {"field": "password", "message": message},
            {"field": "private_key", "message": message},
        ],
    )


def passphrase_without_key() -> InvalidInput:
    message = "send the private key together with its passphrase"
    return InvalidInput(message, [{"field": "private_key_passphrase", "message": message}])
