"""Several facts in one message and past harm, on wording of their own (no
model needed): refusal wordings and a refusal that is over, negation scope of
"gemeld"/"doorverwezen", intentions that are no fact, help in place, moves,
and the model's acute guess on harm the message places in the past.

The sentences here are written for these tests, not taken from tests/nlu/.
"""

import pytest

from bot.answer_plan import plan_answers
from bot.contract import FASE_DOORVERWEZEN, FASE_GEMELD
from bot.nlu.decision import ACUUT, FALLBACK, TWIJFEL_GEVAAR, analyse_message, decide
from bot.nlu.detector import (
    STAPPEN,
    VERANTWOORDELIJKHEID,
    VERHUIZING,
    VRAAG_VT,
    WEIGERING,
    ZORGEN,
    detect,
)


@pytest.mark.parametrize(
    "text",
    [
        "de stiefvader doet de voordeur niet open als de gezinscoach aanbelt",
        "sinds januari houden de ouders de jeugdhulpverleners buiten de deur",
        "mevrouw zegt dat ze geen enkele hulp meer wil",
        "vader wil niet dat de jeugdverpleegkundige nog langskomt",
        "ze kwamen na het intakegesprek niet meer opdagen",
        "de ouders komen de gemaakte afspraken niet na",
        "de moeder wil de aanmelding bij de GGZ intrekken",
        "de ouders hebben de begeleiding opgezegd",
        "de ouders willen het zelf oplossen",
        "ze houden de hulpverlening op afstand",
        "de moeder is na twee gesprekken afgehaakt",
        "vader ontloopt elk gesprek met de school",
        "ze reageren niet meer op brieven van het wijkteam",
        "de ouders staan niet open voor opvoedondersteuning",
        "moeder heeft geen behoefte aan contact met de jeugdverpleegkundige",
        "vader negeert alle adviezen van het consultatiebureau",
        "de ouders hebben bedankt voor verdere begeleiding",
        "ze wijzen de hulp van de gezinscoach van de hand",
        "de ouders accepteren geen enkele ondersteuning",
    ],
)
def test_refusal_in_many_word_orders(text):
    assert WEIGERING in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "In het begin weigerde moeder elk gesprek, maar inmiddels werkt ze goed mee.",
        "De ouders hielden de hulp lang af. Dat is nu voorbij.",
        "Vader wees de hulp eerst af. Nu accepteert hij toch de begeleiding.",
    ],
)
def test_a_refusal_that_is_over_is_no_refusal(text):
    assert WEIGERING not in detect(text).situations


def test_a_new_refusal_after_it_was_over_counts_again():
    text = "Eerst weigerden ze, daarna werkten ze wel mee. Sinds vorige week zeggen ze alles af."
    assert WEIGERING in detect(text).situations


@pytest.mark.parametrize(
    "text, fase, gemeld",
    [
        ("de ouders willen geen hulp na de melding bij VT", FASE_GEMELD, True),
        ("ze werken niet mee sinds onze melding bij Veilig Thuis", FASE_GEMELD, True),
        ("Veilig Thuis is niet ingeschakeld", None, False),
        ("we hebben verwezen naar de jeugd-GGZ, niet naar Veilig Thuis", FASE_DOORVERWEZEN, False),
        ("er is geen contact geweest met Veilig Thuis", None, False),
        ("Veilig Thuis is op de hoogte van het gezin", FASE_GEMELD, True),
        ("VT is nog niet op de hoogte", None, False),
        ("moet ik nu een melding doen bij Veilig Thuis?", None, None),
        ("ik overweeg het gezin te melden", None, None),
        ("het gezin staat op de wachtlijst bij de kinder-GGZ", FASE_DOORVERWEZEN, None),
        ("de gezinscoach is sinds maart betrokken", FASE_DOORVERWEZEN, None),
        ("ik ben als leerkracht nauw betrokken bij het kind", None, None),
        ("de moeder heeft gisteren gemeld dat ze naar Ede verhuizen", None, None),
        ("ik heb de signalen gemeld bij onze aandachtsfunctionaris", None, None),
        ("wij hebben bij Veilig Thuis gemeld dat de vader drinkt", FASE_GEMELD, True),
    ],
)
def test_what_was_done_and_what_was_not(text, fase, gemeld):
    found = detect(text)
    assert (found.fase, found.gemeld_bij_vt) == (fase, gemeld)


def test_an_intention_drops_the_models_fase_entity_too():
    assert FASE_GEMELD in detect("moeten we een melding doen?").denied_fases


@pytest.mark.parametrize(
    "text",
    [
        "na de melding blijf ik me zorgen maken",
        "Na onze melding blijven wij ons zorgen maken.",
        "sinds de melding bij VT blijven we ons zorgen maken over de jongen",
    ],
)
def test_worrying_after_a_report_is_no_intention_to_report(text):
    found = detect(text)
    assert (found.fase, found.gemeld_bij_vt) == (FASE_GEMELD, True)


def test_making_a_report_is_still_an_intention():
    assert FASE_GEMELD in detect("moet ik nu een melding maken bij Veilig Thuis?").denied_fases


@pytest.mark.parametrize(
    "text",
    [
        "ze gaan bij tante en oom in Tiel wonen",
        "de familie is met de noorderzon vertrokken",
        "moeder schrijft de kinderen volgende week uit op school",
        "het gezin heeft een appartement gekocht in Arnhem",
        "vader gaat emigreren en neemt zijn zoon mee",
        "vanaf de zomer wonen ze in Dordrecht",
    ],
)
def test_moves_in_other_words(text):
    assert VERHUIZING in detect(text).situations


@pytest.mark.parametrize(
    "text, situation",
    [
        ("er zijn extra zorgen bijgekomen over de jongste", ZORGEN),
        ("ik heb nog altijd zorgen over het meisje", ZORGEN),
        ("de thuissituatie verslechtert", ZORGEN),
        ("wat is mijn rol nog nu het wijkteam het heeft overgenomen?", VERANTWOORDELIJKHEID),
        ("moet ik de leerling blijven volgen na de verwijzing?", VERANTWOORDELIJKHEID),
        ("ligt de verantwoordelijkheid nu bij Veilig Thuis?", VERANTWOORDELIJKHEID),
        ("mag ik het gezin nu loslaten?", VERANTWOORDELIJKHEID),
        ("moet ik de stappen van de meldcode opnieuw doorlopen?", STAPPEN),
        ("hoe werkt het afwegingskader bij deze zorgen?", STAPPEN),
    ],
)
def test_concerns_and_the_responsibility_question_in_other_words(text, situation):
    assert situation in detect(text).situations


def test_refusal_and_move_after_a_referral_ask_whether_it_was_reported():
    text = (
        "De leerling is aangemeld bij het sociaal wijkteam. De ouders zeggen nu alle "
        "gesprekken af en gaan in Venlo wonen."
    )
    found = detect(text)
    plan = plan_answers(found.situations, found.fase, found.gemeld_bij_vt)
    assert [a.situation for a in plan.answers] == ["hulp_geweigerd"]
    assert plan.question == "gemeld_bij_vt"


@pytest.mark.parametrize(
    "text",
    [
        "Een vrouw vertelde dat haar vader haar als kind sloeg. Ze is nu zestig.",
        "Vorig jaar is de moeder mishandeld door haar toenmalige partner.",
        "Vorige maand had de jongen een gekneusde pols. Hij had ook een schaafwond.",
    ],
)
def test_the_models_acute_guess_on_past_harm_asks_the_question(text):
    decision = decide([ACUUT, "zorgen_blijven"], detect(text))
    assert decision.intent == TWIJFEL_GEVAAR and not decision.acuut


def test_past_harm_that_is_over_asks_nothing():
    text = "Jaren geleden sloeg zijn vader hem. Het gaat nu goed met hem."
    decision = decide([ACUUT], detect(text))
    assert not decision.acuut and not decision.twijfel_gevaar
    ranking = [{"name": ACUUT, "confidence": 0.7}, {"name": "out_of_scope", "confidence": 0.2}]
    assert analyse_message(text, ACUUT, ranking)["intent"] == "out_of_scope"
    assert analyse_message(text, ACUUT, ranking[:1])["intent"] == FALLBACK


@pytest.mark.parametrize(
    "text",
    [
        "Vroeger sloeg hij haar. Vanavond komt hij terug.",
        "Vorig jaar gemeld wegens mishandeling. Nu slaat hij haar weer.",
        "Als kind werd ze geslagen. Ze is bang voor haar vriend.",
    ],
)
def test_past_harm_next_to_something_now_keeps_the_models_acute_guess(text):
    assert decide([ACUUT], detect(text)).acuut


@pytest.mark.parametrize(
    "text",
    [
        "ik ben bang dat ik iets over het hoofd zie",
        "de jongen is bang om zijn hond kwijt te raken",
        "de ouders zijn bang dat hun dochter gepest wordt",
    ],
)
def test_harmless_fears_ask_no_danger_question(text):
    assert not detect(text).weak_danger


def test_fear_of_a_person_still_asks_the_danger_question():
    assert detect("de jongen is bang voor zijn stiefvader").weak_danger


def test_slight_model_doubt_does_not_hide_situations_the_cues_read():
    ranking = [
        {"name": "meerdere_situaties", "confidence": 0.85},
        {"name": ACUUT, "confidence": 0.15},
    ]
    text = "De ouders hebben de hulp opgezegd. Ze vertrekken volgende week naar Breda."
    analysis = analyse_message(text, "meerdere_situaties", ranking)
    assert analysis["intent"] == "meerdere_situaties" and not analysis["twijfel_gevaar"]
    vague = analyse_message("ik heb een naar gevoel over dit gezin", "zorgen_blijven", ranking)
    assert vague["intent"] == TWIJFEL_GEVAAR


@pytest.mark.parametrize(
    "text, situations, fase, gemeld",
    [
        ("het gezin is gemelt bij vt en gaat verhuisen", (VERHUIZING,), FASE_GEMELD, True),
        ("doorverweze naar het cjg, de zorgen blijve", (ZORGEN,), FASE_DOORVERWEZEN, None),
        ("kind gemeld bij veiligthuis", (), FASE_GEMELD, True),
        ("we hebben Veilig Thuis gebeld voor advies", (), None, None),
    ],
)
def test_typing_errors_in_situation_and_fact_words(text, situations, fase, gemeld):
    found = detect(text)
    assert (found.situations, found.fase, found.gemeld_bij_vt) == (situations, fase, gemeld)


def test_thanking_the_assistant_is_no_refusal():
    assert detect("bedankt voor de hulp!").situations == ()


# Round 5: wordings of persisting concerns, refusals, moves, facts and the
# responsibility question that professionals use in longer messages.


@pytest.mark.parametrize(
    "text",
    [
        "De zorgen over het gewicht en de kleding van de tweeling zijn gebleven.",
        "De signalen rond de oudste dochter en haar broertje blijven.",
        "Na ons gesprek met de ouders blijven er nog steeds signalen.",
        "Ook na de doorverwijzing komt de jongen zonder ontbijt naar school.",
        "Ondanks onze melding gaat de situatie thuis gewoon door.",
        "We zijn nog steeds bezorgd over de peuter.",
        "Ik vermoed nog altijd dat er thuis iets misgaat.",
        "Ik zie nog steeds dat het meisje schrikt van harde geluiden.",
        "Intussen blijft de zuigeling slecht drinken.",
    ],
)
def test_persisting_concerns_in_longer_wordings(text):
    assert ZORGEN in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "De kinderen blijven voorlopig bij hun tante wonen.",
        "Ik heb zorgen of de jongen na de zomer op deze school kan blijven zitten.",
        "Ik ben bezorgd over een leerling die vaak huilt.",
        "Sinds de doorverwijzing gaat het veel beter met het meisje.",
        "Ik zie dat hij zich goed ontwikkelt.",
    ],
)
def test_no_persisting_concerns_without_a_word_that_they_persist(text):
    assert ZORGEN not in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Moeder laat weten dat ze niet meer meewerkt aan het plan.",
        "Vader zegt dat hij geen jeugdhulpverlener meer binnenlaat.",
        "De ouders hebben het advies van de kinderarts niet opgevolgd.",
        "Ze blijft de afspraken met de gezinscoach steeds ontlopen.",
        "De ouders willen de therapie van hun zoon stopzetten.",
        "De jongere wil niet meer naar het maatschappelijk werk.",
    ],
)
def test_refusals_in_subordinate_clauses_and_other_orders(text):
    assert WEIGERING in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Moeder werkt goed mee aan het plan.",
        "Vader laat de gezinscoach elke week binnen.",
        "De ouders hebben het advies van de kinderarts goed opgevolgd.",
        "De therapie is afgerond en de ouders zijn tevreden.",
        "De jongere gaat graag naar het maatschappelijk werk.",
    ],
)
def test_cooperation_is_no_refusal(text):
    assert WEIGERING not in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Het gezin gaat na de kerstvakantie naar Assen.",
        "De familie vertrekt eind van de maand naar Roermond.",
        "Mevrouw gaat over twee weken bij haar zoon in Zeist wonen.",
    ],
)
def test_moves_with_a_time_in_between(text):
    assert VERHUIZING in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Het gezin gaat elke zondag naar de kerk.",
        "Het gezin gaat in de zomer naar opa in het dorp.",
        "Het gezin gaat volgende week naar het wijkteam voor een gesprek.",
    ],
)
def test_a_visit_is_no_move(text):
    assert VERHUIZING not in detect(text).situations


@pytest.mark.parametrize(
    "text, fase, gemeld",
    [
        ("Veilig Thuis is niet ingelicht over het gezin.", None, False),
        ("Veilig Thuis is vorige maand ingelicht.", FASE_GEMELD, True),
        ("Het team heeft besloten om niet te melden.", None, False),
        ("Ik weet niet meer of mijn collega het gezin heeft gemeld.", None, None),
        ("Ik weet niet zeker of er is doorverwezen.", None, None),
    ],
)
def test_more_wordings_of_what_was_done(text, fase, gemeld):
    found = detect(text)
    assert (found.fase, found.gemeld_bij_vt) == (fase, gemeld)


@pytest.mark.parametrize(
    "text",
    [
        "Het gezin is gemeld en verhuist. Ligt de verantwoordelijkheid nu nog bij mij?",
        "Wat is onze verantwoordelijkheid als het gezin naar Venray verhuist?",
        "Moeten we als school nog iets doen nu het CJG erbij is?",
    ],
)
def test_the_responsibility_question_in_more_words(text):
    assert VERANTWOORDELIJKHEID in detect(text).situations


def test_no_responsibility_question_in_a_plain_report():
    assert VERANTWOORDELIJKHEID not in detect("We hebben het gezin gemeld bij VT.").situations


# Round 5: false acute answers on messages without danger now.


@pytest.mark.parametrize(
    "text",
    [
        "Niets wijst op direct gevaar, maar de zorgen over het verzuim blijven.",
        "Er is geen sprake van acuut gevaar, het gaat om de hygiene.",
    ],
)
def test_danger_denied_in_other_words_is_not_acute(text):
    assert not detect(text).acute


def test_a_real_danger_word_next_to_a_denied_one_still_asks():
    found = detect("Niets wijst op gevaar, al zei vader gisteren dat hij haar gaat vermoorden.")
    assert found.acute or found.weak_danger


@pytest.mark.parametrize(
    "text",
    [
        "De buurvrouw sloeg gisteren meteen alarm toen de kat weg was.",
        "Vader dreigde vandaag zijn dochter van school te halen als we de hulp doorzetten.",
        "De moeder dreigde vorige week met een advocaat, nu is het weer rustig.",
        "We hebben vandaag een vermoeden van kindermishandeling besproken in het zorgteam.",
        "Ik wil nu weten wat de meldcode huiselijk geweld en kindermishandeling van mij vraagt.",
        "Kun je me vandaag uitleggen wanneer je een situatie acuut noemt?",
    ],
)
def test_harmless_uses_of_danger_words_are_not_acute(text):
    assert not detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Vader sloeg haar gisteren, ik sla nu alarm.",
        "Vader dreigde vandaag zijn dochter iets aan te doen.",
        "Vandaag vertelde het meisje dat haar stiefvader haar mishandelt.",
        "Het is acuut: moeder belt vanuit de badkamer.",
    ],
)
def test_the_same_words_with_real_danger_stay_acute(text):
    assert detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "Drie jaar geleden werd vader opgepakt voor geweld, toen is er een huisverbod gekomen. Hij woont nu in Spanje.",
        "In zijn jeugd werd de man door zijn vader geslagen. Nu vraagt hij hoe hij zijn eigen kind opvoedt.",
        "Een opa vertelt over de klappen die hij in de oorlog kreeg. Hij woont nu in een verzorgingshuis.",
        "Moeder heeft oude littekens op haar armen. Ik wil weten hoe ik dat vastleg.",
    ],
)
def test_harm_clearly_in_the_past_is_not_acute(text):
    found = detect(text)
    assert not found.acute and found.past_only


@pytest.mark.parametrize(
    "text",
    [
        "Vorig jaar werd ze geslagen, toen ik vandaag kwam had ze weer een blauw oog.",
        "Vorig jaar was er geweld. Toen hij gisteren thuiskwam, sloeg hij haar weer.",
    ],
)
def test_toen_with_a_word_of_today_stays_acute(text):
    assert detect(text).acute


def test_violence_that_is_over_now_is_no_time_of_the_harm():
    text = "Moeder kreeg hulp vanwege geweld van haar ex, dat is nu voorbij."
    assert not detect(text).acute
    assert detect("Moeder kreeg hulp vanwege geweld van haar ex, dat gebeurt nu.").acute


def test_bruises_some_weeks_old_ask_no_question_but_a_babys_age_stays_acute():
    old = detect("Er is geen melding gedaan. Het kind heeft blauwe plekken van een paar weken oud.")
    assert not old.acute and not old.weak_danger
    assert detect("Een baby van drie weken oud heeft een blauwe plek op zijn wang.").acute


def test_passing_a_house_in_fear_of_a_dog_is_no_fear_of_home():
    assert not detect("Het meisje durft niet langs het huis met de grote hond.").acute
    assert detect("Het meisje durft niet naar huis.").acute


@pytest.mark.parametrize(
    "text",
    [
        "De jongens speelden vandaag politie en boef en riepen dat ze elkaar gingen doodschieten.",
        "Hij vertelt vandaag dat hij in een schietspel met een pistool iedereen neerschiet.",
    ],
)
def test_a_pretend_game_asks_the_question_instead_of_acute(text):
    found = detect(text)
    assert not found.acute and found.weak_danger
    assert decide([ACUUT], found).intent == TWIJFEL_GEVAAR


@pytest.mark.parametrize(
    "text",
    [
        "De jongens speelden oorlogje. Vandaag zei zijn vader dat hij hem gaat vermoorden.",
        "Tijdens het gamen bedreigt een onbekende man hem met de dood in de chat.",
    ],
)
def test_a_real_threat_next_to_a_game_stays_acute(text):
    assert detect(text).acute


@pytest.mark.parametrize(
    "text",
    [
        "De politie kwam vorig jaar langs voor een burenruzie. Sindsdien is het rustig.",
        "Het kind is vorig jaar bij oma gaan wonen en het gaat goed.",
        "De ex van mevrouw heeft een contactverbod en er is niets meer gebeurd.",
    ],
)
def test_the_models_acute_guess_on_a_calm_message_asks_the_question(text):
    found = detect(text)
    assert found.calm and not found.acute
    decision = decide([ACUUT], found)
    assert decision.intent == TWIJFEL_GEVAAR and not decision.acuut


@pytest.mark.parametrize(
    "text",
    [
        "Sindsdien is het rustig, maar vanavond komt hij weer thuis.",
        "Hij slaat haar, maar het gaat goed met de kinderen.",
        "Het gaat goed op school, alleen is ze bang voor haar vader.",
        # calm words without anything before now: no sign that danger is past
        "Moeder voelt zich veilig bij ons, vader staat voor de deur.",
    ],
)
def test_calm_words_next_to_harm_or_a_word_of_now_keep_the_models_acute_guess(text):
    found = detect(text)
    assert not found.calm
    assert decide([ACUUT], found).acuut


@pytest.mark.parametrize(
    "text",
    [
        "De jonge vader is bang dat hij tekortschiet als opvoeder.",
        "Oma is bang dat de buurt zal denken dat ze niet goed voor het kind zorgt.",
    ],
)
def test_fear_of_failing_or_of_what_others_think_asks_no_question(text):
    assert not detect(text).weak_danger


def test_fear_of_what_a_person_will_do_still_asks_the_question():
    found = detect("Moeder is bang dat haar ex de kinderen iets aandoet.")
    assert found.weak_danger or found.acute


@pytest.mark.parametrize(
    "text",
    [
        "We hebben gemeld, maar ik zie nog dezelfde signalen bij de jongste.",
        "Doorverwezen naar de jeugdarts, het blijft zorgelijk in dat gezin.",
        "Na de verwijzing naar het CJG blijft de jongen vertellen over ruzie thuis.",
        "Ze zijn naar het wijkteam verwezen, maar hij heeft nog steeds geen schoenen die passen.",
        "Sinds de melding is de peuter weer afgevallen.",
    ],
)
def test_round_six_persisting_concerns_in_other_words(text):
    assert ZORGEN in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Na de doorverwijzing gaat het nog steeds goed met haar.",
        "Het kind is nog steeds in behandeling bij de jeugd-GGZ en het loopt goed.",
    ],
)
def test_still_going_well_is_no_persisting_concern(text):
    assert ZORGEN not in detect(text).situations


def test_a_zorgmelding_at_veilig_thuis_is_a_report():
    found = detect("Na onze zorgmelding bij VT in maart is het stil gebleven.")
    assert found.fase == FASE_GEMELD and found.gemeld_bij_vt is True


@pytest.mark.parametrize(
    "text",
    [
        "De ouders weigeren alle hulp. Wat is het telefoonnummer van Veilig Thuis?",
        "Het gezin verhuist naar Deventer; hoe bereik ik VT?",
        "Sinds de melding blijven de zorgen. Is Veilig Thuis in het weekend bereikbaar?",
    ],
)
def test_a_question_how_to_reach_veilig_thuis_next_to_a_case_is_answered_too(text):
    situations = decide([], detect(text)).situaties
    assert VRAAG_VT in situations and len(situations) >= 2


def test_someone_unreachable_for_veilig_thuis_is_no_question_about_it():
    assert VRAAG_VT not in detect("Moeder is niet bereikbaar voor Veilig Thuis.").situations


@pytest.mark.parametrize(
    "text",
    [
        "Moeder stelt de intake bij de jeugd-GGZ al weken steeds uit.",
        "Vader schuift het gesprek met de gezinscoach telkens op.",
        "Hij wil die begeleiding nu niet meer.",
        "De ouders willen sinds kort ook de hulp van het wijkteam niet meer.",
        "De behandeling is gestopt omdat de ouders niet meer wilden.",
        "Ze hebben de therapie zelf gestopt.",
    ],
)
def test_round_seven_refusals_in_other_words(text):
    assert WEIGERING in detect(text).situations


def test_help_that_ended_is_no_refusal():
    assert WEIGERING not in detect("Het traject is afgerond en de hulp is nu gestopt.").situations


@pytest.mark.parametrize(
    "text",
    [
        "Sinds de melding zie ik dat haar zoon nog steeds haar geld beheert.",
        "Na de verwijzing is er weer geen eten in huis.",
    ],
)
def test_round_seven_persisting_concerns(text):
    assert ZORGEN in detect(text).situations


def test_veilig_thuis_as_a_pronoun_after_it_is_still_the_question_how_to_reach_it():
    text = "Wat doet Veilig Thuis met mijn vraag, en hoe bereik ik ze?"
    assert VRAAG_VT in detect(text).situations


def test_not_knowing_whether_veilig_thuis_knows_is_no_doubt_about_safety():
    found = detect("Ik weet niet of het gezin bij Veilig Thuis gemeld is.")
    assert not found.weak_danger and found.gemeld_bij_vt is None


def test_a_real_word_next_to_a_cue_word_is_not_read_as_that_cue_word():
    # "lessen" is one letter from "messen" (knives)
    assert not detect("De kinderen missen vandaag veel lessen.").acute


@pytest.mark.parametrize(
    "text",
    [
        "De ouders wijzen de begeleiding van de gezinscoach al maanden af.",
        "Moeder zegt steeds dat ze de intake bij het wijkteam gaat plannen, maar het gebeurt niet.",
        "Vader wil niet dat zijn dochter naar de psycholoog gaat.",
    ],
)
def test_round_eight_refusals(text):
    assert WEIGERING in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Na de zomer trekken ze naar Deventer.",
        "Over drie weken gaan ze naar Heerlen, zegt moeder.",
    ],
)
def test_round_eight_moves(text):
    assert VERHUIZING in detect(text).situations


def test_going_somewhere_in_the_holidays_is_no_move():
    assert VERHUIZING not in detect("In de zomer gaan ze naar de camping.").situations


@pytest.mark.parametrize(
    "text",
    [
        "Zorgen na de verwijzing naar het maatschappelijk werk.",
        "Na de melding nog steeds zorgen over de hygiene.",
    ],
)
def test_round_eight_persisting_concerns(text):
    assert ZORGEN in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Ik wil graag weten hoe ik Veilig Thuis kan bereiken.",
        "Hoe kunnen we VT bellen voor advies?",
    ],
)
def test_round_eight_questions_how_to_reach_veilig_thuis(text):
    assert VRAAG_VT in detect(text).situations


def test_the_five_steps_are_the_meldcode_steps_question():
    assert STAPPEN in detect("Wat waren de vijf stappen ook alweer?").situations


def test_a_report_denied_at_the_end_of_a_longer_clause_is_no_report():
    found = detect("Een melding bij Veilig Thuis hebben we nog niet gedaan.")
    assert found.fase != FASE_GEMELD and found.gemeld_bij_vt is False


@pytest.mark.parametrize(
    "text",
    [
        "De ouders zeggen dat ze met de opvoedondersteuning stoppen.",
        "Moeder stemt niet in met de verwijzing naar de kinderarts.",
        "Ze houden de jeugdverpleegkundige al maanden aan het lijntje.",
        "Hij is doorverwezen, maar hij gaat daar niet meer heen.",
        "Mevrouw wil geen thuiszorg meer toelaten.",
    ],
)
def test_round_nine_refusals(text):
    assert WEIGERING in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Sinds de melding komt hij met dezelfde klachten.",
        "Na de verwijzing nemen de signalen niet af.",
        "Na de melding gaan de signalen gewoon door.",
        "Ik blijf na de verwijzing signalen zien.",
        "Sinds de melding blijft meneer vermageren.",
    ],
)
def test_round_nine_persisting_concerns(text):
    assert ZORGEN in detect(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "Ze gaat volgende maand met haar vriend samenwonen in Almere.",
        "Ik hoorde dat ze naar Venlo gaan.",
        "Moeder zegt dat ze naar haar ouders in Assen trekt.",
    ],
)
def test_round_nine_moves(text):
    assert VERHUIZING in detect(text).situations


@pytest.mark.parametrize("text", ["Ze gaan morgen naar school.", "Hij wil naar buiten gaan."])
def test_going_to_school_or_outside_is_no_move(text):
    assert VERHUIZING not in detect(text).situations


def test_round_nine_questions_and_facts():
    assert VERANTWOORDELIJKHEID in detect("Wat zijn nu mijn verantwoordelijkheden?").situations
    assert STAPPEN in detect("Welke meldcodestappen gelden hier?").situations
    assert VRAAG_VT in detect("Hoe neem ik contact op met Veilig Thuis?").situations
    reported = detect("Sinds we het gezin bij VT meldden is er weinig veranderd.")
    assert reported.fase == FASE_GEMELD and reported.gemeld_bij_vt is True


@pytest.mark.parametrize(
    "text",
    [
        "Sinds de melding zijn ze gestopt met de gezinsbegeleiding.",
        "Vader wil niet verder met de psycholoog.",
        "De ouders willen niet meer met de jeugdarts praten.",
        "Ze zegt elke week dat ze het CJG belt, maar ze belt nooit.",
        "De ouders willen geen enkel contact meer met ons of met de hulpverlening.",
    ],
)
def test_round_ten_refusals(text):
    assert WEIGERING in detect(text).situations


def test_round_ten_facts():
    unsure = detect("Het gezin verhuist. Of er ooit bij Veilig Thuis is gemeld, weet ik niet.")
    assert unsure.gemeld_bij_vt is None and unsure.fase != FASE_GEMELD
    assert detect("Veilig Thuis weet van niets.").gemeld_bij_vt is False
    never = detect("Doorverwezen naar de JGZ. Een melding is er nooit geweest.")
    assert never.fase == FASE_DOORVERWEZEN and never.gemeld_bij_vt is False
    dated = detect("Ze zijn verhuisd, na een melding bij Veilig Thuis vorig voorjaar.")
    assert dated.fase == FASE_GEMELD
    generic = detect("Wat moet ik doen na een melding?")
    assert generic.fase is None
    assert ZORGEN in detect("Na de melding blijft de zoon geld van haar rekening halen.").situations
    assert VRAAG_VT in detect("Hoe vraag ik Veilig Thuis om advies?").situations


def test_round_twelve_questions_next_to_a_case():
    assert (
        VERANTWOORDELIJKHEID
        in detect("Draag ik als leerkracht nog verantwoordelijkheid?").situations
    )
    # not knowing is no negation
    assert VERANTWOORDELIJKHEID in detect("Ik weet niet precies wat mijn taak nog is.").situations
    asked = detect("We hebben niet gemeld bij Veilig Thuis. Wat is hun telefoonnummer?")
    assert VRAAG_VT in asked.situations and asked.gemeld_bij_vt is False
    assert VRAAG_VT not in detect("Wat is het nummer van de huisarts van het gezin?").situations
    colleague = detect(
        "Ik denk dat een collega een peuter hardhandig vastpakt. Wat is het stappenplan van de meldcode?"
    )
    assert set(colleague.situations) == {"vermoeden_collega", STAPPEN}
    only_route = detect("Een collega slaat kinderen. Ook weigeren de ouders hulp.")
    assert only_route.situations == ("vermoeden_collega",)


@pytest.mark.parametrize(
    "text",
    [
        "Na de verwijzing naar het wijkteam kwamen de zorgen na een paar weken terug.",
        "Het vermoeden van verwaarlozing blijft, ook met de hulp erbij.",
    ],
)
def test_round_twelve_persisting_concerns(text):
    assert ZORGEN in detect(text).situations


def test_round_twelve_facts_and_moves():
    past_report = detect(
        "Na een melding bij Veilig Thuis is het gezin begeleid door het wijkteam, dat is gestopt."
    )
    assert past_report.fase == FASE_GEMELD
    assert detect("Wat gebeurt er na een melding bij Veilig Thuis?").fase is None
    doubting = detect("Ik twijfel over een meisje dat ik naar de jeugdarts heb doorverwezen.")
    assert doubting.fase == FASE_DOORVERWEZEN
    assert detect("Ik twijfel of ik moet melden.").fase is None
    assert VERHUIZING in detect("Mevrouw is bij haar dochter ingetrokken in Assen.").situations
    assert WEIGERING in detect("Hij wil geen contact meer met de schuldhulpverlening.").situations


def test_round_thirteen_situations_and_facts():
    assert WEIGERING in detect("De hulp loopt, maar moeder zegt nu dat ze ermee stopt.").situations
    assert (
        WEIGERING
        in detect(
            "Ze hebben de begeleiding door de gezinscoach van het wijkteam afgebroken."
        ).situations
    )
    assert (
        VERANTWOORDELIJKHEID in detect("Wie is er nu verantwoordelijk voor de jongen?").situations
    )
    assert STAPPEN in detect("Hoe doorloop ik de meldcode nog een keer?").situations
    assert STAPPEN in detect("Welke stappen moet ik nu opnieuw doorlopen?").situations
    assert (
        VERHUIZING in detect("De zoon wil zijn moeder meenemen naar zijn huis in Emmen.").situations
    )
    referred = detect("Op ons advies zijn de ouders naar het wijkteam gegaan.")
    assert referred.fase == FASE_DOORVERWEZEN
    # the professional who asks whether she may stop is no refusal
    assert WEIGERING not in detect("Ik wil weten of ik ermee kan stoppen.").situations
