"""The ``procurement`` command line: serve, db, token, account, demo, sbom (ingest, export),
exposure, notifications, advisories, calendar, audit (verify), worker and job (cli_jobs.py).

The command line acts as the local administrator (it has the database credentials anyway), but goes
through the same services as the API, so the same validation and audit rules apply.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from procurement import migrate
from procurement.composition import app_sessions
from procurement.db import create_engine, utcnow
from procurement.enums import Role
from procurement.errors import DomainError, ErrorCode, InputError, NotFound
from procurement.exposure.results import ExposureRun
from procurement.ids import from_number_or_global_id
from procurement.permissions import SYSTEM
from procurement.registry import authentication
from procurement.registry import reads as registry_reads
from procurement.registry.actions import accounts, tokens
from procurement.settings import ConfigError, Settings, load_settings

T = TypeVar("T")


def id_of(type_name: str) -> Callable[[str], int]:
    """An argument type accepting a plain number or a global ID of ``type_name`` (as shown by
    the API); a global ID of another type is refused, as the API refuses it."""

    def parse(value: str) -> int:
        pk = from_number_or_global_id(value, type_name)
        if pk is None:
            raise argparse.ArgumentTypeError(
                f"'{value}' is not a number or a global ID of type {type_name}"
            )
        return pk

    return parse


async def _with_session(
    settings: Settings, work: Callable[[AsyncSession], Awaitable[T]], *, upgrade: bool = True
) -> T:
    engine = create_engine(settings.database_url)
    try:
        if upgrade:
            await migrate.upgrade(engine)
        async with app_sessions(engine, settings)() as session:
            return await work(session)
    finally:
        await engine.dispose()


async def _prepare_for_serving(settings: Settings) -> tuple[str | None, str | None]:
    """Migrate; on an empty database create the first admin token, and where nobody has an
    account yet the first admin account (login ``admin``); return the token's secret and the
    account's password, each only when just created."""
    engine: AsyncEngine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        async with app_sessions(engine, settings)() as session:
            secret = password = None
            if await authentication.count_tokens(session) == 0:
                _token, secret = await tokens.create_token(
                    session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="first admin")
                )
            if await registry_reads.count_accounts(session) == 0:
                _account, password = await accounts.create_account(
                    session,
                    SYSTEM,
                    accounts.AccountInput(
                        name="First administrator", login="admin", role=Role.ADMIN
                    ),
                )
            return secret, password
    finally:
        await engine.dispose()


def _worker_count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes from 1 to 64")
    return int(text)


def default_workers(settings: Settings) -> int:
    """One server process per CPU core (at most 8) on PostgreSQL; one on SQLite, which takes one
    writer at a time."""
    if settings.is_sqlite:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from procurement.web.app import create_app, freeze_startup_objects
    from procurement.web.logs import log_config

    args.workers = args.workers or default_workers(settings)
    if args.workers > 1 and settings.is_sqlite:
        # SQLite takes one writer at a time: several processes would answer "database is
        # locked" under load instead of queueing inside one.
        print(
            f"error: --workers {args.workers}: SQLite allows one writer, so serve it with one "
            "worker (the default); set PROCUREMENT_DATABASE_URL to a PostgreSQL database to run "
            "several",
            file=sys.stderr,
        )
        return 2
    secret, password = asyncio.run(_prepare_for_serving(settings))
    if secret is not None:
        print("Created the first admin token (shown once; keep it safe):", flush=True)
        print(secret, flush=True)
    if password is not None:
        print(
            f"Created the first admin account: open http://{args.host}:{args.port}/ and sign in "
            "with login 'admin' and this password (shown once; keep it safe):",
            flush=True,
        )
        print(password, flush=True)
    logs = log_config(settings.log_level, json_lines=settings.log_format == "json")
    if args.workers == 1:
        app = create_app(settings)
        freeze_startup_objects()
        uvicorn.run(app, host=args.host, port=args.port, log_config=logs)
        return 0
    # Each worker process builds its own app from the environment (uvicorn imports the factory).
    os.environ["PROCUREMENT_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "procurement.web.app:app_from_environment",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_config=logs,
    )
    return 0


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            if args.db_command == "upgrade":
                await migrate.upgrade(engine)
            current = await migrate.current_revision(engine)
            head = migrate.head_revision()
            state = "up to date" if current == head else f"behind head {head}"
            print(f"{current or '(empty database)'} ({state})")
        finally:
            await engine.dispose()

    asyncio.run(run())
    return 0


def cmd_token(settings: Settings, args: argparse.Namespace) -> int:
    if args.token_command == "create":

        async def create(session: AsyncSession) -> str:
            account_id = None
            if args.account is not None:
                account_id = (
                    await accounts.find_account_by_login(session, SYSTEM, args.account)
                ).id
            elif args.role is None:
                raise InputError.single(
                    "role", "give --role, or --account LOGIN", ErrorCode.REQUIRED
                )
            data = tokens.TokenInput(
                role=args.role, name=args.name, operator_id=args.operator, vendor_id=args.vendor,
                expires_in_days=args.expires_in_days, account_id=account_id,
            )  # fmt: skip
            token, secret = await tokens.create_token(session, SYSTEM, data)
            until = (
                "never expires"
                if token.expires_at is None
                else f"expires {token.expires_at.date().isoformat()}"
            )
            print(f"Created token {token.id} ({token.role.value}, '{token.name}', {until}):")
            return secret

        print(asyncio.run(_with_session(settings, create)))
    elif args.token_command == "revoke":

        async def revoke(session: AsyncSession) -> None:
            if args.account is not None:
                account = await accounts.find_account_by_login(session, SYSTEM, args.account)
                count = await accounts.revoke_account_tokens(session, SYSTEM, account.id)
                print(f"Revoked {count} token(s) of account '{account.login}'")
                return
            if args.id is None:
                raise InputError.single(
                    "id", "give a token id, or --account LOGIN", ErrorCode.REQUIRED
                )
            token = await tokens.revoke_token(session, SYSTEM, args.id)
            print(f"Token {token.id} '{token.name}' revoked at {token.revoked_at}")

        asyncio.run(_with_session(settings, revoke))
    else:

        async def listing(session: AsyncSession) -> None:
            rows = await registry_reads.list_tokens(session, SYSTEM)
            now = utcnow()
            print(
                f"{'id':>4}  {'role':<11} {'operator':>8} {'vendor':>6}  {'prefix':<13} "
                f"{'status':<8} name"
            )
            for t in rows:
                expired = t.expires_at is not None and t.expires_at <= now
                status = "revoked" if t.revoked_at else "expired" if expired else "active"
                print(
                    f"{t.id:>4}  {t.role.value:<11} {t.operator_id or '-':>8} "
                    f"{t.vendor_id or '-':>6}  {t.prefix + '…':<13} {status:<8} {t.name}"
                )

        asyncio.run(_with_session(settings, listing))
    return 0


def cmd_account(settings: Settings, args: argparse.Namespace) -> int:
    async def run(session: AsyncSession) -> None:
        if args.account_command == "create":
            data = accounts.AccountInput(
                name=args.name, login=args.login, role=args.role,
                operator_id=args.operator, vendor_id=args.vendor,
                oidc_identity=args.oidc_identity,
            )  # fmt: skip
            account, password = await accounts.create_account(session, SYSTEM, data)
            print(f"Created account {account.id} '{account.login}' ({account.role.value}); "
                  "its password (shown once):")  # fmt: skip
            print(password)
        elif args.account_command == "disable":
            found = await accounts.find_account_by_login(session, SYSTEM, args.login)
            done = await accounts.disable_account(session, SYSTEM, found.id)
            print(f"Account '{done.login}' disabled; its sessions ended and its tokens revoked")
        elif args.account_command == "enable":
            found = await accounts.find_account_by_login(session, SYSTEM, args.login)
            done = await accounts.enable_account(session, SYSTEM, found.id)
            print(f"Account '{done.login}' enabled; revoked tokens stay revoked")
        else:
            print(f"{'id':>4}  {'login':<20} {'role':<11} {'operator':>8} {'vendor':>6}  "
                  f"{'status':<8} name")  # fmt: skip
            for a in await registry_reads.list_accounts(session, SYSTEM):
                status = "disabled" if a.disabled_at else "active"
                print(f"{a.id:>4}  {a.login:<20} {a.role.value:<11} {a.operator_id or '-':>8} "
                      f"{a.vendor_id or '-':>6}  {status:<8} {a.name}")  # fmt: skip

    asyncio.run(_with_session(settings, run))
    return 0


def cmd_demo(settings: Settings, _args: argparse.Namespace) -> int:
    from procurement.demo import load_demo

    async def run(session: AsyncSession) -> None:
        summary = await load_demo(session)
        print(summary)

    asyncio.run(_with_session(settings, run))
    return 0


def cmd_sbom(settings: Settings, args: argparse.Namespace) -> int:
    from procurement.sboms import actions as sboms
    from procurement.sboms import export as sbom_export
    from sbom import ACCEPTED_FORMATS
    from sbom.formats import ExportFormat

    if args.sbom_command == "ingest":
        data = Path(args.file).read_bytes()
        encoding = "gzip" if args.file.endswith(".gz") else None

        async def ingest(session: AsyncSession) -> None:
            result = await sboms.ingest_sbom(
                session, SYSTEM, args.purchase, data, max_bytes=settings.max_upload_bytes,
                content_encoding=encoding, name=args.name,
                max_components=settings.max_sbom_components,
            )  # fmt: skip
            v = result.version
            state = "stored" if result.created else "already stored (same document)"
            print(
                f"SBOM {v.id} '{result.sbom.name}' version {v.number} {state}: "
                f"{v.standard.value} {v.spec_version} {v.format}, "
                f"{v.component_count} components, quality {v.quality_score}/100, "
                f"{len(result.warnings)} warnings"
            )
            for w in result.warnings[:20]:
                print(f"  warning {w.code} at {w.location}: {w.message}")

        try:
            asyncio.run(_with_session(settings, ingest))
        except sboms.SbomRejectedError as rejected:
            for e in rejected.errors:
                print(f"error: {e.field}: {e.message}", file=sys.stderr)
            print(f"accepted: {'; '.join(ACCEPTED_FORMATS)}", file=sys.stderr)
            return 1
    else:
        output_format = ExportFormat(args.format)

        async def export(session: AsyncSession) -> sbom_export.ExportedSbom:
            return await sbom_export.export_version(session, SYSTEM, args.id, output_format)

        exported = asyncio.run(_with_session(settings, export))
        if args.output:
            Path(args.output).write_bytes(exported.data)
        else:
            sys.stdout.buffer.write(exported.data + b"\n")
    return 0


def cmd_exposure(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import date

    from procurement.clock import today_in_china
    from procurement.exposure import reads as exposure
    from procurement.exposure import report as exposure_report

    as_of = date.fromisoformat(args.as_of) if args.as_of else today_in_china()

    async def report(session: AsyncSession) -> ExposureRun:
        known = args.operator is None or await registry_reads.operators_by_ids(
            session, SYSTEM, [args.operator]
        )
        if not known:
            raise NotFound("--operator", "operator", args.operator)
        return await exposure.assess(
            session, SYSTEM, operator_id=args.operator, as_of=as_of, what_if=args.what_if
        )

    run = asyncio.run(_with_session(settings, report))
    if args.format == "json":
        sys.stdout.buffer.write(exposure_report.as_json(run) + b"\n")
    else:
        sys.stdout.write(exposure_report.as_csv(run))
    return 0


def cmd_notifications(settings: Settings, args: argparse.Namespace) -> int:
    """One pass for cron: ``deliver`` sends what is due; ``check`` runs the periodic checks."""
    from procurement.notifications.checks import run_checks
    from procurement.notifications.dispatcher import run_once
    from procurement.notifications.sending import channel_sender

    async def run() -> str:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            sessions = app_sessions(engine, settings)
            if args.notifications_command == "check":
                checked = await run_checks(sessions, digest_hour=settings.notification_digest_hour)
                return (
                    f"deadlines passed {checked.deadlines_passed}, deadlines near "
                    f"{checked.deadlines_near}, obligations due {checked.obligations_due}, "
                    f"digests {checked.digests}"
                )
            done = await run_once(sessions, channel_sender(settings))
            return (
                f"fanned out {done.fanned_out}, attempted {done.attempted}, delivered "
                f"{done.delivered}, to retry {done.retrying}, failed {done.failed}"
            )
        finally:
            await engine.dispose()

    print(asyncio.run(run()))
    return 0


def cmd_advisories(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from procurement.screening.actions.advisory_dump import import_osv_dump

    sources = [(Path(p), None) for p in args.paths]

    async def run(session: AsyncSession) -> None:
        report = await import_osv_dump(session, SYSTEM, sources)
        r, m = report.rematch, report.rematch.rescreen
        print(
            f"Read {report.read} records: {report.added} added, {report.updated} updated, "
            f"{report.skipped} skipped (unchanged), {report.invalid_count} invalid; "
            f"of the added and updated, {report.withdrawn} withdrawn and "
            f"{report.unmatchable} unmatchable."
        )
        print(
            f"Re-matched {r.components} stored components against {r.advisories} changed "
            f"advisories: {r.purchases} purchases affected, {m.screened} rescreened, "
            f"{m.changed} with a new result, {m.verdicts_changed} verdicts changed, "
            f"{m.cases_opened} review cases opened."
        )
        for bad in report.invalid:
            print(f"  invalid {bad.source}: {bad.error}")
        if report.invalid_count > len(report.invalid):
            print(f"  ... and {report.invalid_count - len(report.invalid)} more invalid records")

    asyncio.run(_with_session(settings, run))
    return 0


def cmd_calendar(settings: Settings, args: argparse.Namespace) -> int:
    from procurement.clock import today_in_china
    from procurement.reviews import reads as review_reads
    from procurement.reviews.actions import calendars

    if args.calendar_command == "load":
        import orjson

        from procurement.errors import ErrorCode

        try:
            data = orjson.loads(Path(args.file).read_bytes())
        except (OSError, orjson.JSONDecodeError) as error:
            raise InputError.single(
                "file", f"cannot read {args.file}: {error}", ErrorCode.INVALID
            ) from None
        if not isinstance(data, dict):
            raise InputError.single(
                "file", "must hold one object {year, daysOff, workingWeekends, source}",
                ErrorCode.INVALID,
            )  # fmt: skip

        async def load(session: AsyncSession) -> None:
            result = await calendars.load_holiday_calendar(
                session, SYSTEM, data.get("year"), data.get("daysOff") or [],
                data.get("workingWeekends") or [], data.get("source"),
            )  # fmt: skip
            row = result.row
            print(
                f"Holiday schedule {row.year} {'replaced' if result.replaced else 'loaded'} "
                f"({row.source}): {len(row.days_off)} days off, {len(row.working_weekends)} "
                f"working weekend days; {len(result.recomputed)} open review deadlines changed"
            )
            for change in result.recomputed:
                print(f"  case {change.case.id}: {change.due_before} -> {change.case.deadline_due}")

        asyncio.run(_with_session(settings, load))
    else:

        async def listing(session: AsyncSession) -> None:
            years = await review_reads.list_holiday_calendars(
                session, SYSTEM, today_in_china().year + 1
            )
            for y in years:
                print(f"{y.year}  {y.status.value:<11} {y.source or '-'}")

        asyncio.run(_with_session(settings, listing))
    return 0


def cmd_audit(settings: Settings, args: argparse.Namespace) -> int:
    """Exit 0 when every chain is intact, 1 when one is broken, 2 for an unknown operator."""
    from procurement import audit_verify

    async def run(session: AsyncSession) -> tuple[list[str], bool]:
        return audit_verify.describe(await audit_verify.verify(session, args.operator))

    try:
        lines, intact = asyncio.run(_with_session(settings, run))
    except audit_verify.UnknownOperator as error:
        print(f"error: --operator: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0 if intact else 1


def _date(value: str) -> str:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None
    return value


DESCRIPTION = (
    "The procurement review service's command line: serve, db, token, account, demo, sbom, "
    "exposure, notifications, advisories, calendar, audit. It acts as the local administrator "
    "(it has the database credentials) but goes through the same services as the API, so the "
    "same validation and audit rules apply. Each command has its own --help."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="procurement", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate the database if needed and serve the API")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0: every address)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers",
        type=_worker_count,
        default=None,
        help="server processes (default: one per CPU core, at most 8, on PostgreSQL; 1 on SQLite, "
        "which has one writer and refuses more)",
    )
    serve.set_defaults(handler=cmd_serve)

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="migrate to the newest revision")
    db_sub.add_parser("current", help="show the current revision")
    db.set_defaults(handler=cmd_db)

    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token; prints the secret last")
    create.add_argument(
        "--role", choices=[r.value for r in Role], help="required without --account"
    )
    create.add_argument(
        "--account", metavar="LOGIN", help="a person's token: role and scope of that account"
    )
    create.add_argument("--name", required=True, help="who or what uses it, shown in listings")
    create.add_argument(
        "--operator", type=id_of("Operator"), help="operator id (number or global ID)"
    )
    create.add_argument("--vendor", type=id_of("Vendor"), help="vendor id (number or global ID)")
    create.add_argument(
        "--expires-in-days",
        type=int,
        default=None,
        metavar="DAYS",
        help="days until the token stops working (default 90; 0: never, for machines)",
    )
    revoke = token_sub.add_parser("revoke", help="revoke a token, or all tokens of an account")
    revoke.add_argument("id", type=int, nargs="?", help="the token's id, as `token list` shows")
    revoke.add_argument("--account", metavar="LOGIN", help="revoke every token of this account")
    token_sub.add_parser("list", help="list tokens (never shows secrets)")
    token.set_defaults(handler=cmd_token)

    account = sub.add_parser("account", help="people's accounts for the console")
    account_sub = account.add_subparsers(dest="account_command", required=True)
    account_create = account_sub.add_parser(
        "create", help="create an account; prints a generated password last (shown once)"
    )
    account_create.add_argument(
        "--login", required=True, help="what the person types to sign in (stored lower-case)"
    )
    account_create.add_argument("--name", required=True, help="the person's name, as shown")
    account_create.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="what the person may do"
    )
    account_create.add_argument("--operator", type=id_of("Operator"), help="operator id")
    account_create.add_argument("--vendor", type=id_of("Vendor"), help="vendor id")
    account_create.add_argument(
        "--oidc-identity",
        metavar="VALUE",
        help="this person's value of the OpenID Connect claim (PROCUREMENT_OIDC_CLAIM)",
    )
    account_sub.add_parser("list", help="list accounts (never shows passwords)")
    disable = account_sub.add_parser(
        "disable", help="disable an account: ends its sessions and revokes its tokens"
    )
    disable.add_argument("login", help="the account's login")
    enable = account_sub.add_parser("enable", help="let a disabled account sign in again")
    enable.add_argument("login", help="the account's login")
    account.set_defaults(handler=cmd_account)

    sbom = sub.add_parser("sbom", help="SBOM ingestion and export")
    sbom_sub = sbom.add_subparsers(dest="sbom_command", required=True)
    ingest = sbom_sub.add_parser(
        "ingest",
        help="validate and store an SBOM: CycloneDX (JSON, XML) or SPDX 2.2/2.3 (JSON, tag-value)",
    )
    ingest.add_argument(
        "file", help="CycloneDX JSON/XML or SPDX JSON/tag-value, optionally gzip (.gz)"
    )
    ingest.add_argument("--purchase", required=True, type=id_of("Purchase"), help="purchase id")
    ingest.add_argument("--name", help="which SBOM of the purchase this is a version of")
    export = sbom_sub.add_parser(
        "export", help="write a stored SBOM version as CycloneDX 1.6 JSON or XML, or SPDX 2.3 JSON"
    )
    export.add_argument("id", type=id_of("Sbom"), help="stored SBOM id (number or global ID)")
    export.add_argument(
        "--format",
        choices=["json", "xml", "spdx"],
        default="json",
        help="json: CycloneDX 1.6 JSON (default); xml: CycloneDX 1.6 XML; spdx: SPDX 2.3 JSON",
    )
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    sbom.set_defaults(handler=cmd_sbom)

    exposure = sub.add_parser("exposure", help="fine exposure (Arts. 41, 39(9)) for legal teams")
    exposure_sub = exposure.add_subparsers(dest="exposure_command", required=True)
    report = exposure_sub.add_parser("report", help="per-purchase items and totals")
    report.add_argument("--operator", type=id_of("Operator"), help="operator id (default: all)")
    report.add_argument("--as-of", type=_date, help="date of the assessment (default: today)")
    report.add_argument(
        "--format", choices=["csv", "json"], default="csv", help="output format (default csv)"
    )
    report.add_argument(
        "--what-if",
        action="store_true",
        help="as if pending reviews passed and agreements were signed",
    )
    exposure.set_defaults(handler=cmd_exposure)

    notifications = sub.add_parser("notifications", help="notification outbox (for cron)")
    notifications_sub = notifications.add_subparsers(dest="notifications_command", required=True)
    notifications_sub.add_parser("deliver", help="fan out new events, send what is due, once")
    notifications_sub.add_parser("check", help="deadline, obligation and digest checks, once")
    notifications.set_defaults(handler=cmd_notifications)

    advisories = sub.add_parser("advisories", help="OSV vulnerability advisories")
    advisories_sub = advisories.add_subparsers(dest="advisories_command", required=True)
    adv_import = advisories_sub.add_parser(
        "import",
        help="import OSV dumps offline (zip, directory or JSON file)",
        description=(
            "Import OSV advisories from dumps on disk: OSV's per-ecosystem all.zip "
            "(https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip, fetched "
            "on a connected machine), a directory of .json/.zip files, or a JSON file. Records "
            "whose 'modified' is not newer than the stored one are skipped; bad records are "
            "reported and the others imported. Stored SBOM components are then matched again "
            "and the purchases whose matched vulnerabilities changed are rescreened. Batches "
            "are committed as they go: an interrupted import is completed by running it again."
        ),
    )
    adv_import.add_argument("paths", nargs="+", metavar="PATH", help="all.zip, directory or .json")
    advisories.set_defaults(handler=cmd_advisories)
    calendar = sub.add_parser("calendar", help="holiday schedules the review deadlines count with")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True)
    calendar_load = calendar_sub.add_parser(
        "load", help="load a year's State Council schedule and recount the open deadlines"
    )
    calendar_load.add_argument(
        "file", help='JSON: {"year", "daysOff": [dates], "workingWeekends": [dates], "source"}'
    )
    calendar_sub.add_parser("list", help="each year with its source, official or provisional")
    calendar.set_defaults(handler=cmd_calendar)

    audit = sub.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser(
        "verify",
        help="recompute every audit event's hash chain; exit 1 at the first broken link",
        description=(
            "Walk each operator's chain of audit events (and the chain of events with no "
            "operator), recompute every hash and report the first broken link: content "
            "changed, event missing, event inserted, broken link or chain head mismatch. "
            "Prints the events and head hash per chain; keep the head hashes elsewhere to "
            "detect a rewrite of the whole chain later."
        ),
    )
    verify.add_argument("--operator", type=id_of("Operator"), help="only this operator's chain")
    audit.set_defaults(handler=cmd_audit)

    demo = sub.add_parser("demo", help="load a realistic demo data set")
    demo.set_defaults(handler=cmd_demo)
    from procurement import cli_jobs  # worker, job show

    cli_jobs.add_parsers(sub)
    return parser


def _missing_default_database(handler: Callable[..., int]) -> str | None:
    """Run from the wrong folder, a command would create and migrate an empty ./procurement.db
    there and then find nothing: say which file it looked for instead. Only for the default
    location: a PROCUREMENT_DATABASE_URL that is set is the user's choice, and serve, db and demo
    create the database on purpose."""
    if "PROCUREMENT_DATABASE_URL" in os.environ or handler in (cmd_serve, cmd_db, cmd_demo):
        return None
    path = Path("procurement.db").resolve()
    if path.exists():
        return None
    return (
        f"error: no database here: {path} does not exist. Without PROCUREMENT_DATABASE_URL the "
        "command line uses procurement.db in the current folder: run it in the service's folder, "
        "or set PROCUREMENT_DATABASE_URL=sqlite:///path/to/procurement.db (or a PostgreSQL URL)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    missing = _missing_default_database(args.handler)
    if missing is not None:
        print(missing, file=sys.stderr)
        return 2
    try:
        code: int = args.handler(settings, args)
    except InputError as error:
        for e in error.errors:
            print(f"error: {e.field or '(input)'}: {e.message}", file=sys.stderr)
        return 1
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return code
