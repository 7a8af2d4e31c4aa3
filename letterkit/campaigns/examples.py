"""The two campaigns of the seeds, as examples a new group can load in one click.

- 1 December 2011: INPUD's letter with six demands, handed in at the Russian missions in London,
  Stockholm, Berlin, Bucharest, New York, Canberra, Barcelona and Toronto.
- 26 June 2019, "Support. Don't Punish": the common demands taken to the ministries of health of
  nine countries of Eastern Europe and Central Asia, each letter in that country's letter language.

The letters are made as drafts: nothing is claimed about when or how they were handed over.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from letterkit.extensions import db
from letterkit.models import Group, Membership, User
from letterkit.models.campaigns import Campaign
from letterkit.services.catalogue import group_catalogue

from . import operations as ops

EXAMPLES = [
    {
        "name": "World AIDS Day protest at Russian embassies, 1 December 2011",
        "template": "embassy-letter",
        "action_date": date(2011, 12, 1),
        "demand_set": "inpud-2011-russia",
        "targets": [
            "ru-embassy-london",
            "ru-embassy-stockholm",
            "ru-embassy-berlin",
            "ru-embassy-bucharest",
            "ru-consulate-general-new-york",
            "ru-embassy-canberra",
            "ru-consulate-general-barcelona",
            "ru-consulate-general-toronto",
        ],
        "fields": {
            "en": {
                "subject": "Harm reduction, HIV and the human rights of people who use drugs "
                "in the Russian Federation",
                "government": "the Government of the Russian Federation",
                "occasion": "on World AIDS Day, 1 December 2011",
            },
        },
    },
    {
        "name": "Support. Don't Punish: 26 June 2019",
        "template": "appeal",
        "action_date": date(2019, 6, 26),
        "demand_set": "sdp-2019-common",
        "targets": [
            "by-minzdrav",
            "uz-minzdrav",
            "lt-ministry-health",
            "md-ministry-health",
            "kz-minzdrav",
            "ee-ministry-social-affairs",
            "ge-ministry-health",
            "kg-minzdrav",
            "ua-moz",
        ],
        "fields": {
            "en": {
                "subject": "Humane drug policy and the health of people who use drugs",
                "campaign": "Support. Don't Punish",
            },
            "ru": {
                "subject": "О гуманизации наркополитики и защите здоровья людей, "
                "употребляющих наркотики",
                "campaign": "Поддержка, а не наказание",
            },
            "uk": {
                "subject": "Щодо гуманізації наркополітики та захисту здоров'я людей, "
                "які вживають наркотики",
                "campaign": "Підтримай. Не карай",
            },
            # Draft translations by the developers, not yet reviewed by a native speaker.
            "kk": {
                "subject": "Есірткі саясатын ізгілендіру және есірткі тұтынатын адамдардың "
                "денсаулығын қорғау туралы",
                "campaign": "Қолдау, жазалау емес",
            },
            "ky": {
                "subject": "Баңги саясатын гумандаштыруу жана баңги заттарды колдонгон "
                "адамдардын ден соолугун коргоо жөнүндө",
                "campaign": "Колдоо, жазалоо эмес",
            },
            "uz": {
                "subject": "Giyohvand moddalar siyosatini insonparvarlashtirish va giyohvand "
                "moddalarni isteʼmol qiladigan odamlarning sogʻligʻini himoya qilish toʻgʻrisida",
                "campaign": "Qoʻllab-quvvatlash, jazolash emas",
            },
            "be": {
                "subject": "Аб гуманізацыі наркапалітыкі і абароне здароўя людзей, якія "
                "ўжываюць наркотыкі",
                "campaign": "Падтрымка, а не пакаранне",
            },
            "ka": {
                "subject": "ნარკოპოლიტიკის ჰუმანიზაციისა და ნარკოტიკების მომხმარებელი "
                "ადამიანების ჯანმრთელობის დაცვის შესახებ",
                "campaign": "მხარი დაუჭირე, ნუ დასჯი",
            },
            "hy": {
                "subject": "Թմրամիջոցների քաղաքականության մարդասիրականացման և թմրամիջոցներ "
                "օգտագործող մարդկանց առողջության պաշտպանության մասին",
                "campaign": "Աջակցի՛ր, մի՛ պատժիր",
            },
            "ro": {
                "subject": "Cu privire la umanizarea politicii în domeniul drogurilor și "
                "protecția sănătății persoanelor care consumă droguri",
                "campaign": "Sprijină. Nu pedepsi",
            },
            "lt": {
                "subject": "Dėl humaniškos narkotikų politikos ir narkotikus vartojančių žmonių "
                "sveikatos apsaugos",
                "campaign": "Palaikyk. Nebausk",
            },
            "lv": {
                "subject": "Par humānu narkotiku politiku un narkotikas lietojošu cilvēku "
                "veselības aizsardzību",
                "campaign": "Atbalsti. Nesodi",
            },
            "et": {
                "subject": "Humaanne narkopoliitika ja narkootikume tarvitavate inimeste tervise "
                "kaitse",
                "campaign": "Toeta. Ära karista",
            },
            "az": {
                "subject": "Narkotik siyasətinin humanistləşdirilməsi və narkotik istifadə edən "
                "insanların sağlamlığının qorunması haqqında",
                "campaign": "Dəstək ol, cəzalandırma",
            },
        },
    },
]


def load_examples(group: Group, actor: User) -> list[Campaign]:
    """Create the example campaigns in ``group`` with draft letters (skipped if already there)."""
    catalogue = group_catalogue(group.id)
    made = []
    for example in EXAMPLES:
        exists = db.session.scalar(
            sa.select(
                sa.exists().where(Campaign.group_id == group.id, Campaign.name == example["name"])
            )
        )
        if exists:
            continue
        campaign = ops.create_campaign(
            group,
            actor,
            name=example["name"],
            template=example["template"],
            action_date=example["action_date"],
            demand_slugs=list(catalogue.demand_set(example["demand_set"]).slugs),
        )
        ops.add_targets(campaign, group, actor, example["targets"])
        for language in ops.languages_of(campaign):
            ops.set_fields(campaign, group, actor, language, example["fields"][language])
        ops.generate_letters(campaign, group, actor)
        made.append(campaign)
    return made


def on_group_set_up(sender: object, *, membership: Membership, with_examples: bool) -> None:
    """Load the examples into a new installation's first group when its coordinator asked."""
    if with_examples:
        load_examples(membership.group, membership.user)
