"""User-facing texts of ``rules.toml``, marked with ``N_()`` so pybabel extracts them.

The data file cannot call ``N_()``; this list stands in for it. ``tests/deadlines`` checks that
it matches the file exactly; after editing ``rules.toml``, update it (the failing test prints
the lines to add or remove).
"""

from letterkit.markers import N_

MESSAGES = (
    N_("Petition presented in the House (parliament)"),
    N_("Appeal to the head of a region about possible violations of migration law"),
    N_("Application for an administrative act"),
    N_("Administrative complaint"),
    N_("Russia"),
    N_("Belarus"),
    N_("Ukraine"),
    N_("Kazakhstan"),
    N_("Kyrgyzstan"),
    N_("Uzbekistan"),
    N_("Tajikistan"),
    N_("Georgia"),
    N_("Armenia"),
    N_("Azerbaijan"),
    N_("Moldova"),
    N_("Estonia"),
    N_("Latvia"),
    N_("Lithuania"),
    N_("United Kingdom"),
    N_("Germany"),
    N_("Sweden"),
    N_("Romania"),
    N_("United States"),
    N_("Canada"),
    N_("Australia"),
    N_("Spain"),
    N_("European Union (European Parliament petitions)"),
    N_("UN special procedures"),
    N_("Written appeals of citizens (Russia, 59-FZ)"),
    N_(
        "Federal Law of 02.05.2006 No. 59-FZ «О порядке рассмотрения обращений граждан Российской Федерации»"
    ),
    N_("Art. 12(1)"),
    N_(
        "In exceptional cases, or when a request under Art. 10(2) is sent to another body; the applicant must be notified of the extension."
    ),
    N_("Art. 12(2)"),
    N_(
        "Registration within 3 days of receipt comes from implementing regulations; the wording of Art. 8(2) of the law itself is UNVERIFIED."
    ),
    N_("A rule moving an end date off a non-working day is not in the text found (UNVERIFIED)."),
    N_(
        "The law says «дней» (days) without «рабочих» (working); it is applied as calendar days in practice (secondary sources)."
    ),
    N_("Whether Russian embassies and other missions abroad apply 59-FZ is UNVERIFIED."),
    N_("Appeal to the head of a region about possible violations of migration law (Russia, 59-FZ)"),
    N_("Art. 12(1.1)"),
    N_(
        "The reference quotes the Art. 12(2) extension without naming the term it extends; that it applies to this 20-day term is UNVERIFIED."
    ),
    N_("Appeals of citizens and legal entities (Belarus)"),
    N_(
        "Law of 18.07.2011 No. 300-З «Об обращениях граждан и юридических лиц» (as amended by Law of 28.06.2022 No. 176-З, in force 02.01.2023)"
    ),
    N_("Art. 17"),
    N_("The appeal requires additional study and verification."),
    N_("The article number for the terms (Art. 17) is UNVERIFIED."),
    N_("The extension rule is UNVERIFIED."),
    N_(
        "The sources say «15 дней» without calling them calendar or working days; calendar days are assumed."
    ),
    N_(
        "Since 02.01.2023 electronic appeals to state bodies are accepted only through the unified system «обращения.бел»."
    ),
    N_(
        "Appeals must be in Belarusian or Russian; otherwise they are left without consideration on the merits."
    ),
    N_("Appeals of citizens (Ukraine)"),
    N_("Law of 02.10.1996 No. 393/96-ВР «Про звернення громадян»"),
    N_("Art. 20"),
    N_(
        "The appeal needs no additional study: immediately, but not later than 15 days from receipt."
    ),
    N_(
        "The head of the body sets a longer term and notifies the applicant; the total term may not exceed 45 days."
    ),
    N_(
        "Whether an end date falling on a weekend or holiday moves to the next working day is not confirmed in the statute text (UNVERIFIED)."
    ),
    N_(
        "Whether foreigners and legal entities are covered by this law is UNVERIFIED (the law speaks of «громадяни»)."
    ),
    N_(
        "Days are calendar days («враховуючи вихідні, святкові та неробочі дні», local council explainer, secondary)."
    ),
    N_(
        "The holidays package lists no public holidays for Ukraine from 2023 (martial law): only weekends are recognised as non-working days."
    ),
    N_("The term may be shortened on the citizen's reasoned written request."),
    N_("Appeals of individuals and legal entities (Kazakhstan, law in force until 30.06.2021)"),
    N_("Law of 12.01.2007 No. 221-III (repealed from 01.07.2021)"),
    N_("Art. 8"),
    N_("Information from other bodies or a site visit is needed (30 calendar days: UNVERIFIED)."),
    N_("The reference does not say which event the 15 calendar days run from; receipt is used."),
    N_(
        "The longer term (30 calendar days) when information from others or a site visit is needed is UNVERIFIED."
    ),
    N_("Appeals under the Administrative Procedural and Process Code (Kazakhstan)"),
    N_("Administrative Procedural and Process Code of 29.06.2020 No. 350-VI"),
    N_("Art. 76"),
    N_(
        "Motivated decision of the head or a deputy, for a reasonable term but not more than two months in total; the applicant is informed within 3 working days."
    ),
    N_(
        "Whether foreign applicants are covered is UNVERIFIED (the Code speaks of natural and legal persons)."
    ),
    N_(
        "Registration (Art. 64(3)): on the day of receipt; if received after working hours or on a non-working day, on the next working day. The term runs from receipt."
    ),
    N_("Appeals of citizens (Kyrgyzstan)"),
    N_("Law of 04.05.2007 No. 67 «О порядке рассмотрения обращений граждан»"),
    N_("The term article, probably Art. 8, is UNVERIFIED."),
    N_(
        "The reference does not say whether the 14 working days run from receipt or from registration; registration is used."
    ),
    N_("Whether foreigners are covered is UNVERIFIED."),
    N_(
        "A bill cutting the term to 10 working days passed parliament on 12.03.2026; its signature and entry into force are UNVERIFIED."
    ),
    N_("Appeals of individuals and legal entities (Uzbekistan)"),
    N_("Law of 11.09.2017 No. ЗРУ-445 «Об обращениях физических и юридических лиц»"),
    N_("Art. 19"),
    N_("Additional study, verification or documents are needed."),
    N_("The appeal is a proposal."),
    N_("As an exception, by the head of the body; the applicant is notified in writing."),
    N_(
        "Art. 19 per the Karakalpak text; another source cites Arts. 25 and 28: the numbering is UNVERIFIED."
    ),
    N_("The day type is not stated (calendar days presumed, UNVERIFIED)."),
    N_(
        "The term runs from receipt by the competent state body; applications and complaints: 15 days."
    ),
    N_("Appeals of individuals and legal entities (Tajikistan)"),
    N_(
        "Law of 23.07.2016 No. 1339 «Дар бораи муроҷиатҳои шахсони воқеӣ ва ҳуқуқӣ» (AMOJT 2016 No. 7 art. 617)"
    ),
    N_(
        "The term is UNVERIFIED (not found in the sources consulted); no number is shown until it is checked on mmih.tj or adlia.tj."
    ),
    N_("How days are counted is UNVERIFIED."),
    N_(
        "Appeals may be written, electronic or oral; foreign citizens and stateless persons may appeal."
    ),
    N_("Application to an administrative body (Georgia)"),
    N_("General Administrative Code of Georgia of 25.06.1999 No. 2181"),
    N_("Art. 100"),
    N_("No interests of third parties are involved."),
    N_("A longer term may be set by decision at the start of the proceedings."),
    N_("Art. 100(3)"),
    N_("Calendar days are presumed (UNVERIFIED)."),
    N_("The maximum of the Art. 100(3) extension is UNVERIFIED."),
    N_("Electronic submission is UNVERIFIED."),
    N_(
        "Art. 100 concerns a decision on issuing an individual administrative act. A protest or opinion letter that asks for no administrative act has no confirmed statutory term."
    ),
    N_("Administrative complaint (Georgia)"),
    N_("Art. 183(1)"),
    N_("Petitions (Armenia)"),
    N_("Law of 12.01.2018 No. ՀՕ-15-Ն «Հանրագրերի մասին» (On Petitions)"),
    N_("Art. 10"),
    N_(
        "The petition is examined by a special commission: within its term, but not more than six months."
    ),
    N_(
        "Only if additional study is needed or several petitions concern the same issue; the petitioner is notified at least 3 working days before the term expires."
    ),
    N_("Whether foreigners are covered by the 2018 law is UNVERIFIED."),
    N_("Application for an administrative act (Armenia)"),
    N_("Law on Fundamentals of Administrative Action and Administrative Proceedings (2004, ZR-41)"),
    N_("A term ending on a non-working day ends on the next working day at 18:00."),
    N_("Citizens' appeals (Azerbaijan)"),
    N_(
        "Law «On citizens' appeals» of 30.09.2015 No. 1384-IVQ (applied by Presidential Decree of 12.11.2015 No. 672)"
    ),
    N_("Art. 10.1"),
    N_("The application requires additional scrutiny and verification."),
    N_("Additional information is requested."),
    N_("Art. 10.2"),
    N_("The reference does not say which event the term runs from; receipt is used."),
    N_("Whether foreigners are covered is UNVERIFIED (Art. 1.1 speaks of citizens of Azerbaijan)."),
    N_(
        "Appeals sent to the wrong body are forwarded not later than three working days (Art. 7.10)."
    ),
    N_("Petitions to public authorities (Moldova)"),
    N_("Administrative Code of the Republic of Moldova No. 116 of 19.07.2018"),
    N_("Art. 60"),
    N_("Only if the petitioner is told in writing, with reasons, within the 30 days."),
    N_("Exceptionally; the total term may not exceed 90 days."),
    N_("The day type is UNVERIFIED; calendar days are assumed."),
    N_(
        "The term runs from registration of the complete petition, or from its transfer to the competent authority."
    ),
    N_("Requests for access to information follow Law 148/2023 instead."),
    N_("Memoranda and requests for explanations (Estonia)"),
    N_(
        "Response to Memoranda and Requests for Explanations and Submission of Collective Addresses Act (MSVS) of 10.11.2004"
    ),
    N_("§ 6"),
    N_("In complicated cases, with notice and reasons to the person."),
    N_("The start point (registration?) is UNVERIFIED; receipt is used."),
    N_(
        "Bill 475 SE would cut the term to 15 calendar days (first reading 25.09.2024); its adoption is UNVERIFIED."
    ),
    N_("Requests for information under the Public Information Act follow a different regime."),
    N_("Submissions to institutions (Latvia, until 28.02.2026)"),
    N_("Iesniegumu likums (Law on Submissions, 2007)"),
    N_("Section 5"),
    N_("For objective reasons, notifying the applicant; not longer than four months from receipt."),
    N_("Submissions to institutions (Latvia, from 01.03.2026)"),
    N_(
        "Iesniegumu likums (Law on Submissions), as amended in final reading 05.02.2026, in force 01.03.2026"
    ),
    N_("Additional information, other institutions or a large-volume analysis are needed."),
    N_(
        "Whether the four-month extension survives the amendments in force from 01.03.2026 is UNVERIFIED."
    ),
    N_(
        "Submissions sent to the wrong institution are forwarded within 5 working days (7 before 01.03.2026)."
    ),
    N_("Requests to public administration bodies (Lithuania)"),
    N_(
        "Law on Public Administration of 17.06.1999 No. VIII-1234; Government Resolution No. 875 of 22.08.2007 (as amended by Resolution No. 1014 of 01.12.2021)"
    ),
    N_("Art. 14; Resolution No. 875"),
    N_("The extension for plain requests is UNVERIFIED."),
    N_("Complaints in the administrative procedure (Lithuania)"),
    N_("Law on Public Administration of 17.06.1999 No. VIII-1234"),
    N_("Art. 14, Chapter III"),
    N_("The applicant is notified in writing of the extension within 2 working days."),
    N_("Art. 14"),
    N_("For complaints the term runs from the start of the administrative procedure."),
    N_("Correspondence to UK government departments (guidance target, not law)"),
    N_("No statutory term. Cabinet Office «Guide to Handling Correspondence» (July 2021)"),
    N_("The clock starts the day after the correspondence was received (Day 1)."),
    N_("Instead of an extension, a holding reply explaining the delay is expected."),
    N_("A foreign embassy in London is not bound by UK administrative rules."),
    N_("Petitions (Germany)"),
    N_("Basic Law (Grundgesetz)"),
    N_("Art. 17 GG; for the Bundestag also Art. 45c GG, PetG, GO-BT §§ 108–112"),
    N_(
        "The petitioner is entitled to receipt, examination and an answer showing how the petition was handled; no statutory response deadline was found."
    ),
    N_("Letters to Swedish authorities"),
    N_("Förvaltningslagen (2017:900)"),
    N_("§§ 9, 11, 12"),
    N_(
        "Cases must be handled as quickly as possible (§ 9), and the party must be told if the decision will be significantly delayed (§ 11)."
    ),
    N_(
        "Only for a case started by a party: after 6 months the party may demand a decision in writing, and the authority must then decide within 4 weeks (§ 12). A protest or opinion letter is normally not such a case."
    ),
    N_("Letters and petitions to US authorities"),
    N_("No statutory term; the First Amendment petition clause creates no duty to respond"),
    N_("Minnesota State Bd. for Community Colleges v. Knight, 465 U.S. 271 (1984)"),
    N_("Letters to Canadian authorities"),
    N_("No statutory term for letters"),
    N_("Government response to a petition presented in the House of Commons (Canada)"),
    N_("Standing Orders of the House of Commons"),
    N_("SO 36(8)"),
    N_("Failure to respond is referred to a committee."),
    N_("Petitions must be presented by a Member of Parliament."),
    N_("Letters to Australian authorities"),
    N_("Ministerial response to a petition presented in the House of Representatives (Australia)"),
    N_("Standing Orders of the House of Representatives"),
    N_("SO 209(b)"),
    N_(
        "The standing order says «within 90 days of presentation» without calling them calendar or working days; calendar days are assumed."
    ),
    N_("The Minister is «expected to respond» within 90 days of presentation."),
    N_("Referral of a petition to a Minister requires at least 50 signatures."),
    N_("Right of petition (Spain)"),
    N_("Ley Orgánica 4/2001 reguladora del Derecho de Petición"),
    N_("Arts. 9, 11, 12"),
    N_(
        "A decision that the petition is inadmissible is notified within 45 working days (días hábiles) after submission."
    ),
    N_("Silence means rejection; failure to answer can be challenged in court (Art. 12)."),
    N_("Working days depend on the region: give the subdivision where the authority sits."),
    N_("Petitions (Romania)"),
    N_("Government Ordinance 27/2002 (approved by Law 233/2002; Art. 9 amended by Law 31/2018)"),
    N_("With prior notice to the petitioner."),
    N_("Energy and natural gas matters only, with prior notice to the petitioner."),
    N_("Art. 9"),
    N_("Whether foreigners are covered is UNVERIFIED (the ordinance speaks of «cetățeni»)."),
    N_("Organisations may petition on behalf of the groups they represent (Art. 1(2))."),
    N_("Petitions to the European Parliament"),
    N_("Art. 227 TFEU; Art. 44 of the Charter of Fundamental Rights"),
    N_(
        "Working days for a coordinator target skip weekends only: the holidays package has no calendar for the EU."
    ),
    N_("Communications to UN special procedures"),
    N_("Human Rights Council special procedures communications"),
    N_("The decision to intervene is at the discretion of the mandate-holder."),
    N_(
        "Working days for a coordinator target skip weekends only: there is no holiday calendar for the UN here."
    ),
)
