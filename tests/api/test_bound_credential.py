"""A device's bound credential, the one a backup logged in with: shown by name, and unbound by an
admin, audited."""

from httpx import AsyncClient

from tests.api.trust import audit_lines, create_device_at, detail, report_backed_up, wait_for
from tests.fixtures.factories import create_credential, unique
from tests.fixtures.infra import Infra


class TestBoundCredential:
    async def test_shown_by_name_and_unbound_by_an_admin(
        self, admin: AsyncClient, sessions, infra: Infra
    ) -> None:
        tag = unique("bind")
        device = await create_device_at(admin, tags=[tag])
        credential = await create_credential(admin, tag, "pw")
        await report_backed_up(sessions, device, None, credential_id=credential["id"])
        assert (await detail(admin, device))["bound_credential"] == {
            "id": credential["id"],
            "name": credential["name"],
        }
        async with audit_lines(infra) as lines:
            response = await admin.delete(f"/api/devices/{device['id']}/bound-credential")
            assert response.status_code == 204
            line = await wait_for(lines, "credential.unbound")
        assert (await detail(admin, device))["bound_credential"] is None
        assert (line["device_id"], line["extra"]["credential"]) == (
            device["id"],
            credential["name"],
        )
