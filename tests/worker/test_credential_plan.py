"""Which credentials a session may send, decided before it connects."""

from uuid import uuid4

from netraven_worker.collection import Login
from netraven_worker.credential_plan import plan_credentials


def login(name: str) -> Login:
    return Login(
        credential_id=uuid4(),
        name=name,
        username="netraven",
        password=f"{name}-password",
        enable_secret=None,
    )


A, B, C, BOUND = login("a"), login("b"), login("c"), login("bound")


def names(plan) -> list[str]:
    return [login.name for login in plan.logins]


class TestBound:
    def test_it_goes_first_then_the_others_in_order_behind_a_pinned_key(self) -> None:
        plan = plan_credentials([A, B, BOUND], BOUND.credential_id, key_pinned=True, limit=3)
        assert (names(plan), plan.held_back) == (["bound", "a", "b"], None)

    def test_behind_a_key_not_pinned_it_is_alone(self) -> None:
        plan = plan_credentials([A, B, BOUND], BOUND.credential_id, key_pinned=False, limit=3)
        assert names(plan) == ["bound"]
        assert plan.held_back.startswith(
            "2 other credentials were not tried: the device's host key is not pinned yet"
        )

    def test_a_limit_of_one_sends_the_bound_one_only(self) -> None:
        plan = plan_credentials([A, BOUND], BOUND.credential_id, key_pinned=True, limit=1)
        assert names(plan) == ["bound"]
        assert (
            plan.held_back == "1 other credential was not tried: at most 1 per session "
            "(NETRAVEN_MAX_CREDENTIAL_ATTEMPTS)"
        )

    def test_one_no_longer_sharing_a_tag_is_not_sent_and_the_candidates_count_as_first_contact(
        self,
    ) -> None:
        plan = plan_credentials([A, B, C], BOUND.credential_id, key_pinned=False, limit=2)
        assert names(plan) == ["a", "b"]


class TestFirstContact:
    def test_candidates_in_order_up_to_the_limit(self) -> None:
        assert names(plan_credentials([A, B, C], None, key_pinned=False, limit=2)) == ["a", "b"]
        assert plan_credentials([A, B], None, key_pinned=False, limit=2).held_back is None

    def test_no_candidate_no_login(self) -> None:
        assert plan_credentials([], None, key_pinned=True, limit=3).logins == []
