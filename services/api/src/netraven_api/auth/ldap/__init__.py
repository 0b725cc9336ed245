"""Login against an LDAP directory or Active Directory (NETRAVEN_LDAP_*)."""
