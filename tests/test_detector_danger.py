"""The acute safety net on wording of its own: every kind of acute cue, typing
errors, Dutch inflections, the danger question for weaker harm signals and for
model doubt, and past or denied signals that stay non-acute (no model needed).

The sentences here are written for these tests, not taken from tests/nlu/.
"""

import re
from pathlib import Path

import deduce
import pytest

from bot.nlu.decision import ACUUT, TWIJFEL_GEVAAR, analyse_message, decide
from bot.nlu.detector import danger, detect, fix_typos, load_cues, normalise, one_edit_apart
from harness.nlu_data import PROJECT_ROOT


def decision_of(text, model_intents=("zorgen_blijven",)):
    return decide(list(model_intents), detect(text))


ACUTE_BY_KIND = {
    "strangling": "ze vertelde dat haar vriend haar keel dichtkneep tot ze geen lucht meer kreeg",
    "choking": "hij hield een kussen op haar gezicht",
    "burns": "de peuter heeft ronde plekken op zijn arm, alsof er een sigaret is uitgedrukt",
    "fracture": "vandaag kwam hij binnen met een gebroken pols en niemand weet hoe",
    "bleeding": "de jongen bloedt uit zijn oor sinds vanochtend",
    "head injury": "het meisje heeft vanmorgen een hersenschudding opgelopen thuis",
    "baby bruises": "het kindje van drie maanden heeft blauwe plekken op de buik",
    "locked up": "de kinderen worden 's avonds in hun kamer op slot gedaan",
    "locked out": "de tiener is door haar moeder op straat gezet en heeft geen slaapplek",
    "no food": "de broertjes krijgen al drie dagen geen eten van hun stiefmoeder",
    "knife": "de buurman zag vader met een keukenmes in de tuin staan",
    "weapon": "er ligt een wapenstok naast zijn bed en hij zwaait ermee",
    "threat to kill": "hij schreef in een app: ik maak jullie allemaal dood",
    "tonight": "zijn oom komt vanavond weer logeren en dan gaat het altijd mis, hij wordt dan geslagen",
    "again": "de jongen heeft alweer een blauw oog",
    "afraid to go home": "het meisje zegt dat ze bang is om naar huis te gaan",
    "cannot go home": "ze kan niet meer naar huis, haar vader wacht haar op",
    "fled": "mevrouw is met haar baby naar haar zus gevlucht",
    "hiding": "de jongen verstopt zich in de gymzaal als zijn vader hem komt halen",
    "sleeps outside": "de zestienjarige slaapt sinds gisteren in het park",
    "suicide, not alive": "een leerling schreef dat ze er volgende week niet meer is",
    "suicide, not being there": "hij zegt dat hij er niet meer wil zijn",
    "suicide, last message": "een student stuurde haar mentor een laatste bericht",
    "suicide, end it": "de cliënt wil er een einde aan maken",
    "suicide, pills": "ze heeft een doosje paracetamol in haar tas verzameld",
    "suicide, wrists": "de leerling heeft wonden op haar polsen",
    "self-harm": "hij krast zichzelf met een passer in de les",
    "threat against a parent": "de zoon van zeventien bedreigt zijn moeder met een schaar",
    "elderly": "de dochter slaat haar demente vader, ik zag het net",
    "partner": "mevrouw werd vannacht door haar man tegen de muur geduwd",
    "abduction": "vader wil de kinderen mee naar het buitenland nemen en niet terugkomen",
    "abroad, left behind": "ze is in de zomer in het land van herkomst achtergelaten",
    "passports": "de oom heeft de paspoorten van de meisjes afgepakt",
    "forced marriage": "ze moet in de vakantie gedwongen trouwen met een neef",
    "fgm": "de familie wil haar dochtertje laten besnijden",
    "honour": "haar broers spreken over de eer van de familie en volgen haar overal",
    "sexual abuse tonight": "haar stiefvader heeft haar aangerand en ze moet vanavond weer thuis slapen",
    "sleeps with an adult": "het meisje moet bij haar opa in bed slapen als mama weg is",
    "police": "de politie is vannacht bij het gezin geweest na een ruzie",
    "112 called": "de buren hebben net 112 gebeld",
    "exploitation": "ik denk dat een loverboy haar dwingt tot seks met mannen",
    "emergency care refused": "hij heeft een diepe wond aan zijn been en de ouders willen niet naar de eerste hulp",
    "no doctor for an injury": "de peuter heeft een gezwollen oog maar moeder wil geen dokter erbij",
}


@pytest.mark.parametrize("text", ACUTE_BY_KIND.values(), ids=ACUTE_BY_KIND.keys())
def test_every_kind_of_acute_cue_gives_the_acute_answer(text):
    assert danger(text).acute, text
    assert decision_of(text).intent == ACUUT


@pytest.mark.parametrize(
    "text",
    [
        "het kind is opgeslotten in de schuur",  # extra letter
        "vader heeft gedreigt haar te vermorden",  # two words, one letter each
        "de leerling druft niet naar huis",  # swapped letters
        "ze is vanavnd weer geslagen",
        "de cliënt praat steeds over zelfmoort",
        "hij heeft haar gewrugd",
    ],
)
def test_typing_errors_in_cue_words_still_give_the_acute_answer(text):
    assert danger(text).acute, fix_typos(normalise(text), load_cues())


@pytest.mark.parametrize(
    "text",
    [
        "de jongen heeft brandwonden op zijn handen, vanmiddag gezien",
        "vader heeft de kinderen opgesloten",
        "de kinderen worden opgesloten",
        "de moeder sluit het kind op als straf",
        "hij dreigde gisteren dat hij haar zou vermoorden",
        "er wordt met messen gezwaaid",
        "zij is bedreigd door haar ex",
    ],
)
def test_dutch_inflections_of_cue_words(text):
    assert danger(text).acute


def test_edit_distance_one_means_one_letter_or_one_swap():
    assert one_edit_apart("gewurgd", "gewrugd")
    assert one_edit_apart("vanavond", "vanavnd")
    assert one_edit_apart("opgesloten", "opgeslotten")
    assert not one_edit_apart("vanavond", "vanavond")
    assert not one_edit_apart("geslagen", "geslaagd")


def _vocabulary():
    """Dutch words that must never be read as a typing error of a cue word:
    the training data, the protocol content, and deduce's list of common words.
    Not data/gevaar/: those are the development sets the cues were tuned on."""
    words = set()
    data = [p for p in sorted((PROJECT_ROOT / "data").rglob("*.yml")) if "gevaar" not in p.parts]
    sources = [*data, PROJECT_ROOT / "domain.yml"]
    sources += sorted((PROJECT_ROOT / "bot" / "content").rglob("*.yml"))
    common = Path(deduce.__file__).parent / "data/lookup/src/whitelist/lst_common_word/items.txt"
    for path in [*sources, common]:
        words |= set(re.findall(r"[a-z]+", normalise(path.read_text(encoding="utf-8"))))
    return words


def test_no_real_word_is_corrected_into_a_cue_word():
    cues = load_cues()
    vocabulary = _vocabulary()
    assert len(vocabulary) > 3000
    corrected = {w: fix_typos(w, cues) for w in vocabulary if fix_typos(w, cues) != w}
    assert corrected == {}


@pytest.mark.parametrize(
    "text",
    [
        "gezonde kinderen, de ouders besteden veel tijd aan ze",
        "mevrouw is opgevangen door haar zus, ze heeft er vroeger gewoond",
        "de ouders slaan de hulp af",
        "hij wil zijn opleiding afmaken",
        "we steken veel tijd in dit gezin",
        "ik heb de telefoon opgehangen en toen met mijn collega overlegd",
        "moeder dreigt met een klacht als we melden",
    ],
)
def test_everyday_words_near_cue_words_are_not_acute(text):
    found = danger(text)
    assert not found.acute and not found.weak


@pytest.mark.parametrize(
    "text",
    [
        "de leerling heeft blauwe plekken op zijn bovenarmen",
        "moeder zegt dat vader haar slaat",
        "de oudere cliënt heeft een snee in haar hoofd",
        "de jongen kwam met een dikke lip op school",
    ],
)
def test_harm_without_a_time_asks_the_danger_question(text):
    found = danger(text)
    assert found.weak and not found.acute
    assert decision_of(text).intent == TWIJFEL_GEVAAR


@pytest.mark.parametrize(
    "text",
    [
        "vorig jaar had het kind een gebroken arm, dat is behandeld en het gaat nu goed",
        "Jaren geleden sloeg vader de kinderen. Nu is de sfeer thuis rustig.",
        "de wond is goed behandeld en geheeld",
        "er is geen direct gevaar, maar vanochtend had ze een blauwe plek op haar arm",
        "het is niet acuut, vandaag zag ik wel een bult op zijn hoofd",
        "we hebben vorige maand gemeld omdat ze vaak blauwe plekken had",
        "ze heeft geen blauwe plekken en er is niets gebeurd",
        "in 2021 is de jongen uit huis geplaatst",
        # emergency care refused, but the injury was long ago or there is none
        "twee jaar geleden had ze een snee en weigerde vader de eerste hulp, dat is genezen",
        "de ouders weigeren een behandeling in het ziekenhuis voor zijn astma",
        # a suspicion without a time word is what the meldcode is about, no event
        "wij hadden een vermoeden van verwaarlozing en hebben doorverwezen",
    ],
)
def test_past_or_denied_harm_stays_non_acute_and_asks_nothing(text):
    found = danger(text)
    assert not found.acute and not found.weak, text


@pytest.mark.parametrize(
    "text",
    [
        "vorig jaar dreigde vader haar te vermoorden, nu woont hij ver weg",
        "geen direct gevaar, maar hij heeft gedreigd met een mes",
        # a suspicion with a time word: safety first
        "ik heb een vermoeden van mishandeling en hij moet vanavond weer naar huis",
        "sinds vanochtend hebben wij een vermoeden van kindermishandeling bij een peuter",
    ],
)
def test_a_strong_cue_in_the_past_or_next_to_a_denial_asks_the_question(text):
    found = danger(text)
    assert found.weak and not found.acute


def test_recent_words_override_the_past_in_the_same_sentence():
    assert danger("vorig jaar gemeld, vandaag weer blauwe plekken").acute
    assert danger("Ze zijn vorig jaar verhuisd. Vanavond slaat hij haar weer.").acute
    # "vorig jaar" holds for its own part of the sentence only
    assert danger("vorig jaar gemeld, nu ziet de juf striemen op haar benen").acute
    assert not danger("vorig jaar gemeld omdat hij haar sloeg").weak


def test_model_doubt_asks_the_danger_question_and_the_threshold_still_answers():
    def ranking(p):
        return [{"name": "zorgen_blijven", "confidence": 1 - p}, {"name": ACUUT, "confidence": p}]

    text = "ik maak me zorgen over dit gezin"
    calm = analyse_message(text, "zorgen_blijven", ranking(0.01))
    doubt = analyse_message(text, "zorgen_blijven", ranking(0.15))
    acute = analyse_message(text, "zorgen_blijven", ranking(0.3))
    assert calm["intent"] == "zorgen_blijven"
    assert doubt["intent"] == TWIJFEL_GEVAAR and doubt["twijfel_gevaar"]
    assert acute["intent"] == ACUUT
    lower = analyse_message(text, "zorgen_blijven", ranking(0.15), question_threshold=0.2)
    assert lower["intent"] == "zorgen_blijven"
    # A goodbye never gets the question, also when the model doubts.
    assert analyse_message("doei", "afscheid", ranking(0.15))["intent"] == "afscheid"


@pytest.mark.parametrize(
    "text",
    [
        # verb forms and words the cues missed
        "De vader appte vanmiddag dat hij er een einde aan maakt.",
        "Een zuigeling van drie weken met bloedingen in het oogwit, niemand weet hoe.",
        "Vanochtend greep haar man haar bij de keel.",
        "Hij heeft haar gisteren gestalkt tot aan de deur van de opvang.",
        # a time sentences away does not make the past part of the sentence now
        "Vorig jaar gemeld, vandaag heeft ze weer een snee in haar arm.",
    ],
)
def test_round_six_cues_read_acute_danger(text):
    assert detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        # a part that is only a time sets the time of the part after it
        "Mijn cliente kreeg, acht jaar terug, een mes op haar keel van haar toenmalige man.",
        "Tijdens haar vorige relatie werd ze met een mes bedreigd.",
        "Uit het dossier blijkt dat hij in de jaren tachtig zijn broer heeft bedreigd.",
        # harmless: sports, peers, phobias, the classroom, a denied plan
        "De keeper sloeg de bal vandaag hard weg.",
        "Op het plein schopte hij vanochtend een klasgenoot tijdens het tikkertje.",
        "Het meisje rende vandaag de klas uit, gevlucht voor een wesp.",
        "Hij is bang voor honden en durfde vanochtend niet langs het veld.",
        "Ze zegt dat ze geen plannen heeft om zichzelf iets aan te doen, ze heeft nu een behandelaar.",
        # scars are old harm: at most the question
        "Hij heeft nu littekens op zijn rug.",
    ],
)
def test_round_six_cues_give_no_acute_answer(text):
    assert not detect(text).acute


def test_a_denied_plan_does_not_hide_a_threat_next_to_it():
    text = "Ze heeft geen plannen om zichzelf iets aan te doen, maar vader dreigt haar te slaan."
    assert detect(text).acute


def test_a_suspicion_asks_only_with_a_real_time_word_near_it():
    asks = "Ik heb een vermoeden van mishandeling. Vanavond moet hij weer naar huis."
    assert detect(asks).weak_danger
    far = (
        "We hebben doorverwezen vanwege signalen van verwaarlozing. De zorgen blijven. "
        "Nu zegt vader dat hij het wijkteam niet meer binnenlaat."
    )
    assert not detect(far).weak_danger


@pytest.mark.parametrize(
    "text",
    [
        "Hypothetisch: een kind zegt dat het vanavond niet meer wil leven, wie bel ik?",
        "Stel dat een leerling vandaag vertelt dat ze geslagen wordt, wat dan?",
        "Een collega riep vanmiddag als grap dat ze die ouder wel kon wurgen.",
        "De wijkagent gaf vandaag een gastles over wapens en vuurwerk.",
        "Ze keek een film waarin een vader zijn kinderen ontvoert naar het buitenland.",
    ],
)
def test_hypotheticals_jokes_and_lessons_give_no_acute_answer(text):
    found = detect(text)
    assert not found.acute


def test_a_real_threat_after_a_hypothetical_sentence_stays_acute():
    text = "Stel dat het misgaat, wat dan? Vader dreigt vanavond haar te slaan."
    assert detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Ze zoekt weer contact, maar er is geen dreiging.",
        "Hij is doodsbang voor het examen van morgen.",
        "Een leerling schreef vandaag een verhaal over een overvaller met een pistool.",
        "Hij liep vanochtend een snijwond op bij het koken in de les.",
    ],
)
def test_round_eight_harmless_uses_give_no_acute_answer(text):
    assert not detect(text).acute


def test_a_threat_next_to_no_threat_elsewhere_stays_acute():
    text = "Er was vorige week geen dreiging. Vanavond dreigt hij haar iets aan te doen."
    assert detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "We behandelen eerwraak vandaag als thema in de klas.",
        "Ze vertelde een zelfbedacht verhaal over een ontvoering van vanochtend.",
        "Hij rapte vandaag een nummer over messen.",
        "Ze vertelde over haar jeugd in een kamp, waar ze werd opgesloten.",
    ],
)
def test_round_nine_themes_stories_and_the_past_give_no_acute_answer(text):
    assert not detect(text).acute


def test_a_real_weapon_after_a_song_stays_acute():
    assert detect("Hij rapte een nummer. Vanavond wil hij zijn vader met een mes steken.").acute


def test_round_ten_a_baby_age_in_abbreviation_with_an_injury_is_acute():
    assert detect("tweeling van 3 mnd, een heeft een gebroken armpje, ouders weten niet hoe").acute


@pytest.mark.parametrize(
    "text",
    [
        "Vandaag was er niets wat op gevaar wees.",
        "Aanwijzingen voor gevaar zie ik vandaag niet.",
        "Moeder zat vanmiddag huilend in de auto.",
        "We kregen vandaag een training over wurging en messen.",
        "Ze is 'doodsbang' voor de wiskundetoets van morgen.",
        "Ze vertelde over misbruik door een inmiddels overleden opa.",
    ],
)
def test_round_ten_no_acute_answer(text):
    assert not detect(text).acute


def test_a_child_kept_in_the_car_as_punishment_stays_acute():
    assert detect("Hij moest vannacht als straf in de auto blijven.").acute


@pytest.mark.parametrize(
    "text",
    [
        "Op de SEH een kleuter met een schedelfractuur, het verhaal van vader klopt niet.",
        "Moeder zei: 'als je de politie belt, zie je de kinderen nooit meer terug'.",
    ],
)
def test_round_ten_fractures_and_threats_to_take_the_children(text):
    assert detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Vanochtend stuurde de moeder me een appje: 'hij is terug, help me'. Ik kan haar niet bereiken.",
        "Een leerling fluisterde in de gang 'help' en wees naar haar stiefvader bij het hek.",
        # not knowing is no negation
        "Ik weet niet of hij vanavond weer gaat slaan.",
    ],
)
def test_round_twelve_acute(text):
    assert danger(text).acute


@pytest.mark.parametrize(
    "text",
    [
        # said laughing, or in a film seen in class: at most the question
        "Een kleuter riep dat hij zijn zusje zou vermoorden omdat ze zijn toren omgooide. Ze moesten er allebei om lachen.",
        "In de film van vanmiddag werd iemand met een mes bedreigd; twee kinderen schrokken ervan.",
    ],
)
def test_round_twelve_pretend_is_no_acute_answer(text):
    assert not danger(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Vandaag sloeg hij bij het dictee drie woorden over.",
        "Na de training van gisteren heeft ze een gescheurde enkelband.",
        "Hij heeft sinds vanochtend een bult van een hockeystick tijdens de gymles.",
    ],
)
def test_round_twelve_harmless(text):
    found = danger(text)
    assert not found.acute


@pytest.mark.parametrize(
    "text",
    [
        "Ze vertelde vandaag over het geweld van haar vader toen ze een kind was.",
        "In haar eerste huwelijk werd ze mishandeld; nu woont ze fijn met haar nieuwe partner.",
    ],
)
def test_round_twelve_past(text):
    found = danger(text)
    assert not found.acute and found.past_only


def test_round_thirteen_a_perpetrator_laughing_is_no_joke():
    assert danger("Vader zei lachend dat hij haar vanavond zou vermoorden.").acute


@pytest.mark.parametrize(
    "text",
    [
        "Een vader vertelde dat zijn dochter twee jaar geleden gepest werd en toen aan zelfmoord dacht. Nu gaat het goed.",
        "Ze heeft geen gedachten om zichzelf of haar peuter iets aan te doen, zegt ze.",
        "De jongen wil niet dat zijn vader weet waar hij nu woont.",
        "Ik heb haar doorverwezen naar het Centrum Seksueel Geweld; ligt het nu bij hen?",
        "Hij sloeg vanochtend bij het proefwerk zeker de helft van alle moeilijke vragen over.",
    ],
)
def test_round_thirteen_no_acute_answer(text):
    assert not danger(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Een meisje zei lachend dat haar vader haar vermoordt als ze te laat thuiskomt van de training.",
        "Bij het ophalen riep een vader 'ik vermoord die scheidsrechter'. Het was duidelijk een grapje.",
    ],
)
def test_round_thirteen_jokes_ask_at_most_the_question(text):
    assert not danger(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Een kleuter viel vanochtend van het klimrek en heeft een bult. De juf had het zelf gezien en de ouders zijn gebeld.",
        "Ze kwam vandaag met een gebroken pols, gisteren van de trampoline gevallen. Op de huisartsenpost is het gips gezet.",
    ],
)
def test_round_thirteen_a_seen_or_checked_accident_asks_the_question(text):
    found = danger(text)
    assert not found.acute and found.weak


@pytest.mark.parametrize(
    "text",
    [
        # no one saw it and no doctor checked it: acute as before
        "Hij kwam vanochtend met een gebroken arm, hij zegt dat hij van de fiets is gevallen.",
        # violence next to the accident story
        "Ze is gisteren van de trap gevallen, zegt ze, maar haar vader heeft haar geslagen; de huisarts zag niets ernstigs.",
        # a baby's bruises are a specific cue
        "Een baby van 3 maanden heeft blauwe plekken, moeder zegt dat hij van de bank is gevallen. De huisarts zag niets ernstigs.",
    ],
)
def test_round_thirteen_an_unexplained_injury_stays_acute(text):
    assert danger(text).acute
