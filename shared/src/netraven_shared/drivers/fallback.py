"""The generic fallback, applied after every vendor's own rules: what a vendor file misses still
goes.

A secret is a keyword (`password`, `secret`, `key`, `psk`, an SNMP `community`, ...) followed by a
value, after any type or id tokens (`7`, `md5`, `ascii`, `ENC`, `key 1`), separated by a space, `=`
or `:`; an XML element named like one (`<bind-password>`); the password of a
`scheme://user:pass@host` URL; or a hash printed alone on the line after its keyword.

Being generic, it must leave what only looks like a secret: a value that is a keyword of its own
(`key chain X`, `password encryption aes`, `password manager user-name ...`), a block opener
(`password {`), a number after `key` (a key id), words inside a keyword (`password-encryption`,
`pubkey-chain`), `description` and `remark` lines, and a value a vendor rule already redacted.
Type and id tokens are taken possessively (`*+`), so `secret 5 <redacted>` never redacts the `5`.
"""

from netraven_shared.drivers.spec import REDACTED, Redaction

_PASSWORD_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "shared-secret",
    "psk",
    "wpa-psk",
    "pre-shared-key",
    "preshared-key",
    "key-string",
    "server-key",
)
_KEY_WORDS = ("key", "auth-key", "authentication-key")
_TYPE_WORDS = (
    "md5",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "hmac-md5",
    "hmac-sha1",
    "hmac-sha256",
    "encrypted",
    "unencrypted",
    "cleartext",
    "clear",
    "plain",
    "plaintext",
    "simple",
    "cipher",
    "irreversible-cipher",
    "hash",
    "hidden",
    "ascii",
    "ascii-text",
    "hex",
    "hexadecimal",
    "text",
    "ENC",
    "local",
    "remote",
    "password",  # IOS XR `key-string password X`
)
# values that name an option, not a secret: `key chain X`, `password encryption aes`,
# `community add ...`
_NOT_SECRETS = (
    "add",
    "create",
    "delete",
    "map",
    "accessmode",
    "ipaddr",
    "protection",
    "control",
    "auth",
    "acct",
    "key-id",
    "poll",
    "iburst",
    "use-vrf",
    "password-history",
    "set",
    "set-key",
    "address",
    "hostname",
    "remove",
    "print",
    "find",
    "chain",
    "config-key",
    "generate",
    "zeroize",
    "import",
    "export",
    "encryption",
    "encrypt",
    "decrypt",
    "restriction",
    "required",
    "optional",
    "none",
    "prompt",
    "policy",
    "strength-check",
    "rsa",
    "dsa",
    "ecdsa",
    "ed25519",
    "manager",
    "operator",
    "port-access",
    "all",
    "length",
    "min-length",
    "minimum-length",
    "max-length",
    "maximum-length",
    "history",
    "lifetime",
    "complexity",
    "recovery",
    "reset",
    "change",
    "retries",
    "lockout",
    "aging",
    "attempts",
    "algorithm",
    "mode",
    "format",
    "type",
    "storage",
    "exchange",
    "level",
    "privilege",
    "authentication",
    "accounting",
    "authorization",
    "version",
    "prefer",
    "source",
    "vrf",
    "view",
    "read",
    "write",
    "ro",
    "rw",
    "trusted",
    "timeout",
    "interval",
    "expire",
    "expiry",
    "inherit",
    "default",
    "enable",
    "disable",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "user-name",
    "username",
    "list",
    "group",
    "profile",
)

_SKIPPED_LINES = r"^(?!\s*(?:description|remark)\b)"
_KEYWORD_START = r"(?<![\w=-])"  # not inside a word, nor the value of another (`auth-method=psk`)
_TYPES = rf"(?:[ \t]+(?:{'|'.join(_TYPE_WORDS)})(?![^\s;]))"
_SEPARATOR = r"(?:[ \t]*[=:][ \t]*|[ \t]+)"
# a quoted value may run over one line end; an unquoted one ends at a space, or before a closing `;`
_VALUE = (
    rf"(?!{REDACTED}|(?:{'|'.join(_NOT_SECRETS)})(?![\w-]))"
    r"(?:\"[^\"\n]*(?:\n[^\"\n]*)?\"|'[^'\n]*'|[^\s\"'<{}\[\]();][^\s]*?(?=;?(?:\s|$)))"
)
_HASH_TYPE = r"(?:(?:sha1|sha256|plaintext|SHA1|SHA256)[ \t]+)?"
_HASH_ALONE = r"(?:\"[^\"\n]{8,}\"|(?=\S*\d)[A-Za-z0-9+/=$.:_-]{16,})"


def _keyword_value(words: tuple[str, ...], ids: str) -> Redaction:
    keyword = rf"{_KEYWORD_START}(?:{'|'.join(words)})\"?"
    return Redaction(
        rf"{_SKIPPED_LINES}(.*?{keyword}(?:{ids}|{_TYPES})*+{_SEPARATOR}){_VALUE}", separator=""
    )


FALLBACK_REDACTIONS = (
    # one or two digits are an encryption type (`password 7 X`, `secret 10 X`); `password 123456` is
    # a password
    _keyword_value(_PASSWORD_WORDS, r"[ \t]+\d\d?(?![^\s;])"),
    # any number after `key` is an id (`key 1`, `ntp server X key 12`), never the secret
    _keyword_value(_KEY_WORDS, r"[ \t]+\d+(?![^\s;])"),
    # an SNMP community on a line that says SNMP: BGP communities (`set community 65000:1`) are not
    # secrets
    Redaction(
        rf"{_SKIPPED_LINES}(.*\bsnmp.*?{_KEYWORD_START}community\"?(?:{_TYPES})*+{_SEPARATOR}){_VALUE}",
        separator="",
    ),
    # an XML element holding one: `<bind-password>X</bind-password>`, not one holding child elements
    Redaction(
        r"(<(?:[\w-]+-)?(?:password|passwd|passphrase|secret|psk|pre-shared-key)>)(?!\s*<)[^<]+",
        separator="",
    ),
    # scp://user:pass@host, ftp://user:pass@host
    Redaction(
        r"((?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@\"'<>]+:)[^\s/@\"'<>]+(?=@)", separator=""
    ),
    # a hash printed alone on the line after the command that sets it (`password manager` then the
    # hash)
    Redaction(
        rf"{_SKIPPED_LINES}(.*{_KEYWORD_START}"
        rf"(?:{'|'.join(_PASSWORD_WORDS + ('manager', 'operator'))})"
        rf"(?:[ \t]+user-name[ \t]+\S+)?{_TYPES}*+[ \t]*\n[ \t]*{_HASH_TYPE})"
        rf"(?!{REDACTED}){_HASH_ALONE}[ \t]*$",
        separator="",
    ),
)
