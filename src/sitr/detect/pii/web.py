"""E-mail addresses, URLs, social handles and profile links.

Anchored on rare characters ("@", "://", "www.", a known top-level domain) with bounded quantifiers, so a
hostile 64 KiB text costs linear time. A profile link (instagram.com/name) is reported as a handle with its
platform, a maps link as a location (gps), a wa.me link as a phone; other links are plain `pii:url`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import phonenumbers

from sitr.detect.pii.context import Anchored, Context, Hit

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9][A-Za-z0-9\-]{0,62}){0,6}\.[A-Za-z]{2,24}")
_HANDLE = re.compile(r"[A-Za-z0-9_.\u0621-\u064a\u0660-\u0669]{2,30}")

_TLDS = (
    "com|net|org|info|io|me|ly|gl|app|co|tv|gg|link|site|online|xyz|page|bio|to|cc|ws|ai|fm|ink|lnk"
    "|eg|sa|ae|kw|qa|bh|om|ye|iq|jo|lb|sy|ps|il|tr|ir|ma|dz|tn|sd|mr|fr|uk|de|us|ca|be|ch"
)
_URL = re.compile(
    r"(?i)(?:\bhttps?://|(?<![\w@.\-])www\.)[^\s<>\"'«»]{1,2000}"
    r"|(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,4}(?:" + _TLDS + r")\b"
    r"(?::\d{1,5})?(?:/[^\s<>\"'«»]{0,2000})?"
)
_TRAIL = ".,;:!?)]}»\"'،؛؟…"

_PLATFORMS: dict[str, str] = {
    "instagram.com": "instagram", "instagr.am": "instagram", "facebook.com": "facebook", "fb.com": "facebook",
    "m.facebook.com": "facebook", "fb.me": "facebook", "tiktok.com": "tiktok", "twitter.com": "x",
    "x.com": "x", "mobile.twitter.com": "x", "snapchat.com": "snapchat", "t.me": "telegram",
    "telegram.me": "telegram", "linkedin.com": "linkedin", "youtube.com": "youtube", "threads.net": "threads",
    "bsky.app": "bluesky", "vk.com": "vk", "grindr.com": "grindr", "onlyfans.com": "onlyfans",
    "soundcloud.com": "soundcloud", "github.com": "github", "pinterest.com": "pinterest",
}  # fmt: skip
_NOT_PROFILES = frozenset(
    str.split(
        "p reel reels explore watch hashtag share search login signup about help legal privacy terms policies "
        "groups events pages stories tv live i intent home settings messages notifications discover tag music "
        "video videos status sharer channel results feed playlist shorts jobs company school"
    )
)
_MAPS_HOSTS = ("maps.google.", "goo.gl/maps", "maps.app.goo.gl", "waze.com", "openstreetmap.org", "osm.org",
               "maps.apple.com", "bing.com/maps", "what3words.com", "w3w.co", "wego.here.com")  # fmt: skip

PLATFORM_WORDS = re.compile(
    r"(?P<instagram>\b(?:insta|instagram|insta\s?gram|ig)\b|انستا|انستغرام|انستقرام|انستجرام)"
    r"|(?P<snapchat>\b(?:snap|snapchat)\b|سناب)"
    r"|(?P<tiktok>\b(?:tiktok|tik\s?tok)\b|تيك\s?توك|تيكتوك)"
    r"|(?P<x>\b(?:twitter|tweeter)\b|تويتر|تويتير)"
    r"|(?P<telegram>\b(?:telegram|tg)\b|تلغرام|تلجرام|تيليجرام|تليجرام|تيليغرام)"
    r"|(?P<facebook>\b(?:facebook|fb)\b|فيسبوك|فيس\s?بوك|الفيس)"
    r"|(?P<grindr>\b(?:grindr|grinder)\b|جريندر|غرايندر|قرايندر)"
)
# Every alternative of PLATFORM_WORDS starts with one of these literals (after \b).
_PLATFORM = Anchored(
    PLATFORM_WORDS,
    (
        "insta", "ig", "انستا", "انستغرام", "انستقرام", "انستجرام", "snap", "سناب", "tik", "تيك", "twitter", "tweeter",
        "تويتر", "تويتير", "telegram", "tg", "تلغرام", "تلجرام", "تيليجرام", "تليجرام", "تيليغرام", "facebook", "fb",
        "فيس", "الفيس", "grindr", "grinder", "جريندر", "غرايندر", "قرايندر",
    ),
)  # fmt: skip
_BARE_HANDLE = re.compile(r"[A-Za-z][A-Za-z0-9._]{2,29}")


def find_emails(ctx: Context) -> list[Hit]:
    text = ctx.text
    hits = []
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1, min(len(text), at + 256))
        if local is not None and domain is not None:
            start = local.start()
            while start < at and text[start] in ".":
                start += 1
            if start < at:
                hits.append(Hit("pii:email", start, domain.end(), "email"))
        at = text.find("@", at + 1)
    return hits


def find_handles(ctx: Context) -> list[Hit]:
    """@handles (ASCII or mixed script) and bare handles right after a platform word ("snap: mos.t_98")."""
    text = ctx.text
    hits = []
    at = text.find("@")
    while at != -1:
        prev = text[at - 1] if at > 0 else " "
        if not (prev.isalnum() or prev in "._%+-@/"):
            m = _HANDLE.match(text, at + 1)
            if m is not None:
                end = m.end()
                while end > at + 1 and text[end - 1] == ".":
                    end -= 1
                body = text[at + 1 : end]
                if len(body) >= 2 and any(c.isalpha() for c in body):
                    hits.append(Hit("pii:handle", at, end, _platform_before(ctx, at)))
        at = text.find("@", at + 1)
    for pm in _PLATFORM.finditer(ctx):
        hit = _bare_handle_after(ctx, pm.end(), pm.lastgroup or "at")
        if hit is not None:
            hits.append(hit)
    return hits


def _platform_before(ctx: Context, at: int) -> str:
    last = None
    for pm in _PLATFORM.finditer(ctx, max(0, at - 40), at):
        last = pm
    return (last.lastgroup or "at") if last is not None else "at"


def _bare_handle_after(ctx: Context, pos: int, platform: str) -> Hit | None:
    """A handle-looking token (has . or _ or trailing digits) among the 4 tokens after a platform word."""
    text = ctx.text
    window_end = min(len(text), pos + 48)
    tokens = 0
    i = pos
    while i < window_end and tokens < 4:
        while i < window_end and (text[i].isspace() or text[i] in ":：-=>»«\"'(،,"):
            i += 1
        j = i
        while j < len(text) and not text[j].isspace() and j - i < 40:
            j += 1
        if j == i:
            break
        if text[i] == "@":
            return None  # an @handle, found by the @ scan
        tok_end = j
        while tok_end > i and text[tok_end - 1] in _TRAIL:
            tok_end -= 1
        m = _BARE_HANDLE.fullmatch(text, i, tok_end)
        if m is not None:
            tok = m.group()
            trailing_digits = len(tok) - len(tok.rstrip("0123456789"))
            if ("." in tok.strip(".") or "_" in tok or trailing_digits >= 2) and "://" not in tok:
                if "." in tok and tok.rsplit(".", 1)[-1].lower() in _TLDS.split("|"):
                    return None  # a domain: the URL finder reports it
                return Hit("pii:handle", i, tok_end, platform, 0.9)
        tokens += 1
        i = j
    return None


def find_urls(ctx: Context) -> list[Hit]:
    text = ctx.text
    if "." not in text:
        return []
    hits = []
    for m in _URL.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in _TRAIL:
            end -= 1
        url = text[start:end]
        if "." not in url or len(url) < 4:
            continue
        hits.append(_classify_url(url, start, end))
    return hits


def _classify_url(url: str, start: int, end: int) -> Hit:
    low = url.lower()
    full = low if "://" in low else "http://" + low
    try:
        parts = urlsplit(full)
        host = (parts.hostname or "").removeprefix("www.")
        path = parts.path
    except ValueError:
        return Hit("pii:url", start, end, "url")
    if any(h in host + path for h in _MAPS_HOSTS) or (host.startswith("google.") and path.startswith("/maps")):
        return Hit("pii:gps", start, end, "maps_link")
    if host in ("wa.me", "api.whatsapp.com"):
        digits = "".join(c for c in path if c.isdigit())
        if 8 <= len(digits) <= 15:
            region = _region_of_intl(digits)
            if region is not None:
                return Hit("pii:phone", start, end, region)
    platform = _PLATFORMS.get(host)
    if platform is not None:
        segments = [s for s in path.split("/") if s]
        if segments and (segments[0] == "add" or segments[0] == "in") and len(segments) > 1:
            segments = segments[1:]
        if (segments and segments[0].lstrip("@") not in _NOT_PROFILES) or "profile.php" in path:
            return Hit("pii:handle", start, end, platform)
    return Hit("pii:url", start, end, "url")


def _region_of_intl(digits: str) -> str | None:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.region_code_for_number(number) or None
