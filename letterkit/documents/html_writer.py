"""HTML preview of a letter: a fragment laid out like the printed DOCX, all text escaped.

The fragment is meant to be placed inside a page of the web app (which brings the CSS); class
names start with ``letter-``. It follows the DOCX: a draft's mark, the letterhead, reference and
date, the addressee block (on the right in the GOST layout, ``letter--official``; on the left in
a business letter), subject and salutation in the language's order, the text, the attachments
line, the closing and the signature block with its line to sign on. Postcodes do not break
(``letter-nowrap``). Every value goes through :func:`markupsafe.escape`; line breaks become
``<br>``. The annex shows its first rows only (``annex_preview_rows``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from letterkit.documents.locales import get_locale
from letterkit.documents.model import Letter, cell_text
from letterkit.documents.text import NON_BREAKING_HYPHEN, keep_postcodes, strip_illegal

DEFAULT_ANNEX_PREVIEW_ROWS = 50
_UNBREAKABLE = re.compile(f"(\\w+)([{NON_BREAKING_HYPHEN}\u00a0])(\\w+)")


def _t(text: str) -> str:
    """Escaped text with line breaks kept."""
    return str(escape(strip_illegal(text))).replace("\n", "<br>\n")


def _block(cls: str, lines: list[str], tag: str = "div") -> str:
    inner = "<br>\n".join(_t(line) for line in lines if line)
    return f'<{tag} class="{cls}">{inner}</{tag}>' if inner else ""


def _address(line: str) -> str:
    """An escaped address line whose postcodes do not break ("MD-2073", "SW1A 2AA")."""
    return _UNBREAKABLE.sub(
        lambda m: (
            f'<span class="letter-nowrap">{m[1]}'
            f"{'-' if m[2] == NON_BREAKING_HYPHEN else ' '}{m[3]}</span>"
        ),
        _t(keep_postcodes(line)),
    )


def _address_block(cls: str, lines: list[str], tag: str = "div") -> str:
    inner = "<br>\n".join(lines)
    return f'<{tag} class="{cls}">{inner}</{tag}>' if inner else ""


def _signature(letter: Letter, business: bool) -> str:
    """The signature block: title, the line to sign on, name (stacked in a business letter)."""
    sig = letter.signature
    line = '<span class="letter-signature-line" aria-hidden="true"></span>'
    name = f'<span class="letter-signature-name">{_t(sig.name)}</span>'
    title = "<br>\n".join(_t(x) for x in (sig.title, sig.organisation) if x)
    title = f'<span class="letter-signature-title">{title}</span>' if title else ""
    parts = (line, name, title) if business else (title, line, name)
    return f'<div class="letter-signature">{"".join(p for p in parts if p)}</div>'


def render_html(letter: Letter, *, annex_preview_rows: int = DEFAULT_ANNEX_PREVIEW_ROWS) -> Markup:
    """Return the letter as an HTML fragment (``Markup``, safe to put in a Jinja page)."""
    loc = get_locale(letter.language)
    out: list[str] = [
        f'<article class="letter letter--{loc.layout}" lang="{escape(letter.language)}">'
    ]
    add = out.append
    if letter.is_draft:
        add(f'<p class="letter-draft-mark">{_t(loc.draft_mark)}</p>')
    s = letter.sender
    add('<header class="letter-letterhead">')
    add(f'<div class="letter-sender-name">{_t(s.name)}</div>')
    sender_lines = [*map(_address, s.address_lines), *map(_t, s.contacts)]
    add(_address_block("letter-sender-address", sender_lines))
    add("</header>")
    requisites = loc.requisite_lines(
        reference=letter.reference, day=letter.date, place=letter.place
    )
    add(_block("letter-requisites", requisites))
    a = letter.addressee
    addressee = [_t(x) for x in (a.line, a.name) if x] + [_address(x) for x in a.address_lines]
    add(_address_block("letter-addressee", addressee, tag="address"))
    subject = (
        f'<h2 class="letter-subject">{_t(loc.subject_format.format(subject=letter.subject))}</h2>'
    )
    salutation = (
        f'<p class="letter-salutation">{_t(letter.salutation)}</p>' if letter.salutation else ""
    )
    if loc.layout == "business":
        add(salutation + subject)
    else:
        add(subject + salutation)
    for text in letter.paragraphs:
        add(f'<p class="letter-body">{_t(text)}</p>')
    if letter.demands:
        if letter.demands_intro:
            add(f'<p class="letter-body letter-demands-intro">{_t(letter.demands_intro)}</p>')
        add('<ol class="letter-demands">')
        for text in letter.demands:
            add(f'<li class="letter-demand">{_t(text)}</li>')
        add("</ol>")
    for text in letter.paragraphs_after:
        add(f'<p class="letter-body">{_t(text)}</p>')
    note = ""
    if letter.annex is not None:
        line = loc.annex_line(letter.annex.title, letter.annex.row_count)
        note = f'<p class="letter-annex-note">{_t(line)}</p>'
    business = loc.layout == "business"
    if not business:
        add(note)
    add('<div class="letter-sign-off">')
    add(f'<p class="letter-closing">{_t(letter.closing)}</p>')
    add(_signature(letter, business))
    add("</div>")
    if business:
        add(note)
    if letter.annex is not None:
        add(_annex_html(letter, annex_preview_rows))
    add("</article>")
    return Markup("\n".join(part for part in out if part))


def _annex_html(letter: Letter, limit: int) -> str:
    loc = get_locale(letter.language)
    annex = letter.annex
    assert annex is not None
    caption = loc.annex_caption.format(
        date=loc.numeric_date(letter.date), reference=loc.reference_text(letter.reference)
    )
    head = ([loc.row_number] if annex.numbered else []) + list(annex.columns)
    out = [
        '<section class="letter-annex">',
        f'<p class="letter-annex-caption">{_t(caption)}</p>',
        f'<h3 class="letter-annex-title">{_t(annex.title)}</h3>',
        '<table class="letter-annex-table"><thead><tr>',
        "".join(f"<th>{_t(c)}</th>" for c in head),
        "</tr></thead><tbody>",
    ]
    shown = 0
    rows = annex.rows
    iterator = iter(rows)
    for shown, row in enumerate(iterator, start=1):  # noqa: B007 - shown used after loop
        if shown > limit:
            shown -= 1
            break
        cells = [cell_text(c) for c in (row if isinstance(row, list | tuple) else (row,))]
        cells += [""] * (len(annex.columns) - len(cells))
        number = f"<td>{shown}</td>" if annex.numbered else ""
        out.append(f"<tr>{number}{''.join(f'<td>{_t(c)}</td>' for c in cells)}</tr>")
    out.append("</tbody></table>")
    total = annex.row_count
    if total is not None and total > shown:
        out.append(
            f'<p class="letter-annex-more">{_t(loc.more_rows.format(count=total - shown))}</p>'
        )
    out.append("</section>")
    return "".join(out)
