import asyncio

import pytest
from netraven_lab.churn import churn
from netraven_lab.lab import Lab
from netraven_lab.profiles import make_lab_profiles

pytestmark = pytest.mark.timeout(10)


class TestChurn:
    async def test_changes_every_device_in_turn(self) -> None:
        lab = Lab(make_lab_profiles(3))
        drift = asyncio.create_task(churn(lab, interval_seconds=0.01))
        try:
            async with asyncio.timeout(5):
                while not all(
                    " description lab revision 1\n" in profile.config_text
                    for profile in lab.profiles
                ):
                    await asyncio.sleep(0.01)
        finally:
            drift.cancel()
