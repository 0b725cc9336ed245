"""Secrets of the VRP family (Huawei VRP, HPE Comware): `cipher`, `irreversible-cipher`, `simple`.

VRP re-encrypts `cipher` values on every display, so they must all go, or every poll is a change.
`ssh server cipher aes256_ctr` and `ssh2 algorithm cipher ...` name algorithms, not secrets.
"""

from netraven_shared.drivers.spec import Redaction

VRP_FAMILY_REDACTIONS = (
    Redaction(
        r"((?<!server )(?<!client )(?<!algorithm )\b(?:irreversible-)?cipher)"
        r"(?! authentication-mode) \S+"
    ),
    # Comware: `usm-user ... cipher authentication-mode sha KEY privacy-mode aes128 KEY`
    Redaction(r"^(\s*snmp-agent usm-user .*?\bauthentication-mode \S+) (?!cipher )\S+"),
    Redaction(r"^(\s*snmp-agent usm-user .*?\bprivacy-mode \S+) (?!cipher )\S+"),
    Redaction(r"^(\s*(?:local-user \S+ )?password (?:hash|simple)) \S+"),
    Redaction(r"^(\s*snmp-agent community (?:read|write) simple) \S+"),
    Redaction(r"^(\s*(?:key (?:authentication|accounting)|\S+ shared-key) simple) \S+"),
)
