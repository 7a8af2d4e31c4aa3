"""Benchmark of the public signing endpoint against a naive one and a trivial one, same server.

Run: ``python bench/bench_signing.py`` (``make bench``). Budgets (design.md section 7, issue
#14): letterkit's signing reaches at least 1.3x the throughput of the naive reference ("naive
Flask-WTF": the same form with Flask-WTF's session CSRF, the Flask-Limiter decorator and an ORM
insert, ``bench/naive_signing.py``), its server CPU per signature is at most 5x that of
``GET /healthz`` (no database, no template), and no signature is lost or doubled. Exits non-zero
when a budget is broken. The ratio to ``/healthz`` throughput is printed for information.

letterkit runs under gunicorn as the README deploys it (``--workers 4 --worker-class gthread
--threads 4``) on a free port of 127.0.0.1, on a fresh SQLite file migrated to the current
schema (``--database-url`` for another database, e.g. an empty PostgreSQL one). Each client GETs
the signing page once for its form token and cookie, then POSTs signatures one after another on
its connection; only the POSTs are timed, and the 303 redirect is not followed. The server runs
``bench.naive_signing:app``: letterkit's own app (``create_app()``) with the naive endpoint added
at ``/naive/<code>``, so the three endpoints share one gunicorn and are measured in alternating
rounds, drift hitting all alike; the ratios are taken between the medians.

The load clients run on the same machine, so throughput depends on their cost too. The CPU time
the server itself spends per request (read from ``/proc`` for gunicorn and its workers) is
printed beside it: it says what one signature costs the server against one trivial request,
independent of the clients.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from tests.petitions.loadgen import Run, get_concurrently, gunicorn, sign_concurrently  # noqa: E402

BUDGET_VS_NAIVE = 1.3  # letterkit's signing / the naive reference, throughput
BUDGET_CPU = 5.0  # server CPU of a signature / of a trivial request
NAIVE_APP = "bench.naive_signing:app"


def prepare(database_url: str, secret_key: str) -> tuple[str, bytes]:
    """Migrate the database, create a group with its signer key, a sign-on draft and its
    petition; return the code and the group's private key (to count the sealed names)."""
    from letterkit import create_app, database
    from letterkit.accounts import operations as accounts
    from letterkit.catalogue import get_catalogue
    from letterkit.extensions import db
    from letterkit.models import Role
    from letterkit.petitions import keys
    from letterkit.petitions import operations as petitions
    from letterkit.services import drafts

    app = create_app(
        {
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_ENGINES": {"default": database_url},
            "ARGON2_PARAMETERS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
            "SIGNER_KEY_OPSLIMIT": 1,
            "SIGNER_KEY_MEMLIMIT": 8192,
        }
    )
    with app.test_request_context():
        database.upgrade(db.engine)
        group = accounts.create_group("Bench Group", default_letter_language="ru")
        group.address = "ul. Primernaya 1\n101000 Moscow"
        user = accounts.create_user(
            email="bench@example.org",
            display_name="Bench",
            password=secrets.token_urlsafe(16),
        )
        accounts.add_member(group, user, Role.COORDINATOR, actor=None)
        letter = drafts.create_draft(
            group,
            user,
            template="sign-on",
            language="ru",
            authority_slug="ru-minzdrav",
            demand_slugs=list(get_catalogue().demand_set("inpud-2011-russia").slugs),
            paragraphs=[],
            fields={"subject": "О гуманизации наркополитики", "campaign": "", "background": ""},
        )
        passphrase = secrets.token_urlsafe(16)
        keys.create_key(group, user, passphrase, passphrase)
        private_key = bytes(keys.open_private_key(keys.key_of(group), passphrase))
        petition = petitions.open_petition(letter, group, user, petitions.Settings())
        db.session.commit()
        code = petition.code
        for engine in db.engines.values():
            engine.dispose()
    return code, private_key


def stored(database_url: str, private_key: bytes) -> tuple[int, int]:
    """(rows, distinct names) of the signature table; the names are sealed, so each row is
    opened with the group's private key."""
    from nacl.public import PrivateKey

    from letterkit.config import engine_options
    from letterkit.petitions.keys import open_sealed

    options = engine_options(database_url)
    engine = sa.create_engine(options.pop("url"), **options)
    key = PrivateKey(private_key)
    try:
        with engine.connect() as connection:
            sealed = connection.execute(sa.text("select sealed from signature")).scalars().all()
    finally:
        engine.dispose()
    names = {open_sealed(key, bytes(box))["name"] for box in sealed}
    return len(sealed), len(names)


def _median_cpu(runs: list[Run]) -> float | None:
    values = [r.server_ms_per_request for r in runs if r.server_ms_per_request is not None]
    return statistics.median(values) if values else None


def _ms(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--signatures", type=int, default=1600, help="signatures per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    clients = args.clients
    per_client = max(args.signatures // clients, 1)

    with tempfile.TemporaryDirectory(prefix="letterkit-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        secret_key = secrets.token_urlsafe(48)
        code, private_key = prepare(url, secret_key)
        sign_runs: list[Run] = []
        naive_runs: list[Run] = []
        trivial_runs: list[Run] = []
        with gunicorn(
            url,
            secret_key,
            Path(tmp) / "gunicorn.log",
            app_spec=NAIVE_APP,
            start_timeout=120.0,  # four workers booting at once on a busy machine
        ) as server:
            # warm up every path in every worker
            get_concurrently(server, "/healthz", clients, 20)
            sign_concurrently(server, code, clients, 5, "warm")
            sign_concurrently(server, code, clients, 5, "nwarm", path="/naive")
            for round_no in range(args.rounds):
                trivial_runs.append(get_concurrently(server, "/healthz", clients, per_client * 2))
                sign_runs.append(
                    sign_concurrently(server, code, clients, per_client, f"r{round_no}")
                )
                naive_runs.append(
                    sign_concurrently(
                        server, code, clients, per_client, f"n{round_no}", path="/naive"
                    )
                )
            log = server.log()
        rows, names = stored(url, private_key)

    errors = [e for run in (*sign_runs, *naive_runs, *trivial_runs) for e in run.errors]
    posted = sum(run.statuses[303] for run in sign_runs) + clients * 5
    attempted = sum(run.requests for run in sign_runs) + clients * 5
    naive_stored = sum(run.statuses[303] for run in naive_runs) + clients * 5
    trivial = statistics.median(run.per_second for run in trivial_runs)
    signing = statistics.median(run.per_second for run in sign_runs)
    naive = statistics.median(run.per_second for run in naive_runs)
    ratio = signing / trivial
    vs_naive = signing / naive
    lost = attempted + naive_stored - rows
    doubled = rows - names

    trivial_cpu = _median_cpu(trivial_runs)
    signing_cpu = _median_cpu(sign_runs)
    naive_cpu = _median_cpu(naive_runs)
    cpu_ratio = signing_cpu / trivial_cpu if trivial_cpu and signing_cpu else None
    print(f"gunicorn: 4 workers x 4 threads (gthread), {clients} keep-alive clients, 127.0.0.1")
    print(f"database: {url.split('://', 1)[0]}")
    print(
        f"{'endpoint':<24}{'requests/s':>12}{'server CPU ms/request':>24}   (medians of {args.rounds})"
    )
    print(f"{'GET /healthz':<24}{trivial:>12.0f}{_ms(trivial_cpu):>24}")
    print(f"{'POST /s/<code> (sign)':<24}{signing:>12.0f}{_ms(signing_cpu):>24}")
    print(f"{'POST naive Flask-WTF':<24}{naive:>12.0f}{_ms(naive_cpu):>24}")
    for label, runs in (("healthz", trivial_runs), ("sign", sign_runs), ("naive", naive_runs)):
        print(f"  {label} rounds: " + ", ".join(f"{r.per_second:.0f}/s" for r in runs))
    print(f"signing / naive Flask-WTF reference: {vs_naive:.2f}x (budget >= {BUDGET_VS_NAIVE})")
    if cpu_ratio is not None:
        print(f"server CPU of a signature: {cpu_ratio:.1f}x a trivial request (budget <= 5)")
    print(f"signing / trivial throughput: {ratio:.2f} (for information)")
    print(f"signatures sent {attempted}, answered 303: {posted}, stored {rows}, distinct {names}")
    print(f"(naive reference: {naive_stored} stored beside them)")
    print(f"lost: {lost}, doubled: {doubled}")

    failed = False
    if errors:
        print("client errors:", *errors[:10], sep="\n  ")
        failed = True
    if "Traceback" in log:
        print("the server logged an error:\n" + log[-3000:])
        failed = True
    if lost or doubled:
        print("FAIL: signatures were lost or doubled")
        failed = True
    if vs_naive < BUDGET_VS_NAIVE:
        print(f"FAIL: signing is below {BUDGET_VS_NAIVE}x the naive Flask-WTF reference")
        failed = True
    if cpu_ratio is None or cpu_ratio > BUDGET_CPU:
        print(f"FAIL: a signature costs more than {BUDGET_CPU:.0f}x a trivial request's server CPU")
        failed = True
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
