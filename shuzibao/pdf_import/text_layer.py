"""The text layer as the PDF carries it, made to read right: radicals mapped, garbled text recognised.

A PDF printed with common CJK fonts can carry Kangxi radicals and compatibility code points for
ordinary characters (⽇ for 日, ⻅ for 见): NFKC maps the Kangxi and compatibility blocks, a table
the CJK Radicals Supplement characters that stand for simplified characters. Fonts without a
Unicode map (older 方正 fonts) give pdfminer's `(cid:N)`, replacement or private-use characters,
or characters that are valid but mostly outside common Chinese: such a page is garbled, not news.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# CJK Radicals Supplement characters that fonts map to ordinary characters and NFKC leaves alone
# (after Unicode's EquivalentUnifiedIdeograph.txt).
RADICALS = dict(zip(
    "⺁⺇⺎⺐⺒⺓⺝⺠⺩⺪⺫⺬⺯⺰⺲⺶⺷⺽⻁⻄⻅⻆⻈⻉⻋⻐⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻱",
    "厂几兀尢巳幺月民王疋罒示糸纟罒羊羊臼虎西见角讠贝车钅長长门雨青韦页风飞食饣马骨鬼鱼鸟卤麦黄黾齐齿龙龜",
    strict=True,
))
GARBLED_SHARE = 0.05  # of a page's characters, unreadable ones that make it garbled
RARE_SHARE = 0.3  # of its Han characters, ones outside common Chinese (GB 2312) that do


def normalise(text: str) -> str:
    """One character or a run of them as it should read: 日 for ⽇, 见 for ⻅, 﨑 for its unified form."""
    out = []
    for char in text:
        code = ord(char)
        if 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F or char == "⻟" or char == "⻳":
            char = unicodedata.normalize("NFKC", char)
        out.append(RADICALS.get(char, char))
    return "".join(out)


def is_han(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F


def is_common(char: str) -> bool:
    """A character an ordinary Chinese story uses: GB 2312 (its 6,763 hanzi, punctuation and
    symbols), printable ASCII, or general punctuation."""
    if char.isascii():
        return char.isprintable()
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return unicodedata.category(char)[0] in "PZ" or char in "—…·–×÷"


def unreadable(char: str) -> bool:
    """Nothing a font's Unicode map would give for a printed character: pdfminer's (cid:N), the
    replacement character, private use, controls, unmapped radicals."""
    if len(char) != 1:
        return True  # "(cid:123)"
    code = ord(char)
    return (char == "\ufffd" or 0xE000 <= code <= 0xF8FF or code >= 0xF0000 or unicodedata.category(char) in ("Cc", "Co", "Cs", "Cn")
            or 0x2E80 <= code <= 0x2FDF)


@dataclass(frozen=True)
class Reading:
    """How a page's text layer reads: whether it is garbled and the odd characters it holds."""

    garbled: bool
    odd: str  # a few of the characters that could not be read, for the message


def judge(texts: list[str]) -> Reading:
    """Garbled when unreadable characters pass 5% of the page, or its Han characters are mostly
    rare: a font whose map points at the wrong characters still yields valid, wrong ones."""
    chars = [t for t in texts if not t.isspace()]
    if not chars:
        return Reading(False, "")
    bad = [t for t in chars if unreadable(t)]
    han = [t for t in chars if len(t) == 1 and is_han(t)]
    rare = [t for t in han if not is_common(t)]
    odd = "".join(dict.fromkeys(t if len(t) == 1 else "□" for t in bad + rare))[:8]
    garbled = len(bad) > GARBLED_SHARE * len(chars) or (len(han) >= 20 and len(rare) > RARE_SHARE * len(han))
    return Reading(garbled, odd)
