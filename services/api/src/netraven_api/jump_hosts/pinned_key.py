"""The host key an admin pins for a jump host, read from what they paste: a known_hosts line,
`ssh-keyscan` output (its `#` banner lines are skipped) or a bare OpenSSH public key line.

A bastion holds several keys and negotiates one of them; the worker asks for the pinned key's type
first, so pinning the strongest of those pasted is enough.
"""

from netraven_shared.errors import InvalidInput
from netraven_shared.host_keys import HostKey, InvalidHostKey, parse_known_hosts

# Strongest first; a type not listed (ssh-dss, certificates) cannot be pinned.
PREFERRED_TYPES = (
    "ssh-ed25519",
    "ecdsa-sha2-nistp521",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp256",
    "ssh-rsa",
)
_KEY_TYPE_PREFIXES = ("ssh-", "ecdsa-", "sk-")


def pinned_key(text: str) -> HostKey:
    """The strongest key in `text`; `InvalidInput` (422) naming the line when it holds none."""
    # A bare key line becomes a known_hosts line, so one parser reads (and numbers) every line.
    lines = [
        f"jump-host {line.strip()}" if line.strip().startswith(_KEY_TYPE_PREFIXES) else line
        for line in text.splitlines()
    ]
    try:
        keys = [key for _, key in parse_known_hosts("\n".join(lines))]
    except InvalidHostKey as error:
        raise InvalidInput(f"host_key: {error}") from None
    usable = [key for key in keys if key.key_type in PREFERRED_TYPES]
    if not usable:
        raise InvalidInput(
            "host_key: no SSH host key found: paste the bastion's known_hosts line or the output "
            "of `ssh-keyscan <address>` (Ed25519, ECDSA or RSA)"
        )
    return min(usable, key=lambda key: PREFERRED_TYPES.index(key.key_type))
