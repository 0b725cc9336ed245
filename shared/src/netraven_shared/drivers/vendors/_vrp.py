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
    # BGP `peer X password simple Y`, vty `set authentication password simple Y`
    Redaction(r"(\bpassword simple) \S+"),
    # OSPF/IS-IS/RIP `authentication-mode simple [plain] X`, `authentication-mode md5 1 plain X`
    Redaction(r"(\bauthentication-mode simple) (?!plain |cipher )\S+"),
    Redaction(r"(\bauthentication-mode (?:simple|md5|hmac-md5|hmac-sha256)(?: \d+)? plain) \S+"),
    # a trap target's security name is its community for v1/v2c (for v3 a user name, redacted as
    # well)
    Redaction(r"^(\s*snmp-agent target-host .*?\bsecurityname) (?!cipher )\S+"),
)
