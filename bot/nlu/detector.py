"""Reads the whole message for situations and facts, with Dutch cue lists.

Pure Python, deterministic: the cues live in `signalen.yml` next to this
module. The detector splits a message into sentences and clauses, so that a
negation ("bij Veilig Thuis is niets gemeld") only cancels the fact in its own
clause, and it never lets a negation cancel a specific acute cue: when unsure,
act as if it is acute.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Pattern, Tuple

import yaml

from bot.contract import FASE_DOORVERWEZEN, FASE_GEMELD

CUES_FILE = Path(__file__).resolve().parent / "signalen.yml"

# Situations the detector can find, by the intent name that answers them.
ZORGEN = "zorgen_blijven"
WEIGERING = "hulp_geweigerd"
VERHUIZING = "verhuizing"
COLLEGA = "vermoeden_collega"
VERANTWOORDELIJKHEID = "vraag_verantwoordelijkheid"
STAPPEN = "vraag_stappen_meldcode"
VRAAG_VT = "vraag_veilig_thuis"
SITUATION_CUES = (WEIGERING, ZORGEN, VERHUIZING, VERANTWOORDELIJKHEID, STAPPEN, VRAAG_VT, COLLEGA)

_SENTENCE_END = re.compile(r"[.!?;\n]+")
_CLAUSE_BREAK = re.compile(
    r",|:|\b(?:maar|want|omdat|terwijl|toch|en|dus|daarna|sindsdien|alleen)\b"
)
# Where a new part of a sentence starts, for the reach of "vorig jaar".
_SCOPE_BREAK = re.compile(r"[,:]|(?=\b(?:maar|en|nu|sindsdien|daarna|toch|inmiddels|intussen)\b)")
_WORD = re.compile(r"\w+")
# What may stand next to a past time in a part that is only that time:
# "tien jaar terug", "al ruim twee jaar geleden".
_TIME_FILLERS = frozenset(
    "een twee drie vier vijf zes zeven acht negen tien elf twaalf twintig dertig veertig "
    "vijftig paar enkele al ruim bijna zo n ongeveer wel meer dan".split()
) | {str(n) for n in range(100)}
# A part of a sentence that starts with "toen" (then, at that time) or "waar"
# ("over haar jeugd in een kamp, waar ze werd opgesloten").
_THEN = re.compile(r"\s*((en|maar) )?(toen|waar|waarin)\b")
_PLACE_AFTER = re.compile(
    r"\b(?:naar|in)\s+((?:'s-)?[A-Z][\w'-]+(?:\s+(?:aan|op|bij|den|de|in)\s+(?:den\s+)?[A-Z][\w'-]+)*)"
)


@dataclass(frozen=True)
class Cues:
    acute_specific: Tuple[Pattern, ...]
    acute_general: Tuple[Pattern, ...]
    violence: Tuple[Pattern, ...]
    injury: Tuple[Pattern, ...]
    blows: Tuple[Pattern, ...]
    again: Tuple[Pattern, ...]
    time: Tuple[Pattern, ...]
    fresh: Tuple[Pattern, ...]
    past: Tuple[Pattern, ...]
    now: Tuple[Pattern, ...]
    over: Tuple[Pattern, ...]
    pretend: Tuple[Pattern, ...]
    joked: Tuple[Pattern, ...]
    accident: Tuple[Pattern, ...]
    reassured: Tuple[Pattern, ...]
    over_since: Tuple[Pattern, ...]
    earlier: Tuple[Pattern, ...]
    acute_denied: Tuple[Pattern, ...]
    harmless: Tuple[Pattern, ...]
    suspicion: Tuple[Pattern, ...]
    weak: Tuple[Pattern, ...]
    situations: Dict[str, Tuple[Pattern, ...]]
    refusal_over: Tuple[Pattern, ...]
    reported: Tuple[Pattern, ...]
    referred: Tuple[Pattern, ...]
    veilig_thuis: Tuple[Pattern, ...]
    not_a_report: Tuple[Pattern, ...]
    no_report_made: Tuple[Pattern, ...]
    unsure: Tuple[Pattern, ...]
    intention: Tuple[Pattern, ...]
    negations: FrozenSet[str]
    negation_reach: int
    negation_after: Pattern
    not_a_place: FrozenSet[str]
    typo_words: Dict[int, Tuple[str, ...]]
    not_a_typo: FrozenSet[str]
    typo_min_length: int


@dataclass(frozen=True)
class Detection:
    """What one message says, before the NLU model's intent is added."""

    acute: bool = False
    weak_danger: bool = False
    # Harm named only in the past, and said to be over (see `Danger`).
    past_only: bool = False
    over: bool = False
    # No harm named now, and the message says all is well (see `Danger`).
    calm: bool = False
    # Harm named only in a pretend game (see `Danger`).
    pretend: bool = False
    situations: Tuple[str, ...] = ()
    fase: Optional[str] = None
    # True: reported to Veilig Thuis; False: the message says it was not.
    gemeld_bij_vt: Optional[bool] = None
    plaats: Optional[str] = None
    # Fase values the message negates or doubts: a model entity for them is dropped.
    denied_fases: Tuple[str, ...] = field(default=())


def normalise(text: str) -> str:
    """Lower case, no accents, straight quotes: the form the cues are written in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").lower()


def _compile(patterns, where: str) -> Tuple[Pattern, ...]:
    if not isinstance(patterns, list) or not patterns:
        raise ValueError(f"{CUES_FILE.name}: '{where}' moet een lijst met patronen zijn")
    return tuple(re.compile(p) for p in patterns)


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> Cues:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    acute, facts, negation = raw["acuut"], raw["feiten"], raw["ontkenning"]
    return Cues(
        acute_specific=_compile(acute["specifiek"], "acuut.specifiek"),
        acute_general=_compile(acute["algemeen"], "acuut.algemeen"),
        violence=_compile(acute["geweld"], "acuut.geweld"),
        injury=_compile(acute["klappen"] + acute["letsel"], "acuut.letsel"),
        blows=_compile(acute["klappen"], "acuut.klappen"),
        again=_compile(acute["opnieuw"], "acuut.opnieuw"),
        time=_compile(acute["tijd"], "acuut.tijd"),
        fresh=_compile(acute["vers"], "acuut.vers"),
        past=_compile(acute["verleden"], "acuut.verleden"),
        now=_compile(acute["nu"], "acuut.nu"),
        over=_compile(acute["voorbij"], "acuut.voorbij"),
        pretend=_compile(acute["spel"], "acuut.spel"),
        joked=_compile(acute["grap"], "acuut.grap"),
        accident=_compile(acute["ongeluk"], "acuut.ongeluk"),
        reassured=_compile(acute["nagekeken"], "acuut.nagekeken"),
        over_since=_compile(acute["voorbij_sinds"], "acuut.voorbij_sinds"),
        earlier=_compile(acute["eerder"], "acuut.eerder"),
        acute_denied=_compile(acute["ontkenning"], "acuut.ontkenning"),
        harmless=_compile(acute["onschuldig"], "acuut.onschuldig"),
        suspicion=_compile(acute["vermoeden"], "acuut.vermoeden"),
        weak=_compile(acute["zwak"], "acuut.zwak"),
        situations={
            name: _compile(raw["situaties"][name], f"situaties.{name}") for name in SITUATION_CUES
        },
        refusal_over=_compile(raw["weigering_voorbij"], "weigering_voorbij"),
        reported=_compile(facts["gemeld"], "feiten.gemeld"),
        referred=_compile(facts["doorverwezen"], "feiten.doorverwezen"),
        veilig_thuis=_compile(facts["veilig_thuis"], "feiten.veilig_thuis"),
        not_a_report=_compile(facts["geen_melding"], "feiten.geen_melding"),
        no_report_made=_compile(facts["niet_gemeld"], "feiten.niet_gemeld"),
        unsure=_compile(facts["onzeker"], "feiten.onzeker"),
        intention=_compile(facts["voornemen"], "feiten.voornemen"),
        negations=frozenset(negation["woorden"]),
        negation_reach=int(negation["bereik"]),
        negation_after=re.compile(negation["achteraf"]),
        not_a_place=frozenset(raw["geen_plaats"]),
        typo_words=_by_length(raw["tikfouten"]["woorden"] + raw["tikfouten"]["feitwoorden"]),
        not_a_typo=frozenset(raw["tikfouten"]["geen_tikfout"]),
        typo_min_length=int(raw["tikfouten"]["min_lengte"]),
    )


def _by_length(words) -> Dict[int, Tuple[str, ...]]:
    found: Dict[int, List[str]] = {}
    for word in words:
        found.setdefault(len(word), []).append(word)
    return {length: tuple(group) for length, group in found.items()}


def one_edit_apart(a: str, b: str) -> bool:
    """One letter replaced, added, removed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1 :]


def typo_fix(word: str, cues: Cues) -> Optional[str]:
    """The cue word `word` is a typing error of, or None."""
    if len(word) < cues.typo_min_length or word in cues.not_a_typo:
        return None
    candidates = [
        cue
        for length in (len(word) - 1, len(word), len(word) + 1)
        for cue in cues.typo_words.get(length, ())
    ]
    if word in candidates:
        return None
    return next((cue for cue in candidates if one_edit_apart(word, cue)), None)


def fix_typos(normal: str, cues: Cues) -> str:
    """The normalised message with typing errors in cue words corrected."""
    return re.sub(r"[a-z]+", lambda m: typo_fix(m.group(0), cues) or m.group(0), normal)


def read_form(text: str, cues: Cues) -> str:
    """The message as the cues read it: normalised, typing errors in cue words
    corrected, "veiligthuis" as two words."""
    return re.sub(r"\bveiligthuis\b", "veilig thuis", fix_typos(normalise(text), cues))


def sentences(text: str) -> List[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def clauses(sentence: str) -> List[str]:
    return [c.strip() for c in _CLAUSE_BREAK.split(sentence) if c and c.strip()]


def _any(patterns, text: str) -> bool:
    return any(p.search(text) for p in patterns)


# "geen" negates the noun right after it: "willen geen hulp na de melding"
# does not negate the report.
_NOUN_NEGATIONS = frozenset({"geen", "zonder"})
# A fact after these is taken as given: "werken niet mee sinds de melding".
_GIVEN_AFTER = frozenset({"na", "sinds", "vanwege", "ondanks", "door"})
# Not knowing is no negation: "ik weet niet goed wat mijn rol nog is",
# "ik weet niet of hij vanavond weer slaat".
_NOT_KNOWING = re.compile(
    r"\b(weet|weten|wist|wisten) (ik |we |wij |u |hij |ze |zij )?(niet|nooit)"
    r"( goed| zeker| precies| meer)? (wat|of|hoe|wanneer|waar|welke|wie|waarom)\b"
)


def _is_negated(clause: str, match: re.Match, cues: Cues, inside: bool = False) -> bool:
    return _negated(clause[: match.start()], match.group(0), clause[match.end() :], cues, inside)


def _negated(before_text: str, cue: str, after: str, cues: Cues, inside: bool = False) -> bool:
    """A negation word shortly before the cue, or at the clause end; with
    `inside` (facts), also within the cue ("Veilig Thuis is niet
    ingeschakeld"), but not "geen" before another noun nor a negation before
    "na/sinds ..." ("willen geen hulp na de melding")."""
    before = _WORD.findall(before_text)[-cues.negation_reach :]
    if inside:
        negated = [
            i
            for i, word in enumerate(before)
            if word in cues.negations
            and not (word in _NOUN_NEGATIONS and len(before) - i > 3)
            and not _GIVEN_AFTER.intersection(before[i + 1 :])
        ]
        if negated or any(w in cues.negations for w in _WORD.findall(cue)):
            return True
    elif any(
        word in cues.negations
        for word in _WORD.findall(_NOT_KNOWING.sub(" ", before_text))[-cues.negation_reach :]
    ):
        return True
    return bool(cues.negation_after.match(after))


def _sentence_cues(patterns, sentence: str, cues: Cues) -> List[int]:
    """Offsets of the cues in a sentence that are not negated. A cue may reach
    over "en" ("gaan bij opa en oma wonen"); a negation counts only in the
    cue's own part of the sentence."""
    breaks = list(_CLAUSE_BREAK.finditer(sentence))
    found = []
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            start = max((b.end() for b in breaks if b.end() <= match.start()), default=0)
            end = min(
                (b.start() for b in breaks if b.start() >= match.end()), default=len(sentence)
            )
            before, after = sentence[start : match.start()], sentence[match.end() : end]
            if not _negated(before, match.group(0), after, cues):
                found.append(match.start())
    return found


def _positive_match(patterns, clause: str, cues: Cues, inside: bool = False) -> Optional[bool]:
    """True: a cue that is not negated; False: only negated cues; None: no cue.
    `inside`: a negation within the cue counts (facts; situation cues such as
    "werkt niet mee" contain their own negation)."""
    found = None
    for pattern in patterns:
        for match in pattern.finditer(clause):
            if not _is_negated(clause, match, cues, inside):
                return True
            found = False
    return found


@dataclass(frozen=True)
class Danger:
    acute: bool = False
    # A harm signal that is neither clearly past nor denied: ask the question.
    weak: bool = False
    # Harm only in clearly past or earlier parts, no word of now or soon:
    # the NLU model's acute guess on such a message becomes the question.
    past_only: bool = False
    # ... and the message says it is over ("nu gaat het goed"): no question.
    over: bool = False
    # No harm named (or only in the past), and the message says it is calm
    # now after something before ("sindsdien is het rustig", "er is niets meer
    # gebeurd", "vorig jaar ..., nu gaat het goed"), with no word of now or
    # again elsewhere: the model's acute guess becomes the question.
    calm: bool = False
    # Harm named only in sentences about a pretend game ("speelden politie en
    # boef"): the model's acute guess becomes the question.
    pretend: bool = False


def _scopes(sentence: str) -> List[Tuple[int, str]]:
    """Parts of a sentence that a time word governs, with their offsets:
    "vorig jaar gemeld, nu ziet de juf striemen" has two. Not split at
    "omdat"/"want": "vorig jaar gemeld omdat hij haar sloeg" is one past."""
    starts = [0] + [m.end() for m in _SCOPE_BREAK.finditer(sentence) if m.end() > 0]
    ends = starts[1:] + [len(sentence)]
    return [
        (start, sentence[start:end])
        for start, end in zip(starts, ends, strict=True)
        if sentence[start:end].strip()
    ]


def danger(text: str, cues: Optional[Cues] = None) -> Danger:
    """Acute: a specific cue (threat, weapon, locked up, suicide ...), a general
    one ("acuut", "gevaar"), or harm with "now/today/tonight/again" in the same
    or a neighbouring sentence. Weak: harm without a time, a specific cue in a
    clearly past part of a sentence or next to "geen direct gevaar", or a weak
    cue. Past ("vorig jaar", "is behandeld") holds for its part of the sentence
    unless the sentence also says "vandaag", "weer" or the like."""
    cues = cues or load_cues()
    normal = read_form(text, cues)
    denied = _any(cues.acute_denied, normal)
    suspected = [_any(cues.suspicion, sentence) for sentence in sentences(normal)]
    for pattern in (*cues.harmless, *cues.suspicion):
        normal = pattern.sub(" ", normal)
    parts = []
    before = False  # whether the part before this one is clearly past
    bare = False  # ... and holds nothing but its time ("tien jaar terug")
    split = sentences(normal)
    # Both children laughing about it ("ze lagen daarna samen te lachen") makes
    # a joke of the sentence before too.
    joked = [_any(cues.joked, sentence) for sentence in split]
    for index, sentence in enumerate(split):
        recent = _any(cues.fresh, sentence)
        # A pretend game ("politie en boef", a shooter game) is no real harm:
        # its sentence counts as a past one (a specific cue asks the question).
        pretend = _any(cues.pretend, sentence) or joked[index] or any(joked[index + 1 : index + 2])
        scopes = []
        for start, part in _scopes(sentence):
            # "toen" (then) goes on in the time of the part before it:
            # "twee jaar geleden mishandeld, toen is de politie gekomen".
            # A part that is only a time (", tien jaar terug,") sets the
            # time of the part after it.
            past = (
                pretend
                or (_any(cues.past, part) or bare or (before and _THEN.match(part) is not None))
                and not recent
            )
            scopes.append((start, part, past))
            before = past
            bare = past and set(_WORD.findall(_without(cues.past, part))) <= _TIME_FILLERS
        parts.append((sentence, scopes, pretend))
    # A time word in a part of a sentence that is not clearly past.
    timed = [
        any(not past and _any(cues.time, part) for _, part, past in scopes)
        for _, scopes, _ in parts
    ]
    # "een vermoeden van mishandeling, vanavond moet ze weer naar huis": ask.
    # Not for a bare "nu" ("nu zegt vader ..."), nor a time sentences away.
    weak = not denied and any(
        suspected[index] and any(_strong_time(part, cues) for part in nearby)
        for index in range(len(parts))
        for nearby in [
            [
                part
                for _, scopes, _ in parts[max(index - 1, 0) : index + 2]
                for _, part, past in scopes
                if not past
            ]
        ]
    )
    # An accident that was seen or checked ("van de schommel gevallen, de
    # huisarts zag niets ernstigs"): a fresh injury asks the question instead.
    explained = _any(cues.accident, normal) and _any(cues.reassured, normal)
    for index, (sentence, scopes, _) in enumerate(parts):
        for pattern in cues.acute_specific:
            for match in pattern.finditer(sentence):
                past = next(p for start, _, p in reversed(scopes) if start <= match.start())
                if not (past or denied):
                    return Danger(acute=True)
                weak = True
        if denied:
            continue
        nearby_time = any(timed[max(index - 1, 0) : index + 2])
        for _, part, past in scopes:
            if past:
                continue
            if _any(cues.acute_general, part):
                return Danger(acute=True)
            injury = _positive_match(cues.injury, part, cues)
            violence = _positive_match(cues.violence, part, cues)
            if injury and explained and not _any((*cues.violence, *cues.blows), part):
                weak = True
                continue
            if injury or violence:
                # "vorige maand van de trap gevallen": some time ago, ask.
                earlier = _any(cues.earlier, sentence) and not _any(cues.fresh, sentence)
                if earlier and nearby_time:
                    weak = True
                elif nearby_time or (injury and _any(cues.again, sentence)):
                    return Danger(acute=True)
                weak = weak or (injury and not earlier)
            weak = weak or _any(cues.weak, part)
    real = [(sentence, scopes) for sentence, scopes, pretend in parts if not pretend]
    past_only = not denied and _past_only(normal, real, cues)
    over = _any(cues.over, normal)
    harm_now = any(_harm(part, cues) for _, scopes in real for _, part, past in scopes if not past)
    calm = (
        not weak
        and not past_only
        and over
        and any(_any(group, normal) for group in (cues.past, cues.earlier, cues.over_since))
        and not _any(cues.now, _without(cues.over, normal))
        and not harm_now
    )
    pretend = not harm_now and any(
        _harm(sentence, cues) for sentence, _, pretend in parts if pretend
    )
    return Danger(
        weak=weak,
        past_only=past_only,
        over=past_only and over,
        calm=calm,
        pretend=pretend,
    )


def _strong_time(part: str, cues: Cues) -> bool:
    """A time word of the harm's moment other than a bare "nu"."""
    return any(
        match.group(0).strip() != "nu" for pattern in cues.time for match in pattern.finditer(part)
    )


def _without(patterns, text: str) -> str:
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def _harm(part: str, cues: Cues) -> bool:
    return bool(
        _any(cues.acute_specific, part)
        or _any(cues.acute_general, part)
        or _positive_match(cues.injury, part, cues)
        or _positive_match(cues.violence, part, cues)
        or _any(cues.weak, part)
    )


def _past_only(normal: str, parts, cues: Cues) -> bool:
    """Harm is named, but only in clearly past parts ("als kind", "vorig
    jaar") or sentences about some time ago ("vorige maand"); nothing says
    now, soon, again or still. A sentence without a time word of its own
    goes on in the time of the sentence before ("Vorige week was er een
    vechtpartij. Hij had een schaafwond.")."""
    if _any(cues.now, normal):
        return False
    harm_past = False
    story_past = False
    for sentence, scopes in parts:
        earlier = _any(cues.earlier, sentence)
        any_past = earlier or any(past for _, _, past in scopes)
        if any_past or _any(cues.time, sentence):
            story_past = any_past
        for _, part, past in scopes:
            if _harm(part, cues):
                # Fear or "onveilig" is a state, now unless its own part is past.
                inherited = story_past and not _any(cues.weak, part)
                if not (past or earlier or inherited):
                    return False
                harm_past = True
    return harm_past


def is_acute(text: str, cues: Optional[Cues] = None) -> bool:
    return danger(text, cues).acute


def _facts(text: str, cues: Cues) -> Tuple[Optional[str], Optional[bool], Tuple[str, ...]]:
    reported = referred = False
    denied, doubted = set(), set()
    for sentence in sentences(text):
        for clause in clauses(sentence):
            if _any(cues.unsure, clause) or _any(cues.intention, clause):
                # "ik weet niet of er gemeld is", "moet ik melden?": no fact,
                # and no model entity either.
                doubted |= {FASE_GEMELD, FASE_DOORVERWEZEN}
                continue
            mentions_vt = _any(cues.veilig_thuis, clause)
            report_cues = cues.reported
            if _any(cues.not_a_report, clause):
                # "moeder heeft gemeld dat ...": nor may the model's entity say so.
                report_cues = ()
                doubted.add(FASE_GEMELD)
            report = _positive_match(report_cues, clause, cues, inside=True)
            referral = _positive_match(cues.referred, clause, cues, inside=True)
            if referral is not None and mentions_vt and report is None:
                # "Veilig Thuis is ingeschakeld": a report, whatever the verb.
                report, referral = referral, None
            if report is None and _any(cues.no_report_made, clause):
                report = False
            if report is True:
                reported = True
            elif report is False:
                denied.add(FASE_GEMELD)
            if referral is True:
                referred = True
            elif referral is False:
                denied.add(FASE_DOORVERWEZEN)
    if reported:
        fase, gemeld = FASE_GEMELD, True
    elif referred:
        fase, gemeld = FASE_DOORVERWEZEN, (False if FASE_GEMELD in denied else None)
    else:
        fase, gemeld = None, (False if FASE_GEMELD in denied else None)
    return fase, gemeld, tuple(sorted((denied | doubted) - ({fase} if fase else set())))


def _refused_now(text: str, cues: Cues) -> bool:
    """A refusal cue that no later "nu werken ze goed mee" undoes."""
    refused = False
    for sentence in sentences(text):
        events = [(at, True) for at in _sentence_cues(cues.situations[WEIGERING], sentence, cues)]
        events += [(at, False) for at in _sentence_cues(cues.refusal_over, sentence, cues)]
        for _, refusal in sorted(events):
            refused = refusal
    return refused


def _situations(text: str, cues: Cues) -> Tuple[str, ...]:
    found = []
    for name in SITUATION_CUES:
        if name == WEIGERING:
            if _refused_now(text, cues):
                found.append(name)
            continue
        if any(_sentence_cues(cues.situations[name], s, cues) for s in sentences(text)):
            found.append(name)
    if COLLEGA in found:
        # Abuse by a colleague is not the meldcode route: no refusal or concern
        # steps; a question next to it (the meldcode's steps, how to reach
        # Veilig Thuis) is still answered.
        found = [name for name in found if name in (COLLEGA, STAPPEN, VRAAG_VT)]
    return tuple(found)


def guess_place(original: str, cues: Cues) -> Optional[str]:
    """A capitalised place after "naar"/"in" in a sentence about a move."""
    for sentence in _SENTENCE_END.split(original):
        if not _any(cues.situations[VERHUIZING], read_form(sentence, cues)):
            continue
        for match in _PLACE_AFTER.finditer(sentence):
            place = match.group(1)
            if normalise(place.split()[0]) not in cues.not_a_place:
                return place
    return None


def detect(text: str, cues: Optional[Cues] = None) -> Detection:
    cues = cues or load_cues()
    if not isinstance(text, str) or not text.strip():
        return Detection()
    normal = read_form(text, cues)
    level = danger(text, cues)
    situations = _situations(normal, cues)
    fase, gemeld, denied = _facts(normal, cues)
    plaats = guess_place(text, cues) if VERHUIZING in situations else None
    return Detection(
        acute=level.acute,
        weak_danger=level.weak,
        past_only=level.past_only,
        over=level.over,
        calm=level.calm,
        pretend=level.pretend,
        situations=situations,
        fase=fase,
        gemeld_bij_vt=gemeld,
        plaats=plaats,
        denied_fases=denied,
    )
