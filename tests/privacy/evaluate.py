"""Recall per kind and false positives of bot.privacy.redact on the PII test set.

`python -m tests.privacy.evaluate` prints the table for docs/privacy.md.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

from bot.privacy.redact import PLACEHOLDERS, redact

TESTSET = Path(__file__).resolve().parent / "pii_testset.yml"
KINDS = ("namen", "bsn", "telefoon", "email", "iban")
# Tussenvoegsels and initials are no name on their own: "van" may stay elsewhere.
_NOT_A_NAME_WORD = re.compile(
    r"^(?:[a-zA-Z]\.)+$|^(?i:van|de|der|den|het|ten|ter|te|el|al|la|le|du|da|di|dos|das|del|von|bin|ibn|ait)$"
)


def load_testset(path: Path = TESTSET) -> List[Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def name_words(name: str) -> List[str]:
    return [w for w in name.replace(",", " ").split() if not _NOT_A_NAME_WORD.match(w)]


def is_gone(value: str, kind: str, redacted: str) -> bool:
    """A name is gone when none of its name words is left as a word; other kinds
    when their digits (or the address) are no longer in the text."""
    if kind == "namen":
        return not any(
            re.search(rf"(?<!\w){re.escape(word)}(?!\w)", redacted) for word in name_words(value)
        )
    return value not in redacted


@dataclass
class Figures:
    found: Dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    total: Dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    missed: Dict[str, List[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    clean_sentences: int = 0
    damaged: List[str] = field(default_factory=list)  # name-free sentences that changed
    towns: int = 0
    towns_lost: List[str] = field(default_factory=list)
    sentences: int = 0

    def recall(self, kind: str) -> float:
        return self.found[kind] / self.total[kind] if self.total[kind] else 1.0


def evaluate(items: List[Dict]) -> Figures:
    figures = Figures(sentences=len(items))
    for item in items:
        text = item["tekst"]
        redacted = redact(text)
        for kind in KINDS:
            for value in item.get(kind) or []:
                figures.total[kind] += 1
                if is_gone(value, kind, redacted):
                    figures.found[kind] += 1
                else:
                    figures.missed[kind].append(f"{value!r} in {redacted!r}")
        for town in item.get("plaats") or []:
            figures.towns += 1
            if town not in redacted:
                figures.towns_lost.append(f"{town!r} in {redacted!r}")
        if not any(item.get(kind) for kind in KINDS):
            figures.clean_sentences += 1
            if redacted != text:
                figures.damaged.append(redacted)
    return figures


def table(figures: Figures) -> str:
    labels = {
        "namen": "persoonsnamen",
        "bsn": "BSN",
        "telefoon": "telefoonnummers",
        "email": "e-mailadressen",
        "iban": "IBAN",
    }
    lines = ["| soort | gevonden | recall |", "|---|---|---|"]
    for kind in KINDS:
        lines.append(
            f"| {labels[kind]} | {figures.found[kind]} van {figures.total[kind]} "
            f"| {figures.recall(kind):.2f} |"
        )
    lines.append("")
    lines.append(
        f"Zinnen zonder persoonsgegevens: {figures.clean_sentences}, waarvan "
        f"{len(figures.damaged)} veranderd (fout-positief). Plaatsnamen behouden: "
        f"{figures.towns - len(figures.towns_lost)} van {figures.towns}. "
        f"Zinnen in totaal: {figures.sentences}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    result = evaluate(load_testset())
    print(table(result))
    for kind in KINDS:
        for missed in result.missed[kind]:
            print(f"gemist ({kind}): {missed}")
    for damaged in result.damaged:
        print(f"veranderd: {damaged}")
    for lost in result.towns_lost:
        print(f"plaats weg: {lost}")
    print("placeholders:", ", ".join(PLACEHOLDERS.values()))
