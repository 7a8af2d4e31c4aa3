"""Operator commands: ``flask --app app letterkit …``."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from . import database, deadlines, documents
from .accounts import operations as ops
from .accounts.forms import PASSWORD_MAX, PASSWORD_MIN
from .catalogue import (
    ORIGINAL_LANGUAGE,
    Authority,
    Catalogue,
    Demand,
    NotInCatalogue,
    get_catalogue,
)
from .catalogue.holders import forms_for, salutation_for
from .config import DEFAULT_LOCALE, interface_languages, letter_languages
from .extensions import db
from .models import Group, Role
from .services import holders, language_check, law, letterheads, letters, names
from .services.catalogue import group_catalogue

letterkit_cli = AppGroup("letterkit", help="letterkit operator commands.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


@letterkit_cli.command("migrate")
@click.option("--revision", default="heads", show_default=True, help="Target revision.")
def migrate_command(revision: str) -> None:
    """Bring the database schema up to date."""
    database.upgrade(db.engine, revision)
    click.echo(f"Database is at revision {database.current_revision(db.engine)}.")


@letterkit_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def revision_command(message: str) -> None:
    """Generate a migration from the models (read and edit it before committing)."""
    from alembic import command

    config = database.alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)


@letterkit_cli.command("create-group")
@click.option("--name", required=True, help="Name of the group or organisation.")
@click.option("--letter-language", default=ORIGINAL_LANGUAGE, type=click.Choice(letter_languages()))
def create_group_command(name: str, letter_language: str) -> None:
    """Create a group; prints its slug for create-user."""
    name = name.strip()
    if not name or len(name) > 200:
        _fail("The name must have 1 to 200 characters.")
    group = ops.create_group(name, default_letter_language=letter_language)
    db.session.commit()
    click.echo(f"Created group {group.slug!r}.")


@letterkit_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Name shown to the group.")
@click.option("--group", "group_slug", required=True, help="Slug of the group to join.")
@click.option("--role", type=click.Choice(["coordinator", "member"]), default="member")
@click.option("--language", type=click.Choice(interface_languages()), default=DEFAULT_LOCALE)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (for scripts)."
)
def create_user_command(
    email: str, display_name: str, group_slug: str, role: str, language: str, password_stdin: bool
) -> None:
    """Create an account in a group. The password is prompted for, never taken as an argument."""
    from email_validator import EmailNotValidError, validate_email

    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        _fail(f"The e-mail address is not valid: {exc}")
    display_name = display_name.strip()
    if not display_name or len(display_name) > 120:
        _fail("The name must have 1 to 120 characters.")
    group = db.session.scalar(sa.select(Group).where(Group.slug == group_slug))
    if group is None:
        _fail(f"There is no group {group_slug!r}.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        _fail(f"The password must have {PASSWORD_MIN} to {PASSWORD_MAX} characters.")
    try:
        user = ops.create_user(
            email=email, display_name=display_name, password=password, interface_language=language
        )
        ops.add_member(group, user, Role(role), actor=None)
    except ops.OperationError as exc:
        db.session.rollback()
        _fail(str(exc.message))
    db.session.commit()
    current_app.extensions["letterkit"]["set_up"] = True
    click.echo(f"Created a {role} account in {group.slug!r}.")


@letterkit_cli.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(destination: Path) -> None:
    """Copy the SQLite database consistently to DESTINATION, also while the app runs."""
    try:
        database.backup_sqlite(db.engine, destination)
    except (ValueError, FileExistsError) as exc:
        _fail(str(exc))
    click.echo(f"Backed up to {destination}.")


@letterkit_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the database even if it is in use.")
def restore_command(source: Path, force: bool) -> None:
    """Replace the SQLite database with the backup SOURCE, keeping a copy of what it replaces.

    Stop the app first: a database in use is refused without --force."""
    if db.engine.dialect.name != "sqlite":
        _fail("restore replaces a SQLite database file; for PostgreSQL use pg_restore (README)")
    try:
        plan = database.check_backup(source)
        if plan.needs_migration:
            click.echo(
                f"{source} is at schema revision {', '.join(sorted(plan.revisions))}, older than "
                "this release's; it will be migrated after restoring."
            )
        kept, needs_migration = database.restore_sqlite(db.engine, source, force=force)
    except database.RestoreError as exc:
        _fail(str(exc))
    if kept is not None:
        click.echo(f"Kept the replaced database as {kept}.")
    if needs_migration:
        database.upgrade(db.engine)
    click.echo(
        f"Restored {source}; the database is at revision {database.current_revision(db.engine)}."
    )


@letterkit_cli.command("pdf-service")
@click.option(
    "--unoserver",
    "command",
    envvar="LETTERKIT_UNOSERVER",
    default="unoserver",
    show_default=True,
    help="unoserver's command, run by a Python with LibreOffice's uno module (python3-uno).",
)
def pdf_service_command(command: str) -> None:
    """Keep one warm LibreOffice per PDF slot running (restarted when it dies) until stopped."""
    import shlex
    import shutil
    import signal
    import threading

    from .documents import pdf, pdfservice

    args = shlex.split(command)
    if not args or shutil.which(args[0]) is None:
        _fail(f"{command!r} is not installed: see README, 'Fast PDFs'.")
    if not pdf.pdf_available():
        _fail("LibreOffice is not installed (Debian: libreoffice-writer-nogui).")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    config = pdf.settings()
    click.echo(f"Serving {config.concurrency} warm LibreOffice(s) from port {config.port}.")
    pdfservice.serve(config, args, stop=stop)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} must be a date written YYYY-MM-DD, not {value!r}.")
    return None


def speech_for(lang: str) -> deadlines.Speech:
    """Return the catalogue of ``lang`` and its locale, for explaining due dates."""
    from babel.support import Translations

    directory = Path(current_app.root_path) / "translations"
    translations = Translations.load(str(directory), [lang], domain="messages")
    return deadlines.Speech(translations.gettext, translations.ngettext, lang)


@letterkit_cli.command("deadline")
@click.argument("country")
@click.argument("delivered_on", metavar="DELIVERED_ON")
@click.option("--registered-on", help="Date the authority registered the letter (YYYY-MM-DD).")
@click.option(
    "--kind", "authority_kind", help="Kind of authority or proceeding, if the law differs."
)
@click.option("--subdiv", help="Subdivision whose holidays apply (e.g. SCT for Scotland).")
@click.option("--variant", help="An alternative term of the rule, e.g. additional-study.")
@click.option("--target-days", type=click.IntRange(1, 3650), help="A target where no law sets one.")
@click.option(
    "--lang", type=click.Choice(interface_languages()), default=DEFAULT_LOCALE, show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def deadline_command(
    country: str,
    delivered_on: str,
    registered_on: str | None,
    authority_kind: str | None,
    subdiv: str | None,
    variant: str | None,
    target_days: int | None,
    lang: str,
    as_json: bool,
) -> None:
    """Print when a reply is due for a letter delivered on DELIVERED_ON, and why."""

    delivered = _parse_day(delivered_on, "DELIVERED_ON")
    registered = _parse_day(registered_on, "--registered-on")
    speech = speech_for(lang)
    gettext = speech.gettext
    try:
        result = deadlines.compute_due(
            country.upper(),
            delivered,
            registered_on=registered,
            authority_kind=authority_kind,
            subdiv=subdiv,
            variant=variant,
            target_days=target_days,
            holiday_language=lang,
        )
    except deadlines.DeadlineError as exc:
        _fail(deadline_message(exc, gettext))
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(deadlines.format_text(result, speech), nl=False)


def deadline_message(error: Exception, gettext: Callable[[str], str]) -> str:
    """Translate a deadline error first and format it after."""
    template = getattr(error, "template", None)
    if template is None:
        return str(error)
    return gettext(template).format(**getattr(error, "params", {}))


def read_signatories(path: Path, lang: str) -> Any:
    """Read a CSV of signatories (first row: column names) into an annex."""
    import csv

    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = [row for row in csv.reader(fh) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        _fail(f"Cannot read {path}: {exc}")
    if len(rows) < 2:
        _fail(f"{path} needs a header row and at least one signatory.")
    header, body = rows[0], rows[1:]
    width = len(header)
    for number, row in enumerate(body, start=2):
        if len(row) > width:
            _fail(f"{path}, line {number}: {len(row)} cells, the header has {width}.")
    body = [row + [""] * (width - len(row)) for row in body]
    locale = documents.get_locale(lang)
    return documents.Annex(title=locale.annex_default_title, columns=tuple(header), rows=body)


def _given_fields(
    spec: documents.TemplateSpec,
    sampled: dict[str, Any],
    fields: dict[str, str],
    authority: Any,
    lang: str,
    day: date,
) -> dict[str, Any]:
    """The fields given (over the sample's, with --sample), the law filled from the authority's
    rule: never from a sample, which names one country's law."""
    kept = {k: v for k, v in sampled.items() if k not in law.LAW_FIELDS}
    return law.with_law(spec, {**kept, **fields}, authority, lang, day)


def _parse_fields(field_values: tuple[str, ...]) -> dict[str, str]:
    """Read ``--field NAME=VALUE`` options."""
    fields: dict[str, str] = {}
    for item in field_values:
        name, sep, value = item.partition("=")
        if not sep:
            _fail(f"--field takes NAME=VALUE, not {item!r}.")
        fields[name.strip()] = value
    return fields


def _render_holder(
    group: Group | None,
    authority_slug: str,
    lang: str,
    *,
    holder_form: str | None = None,
    holder_name: str | None = None,
    holder_salutation: str | None = None,
) -> holders.Holder:
    """The office holder for ``render``: the options given, else what the group recorded."""
    known = holders.holder_for(group.id, authority_slug, lang) if group else holders.Holder()
    holder = holders.Holder(
        form=holder_form or known.form,
        addressee_name=known.addressee_name if holder_name is None else holder_name,
        salutation_name=known.salutation_name if holder_salutation is None else holder_salutation,
    )
    if group is not None and holders.form_needed(holder, lang):
        forms = " or ".join(forms_for(get_catalogue().languages.get(lang)))
        if holder.form == "neutral":
            _fail(
                f"A letter in {lang!r} has no neutral form of address: give --holder-form {forms}."
            )
        _fail(
            f"Give --holder-form {forms}: the salutation of a letter in {lang!r} depends on it, "
            f"and group {group.slug!r} has not recorded it for {authority_slug}."
        )
    return holder


def _warn_mixed(
    authority: Authority,
    lang: str,
    holder: holders.Holder,
    demands: list[Demand],
    group: Group | None,
    catalogue: Catalogue,
) -> None:
    """Warn on standard error about the printed parts not in the letter's language."""
    salutation = salutation_for(catalogue, authority, lang, holder.form, holder.salutation_name)
    parts = language_check.catalogue_parts(authority, lang, salutation, demands)
    if group is not None:
        parts += language_check.name_parts(names.printed_names(group, lang, catalogue))
    if not parts:
        return
    language = catalogue.language(lang).name("en").text if lang in catalogue.languages else lang
    click.echo(f"Warning: parts of this letter are not in {language} ({lang}):", err=True)
    for line in language_check.describe_all(parts, lambda m: m, "en", catalogue):
        click.echo(f"  - {line}", err=True)


@letterkit_cli.command("render")
@click.option("--template", "template_slug", required=True, help="Template slug, e.g. appeal.")
@click.option("--authority", "authority_slug", required=True, help="Authority slug.")
@click.option("--demand-set", "demand_set", help="A demand set's slug.")
@click.option("--demand", "demand_slugs", multiple=True, help="A demand's slug (repeatable).")
@click.option("--lang", required=True, type=click.Choice(letter_languages()))
@click.option("--group", "group_slug", help="Group whose details, letterhead and catalogue to use.")
@click.option("--field", "field_values", multiple=True, help="A template field: NAME=VALUE.")
@click.option("--date", "letter_date", help="Letter date (YYYY-MM-DD); default today.")
@click.option("--reference", help="Reference number to print; default: none (a draft).")
@click.option("--signatories", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--sample",
    "use_sample",
    is_flag=True,
    help="Take the sender, signer and every field not given from the template's sample data "
    "(for trying a template out; never for a letter that is sent).",
)
@click.option(
    "--stamp-copy",
    is_flag=True,
    help="For delivery by hand: add a copy of the letter with a box for the office's "
    "registration stamp (date received, incoming number, the official's name and signature).",
)
@click.option(
    "--holder-form",
    type=click.Choice(["female", "male", "neutral"]),
    help="How the holder of the office is addressed (needed for ru and uk letters unless the "
    "group recorded it).",
)
@click.option("--holder-name", help="The holder's name, printed under the addressee line.")
@click.option("--holder-salutation", help="The holder's name as it stands in the salutation.")
@click.option("--pdf", "as_pdf", is_flag=True, help="Write a PDF (needs LibreOffice).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def render_command(
    template_slug: str,
    authority_slug: str,
    demand_set: str | None,
    demand_slugs: tuple[str, ...],
    lang: str,
    group_slug: str | None,
    field_values: tuple[str, ...],
    letter_date: str | None,
    reference: str | None,
    signatories: Path | None,
    use_sample: bool,
    stamp_copy: bool,
    as_pdf: bool,
    out: Path,
    **holder_options: str | None,
) -> None:
    """Write a letter to OUT as DOCX (or PDF), for scripting and tests.

    Only what is given goes into the letter: the group's details (--group), the fields
    (--field). A template's sample values are used only with --sample.
    """

    if bool(demand_set) == bool(demand_slugs):
        _fail("Give either --demand-set or one or more --demand.")
    if not group_slug and not use_sample:
        _fail(
            "Give --group (whose name, address and signer the letter carries), "
            "or --sample to try the template with its sample sender and fields."
        )
    group = None
    if group_slug:
        group = db.session.scalar(sa.select(Group).where(Group.slug == group_slug))
        if group is None:
            _fail(f"There is no group {group_slug!r}.")
    catalogue = group_catalogue(group.id) if group else get_catalogue()
    try:
        authority = catalogue.authority(authority_slug)
        if demand_set:
            demands = list(catalogue.demand_set(demand_set).demands)
        else:
            demands = [catalogue.demand(slug) for slug in demand_slugs]
    except NotInCatalogue as exc:
        _fail(str(exc))
    holder = _render_holder(group, authority_slug, lang, **holder_options)
    fields = _parse_fields(field_values)
    try:
        spec = documents.default_library().get(template_slug)
        sample = spec.sample_context(lang)
        if group is not None:
            sender, signer = letters.sender_for(group, lang), letters.signer_for(group, lang=lang)
        else:  # --sample (checked above)
            sender, signer = sample.sender, sample.signer
        day = _parse_day(letter_date, "--date") or date.today()
        sampled = sample.fields if use_sample else {}
        given = _given_fields(spec, sampled, fields, authority, lang, day)
        context = documents.LetterContext(
            sender=sender,
            addressee=letters.addressee_for(authority, lang, holder, catalogue),
            signer=signer,
            date=day,
            demands=[documents.DemandText(d.title(lang).text, d.text(lang).text) for d in demands],
            reference=reference,
            fields=given,
            annex=read_signatories(signatories, lang) if signatories else None,
        )
        letter = documents.build_letter(template_slug, lang, context)
        letterhead = letterheads.letterhead_of(group) if group else None
        data = documents.render_docx(letter, letterhead, stamp_copy=stamp_copy)
        if as_pdf:
            data = documents.docx_to_pdf(data)
    except documents.DocumentError as exc:
        _fail(str(exc))
    _warn_mixed(authority, lang, holder, demands, group, catalogue)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data)} bytes, SHA-256 {documents.sha256(data)}).")


def register(app: Flask) -> None:
    """Add the command group to ``app``."""
    app.cli.add_command(letterkit_cli)
