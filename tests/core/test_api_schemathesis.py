"""The API answers as its schema says: schemathesis on every operation, as an admin, a member and anonymously.

The schema is the one the app serves at /api/schema/, loaded through the app's own WSGI handler, so
what is tested is what a client reads. For each operation schemathesis runs two phases:

- coverage: the values at the edges of what the schema allows and just past them (missing
  required fields, wrong types, boundaries of lengths and numbers, unexpected methods);
- fuzzing: random inputs, a bounded number per operation, from a fixed seed.

Every answer is checked: no server error (a 500 on any input is a bug in the code), a status code
the schema lists for the operation, the content type it lists, and a body that matches the
schema of that status. The requests run against the demo data (`seed_demo`), and path ids are
drawn from its real rows as well as from the generator, so the fuzzer reaches objects that exist
and not only 404s. Each request runs in a savepoint that is rolled back, so every request sees
the same data and one operation's writes (a deleted account, a closed job) cannot hide another's.

The seed, the number of examples and the coverage phase's size keep the run short and the same
every time: on two idle cores with PostgreSQL, about a minute for each signed-in role, 15 seconds
anonymously, 2.5 minutes with the set-up (CPU_BUDGET_S guards it). No operation is excluded.
"""

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
import werkzeug
from django.apps import apps
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from core.api.docs import SchemaView
from core.demo import DEMO_PASSWORD
from governance.models import Election
from governance.models import Proposal as Motion
from marketplace.models import (
    Contract,
    Dispute,
    Invitation,
    Job,
    Milestone,
    PortfolioItem,
    Proposal,
    Review,
    SavedSearch,
    Thread,
    Timesheet,
)
from marketplace.services.searches import saved_search_create
from membership.models import DataExport, Member, User
from membership.services import data_export_request
from payouts.cycles.models import PayoutCycle
from payouts.cycles.services import cycle_open
from payouts.models import BankPayment, PaymentRequest, Withdrawal, WithdrawalBatch
from payouts.payments.withdrawals import withdrawal_batch_create

SEED = 20260412
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            # Derandomized from the seed, with no example database: a run is the same on every machine.
            "deterministic": True,
            "database": "none",
            "max-examples": 5,
            # Roles are set by the test (a token or nothing); generated credentials would only be refused.
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": False},
            # Each unexpected method takes the same path through DRF (a 405); OPTIONS is DRF's own answer.
            "coverage": {"enabled": True, "unexpected-methods": ["options", "delete"]},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)

# Who calls: the demo's staff administrator, a member who works through the platform, nobody.
ROLES = {"admin": "admin@example.org", "member": "ada@example.org", "anonymous": None}

# The rows each path id names, so that ids of real objects are tried beside generated ones.
# A new path parameter must be added here (test_every_path_id_names_real_rows says so).
PATH_IDS: dict[str, Callable[[], list[Any]]] = {
    "contract_id": lambda: list(Contract.objects.values_list("pk", flat=True)),
    "dispute_id": lambda: list(Dispute.objects.values_list("pk", flat=True)),
    "export_id": lambda: list(DataExport.objects.values_list("pk", flat=True)),
    "invitation_id": lambda: list(Invitation.objects.values_list("pk", flat=True)),
    "item_id": lambda: list(PortfolioItem.objects.values_list("pk", flat=True)),
    "job_id": lambda: list(Job.objects.values_list("pk", flat=True)),
    "number": lambda: list(apps.get_model("marketplace", "Invoice").objects.values_list("number", flat=True)),
    "member_id": lambda: list(Member.objects.values_list("pk", flat=True)),
    "milestone_id": lambda: list(Milestone.objects.values_list("pk", flat=True)),
    "proposal_id": lambda: list(Proposal.objects.values_list("pk", flat=True)),
    "reference": lambda: list(PaymentRequest.objects.values_list("reference", flat=True)),
    "review_id": lambda: list(Review.objects.values_list("pk", flat=True)),
    "saved_search_id": lambda: list(SavedSearch.objects.values_list("pk", flat=True)),
    "thread_id": lambda: list(Thread.objects.values_list("pk", flat=True)),
    "timesheet_id": lambda: list(Timesheet.objects.values_list("pk", flat=True)),
    "token_id": lambda: list(apps.get_model("core", "ApiToken").objects.values_list("pk", flat=True)),
    "user_id": lambda: list(User.objects.values_list("pk", flat=True)),
    "/api/governance/elections/{id}": lambda: list(Election.objects.values_list("pk", flat=True)),
    "/api/governance/proposals/{id}": lambda: list(Motion.objects.values_list("pk", flat=True)),
    "/api/money/finance/bank-payments/{id}": lambda: list(BankPayment.objects.values_list("pk", flat=True)),
    "/api/money/finance/batches/{id}": lambda: list(WithdrawalBatch.objects.values_list("pk", flat=True)),
    "/api/money/finance/withdrawals/{id}": lambda: list(Withdrawal.objects.values_list("pk", flat=True)),
    "/api/money/payments/{id}": lambda: list(PaymentRequest.objects.values_list("pk", flat=True)),
    "/api/payout-cycles/{id}": lambda: list(PayoutCycle.objects.values_list("pk", flat=True)),
    "/api/money/expenses/{id}": lambda: list(
        apps.get_model("open_books", "ExpenseClaim").objects.values_list("pk", flat=True)
    ),
    "year": lambda: [2025, 2026],
}


def _rows_for(path: str, name: str) -> Callable[[], list[Any]] | None:
    if name in PATH_IDS:
        return PATH_IDS[name]
    prefix = path[: path.index("{" + name + "}") + len(name) + 2]
    return PATH_IDS.get(prefix)


# Path ids the demo has no rows for, and why.
NO_DEMO_ROWS = {
    "timesheet_id": "the demo's hourly job has no contract yet",
    "token_id": "a role's token is made when it signs in (auth_headers), after the demo",
}
# CPU seconds one role's run may take. It takes about a minute on two idle cores; the limit is
# there so that a slower API or a bigger schema shows up here, named, before it slows CI down.
CPU_BUDGET_S = 150


@pytest.fixture
def demo(db: Any) -> None:
    """The demo data, with a row for the kinds of ids the demo has none of."""
    call_command("seed_demo", verbosity=0)
    admin = User.objects.get(email=ROLES["admin"])
    member = User.objects.get(email=ROLES["member"])
    saved_search_create(user=member, name="Design work", params={"q": "design"})
    data_export_request(user=member, actor=member)
    this_month = timezone.localdate().replace(day=1)
    cycle_open(period_start=(this_month - timedelta(days=1)).replace(day=1), period_end=this_month, actor=admin)
    withdrawal_batch_create(actor=None)


@pytest.fixture(params=list(ROLES))
def role(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does.

    Django closes a connection that is not in autocommit mode at the start and end of a request;
    the test's transaction is such a connection, and the requests here go through the WSGI
    handler, not the test client that would detach this.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(role: str, demo: None, in_test_transaction: None) -> dict[str, str]:
    """Sign in as the role through the token API and the app's WSGI handler, as a client would."""
    email = ROLES[role]
    if email is None:
        return {}
    client = werkzeug.Client(get_wsgi_application())
    response = client.post("/api/auth/token/", json={"email": email, "password": DEMO_PASSWORD, "name": "schemathesis"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Token {response.json['token']}"}


@pytest.fixture
def cpu_budget(role: str) -> Iterator[None]:
    started = time.process_time()
    yield
    spent = time.process_time() - started
    assert spent <= CPU_BUDGET_S, (
        f"The schemathesis run as {role} took {spent:.0f} s of CPU, over its budget of {CPU_BUDGET_S} s: "
        "lower max-examples or the coverage phase's size in CONFIG, or find what made the API slower."
    )


@pytest.fixture
def node_id_shim(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let schemathesis's pytest integration name each operation's subtest under pytest 9.2.

    Schemathesis 4.32 reads and writes `item._nodeid`, which pytest 9.2 replaced with `item.nodeid`
    (a property over the new `_id`); without this every run stops at an AttributeError. Writes are
    dropped: the subtests carry the operation in their own label.
    """
    item_type = type(request.node)
    if not hasattr(item_type, "_nodeid"):
        monkeypatch.setattr(
            item_type, "_nodeid", property(lambda item: item.nodeid, lambda item, value: None), raising=False
        )


@pytest.fixture
def api_schema(role: str, auth_headers: dict[str, str], node_id_shim: None, cpu_budget: None) -> Any:
    SchemaView.forget()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG)

    @schema.hook
    def filter_case(context: Any, case: Any) -> bool:
        """Keep the coverage phase to the cases that can find something.

        A body's edge cases run in the operation's first media type only: JSON, form and multipart
        reach the same serializer, and the fuzzing phase still sends every media type. Anonymously,
        an operation that needs a signed-in user refuses before it reads its input (DRF checks
        permissions first), so its invalid inputs are skipped; its valid ones still check the 403.
        """
        if case.meta is None or case.meta.phase.name != "coverage":
            return True
        operation = context.operation.definition.raw
        signed_in_only = {} not in operation.get("security", [{}])
        if role == "anonymous" and signed_in_only and case.meta.generation.mode.is_negative:
            return False
        if case.media_type is None:
            return True
        return case.media_type == next(iter(operation.get("requestBody", {}).get("content", {})), case.media_type)

    @schema.hook
    def before_generate_path_parameters(context: Any, strategy: st.SearchStrategy) -> st.SearchStrategy:
        operation = context.operation
        real: dict[str, list[Any]] = {}
        for parameter in operation.path_parameters:
            rows = _rows_for(operation.path, parameter.name)
            values = rows() if rows is not None else []
            if not values:
                return strategy
            real[parameter.name] = values
        if not real:
            return strategy
        return st.one_of(strategy, st.fixed_dictionaries({k: st.sampled_from(v) for k, v in real.items()}))

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case: Any, auth_headers: dict[str, str]) -> None:
    savepoint = transaction.savepoint()
    try:
        case.call_and_validate(headers=auth_headers, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)


def test_every_path_id_names_real_rows(demo: None, in_test_transaction: None) -> None:
    """Each path parameter is in PATH_IDS, and the demo has rows for it (or NO_DEMO_ROWS says why not)."""
    SchemaView.forget()
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG)
    unmapped, empty = [], []
    for result in loaded.get_all_operations():
        operation = result.ok()
        for parameter in operation.path_parameters:
            rows = _rows_for(operation.path, parameter.name)
            if rows is None:
                unmapped.append(f"{operation.label}: {parameter.name}")
            elif not rows() and parameter.name not in NO_DEMO_ROWS:
                empty.append(f"{operation.label}: {parameter.name}")
    assert unmapped == []
    assert empty == []
