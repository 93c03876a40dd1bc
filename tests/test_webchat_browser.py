"""The web widget in a real headless browser: Debian's chromium, driven by Selenium.

Uses the shared assistant (tests/shared_assistant.py), opens the demo page
/webhooks/webchat/ and an "intranet" page on another origin, and uses the
widget as a professional would: typing, clicking buttons, reloading, keyboard
only, a 320 px screen, 200% zoom. The server going away and coming back is
tested in tests/test_restart.py. The screenshots in docs/ are made here.
"""

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import PROTOCOL, TEXTS, Widget, assert_checklist, demo_url, shot

pytestmark = pytest.mark.integration


# ---- tests ---------------------------------------------------------------------------


def test_situations_are_rendered_as_checklists_with_their_sources(assistant, driver):
    widget = Widget(driver)
    widget.viewport(1280, 800)  # a laptop screen, also for the screenshot
    try:
        situations_in_the_widget(widget, driver, demo_url(assistant))
    finally:
        widget.reset_viewport()


def situations_in_the_widget(widget, driver, url):
    widget.open_fresh(url)
    assert driver.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "nl"
    assert widget.only_welcome()

    widget.say("ouders weigeren hulp")
    assert_checklist(widget.cards()[-1], ["weigering.direct_melden"])
    title = widget.cards()[-1].find_element(By.CSS_SELECTOR, "h3").text
    assert title == PROTOCOL.situations["hulp_geweigerd"].title
    assert widget.button("Opnieuw beginnen")  # the follow-up buttons are there

    question = widget.say("gezin is verhuisd naar Zwolle")
    assert (
        question[-1].find_element(By.CSS_SELECTOR, ".mcw-text").text
        == PROTOCOL.questions["gemeld_bij_vt"].text
    )
    widget.click("Ja, gemeld")
    users = driver.find_elements(By.CSS_SELECTOR, ".mcw-log .mcw-user .mcw-text")
    assert users[-1].text == "Ja, gemeld"  # the button's title, not its payload
    card = widget.cards()[-1]
    assert_checklist(
        card,
        ["verhuizing.contact_nieuwe_woonplaats", "verhuizing.overdracht_checken"],
        plaats="Zwolle",
    )
    widget.scroll_to(card)
    shot(driver, "webchat.png")

    widget.say("na de melding blijf ik me zorgen maken")
    assert_checklist(widget.cards()[-1], ["melding.blijven_volgen", "melding.opnieuw_contact"])


def test_region_of_a_move_and_the_note_for_the_dossier(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    widget.say("het gezin is verhuisd naar Nijverdal")
    widget.click(PROTOCOL.questions["gemeld_bij_vt"].buttons[1]["title"])  # not reported
    region = widget.cards()[-1].find_element(By.CSS_SELECTOR, ".mcw-regio")
    assert region.find_element(By.CSS_SELECTOR, "h4").text == TEXTS["vt_regio_kop"]
    assert "Nijverdal (gemeente Hellendoorn) valt onder de Veilig Thuis-regio Twente" in (
        region.text
    )

    widget.say("de ouders weigeren hulp")
    widget.click("Verslag voor het dossier")
    note = widget.cards()[-1]
    text = note.find_element(By.CSS_SELECTOR, "pre.mcw-verslag").text
    assert text.startswith("Verslag voor het dossier (meldcode)")
    assert PROTOCOL.steps["weigering.direct_melden"].text in text
    # Shown once: as the note, not also as a plain message before it.
    plain = [m.text for m in widget.messages() if "Leg ook vast" in m.text]
    assert len(plain) == 1
    note.find_element(By.CSS_SELECTOR, ".mcw-copy").click()
    status = note.find_element(By.CSS_SELECTOR, "[role=status]")
    widget.wait(lambda: status.text in (TEXTS["gekopieerd"], TEXTS["kopieer_mislukt"]), 10)


def test_exercise_options_are_shown_once_as_buttons(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    case = widget.say("ik wil oefenen")[-1]
    options = [b.text for b in case.find_elements(By.CSS_SELECTOR, ".mcw-choice")]
    assert options[0].startswith("1. ") and len(options) >= 3
    assert not any(
        line.startswith("1. ")
        for line in case.find_element(By.CSS_SELECTOR, ".mcw-text").text.split("\n")
    )
    widget.click(options[0])
    assert widget.cards()  # right or wrong, the correct steps come as a checklist
    widget.say("stop oefenen")


def test_a_reminder_is_offered_as_a_calendar_file_to_download(assistant, driver):
    """Herinner mij, then a choice: a download link with the .ics, also after a reload."""
    import urllib.parse

    import icalendar

    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    widget.say("mijn naam is Jan de Vries en de ouders weigeren hulp")
    widget.click("Herinner mij")
    replies = widget.click("Over 2 weken")
    links = [
        link for reply in replies for link in reply.find_elements(By.CSS_SELECTOR, "a.mcw-download")
    ]
    assert len(links) == 1 and links[0].text == TEXTS["agenda_download"]
    name = links[0].get_attribute("download")
    assert name.startswith("herinnering-") and name.endswith(".ics")
    href = links[0].get_attribute("href")
    assert href.startswith("data:text/calendar")
    ics = urllib.parse.unquote(href.split(",", 1)[1])
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.walk("VALARM") and "weigering" not in str(event["DESCRIPTION"])
    assert "Veilig Thuis" in str(event["DESCRIPTION"]) and "Jan" not in ics
    assert name == f"herinnering-{event.decoded('DTSTART').date().isoformat()}.ics"
    driver.refresh()
    widget.wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".mcw-log a.mcw-download"), 30)


def test_a_reload_keeps_the_conversation_and_the_case(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    widget.say("de ouders weigeren hulp")
    first_box = widget.cards()[-1].find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    first_box.click()
    widget.say("het gezin is verhuisd naar Zwolle")
    sender = widget.stored()["sender"]
    assert sender.startswith("web.")  # issued and signed by the server (POST /rest/session)
    shown = [m.text for m in widget.messages()]

    driver.refresh()
    widget.wait(lambda: len(widget.messages()) == len(shown), 30)
    assert [m.text for m in widget.messages()] == shown
    assert widget.stored()["sender"] == sender
    assert widget.cards()[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]").is_selected()

    # The restored button still works, and the server still knows the place.
    widget.click("Ja, gemeld")
    assert_checklist(
        widget.cards()[-1],
        ["verhuizing.contact_nieuwe_woonplaats", "verhuizing.overdracht_checken"],
        plaats="Zwolle",
    )

    # An hour without use (a tab left open on a shared PC): not shown again.
    driver.execute_script(
        "var k = Object.keys(sessionStorage)[0], s = JSON.parse(sessionStorage.getItem(k));"
        "s.saved = Date.now() - 61 * 60 * 1000; sessionStorage.setItem(k, JSON.stringify(s));"
    )
    driver.refresh()
    widget.wait(lambda: widget.messages(), 30)
    assert widget.only_welcome()
    assert widget.stored()["sender"] != sender
    widget.say("de ouders weigeren hulp")
    sender = widget.stored()["sender"]

    driver.find_element(By.CSS_SELECTOR, ".mcw-new").click()
    assert widget.only_welcome()
    assert widget.stored()["sender"] != sender
    assert (
        driver.find_element(By.CSS_SELECTOR, ".mcw-status").text == TEXTS["nieuw_gesprek_gestart"]
    )
    driver.refresh()
    widget.wait(lambda: widget.messages(), 30)
    assert widget.only_welcome()


def test_html_in_messages_stays_text(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    attack = '<img src=x onerror="window.__ingebroken = 1"><b>vet</b><script>window.__ingebroken = 2</script>'
    widget.say(attack)
    user = driver.find_elements(By.CSS_SELECTOR, ".mcw-log .mcw-user")[-1]
    assert user.find_element(By.CSS_SELECTOR, ".mcw-text").text == attack
    assert driver.find_elements(By.CSS_SELECTOR, ".mcw-log img, .mcw-log b, .mcw-log script") == []
    widget.say("het gezin is verhuisd naar <img src=x onerror=alert(1)>")
    assert driver.find_elements(By.CSS_SELECTOR, ".mcw-log img") == []
    driver.refresh()  # the stored history is rendered as text too
    widget.wait(lambda: len(widget.messages()) > 1, 30)
    assert driver.find_elements(By.CSS_SELECTOR, ".mcw-log img, .mcw-log b, .mcw-log script") == []
    assert driver.execute_script("return window.__ingebroken === undefined;")
    with pytest.raises(NoAlertPresentException):
        _ = driver.switch_to.alert.text


def test_keyboard_only_with_labels_and_visible_focus(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    active = lambda: driver.switch_to.active_element  # noqa: E731
    for _ in range(10):  # Tab from the top of the page to the message field
        webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
        if active().get_attribute("id") == "mcw-input":
            break
    assert active().get_attribute("id") == "mcw-input"
    focus = driver.execute_script(
        "var s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, parseFloat(s.outlineWidth)];"
    )
    assert focus[0] != "none" and focus[1] >= 2

    webdriver.ActionChains(driver).send_keys(
        "ik blijf me zorgen maken over een leerling", Keys.ENTER
    ).perform()
    widget.wait(lambda: widget.driver.find_elements(By.CSS_SELECTOR, ".mcw-log .mcw-choice"))
    widget.wait(lambda: widget.log.get_attribute("aria-busy") is None)
    for _ in range(10):  # Shift+Tab back from the field to the answer buttons
        webdriver.ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(
            Keys.SHIFT
        ).perform()
        if active().text == "Gemeld bij Veilig Thuis":
            break
    assert active().text == "Gemeld bij Veilig Thuis"
    before = len(widget.messages())
    webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
    widget.wait(lambda: len(widget.cards()) == 1 and widget.log.get_attribute("aria-busy") is None)
    assert_checklist(widget.cards()[0], ["melding.blijven_volgen", "melding.opnieuw_contact"])
    assert len(widget.messages()) > before

    # Escape closes the chat and gives the focus to the button that opens it.
    widget.input.click()
    webdriver.ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert not driver.find_element(By.ID, "mcw-panel").is_displayed()
    assert active().text == TEXTS["open_knop"]
    assert active().get_attribute("aria-expanded") == "false"
    webdriver.ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert driver.find_element(By.ID, "mcw-panel").is_displayed()
    assert active().get_attribute("id") == "mcw-input"

    # Names for screen readers.
    assert driver.find_element(By.ID, "mcw-panel").accessible_name == TEXTS["regio_label"]
    assert widget.input.accessible_name == TEXTS["invoer_label"]
    assert widget.log.get_attribute("role") == "log"
    assert driver.find_element(By.CSS_SELECTOR, ".mcw-status").get_attribute("role") == "status"
    box = widget.cards()[0].find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    assert box.accessible_name.endswith(PROTOCOL.steps["melding.blijven_volgen"].text)
    assert (
        widget.messages()[0].find_element(By.CSS_SELECTOR, ".mcw-sr").get_attribute("textContent")
        == f"{TEXTS['afzender_assistent']}: "
    )


def test_readable_at_320_px_and_at_200_percent_zoom(assistant, driver):
    widget = Widget(driver)
    widget.open_fresh(demo_url(assistant))
    try:
        widget.viewport(320, 640)
        driver.refresh()
        widget.wait(lambda: widget.input.is_displayed(), 30)
        widget.say("na doorverwijzing naar het wijkteam blijf ik me zorgen maken")
        assert_checklist(
            widget.cards()[-1],
            [
                "doorverwijzing.blijven_volgen",
                "doorverwijzing.opnieuw_in_actie",
                "doorverwijzing.afspraken_nagaan",
                "doorverwijzing.bespreken_en_aankondigen",
            ],
        )
        assert widget.no_horizontal_scroll()
        widget.scroll_to(widget.cards()[-1])
        shot(driver, "webchat-320px.png")

        # 200% zoom of a 1280 x 800 window: 640 x 400 CSS pixels.
        widget.viewport(640, 400, scale=2)
        driver.refresh()
        widget.wait(lambda: widget.input.is_displayed(), 30)
        assert widget.no_horizontal_scroll()
        driver.execute_script("arguments[0].scrollIntoView({block: 'nearest'});", widget.input)
        font = driver.execute_script(
            "return parseFloat(getComputedStyle(arguments[0]).fontSize);", widget.input
        )
        assert font >= 16
        widget.say("ouders weigeren hulp")
        assert_checklist(widget.cards()[-1], ["weigering.direct_melden"])
        assert widget.no_horizontal_scroll()
    finally:
        widget.reset_viewport()


def test_an_intranet_page_embeds_it_with_one_script_tag(assistant, intranets, driver):
    allowed, other = intranets
    widget = Widget(driver)
    widget.open_fresh(allowed.origin + "/")
    launcher = driver.find_element(By.CSS_SELECTOR, ".mcw-launcher")
    assert not driver.find_element(By.ID, "mcw-panel").is_displayed()  # closed until asked
    launcher.click()
    widget.say("ouders weigeren hulp")
    assert_checklist(widget.cards()[-1], ["weigering.direct_melden"])

    # An origin that is not in CORS_ORIGINS gets no answers.
    widget.open_fresh(other.origin + "/")
    driver.find_element(By.CSS_SELECTOR, ".mcw-launcher").click()
    widget.input.send_keys("ouders weigeren hulp", Keys.ENTER)
    alert = driver.find_element(By.CSS_SELECTOR, ".mcw-alert")
    widget.wait(lambda: alert.is_displayed(), 30)
    assert widget.cards() == []
