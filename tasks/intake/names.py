"""People's names and place names in free text, found with Voikko's Finnish lexicon (pyvoikko).

Voikko analyses a lower-cased word, inflected forms included (`liisan` → Liisa,
`pekalle` → Pekka, `heikkisen` → Heikkinen), into word classes: `etunimi` (first
name), `sukunimi` (surname), `paikannimi` (place name) and the common classes. A
word is taken as

- a **name** when it is capitalised and Voikko knows it as a first name or a
  surname (at the start of a sentence only when it has no common reading, so
  that `Anna` "give" stays), or a place-like surname ending in `-nen`
  (`Niemiselle` → Nieminen);
- a **name** too when it is a capitalised word right after a name, or a
  capitalised word Voikko does not know right before one (`Matti Meikäläinen`,
  `Matti Näkkäläjärvi`, `Näkkäläjärvi Matti`): Sámi surnames are not in the lexicon;
- a **place** when it is capitalised, Voikko knows it as a place name (at the
  start of a sentence only when it has no common reading), and it is not one of
  the large areas in `_PUBLIC_PLACES` (a village can point to a person; Lapland
  cannot).

Only capitalised words are looked up (a lookup takes milliseconds). Missed: a name
Voikko does not know and that stands next to no known first name (`Magga` alone),
names written in lower case (`liisalle`), and names of other languages than
Finnish unless Voikko lists them (it knows `Lars`, `Anders`, `Karin`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n•]|^\s*[-–*]\s)\s*[\"'”“(«]*\s*$")
_NAME_CLASSES = frozenset({"etunimi", "sukunimi"})
_PLACE_CLASS = "paikannimi"
_PUBLIC_PLACES = frozenset(
    {"suomi", "lappi", "ruotsi", "norja", "venäjä", "eurooppa", "pohjola", "saamenmaa"}
)


@dataclass(frozen=True)
class Found:
    """One word found: where it is in the text and what it is (`name` or `place`)."""

    start: int
    end: int
    kind: str


@cache
def _voikko():  # noqa: ANN202 - the analyser module, loaded once (it takes seconds)
    import pyvoikko

    return pyvoikko


@cache
def word_classes(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return Voikko's classes of a word (any case) and the base forms of its name readings."""
    classes: set[str] = set()
    bases: set[str] = set()
    for part in re.split(r"[-'’]", word.lower()):
        for analysis in _voikko().analyse(part):
            classes.add(analysis.CLASS)
            if analysis.CLASS in _NAME_CLASSES | {_PLACE_CLASS}:
                bases.add(analysis.BASEFORM.replace("=", "").lower())
    return frozenset(classes), frozenset(bases)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _starts_sentence(text: str, start: int) -> bool:
    return _SENTENCE_END.search(text[max(0, start - 12) : start]) is not None or start == 0


def _own_kind(word: str, sentence_start: bool) -> str | None:
    """Return what a word is by itself: `name`, `place`, or None."""
    if not _is_capitalised(word):
        return None
    classes, bases = word_classes(word)
    names, common = classes & _NAME_CLASSES, classes - _NAME_CLASSES - {_PLACE_CLASS}
    if names and not (sentence_start and common):
        return "name"
    if _PLACE_CLASS in classes and not (sentence_start and common):
        if any(base.endswith("nen") for base in bases):
            return "name"
        return None if bases & _PUBLIC_PLACES else "place"
    return None


def _is_first_name(word: str) -> bool:
    return _is_capitalised(word) and "etunimi" in word_classes(word)[0]


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    sentence_start: bool


def _words(text: str) -> list[_Word]:
    return [
        _Word(m.start(), m.end(), m.group(), _starts_sentence(text, m.start()))
        for m in _WORD.finditer(text)
    ]


def names_and_places(text: str) -> list[Found]:
    """Return every name and place word of `text`, in order."""
    words = _words(text)
    kinds = [_own_kind(w.text, w.sentence_start) for w in words]
    pairs = [
        i
        for i in range(len(words) - 1)
        if text[words[i].end : words[i + 1].start] in (" ", "\u00a0")
        and _is_capitalised(words[i + 1].text)
        and not words[i + 1].sentence_start
    ]
    for i in pairs:  # a first name followed by a capitalised word: both are the name
        if _is_first_name(words[i].text):
            kinds[i] = kinds[i + 1] = "name"
    for i in reversed(pairs):  # an unknown capitalised word before a first name
        unknown = not word_classes(words[i].text)[0]
        if unknown and not words[i].sentence_start and kinds[i + 1] == "name":
            kinds[i] = "name"
    return [Found(w.start, w.end, k) for w, k in zip(words, kinds, strict=True) if k]
