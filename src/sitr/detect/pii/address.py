"""Street addresses and landmark directions in Arabic, Arabizi, French and English.

An address is a chain of components found by keyword: a street with its name or number, a building with its
number, a floor, a flat, a neighbourhood, a "number 17" continuation, or a landmark direction ("behind the X
mosque", "قدام الجامع", "en face de la poste"). Components closer than a few characters merge into one span.
A chain is reported when it holds a strong component (named street, numbered building, landmark) or two
components: "الدور الرابع" alone, or "I live near the sea" (no landmark noun), are not addresses.
Keyword patterns run on the match text (lowercased, Arabic letters folded); name tails read the view text,
where capitals still tell a French or English street name from an ordinary word.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from sitr.detect.pii.context import Anchored, Context, Gates, Hit

_AR = "\u0621-\u064a"
_NAW = rf"(?<![{_AR}])"  # no Arabic letter before
_EAW = rf"(?![{_AR}])"  # no Arabic letter after
_CL = "[وبفلك]{0,2}"  # Arabic clitics glued in front

_AR_ORD = (
    r"(?:الاول|الاولاني|الثاني|التاني|الثالث|التالت|الرابع|الخامس|السادس|الساتت|السابع|الثامن|التامن|التاسع"
    r"|العاشر|الارضي|الاخير|الاعلي|\d{1,2})"
)
_AR_LANDMARKS = (
    r"جامع|مسجد|صيدليه|فرن|مخبز|مخبزه|مدرسه|بنك|محطه|مترو|سوق|كنيسه|مستشفي|بريد|بوسطه|حمام|سوبرماركت"
    r"|سوبر ماركت|ماركت|كارفور|مول|بلديه|كافيه|قهوه|مقهي|حديقه|جنينه|دوار|ميدان|ساحه|نادي|جيم|مطعم|فندق"
    r"|كليه|جامعه|كشك|محل|دكان|حانوت|بقاله|مركز|قسم|مخفر|سينما|بنزينه|كوبري|جسر|مدخل|مخرج|بوابه|عياده"
    r"|مصنع|سفاره|كراج|جراج|صالون|مكتبه|ثانويه|اعداديه|كنيس|فيلا|عماره|برج"
)
_AR_PREP = (
    r"بجانب|جانب|جنب|بجنب|جمب|قدام|ورا|وراء|خلف|مقابل|المقابل|المقابله|قبال|قباله|مفرق|قرب|بقرب|جوار|بجوار"
    r"|حدا|لزق|ملاصق"
)

_FR_LANDMARKS = (
    r"mosquée|mosquee|pharmacie|boulangerie|école|ecole|lycée|lycee|poste|banque|gare|station|marché|marche"
    r"|église|eglise|hôpital|hopital|clinique|hammam|café|cafe|restaurant|supermarché|supermarche|carrefour"
    r"|centre commercial|stade|parc|jardin|mairie|commissariat|cinéma|cinema|hôtel|hotel|pont|rond-point"
    r"|fac|faculté|faculte|université|universite|épicerie|epicerie|boutique|kiosque|station-service"
    r"|ambassade|tribunal|caserne|souk|marjane|monoprix|aziza|magasin|salle de sport|médina|medina"
)
_EN_LANDMARKS = (
    r"mosque|masjid|pharmacy|bakery|school|church|hospital|clinic|bank|station|metro|mall|supermarket|market"
    r"|souk|cafe|café|coffee shop|restaurant|gym|post office|hotel|roundabout|bridge|park|cinema|university"
    r"|college|embassy|police station|gas station|petrol station|shop|store|kiosk|salon|barber|barbershop"
    r"|butcher|office|tower|gate|square|spinneys|carrefour|lulu|starbucks|mcdonald's|pharmacie|dispensary"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class _Part(NamedTuple):
    start: int
    end: int
    kind: str
    strong: bool


# ----- heads found on the match text; a tail walker completes the ones that need a name -----

_AR_STREET = re.compile(rf"{_NAW}{_CL}(?P<h>(?P<kw>شارع|نهج|زنقه|جاده|طريق|زقاق|اوتوستراد|الشارع)){_EAW} ")
_AR_BUILDING_NUM = re.compile(
    rf"{_NAW}{_CL}(?P<h>(?:عماره|العماره|برج|بنايه|البنايه|مبني|المبني|بلوك|قطعه|فيلا|منزل|بيت|مجمع|بلوكه)"
    rf" (?:رقم |ر\. ?)?\d{{1,4}})(?!\d)"
)
_AR_BUILDING_NAME = re.compile(rf"{_NAW}{_CL}(?P<h>عماره|العماره|بنايه|البنايه|مبني|المبني) (?=ال)")
_AR_BUILDING_BARE = re.compile(rf"{_NAW}{_CL}(?P<h>العماره|البنايه|البيت|المبني){_EAW}")
_AR_FLOOR = re.compile(rf"{_NAW}{_CL}(?P<h>(?:الدور|الطابق|دور|طابق) {_AR_ORD}){_EAW}(?!\d)")
_AR_FLAT = re.compile(rf"{_NAW}{_CL}(?P<h>(?:شقه|الشقه) (?:رقم )?{_AR_ORD}){_EAW}(?!\d)")
_AR_HOOD = re.compile(rf"{_NAW}{_CL}(?P<h>(?:حي|منطقه|حاره|مربع) (?:ال[{_AR}]{{2,15}}|\d{{1,3}}(?!\d)))")
_AR_CONT = re.compile(rf"{_NAW}(?P<h>(?:رقم|عدد|ر\.) ?\d{{1,4}})(?!\d)")
_AR_LANDMARK = re.compile(rf"{_NAW}(?:ع |على |علي )?(?P<h>(?:{_AR_PREP}) ?(?:ل|ال|لل)?(?:{_AR_LANDMARKS})){_EAW}")

_LAT_STREET = re.compile(
    r"(?<![\w-])(?:rue|avenue|av\.|bd|boulevard|impasse|allée|allee|route|chemin|quai|cité|cite|résidence"
    r"|residence|lotissement|hay|derb|zenqa|zanqa|nahj|share3|shari3|chare3|shar3|char3|zan9a|tariq) "
)
_LAT_BUILDING_NAME = re.compile(r"(?<![\w-])(?:immeuble|imm\.|bâtiment|batiment|bat\.|bât\.|résidence|villa) ")
_LAT_BUILDING_NUM = re.compile(
    r"(?<![\w-])(?:building|bldg|tower|villa|block|blk|compound|house|plot|bloc|immeuble|imm\.|bâtiment"
    r"|batiment|3emaret|3emara|3imara|3imaret|3mara|3omara|3marat|borj|bnaya|binaya|mabna)\.? ?"
    r"(?:no\.? ?|n° ?|number |# ?|ra2m ?|raqam ?)?\d{1,4}[a-z]?(?![\w-])"
)
_EN_STREET_AFTER = re.compile(r"(?<![\w-])(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|highway|hwy)\b\.?")
_EN_STREET_NUM = re.compile(r"(?<![\w-])(?:street|st|road|rd|share3|shari3)\.? ?(?:no\.? ?|# ?)?\d{1,4}(?![\d\w])")
_LAT_FLOOR = re.compile(
    r"(?<![\w-])(?:\d{1,2} ?(?:e|è|ème|eme|er|ère|ere|re) ?(?:étage|etage)|(?:étage|etage) ?\d{1,2}"
    r"|rez[- ]de[- ]chauss[ée]e|(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|top|ground) (?:floor|fl\.?)|floor \d{1,2}"
    r"|(?:el ?|al ?|fel ?|fi el ?)?(?:dor|door|tabe2|tabi2|tab2|ta2) (?:el ?|al ?|e)?(?:awal|awwal|tani|tany"
    r"|thani|talet|talt|tales|thaleth|rabe3|rab3|khames|sades|\d{1,2}))(?![\w-])"
)
_LAT_FLAT = re.compile(
    r"(?<![\w-])(?:appartement|appart|app\.|apt|apartment|flat|unit|suite|porte|sha2a|cha9a|shaqa)\.? ?"
    r"(?:no\.? ?|n° ?|# ?|numéro ?)?\d{1,4}[a-z]?(?![\w-])"
)
_LAT_CONT = re.compile(r"(?<![\w-])(?:n°|no\.|numéro|numero|num\.?|numrou|noumrou|raqm|ra9m|ra2m) ?\d{1,4}(?![\d\w])")
_LAT_SHORT_FLOOR = re.compile(r"(?<![\w-])\d{1,2}(?:e|ème|eme|th)(?![\w-])")
_FR_LANDMARK = re.compile(
    r"(?<![\w-])(?:(?:juste )?(?:près|pres|à côté|a côté|à cote|a cote|en face|au coin)"
    r" (?:d'|de l'|de la |des |du |de )"
    r"|derrière (?:la |le |l'|les )?|derriere (?:la |le |l'|les )?|devant (?:la |le |l'|les ))"
    r"(?:" + _FR_LANDMARKS + r")(?![\w-])"
)
_EN_LANDMARK = re.compile(
    r"(?<![\w-])(?:next to|behind|opposite|in front of|across from|across the street from|near|beside"
    r"|close to|right by|around the corner from|facing) (?:the )?(?P<cap>(?:[a-z0-9'’-]+ ){0,3}?)"
    r"(?:" + _EN_LANDMARKS + r")(?![\w-])"
)
_AZ_LANDMARK = re.compile(
    r"(?<![\w-])(?:ganb|gamb|janb|jamb|jnb|2odam|odam|9odam|9oddam|9dam|wara|wra|khalf|2osad|osad|mo2abel"
    r"|m9abel|9bel|orb|2orb|9rib men|9rib|2areeb men|jeneb|7ad) (?:el ?|al ?|l)?(?:gam3|game3|gama3|jame3"
    r"|jama3|masjed|masjid|saydaliya|saydalia|sydalia|pharmacie|pharmacy|forn|ferran|madrasa|souk|suq|sou9"
    r"|banque|bank|metro|ma7atta|ma7ata|kanisa|kniset|mostashfa|sbitar|café|cafe|2ahwa|ahwa|9ahwa|hammam"
    r"|7ammam|mall|carrefour|marjane|monoprix|lycée|lycee|fac|jami3a)(?![\w-])"
)

_AR_STOP = _words(
    "اللي الي التي الذي في فى من على علي عن الي مع و هو هي هذا هذه هاد هادا هادي ده دي دا كل يا انا انت بس"
    " عشان لان كان كانت يوم امبارح اليوم بكره ما مش لا كمان برضه ايضا او ثم بعد قبل عند لما اذا لو زي مثل"
    " قرب جنب قدام ورا خلف مقابل بجانب الدور الطابق عماره شقه برج رقم عدد وهذا وهاد وده وهيدا هيدا هيك"
    " كده كدا والله يعني الحين هلا هلق دلوقتي الان وين فين الساعه الليله الصبح الظهر العصر المغرب العشا"
    " بالليل النهارده بكرا الجمعه السبت الاحد الاثنين الثلاثاء الاربعاء الخميس بالسياره"
)
_AR_CONNECTORS = _words("ابن بن ابو ولد عبد بنت ام سيدي مولاي بو ال")
_LAT_CONNECTORS = _words(
    "de du des la le l' d' el al ibn ben bin ould abou abu bou sidi moulay lalla el- al- of bab ain"
)
_LAT_SKIP_HEAD = _words("the on in at from to near a an and or my his her their our your this that")
_LAT_TOKEN = re.compile(r"[\w'’°-]+")
_AR_TOKEN = re.compile(rf"[{_AR}]+|\d+")


def _ar_tail(ctx: Context, pos: int, need_number: bool, max_tokens: int = 3) -> int | None:
    """End of an Arabic street name starting at `pos` (1-3 tokens), or None if there is no name."""
    end = None
    prev_digit = False
    prev_connector = False
    i = pos
    for n in range(max_tokens):
        m = _AR_TOKEN.match(ctx.mtext, i)
        if m is None:
            break
        tok = m.group()
        digit = tok.isdigit()
        if n == 0:
            if (need_number and not digit) or tok in _AR_STOP or (not digit and len(tok) < 2):
                return None
        elif tok in _AR_STOP or not (
            digit or tok.startswith("ال") or prev_connector or prev_digit or tok in _AR_CONNECTORS
        ):
            break
        end = m.end()
        prev_digit, prev_connector = digit, tok in _AR_CONNECTORS
        if ctx.mtext[end : end + 1] != " ":
            break
        i = end + 1
    return end


def _is_cap(word: str) -> bool:
    w = word
    for prefix in ("l'", "d'", "l’", "d’", "L'", "D'"):
        if w.startswith(prefix) and len(w) > 2:
            w = w[2:]
    return w[:1].isupper()


def _lat_tail(ctx: Context, pos: int, max_tokens: int = 4) -> int | None:
    """End of a Latin-script name (capitalised words, numbers, de/el/ibn ...) from `pos`, or None."""
    end = None
    i = pos
    for _ in range(max_tokens):
        m = _LAT_TOKEN.match(ctx.text, i)
        if m is None:
            break
        word = m.group()
        if word.isdigit() or _is_cap(word):
            end = m.end()
        elif word.lower() not in _LAT_CONNECTORS:
            break
        if ctx.text[m.end() : m.end() + 1] != " ":
            break
        i = m.end() + 1
    return end


def _lat_head(ctx: Context, pos: int) -> int | None:
    """Start of a capitalised name (up to 4 words, numbers allowed) ending just before `pos`, or None."""
    start = None
    i = pos
    for _ in range(4):
        if i < 2 or ctx.text[i - 1] != " ":
            break
        j = i - 1
        while j > 0 and (ctx.text[j - 1].isalnum() or ctx.text[j - 1] in "'’-"):
            j -= 1
        word = ctx.text[j : i - 1]
        if not word or word.lower() in _LAT_SKIP_HEAD:
            break
        if word.isdigit() or _is_cap(word):
            start = j
        elif word.lower() not in _LAT_CONNECTORS:
            break
        i = j
    return start


# Cheap substring gates: a pattern runs only when one of its keywords occurs in the match text at all.
_K_AR_STREET = ("شارع", "نهج", "زنقه", "جاده", "طريق", "زقاق", "اوتوستراد")
_K_AR_BUILDING = ("عماره", "برج", "بنايه", "مبني", "بلوك", "قطعه", "فيلا", "منزل", "بيت", "مجمع")
_K_AR_WEAK = ("دور", "طابق", "شقه", "حي ", "منطقه", "حاره", "مربع", "رقم", "عدد", "ر.", "العماره", "البيت")
_K_AR_PREP = tuple(_AR_PREP.split("|"))
_K_LAT_STREET = (
    "rue", "av", "bd", "boulevard", "impasse", "allée", "allee", "route", "chemin", "quai", "cit", "sidence",
    "lotissement", "hay", "derb", "zenqa", "zanqa", "nahj", "share3", "shari3", "chare3", "shar3", "char3",
    "zan9a", "tariq",
)  # fmt: skip
_K_LAT_BUILDING = ("imm", "timent", "bat.", "bât.", "sidence", "villa")
_K_EN_STREET = ("street", "st", "road", "rd", "ave", "blvd", "lane", "highway", "hwy")
_K_LANDMARK = (
    "près", "pres", "côté", "cote", "coté", "en face", "au coin", "derri", "devant", "ganb", "gamb", "janb",
    "jamb", "jnb", "odam", "9dam", "wara", "wra", "khalf", "osad", "abel", "9bel", "orb", "9rib", "areeb",
    "jeneb", "7ad", "next to", "behind", "opposite", "front of", "across", "near", "beside", "close to",
    "right by", "corner", "facing",
)  # fmt: skip


_GATES = Gates(
    {
        "ar_street": _K_AR_STREET, "ar_building": _K_AR_BUILDING, "ar_weak": _K_AR_WEAK, "ar_prep": _K_AR_PREP,
        "lat_street": _K_LAT_STREET, "lat_building": _K_LAT_BUILDING, "en_street": _K_EN_STREET,
        "landmark": _K_LANDMARK,
        "building_num": ("build", "bldg", "tower", "villa", "block", "blk", "compound", "house", "plot", "bloc",
                         "imm", "timent", "3emar", "3imar", "3mar", "3omar", "borj", "bnaya", "binaya", "mabna"),
        "street_num": ("street", "st", "road", "rd", "share3", "shari3"),
        "floor": ("tage", "chauss", "floor", "fl.", "dor", "door", "tab", "ta2"),
        "flat": ("app", "apt", "flat", "unit", "suite", "porte", "sha2a", "cha9a", "shaqa"),
        "number": ("n°", "no.", "num", "noumrou", "raqm", "ra9m", "ra2m"),
    }
)  # fmt: skip
# The patterns whose gates open often ("st" in "just", "unit" in "community") are tried only where one of
# their literal heads occurs (see Anchored): every alternative of each pattern starts with one of these heads,
# or, for the Arabic ones, with at most two clitics [وبفلك] before one.
_EN_STREET_AFTER_AT = Anchored(
    _EN_STREET_AFTER, ("st", "road", "rd", "ave", "boulevard", "blvd", "lane", "highway", "hwy")
)
_EN_STREET_NUM_AT = Anchored(_EN_STREET_NUM, ("st", "road", "rd", "shar"))
_LAT_FLAT_AT = Anchored(
    _LAT_FLAT, ("app", "apt", "apartment", "flat", "unit", "suite", "porte", "sha2a", "cha9a", "shaqa")
)
_LAT_CONT_AT = Anchored(_LAT_CONT, ("n°", "no.", "num", "noumrou", "raqm", "ra9m", "ra2m"))
_AR_WEAK: tuple[tuple[Anchored, str], ...] = (
    (Anchored(_AR_FLOOR, ("الدور", "الطابق", "دور", "طابق"), back=2), "floor"),
    (Anchored(_AR_FLAT, ("شقه", "الشقه"), back=2), "flat"),
    (Anchored(_AR_HOOD, ("حي", "منطقه", "حاره", "مربع"), back=2), "area"),
    (Anchored(_AR_CONT, ("رقم", "عدد", "ر.")), "number"),
    (Anchored(_AR_BUILDING_BARE, ("العماره", "البنايه", "البيت", "المبني"), back=2), "building"),
)
_DIGIT_PATTERNS: tuple[tuple[re.Pattern[str] | Anchored, str, bool, str], ...] = (
    (_LAT_BUILDING_NUM, "building", True, "building_num"),
    (_EN_STREET_NUM_AT, "street", True, "street_num"),
    (_LAT_FLOOR, "floor", False, "floor"),
    (_LAT_FLAT_AT, "flat", False, "flat"),
    (_LAT_CONT_AT, "number", False, "number"),
)


def _parts(ctx: Context) -> list[_Part]:
    parts: list[_Part] = []
    gates = _GATES.open(ctx)
    if not gates and not ctx.has_digit:
        return parts
    if ctx.has_arabic:
        _arabic_parts(ctx, parts, gates)
    _latin_parts(ctx, parts, gates)
    return parts


def _arabic_parts(ctx: Context, parts: list[_Part], gates: AbstractSet[str]) -> None:
    mt = ctx.mtext
    add = parts.append
    if "ar_street" in gates:
        for m in _AR_STREET.finditer(mt):
            if m.group("kw") == "طريق" and mt[max(0, m.start() - 3) : m.start()] == "عن ":
                continue  # "عن طريق" = "by way of"
            prefix = mt[m.start() : m.start("kw")]
            definite = m.group("kw") == "الشارع" or prefix.endswith("لل")  # "the street": needs a number
            end = _ar_tail(ctx, m.end(), need_number=definite)
            if end is not None:
                add(_Part(m.start("h"), end, "street", True))
    if "ar_building" in gates:
        for m in _AR_BUILDING_NUM.finditer(mt):
            add(_Part(m.start("h"), m.end(), "building", True))
        for m in _AR_BUILDING_NAME.finditer(mt):
            end = _ar_tail(ctx, m.end(), need_number=False)
            if end is not None and _AR_PREP_START.match(mt, m.end()) is None:
                add(_Part(m.start("h"), end, "building", True))
    if "ar_weak" in gates:
        for anchored, kind in _AR_WEAK:
            parts.extend(_Part(m.start("h"), m.end("h"), kind, False) for m in anchored.finditer(ctx))
    if "ar_prep" in gates:
        for m in _AR_LANDMARK.finditer(mt):
            named = mt[m.end() : m.end() + 3] == " ال"
            end = _ar_tail(ctx, m.end() + 1, need_number=False, max_tokens=2) if named else None
            add(_Part(m.start("h"), end if end is not None else m.end(), "landmark", True))


def _latin_parts(ctx: Context, parts: list[_Part], gates: AbstractSet[str]) -> None:
    mt = ctx.mtext
    add = parts.append
    if "lat_street" in gates:
        for m in _LAT_STREET.finditer(mt):
            end = _lat_tail(ctx, m.end())
            if end is not None:
                start = m.start()
                num = _HOUSE_NUMBER.search(mt, max(0, start - 10), start)
                add(_Part(num.start() if num else start, end, "street", True))
    if "lat_building" in gates:
        for m in _LAT_BUILDING_NAME.finditer(mt):
            end = _lat_tail(ctx, m.end(), 3)
            if end is not None:
                add(_Part(m.start(), end, "building", True))
    if "en_street" in gates:
        for m in _EN_STREET_AFTER_AT.finditer(ctx):
            head = _lat_head(ctx, m.start())
            if head is not None:
                add(_Part(head, m.end(), "street", True))
    if ctx.has_digit:
        for pattern, kind, strong, gate in _DIGIT_PATTERNS:
            if gate in gates:
                found = pattern.finditer(ctx) if isinstance(pattern, Anchored) else pattern.finditer(mt)
                parts.extend(_Part(m.start(), m.end(), kind, strong) for m in found)
        if parts:  # "5e", "6th": a floor only next to another component
            parts.extend(_Part(m.start(), m.end(), "floor", False) for m in _LAT_SHORT_FLOOR.finditer(mt))
    if "landmark" not in gates:
        return
    for pattern in (_FR_LANDMARK, _AZ_LANDMARK):
        for m in pattern.finditer(mt):
            end = _lat_tail(ctx, m.end() + 1, 3) if mt[m.end() : m.end() + 1] == " " else None
            add(_Part(m.start(), end or m.end(), "landmark", True))
    for m in _EN_LANDMARK.finditer(mt):
        cap = m.group("cap")
        if cap and not all(_is_cap(w) or w.isdigit() for w in ctx.text[m.start("cap") : m.end("cap")].split()):
            continue  # "near the old school": only capitalised names may stand before the landmark noun
        end = _lat_tail(ctx, m.end() + 1, 3) if mt[m.end() : m.end() + 1] == " " else None
        add(_Part(m.start(), end or m.end(), "landmark", True))


_HOUSE_NUMBER = re.compile(r"(?:^|(?<=\s))\d{1,4}(?: ?(?:bis|ter))? (?=$)")
_AR_PREP_START = re.compile(rf"(?:{_AR_PREP})")
_GAP_OK = re.compile(r"[\s,،:\-–/]*(?:(?:at|on|in|à|au|en|fi|fel|f|b|في|ب|de|du|el|the|w|و)[\s,،]+)?[\s,،:\-–/]*")


def find_addresses(ctx: Context) -> list[Hit]:
    parts = sorted(_parts(ctx), key=lambda p: (p.start, -p.end))
    hits: list[Hit] = []
    chain: list[_Part] = []
    chain_end = -1
    for part in parts:
        if chain and _joins(ctx, chain_end, part):
            chain.append(part)
            chain_end = max(chain_end, part.end)
            continue
        if chain:
            hits.extend(_emit(chain))
        chain = [part]
        chain_end = part.end
    if chain:
        hits.extend(_emit(chain))
    return hits


def _joins(ctx: Context, chain_end: int, part: _Part) -> bool:
    if part.start <= chain_end:
        return True
    gap = ctx.mtext[chain_end : part.start]
    return len(gap) <= 14 and _GAP_OK.fullmatch(gap) is not None


def _emit(chain: list[_Part]) -> list[Hit]:
    strong = [p for p in chain if p.strong]
    kinds = {p.kind for p in chain}
    if not strong and len(kinds) < 2:
        return []
    start = min(p.start for p in chain)
    end = max(p.end for p in chain)
    lone_landmark = len(chain) == 1 and chain[0].kind == "landmark"
    detail = (strong[0] if strong else chain[0]).kind
    return [Hit("pii:address", start, end, detail, 0.8 if lone_landmark else 1.0)]
