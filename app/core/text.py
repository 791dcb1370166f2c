"""Characters no stored text may hold, and XML output that stays well-formed whatever is stored.

One rule for every text a person types: C0 control characters other than tab and line feed (and
DEL) are never stored; a line break is stored as one line feed. Word pastes its soft line break as U+000B and its page
break as U+000C; those become a line feed, every other control character is dropped. XML 1.0 cannot
carry those characters at all, so XML output removes them again at serialisation: rows written
before the rule, or by a command, can never make the feed or the sitemap invalid.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\x0b\x0c]")
# Everything XML 1.0 does not allow in a document (the Char production), surrogates included.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_control_characters(value):
    """The text without control characters; Word's line and page breaks become line feeds. A
    browser sends every line break of a text area as CR LF but counts it as one character (its
    maxlength and counter): CR LF and a lone CR become LF here, before any length is checked."""
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not CONTROL_CHARACTERS.search(value):
        return value
    return CONTROL_CHARACTERS.sub("", LINE_BREAKS.sub("\n", value))


def xml_text(value: str | None) -> str | None:
    """The text with every character removed that XML 1.0 cannot carry."""
    if value is None:
        return None
    return NOT_XML.sub("", LINE_BREAKS.sub("\n", value))


def xml_document(root: ET.Element) -> bytes:
    """Serialise an element tree as UTF-8 XML, cleaning every text, tail and attribute first."""
    for element in root.iter():
        element.text = xml_text(element.text)
        element.tail = xml_text(element.tail)
        for name, value in element.attrib.items():
            element.attrib[name] = xml_text(value) or ""
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def shorten(text: str | None, limit: int) -> str:
    """The text cut to at most `limit` characters at a word, with an ellipsis when anything was cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"
