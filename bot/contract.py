"""Names fixed by the protocol contract (docs/contract.md).

These ids are the public interface between content, NLU, dialogue, channels
and tests. The content file must define exactly these steps and situations.
"""

from typing import Optional

STEP_IDS = (
    "verantwoordelijkheid.houdt_niet_op",
    "verantwoordelijkheid.hulp_daadwerkelijk",
    "verantwoordelijkheid.doel_van_hulp",
    "doorverwijzing.blijven_volgen",
    "doorverwijzing.opnieuw_in_actie",
    "doorverwijzing.afspraken_nagaan",
    "doorverwijzing.bespreken_en_aankondigen",
    "melding.blijven_volgen",
    "melding.opnieuw_contact",
    "weigering.direct_melden",
    "verhuizing.contact_nieuwe_woonplaats",
    "verhuizing.overdracht_checken",
    "acuut.melden",
    "acuut.direct_gevaar",
    "veilig_thuis.bereikbaarheid",
    "meldcode.stap_1",
    "meldcode.stap_2",
    "meldcode.stap_3",
    "meldcode.stap_4",
    "meldcode.stap_5",
)

# `contact_veilig_thuis` is our addition (the contract allows additions): it
# makes `veilig_thuis.bereikbaarheid` reachable from a situation.
SITUATION_IDS = (
    "zorgen_na_doorverwijzing",
    "zorgen_na_melding",
    "hulp_geweigerd",
    "verhuizing",
    "acuut",
    "verantwoordelijkheid",
    "stappen_meldcode",
    "contact_veilig_thuis",
)

FASE_DOORVERWEZEN = "doorverwezen"
FASE_GEMELD = "gemeld"

PAYLOAD_TYPE = "vervolgstappen"

# "De zorgen blijven": which situation depends on the fase alone.
_CONCERNS_SITUATIONS = {
    FASE_DOORVERWEZEN: "zorgen_na_doorverwijzing",
    FASE_GEMELD: "zorgen_na_melding",
}

CONCERNS_SITUATION_IDS = tuple(_CONCERNS_SITUATIONS.values())


def concerns_situation(fase: Optional[str]) -> Optional[str]:
    """The situation for remaining concerns after this fase; None when the fase is unknown."""
    return _CONCERNS_SITUATIONS.get(fase)


# Intents whose situation needs no further slot (exercise answers in free text).
INTENT_SITUATIONS = {
    "hulp_geweigerd": "hulp_geweigerd",
    "verhuizing": "verhuizing",
    "acute_zorgen": "acuut",
    "vraag_verantwoordelijkheid": "verantwoordelijkheid",
    "vraag_stappen_meldcode": "stappen_meldcode",
    "vraag_veilig_thuis": "contact_veilig_thuis",
}
