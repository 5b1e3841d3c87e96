"""Fictional texts for demo data, per language group and class. Every name, number and place is invented.

The texts exist so that a reviewer opening a demo case sees something plausible; demo scores come from the
seeder's plan, not from these words. Slots: {name} {place} {phone} {amount} {handle}.
"""

from __future__ import annotations

import random

NAMES: tuple[str, ...] = ("Karim", "Yasmine", "Sami", "Nour", "Omar", "Lina", "Walid", "Rania", "Tarek", "Maya")
NAMES_AR: tuple[str, ...] = ("كريم", "ياسمين", "سامي", "نور", "عمر", "لينا", "وليد", "رانيا", "طارق", "مايا")
PLACES: tuple[str, ...] = ("Garden Street", "the old market", "Café Zahra", "the sports club", "Rue des Oliviers")
PLACES_AR: tuple[str, ...] = ("شارع الحديقة", "السوق القديم", "مقهى زهرة", "النادي الرياضي", "حي الزيتون")

# Arabic-script text by variety: a dialect phrase makes the variety visible to a human reader.
DIALECT: dict[str, str] = {
    "msa": "",
    "egy": "بص يا جماعة، ",
    "lev": "شو يا شباب، ",
    "glf": "شلون الربع، ",
    "irq": "شكو ماكو يا جماعة، ",
    "mag": "واش كاين، ",
}

TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {
        "benign": (
            "أنا مثلي وفخور بنفسي، وأخيرًا قلتها لأصدقائي المقربين",
            "ندعو إلى احترام حقوق الجميع مهما كانت ميولهم، الكرامة للجميع",
            "هل يعرف أحد مقهى هادئًا قرب {place} للدراسة؟",
            "خبر: منظمة حقوقية تطلق خطًا لمساعدة ضحايا الابتزاز الإلكتروني",
        ),
        "harassment": (
            "الشواذ لا مكان لهم بيننا، يجب طردهم جميعًا",
            "{name} شاذ ومقرف، لا تتعاملوا معه",
        ),
        "outing": (
            "انتبهوا، {name} الذي يعمل في {place} مثلي، رأيته مع صديقه",
            "اعرفوا الحقيقة: {name} من حينا له علاقات مع رجال",
        ),
        "doxxing": (
            "هذا رقم {name} لمن يريد أن يلقنه درسًا: {phone}، يسكن قرب {place}",
            "عنوان {name} الحقيقي قرب {place} ورقمه {phone}، انشروا",
        ),
        "extortion": (
            "ادفع {amount} قبل الغد وإلا أرسلت صورك إلى أهلك وعملك",
            "عندي صورك، إن لم تحول المبلغ سأنشرها في كل مكان",
        ),
    },
    "ar-Latn": {
        "benign": (
            "ana mithli w mabsout, akhiran 2oltelhom la as7abi",
            "fi 7adan ya3ref café hadi 2orb {place}?",
            "kollna bnesta7a2 nfs el 7o2o2, respect lal kell",
        ),
        "harassment": ("{name} 5awal w ma bihemmo 7ada, ma t7ko ma3o", "hal nas lazem yenzaflo men hon"),
        "outing": (
            "{name} elli bychte8el b {place} mithli, chefto ma3 sa7bo",
            "{name} 3ando 3ala2at ma3 rjel, 5ebro el kell",
        ),
        "doxxing": ("hay ra2m {name}: {phone}, sakin 2orb {place}", "3enwan {name} 2orb {place} w ra2mo {phone}"),
        "extortion": ("7awel {amount} abel bokra aw bib3at sowarak la ahlak", "3andi sowarak, idfa3 aw bnacherhom"),
    },
    "fr": {
        "benign": (
            "Je suis gay et fier, j'ai enfin pu le dire à mes amis",
            "Soutien total aux associations qui défendent les droits LGBT au Maghreb",
            "Quelqu'un connaît un café calme près de {place} ?",
        ),
        "harassment": (
            "Ces gens-là n'ont rien à faire ici, dehors",
            "{name} est une honte, personne ne devrait lui parler",
        ),
        "outing": ("Attention, {name} qui travaille à {place} est homo, je l'ai vu avec son copain",
                   "Tout le monde doit savoir que {name} sort avec des hommes"),
        "doxxing": ("Voici le numéro de {name} : {phone}, il habite près de {place}",
                    "L'adresse de {name} près de {place} et son numéro {phone}, partagez"),
        "extortion": ("Paie {amount} avant demain ou j'envoie tes photos à ta famille",
                      "J'ai tes photos. Tu vires l'argent ou je les publie partout"),
    },
    "en": {
        "benign": (
            "I'm gay and proud, finally told my closest friends",
            "Solidarity with every queer person in the region, you are not alone",
            "Anyone know a quiet café near {place} to study?",
            "News: a rights group opens a helpline for victims of online blackmail",
        ),
        "harassment": (
            "People like that should be driven out of this city",
            "{name} is disgusting, nobody talk to him",
        ),
        "outing": ("Heads up, {name} who works at {place} is gay, saw him with his boyfriend",
                   "Everyone should know {name} from our area sleeps with men"),
        "doxxing": ("Here's {name}'s number if you want to teach him a lesson: {phone}, lives near {place}",
                    "{name}'s real address is near {place}, number {phone}, share it"),
        "extortion": ("Pay {amount} by tomorrow or your photos go to your family and your boss",
                      "I have your pictures. Send the money or I post them everywhere"),
    },
}

# Entrapment is a pattern in a conversation: x pushes, u hesitates.
CHATS: dict[str, tuple[tuple[str, str], ...]] = {
    "ar": (
        ("x", "مرحبا، صورتك حلوة، أنت من وين؟"),
        ("u", "أهلا، من هنا، وأنت؟"),
        ("x", "خلينا نتقابل الليلة في {place}، لا تتأخر"),
        ("u", "ممكن نتعرف أكثر أولاً؟"),
        ("x", "ابعت صورة وجهك وموقعك الحين، وقل لي صراحة إنك تحب الرجال"),
    ),
    "ar-Latn": (
        ("x", "ahla, sortak 7elwe, enta men wen?"),
        ("u", "ahla, men hon, w enta?"),
        ("x", "yalla netla2a el layle b {place}, ma tet2a5ar"),
        ("u", "mnet3aref aktar abel?"),
        ("x", "b3atli sourtak w location hala2, w 2olli enak bt7eb el rjel"),
    ),
    "fr": (
        ("x", "Salut, t'es mignon, tu habites où ?"),
        ("u", "Salut, pas loin, et toi ?"),
        ("x", "On se voit ce soir à {place}, viens seul"),
        ("u", "On peut discuter un peu avant ?"),
        ("x", "Envoie ta photo de visage et ta position maintenant, dis-moi que t'aimes les hommes"),
    ),
    "en": (
        ("x", "hey cutie, where are you based?"),
        ("u", "hi, around here, you?"),
        ("x", "let's meet tonight at {place}, come alone"),
        ("u", "can we chat a bit first?"),
        ("x", "send a face pic and your live location now, and tell me you're into men"),
    ),
}
BENIGN_CHATS: dict[str, tuple[tuple[str, str], ...]] = {
    "ar": (("x", "مرحبا، كيف كان يومك؟"), ("u", "تمام، وأنت؟"), ("x", "جيد، نكمل الحديث غدًا إن حبيت")),
    "ar-Latn": (("x", "ahla, kif kan nharak?"), ("u", "mni7, w enta?"), ("x", "tamem, mnkammel bokra iza baddak")),
    "fr": (("x", "Salut, ta journée ?"), ("u", "Bien et toi ?"), ("x", "Super, on continue demain si tu veux")),
    "en": (("x", "hi, how was your day?"), ("u", "good, you?"), ("x", "great, happy to keep chatting tomorrow")),
}


def _fill(template: str, rng: random.Random, arabic: bool) -> str:
    return template.format(
        name=rng.choice(NAMES_AR if arabic else NAMES),
        place=rng.choice(PLACES_AR if arabic else PLACES),
        phone=f"+000 555 {rng.randrange(1000, 9999)}",  # 000: no country uses it; never a real number
        amount=f"{rng.choice((200, 500, 1000, 3000))} $",
        handle=f"@demo_user{rng.randrange(100, 999)}",
    )


def text_for(lang: str, variety: str, label: str | None, rng: random.Random) -> str:
    """One fictional post for language group `lang` ("ar", "ar-Latn", "fr", "en") and class `label`."""
    group = TEXTS[lang]
    template = rng.choice(group[label or "benign"])
    body = _fill(template, rng, lang == "ar")
    return DIALECT.get(variety, "") + body if lang == "ar" else body


def chat_for(lang: str, threatening: bool, rng: random.Random) -> list[dict[str, str]]:
    lines = (CHATS if threatening else BENIGN_CHATS)[lang]
    return [{"from": who, "text": _fill(text, rng, lang == "ar")} for who, text in lines]
