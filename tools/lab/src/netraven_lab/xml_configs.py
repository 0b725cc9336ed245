"""The configs the simulated API devices serve: a PAN-OS export and a Junos XML configuration,
each with the kinds of secrets their drivers must redact (hashes, keys, pre-shared keys,
SNMP communities)."""

PANOS_CONFIG = """\
<?xml version="1.0"?>
<config version="11.1.0" urldb="paloaltonetworks" detail-version="11.1.0">
  <mgt-config>
    <users>
      <entry name="admin">
        <phash>$5$kzvtczlq$9Hs1PvrO7nZ2xQ4mL0cB8dF6gH3jK5aS7dE9rT1yU2i</phash>
        <permissions>
          <role-based>
            <superuser>yes</superuser>
          </role-based>
        </permissions>
      </entry>
    </users>
  </mgt-config>
  <shared>
    <server-profile>
      <ldap>
        <entry name="corp-ldap">
          <bind-dn>cn=panos,ou=svc,dc=example,dc=net</bind-dn>
          <bind-password>-AQ==TGRhcEJpbmRQYXNz==Qx7Lm2Np4Rs6Tu8Vw0Yz</bind-password>
        </entry>
      </ldap>
    </server-profile>
  </shared>
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig>
        <system>
          <hostname>pa-fw-01</hostname>
          <snmp-setting>
            <access-setting>
              <version>
                <v2c>
                  <snmp-community-string>Pa-Api-Snmp-R0</snmp-community-string>
                </v2c>
              </version>
            </access-setting>
          </snmp-setting>
        </system>
      </deviceconfig>
      <network>
        <ike>
          <gateway>
            <entry name="branch-gw">
              <authentication>
                <pre-shared-key>
                  <key>-AQ==aWtlLXBzay1icmFuY2g=Mn5Op7Qr9St1Uv3Wx5Yz7Ab9</key>
                </pre-shared-key>
              </authentication>
              <peer-address>
                <ip>198.51.100.7</ip>
              </peer-address>
            </entry>
          </gateway>
        </ike>
      </network>
    </entry>
  </devices>
</config>
"""

JUNOS_CONFIG = """\
<configuration xmlns="http://xml.juniper.net/xnm/1.1/xnm">
  <version>23.4R1.9</version>
  <system>
    <host-name>jnp-edge-01</host-name>
    <root-authentication>
      <encrypted-password>$6$Kq3rT9Lz$8hF2mN4pQ6sU8wY0aC2eG4iK6mO8qS0uW2yA4cE6</encrypted-password>
    </root-authentication>
    <login>
      <user>
        <name>netops</name>
        <class>super-user</class>
        <authentication>
          <encrypted-password>$6$Zx8cV7bN$1qW2eR3tY4uI5oP6aS7dF8gH9jK0lZ1xC2vB3</encrypted-password>
        </authentication>
      </user>
    </login>
    <radius-server>
      <name>192.0.2.10</name>
      <secret>$9$Radius.Secret.Hx7Kp2Lq</secret>
    </radius-server>
  </system>
  <snmp>
    <community>
      <name>Jnp-Snmp-R0</name>
      <authorization>read-only</authorization>
    </community>
  </snmp>
  <protocols>
    <ospf>
      <area>
        <name>0.0.0.0</name>
        <interface>
          <name>ge-0/0/0.0</name>
          <authentication>
            <md5>
              <name>1</name>
              <key>$9$Ospf.Md5.Key.Wt3Rz8</key>
            </md5>
          </authentication>
        </interface>
      </area>
    </ospf>
  </protocols>
  <security>
    <ike>
      <policy>
        <name>branch</name>
        <pre-shared-key>
          <ascii-text>$9$Ike.Psk.Branch.Vb6Nm4</ascii-text>
        </pre-shared-key>
      </policy>
    </ike>
  </security>
  <policy-options>
    <community>
      <name>CUSTOMER-ROUTES</name>
      <members>65000:100</members>
    </community>
  </policy-options>
</configuration>
"""
