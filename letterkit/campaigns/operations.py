"""Domain verbs for campaigns: targets, their letters, finalising them into tracked dispatches,
and the bulk output (a ZIP of DOCX, one combined document). They flush; the request commits."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import sqlalchemy as sa

from letterkit import documents
from letterkit.catalogue import Authority, Catalogue
from letterkit.catalogue.holders import forms_for
from letterkit.core import transaction
from letterkit.core.audit import record
from letterkit.documents.bulk import UniqueNames
from letterkit.extensions import db
from letterkit.markers import N_
from letterkit.models import (
    DispatchMethod,
    Group,
    HolderForm,
    Letter,
    LetterStatus,
    Petition,
    User,
)
from letterkit.models.campaigns import Campaign, CampaignTarget
from letterkit.services import drafts, holders, language_check, letterheads, letters
from letterkit.services.annexes import annex_for_petition
from letterkit.services.catalogue import group_catalogue
from letterkit.services.language_check import MixedPart
from letterkit.services.languages import offered_for
from letterkit.tracking.operations import DispatchInput, record_dispatch

MAX_TARGETS = 2000


class CampaignError(Exception):
    """A campaign cannot do this; ``message`` is an untranslated template."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


def letter_language(authority: Authority, group: Group, template: str) -> str:
    """The language a target's letter is written in: the authority's, else the first its country
    offers (``Country.offered_languages``), else the group's usual one, that the template has."""
    spec = documents.default_library().get(template)
    for lang in (*offered_for(authority), group.default_letter_language):
        if lang in spec.languages:
            return lang
    return spec.languages[0]


def create_campaign(
    group: Group,
    actor: User | None,
    *,
    name: str,
    template: str,
    action_date: date | None = None,
    demand_slugs: Sequence[str] = (),
    method: str = "hand",
) -> Campaign:
    """Start a campaign with its text; targets are added next."""
    catalogue = group_catalogue(group.id)
    unknown = [slug for slug in demand_slugs if slug not in catalogue.demands]
    if unknown:
        raise CampaignError(N_("Unknown demand: {slug}"), slug=unknown[0])
    documents.default_library().get(template)
    campaign = Campaign(
        group_id=group.id,
        name=name,
        template=template,
        action_date=action_date,
        demand_slugs=list(demand_slugs),
        method=method,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(campaign)
    db.session.flush()
    record("campaign.created", campaign, group=group, actor=actor)
    return campaign


def matching_authorities(
    catalogue: Catalogue, *, countries: Iterable[str] = (), kinds: Iterable[str] = ()
) -> list[Authority]:
    """Authorities of these countries' states (missions abroad included) of these kinds."""
    wanted_countries = set(countries)
    wanted_kinds = set(kinds)
    found = [
        authority
        for authority in catalogue.authorities.values()
        if (not wanted_countries or authority.country in wanted_countries)
        and (not wanted_kinds or authority.kind in wanted_kinds)
    ]
    return sorted(found, key=lambda a: (a.country, a.kind, a.slug or ""))


def add_targets(
    campaign: Campaign, group: Group, actor: User | None, slugs: Iterable[str]
) -> list[CampaignTarget]:
    """Add authorities as targets (those already in the campaign are skipped)."""
    catalogue = group_catalogue(group.id)
    present = {t.authority_slug for t in campaign.targets}
    added = []
    position = max((t.position for t in campaign.targets), default=0)
    for slug in slugs:
        if slug in present:
            continue
        authority = catalogue.authorities.get(slug)
        if authority is None:
            raise CampaignError(N_("Unknown authority: {slug}"), slug=slug)
        if len(present) >= MAX_TARGETS:
            raise CampaignError(N_("A campaign has at most {limit} targets."), limit=MAX_TARGETS)
        position += 1
        language = letter_language(authority, group, campaign.template)
        target = CampaignTarget(
            group_id=group.id,
            position=position,
            authority_slug=slug,
            authority_name=authority.name(language).text[:300],
            country=authority.country,
            language=language,
        )
        campaign.targets.append(target)
        present.add(slug)
        added.append(target)
    db.session.flush()
    if added:
        record("campaign.targets_added", campaign, group=group, actor=actor, count=len(added))
    return added


def remove_target(
    campaign: Campaign, group: Group, actor: User | None, target: CampaignTarget
) -> None:
    """Take a target out while its letter is still a draft."""
    if target.dispatch_id is not None:
        raise CampaignError(N_("This target's letter was finalised and is tracked; keep it."))
    letter = db.session.get(Letter, target.letter_id) if target.letter_id else None
    if letter is not None and not letter.is_final:
        drafts.delete_draft(letter, group, actor)
    campaign.targets.remove(target)
    db.session.flush()
    record("campaign.target_removed", campaign, group=group, actor=actor, target=target.id)


def languages_of(campaign: Campaign) -> list[str]:
    """The letter languages the campaign's targets use, in a stable order."""
    return sorted({t.language for t in campaign.targets})


def set_fields(
    campaign: Campaign, group: Group, actor: User, language: str, values: dict[str, Any]
) -> None:
    """Keep the template's fields for letters in ``language``."""
    fields = dict(campaign.fields)
    fields[language] = dict(values)
    campaign.fields = fields
    db.session.flush()
    record("campaign.fields_saved", campaign, group=group, actor=actor, language=language)


def generate_letters(campaign: Campaign, group: Group, actor: User | None) -> int:
    """Make a draft letter for every target that has none; drafts already made are kept."""
    made = 0
    for target in campaign.targets:
        if target.letter_id is not None and db.session.get(Letter, target.letter_id) is not None:
            continue
        letter = drafts.create_draft(
            group,
            actor,
            template=campaign.template,
            language=target.language,
            authority_slug=target.authority_slug,
            demand_slugs=campaign.demand_slugs,
            paragraphs=[],
            fields=dict(campaign.fields.get(target.language, {})),
            letter_date=campaign.action_date,
        )
        target.letter_id = letter.id
        made += 1
    db.session.flush()
    if made:
        record("campaign.letters_made", campaign, group=group, actor=actor, count=made)
    return made


def _annex(campaign: Campaign, language: str) -> documents.Annex | None:
    if campaign.petition_id is None:
        return None

    petition = db.session.get(Petition, campaign.petition_id)
    return annex_for_petition(petition, language) if petition is not None else None


@dataclass(frozen=True)
class Failure:
    """A target whose letter could not be finalised, and why (untranslated, with params)."""

    target: CampaignTarget
    message: str
    params: dict[str, Any]


def mixed_by_target(campaign: Campaign, group: Group) -> dict[int, list[MixedPart]]:
    """For each target whose draft letter has printed parts not in its language, those parts
    (:mod:`letterkit.services.language_check`), by target id."""
    catalogue = group_catalogue(group.id)
    ids = [target.letter_id for target in campaign.targets if target.letter_id]
    drafts = {
        letter.id: letter
        for letter in db.session.scalars(
            sa.select(Letter).where(Letter.id.in_(ids), Letter.status == LetterStatus.DRAFT)
        )
    }  # one query for the campaign's drafts, not one per target
    found = {}
    for target in campaign.targets:
        letter = drafts.get(target.letter_id) if target.letter_id else None
        if letter is None:
            continue
        parts = language_check.mixed_parts(letter, group, catalogue)
        if parts:
            found[target.id] = parts
    return found


def finalise_all(
    campaign: Campaign, group: Group, actor: User | None, *, mixing_confirmed: bool | None = None
) -> tuple[int, list[Failure]]:
    """Finalise every draft letter of the campaign and record a planned dispatch for each.

    A letter that cannot be built (e.g. a required field missing in its language, or a ru/uk
    letter whose office holder's form of address the group has not recorded, or one with parts
    not in its language while ``mixing_confirmed`` is False) is reported and left as a draft;
    the others go ahead.
    """

    done, failures = 0, []
    method = DispatchMethod(campaign.method)
    for target in campaign.targets:
        letter = db.session.get(Letter, target.letter_id) if target.letter_id else None
        if letter is None:
            continue
        if not letter.is_final:
            try:
                with transaction.savepoint():
                    letters.finalise(
                        letter,
                        group,
                        actor,
                        annex=_annex(campaign, letter.language),
                        require_holder=True,
                        mixing_confirmed=mixing_confirmed,
                    )
            except (letters.LetterError, documents.DocumentError) as error:
                failures.append(Failure(target, error.message, dict(error.params)))
                continue
            done += 1
        if target.dispatch_id is None:
            dispatch = record_dispatch(
                letter, group, actor, DispatchInput(method=method, planned_on=campaign.action_date)
            )
            target.dispatch_id = dispatch.id
    db.session.flush()
    record("campaign.finalised", campaign, group=group, actor=actor, count=done)
    return done, failures


# --- the office holders a campaign's letters need ----------------------------------------------


@dataclass(frozen=True)
class HolderNeeded:
    """A target whose letter cannot be finalised before the group says how the holder of the
    office is addressed, with the forms its letter language offers."""

    target: CampaignTarget
    forms: tuple[str, ...]


def holders_needed(campaign: Campaign, group: Group) -> list[HolderNeeded]:
    """The targets not yet finalised whose letter language needs the holder's form of address
    (ru, uk) while the group has not recorded it for the authority."""
    languages = group_catalogue(group.id).languages
    needed = []
    for target in campaign.targets:
        if target.dispatch_id is not None:
            continue
        letter = db.session.get(Letter, target.letter_id) if target.letter_id else None
        if letter is not None and letter.is_final:
            continue
        known = holders.holder_for(group.id, target.authority_slug, target.language)
        if holders.form_needed(known, target.language):
            needed.append(HolderNeeded(target, forms_for(languages.get(target.language))))
    return needed


def record_holders(group: Group, actor: User, chosen: Sequence[tuple[CampaignTarget, str]]) -> int:
    """Remember, for the group, the form of address chosen for each target's office holder
    (names the group recorded before are kept). Audited per authority."""
    for target, form in chosen:
        known = holders.holder_for(group.id, target.authority_slug, target.language)
        holders.remember_holder(
            group,
            target.authority_slug,
            target.language,
            form=HolderForm(form),
            addressee_name=known.addressee_name,
            salutation_name=known.salutation_name,
            actor=actor,
        )
    return len(chosen)


# --- bulk output -----------------------------------------------------------------------------


def _letters(campaign: Campaign) -> Iterator[tuple[CampaignTarget, Letter]]:
    """The targets with their letters, read from the database one at a time."""
    rows = db.session.execute(
        sa.select(CampaignTarget, Letter)
        .join(Letter, Letter.id == CampaignTarget.letter_id)
        .where(CampaignTarget.campaign_id == campaign.id)
        .order_by(CampaignTarget.position)
        .execution_options(yield_per=50)
    )
    try:
        for target, letter in rows:
            yield target, letter
            db.session.expunge(letter)  # keep memory flat in the number of targets
    finally:
        rows.close()  # also when a letter cannot be built: PostgreSQL's server cursor is closed


def letter_count(campaign: Campaign) -> int:
    """How many targets have a letter."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CampaignTarget)
        .join(Letter, Letter.id == CampaignTarget.letter_id)
        .where(CampaignTarget.campaign_id == campaign.id)
    )


def _file_name(target: CampaignTarget, letter: Letter) -> str:
    base = letter.reference or f"draft-{letter.id}"
    return f"{target.position:03d}-{target.country}-{target.authority_slug}-{base}"


def _document(campaign: Campaign, group: Group, letter: Letter) -> documents.Letter:
    if letter.is_final:
        return letters.issued_letter(letter)
    return letters.build(letter, group, annex=_annex(campaign, letter.language))


def write_zip(campaign: Campaign, group: Group, out: IO[bytes]) -> int:
    """A ZIP with one DOCX per target: final letters exactly as issued, drafts rendered now."""
    names = UniqueNames()
    letterhead = letterheads.letterhead_of(group)
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for target, letter in _letters(campaign):
            name = names(_file_name(target, letter))
            if letter.is_final:
                data = letters.issued_document(letter)
            else:
                data = documents.render_docx(_document(campaign, group, letter), letterhead)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, data)
            count += 1
    return count


def write_combined(
    campaign: Campaign,
    group: Group,
    out: IO[bytes],
    on_letter: Callable[[int], None] | None = None,
) -> int:
    """One DOCX with every target's letter on its own pages, for printing in one go;
    ``on_letter(n)`` is called as the n-th letter is about to be written."""

    def documents_of() -> Iterator[documents.Letter]:
        for n, (_target, letter) in enumerate(_letters(campaign)):
            if on_letter is not None:
                on_letter(n)
            yield _document(campaign, group, letter)

    return documents.write_combined_docx(
        documents_of(), out, letterhead=letterheads.letterhead_of(group)
    )


def spooled() -> IO[bytes]:
    """A temporary file for bulk output: kept in memory while small, on disk when large."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
