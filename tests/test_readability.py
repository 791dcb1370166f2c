"""LIX (app/core/readability.py) on texts whose words, long words and sentences are counted by hand."""

import pytest

from app.core.readability import lix

KNOWN = [
    # text, words, sentences, long words, LIX
    ("Katten sad på måtten.", 4, 1, 0, 4),
    ("Kommunalbestyrelsen behandler forslaget.", 3, 1, 3, 103),
    ("Det er frivilligt for dig. Du kan sige nej.", 9, 2, 1, 16),  # 4,5 + 11,1
    # numbers are words, and "kr." and "1." inside a sentence do not end it
    (
        "Engangsudgiften er 260.000 kr., og driften koster 52.000 kr. om året. Den 1. april går det i gang.",
        18,
        2,
        2,
        20,
    ),
    # a colon before a lower-case word does not end a sentence; every line ends one
    ("Kommunen forventer disse gevinster: øget livskvalitet\nFærre fald", 8, 2, 4, 54),  # 4 + 50
    ("Hvad sker der? Ingenting! Slut: Færdig.", 6, 4, 1, 18),  # 1,5 + 16,7
]


@pytest.mark.parametrize(("text", "words", "sentences", "long_words", "score"), KNOWN)
def test_lix_of_known_texts(text, words, sentences, long_words, score):
    measured = lix(text)
    assert (measured.words, measured.sentences, measured.long_words, measured.score) == (
        words,
        sentences,
        long_words,
        score,
    )


def test_a_text_without_words_has_no_lix():
    assert lix("") is None and lix(" … ") is None and lix(None) is None
