"""The web widget in a real headless browser (Debian's chromium, driven by
Selenium): installing the browser, starting it, and a `Widget` that types and
clicks as a professional would. Used by test_webchat_browser.py and
test_restart.py; the browser fixtures are in tests/shared_assistant.py.
"""

import shutil
import subprocess
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from bot.channels.webchat import load_texts
from bot.content import load_protocol
from bot.render import fill
from harness.servers import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DOCS = PROJECT_ROOT / "docs"
# Generous: a reply on a busy 2-core machine; Rasa loading the model again.
REPLY_WAIT_SECONDS = 90
RECOVERY_WAIT_SECONDS = 60
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--lang=nl",
]
TEXTS = load_texts()
PROTOCOL = load_protocol()


def ensure_chromium() -> None:
    """Installs Debian's chromium and chromium-driver when missing."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        subprocess.run(
            [
                str(PROJECT_ROOT / "scripts" / "ensure-debian-packages.sh"),
                "chromium",
                "chromium-driver",
            ],
            check=True,
            timeout=900,
        )
    assert shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)


def new_driver(profile: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(60)
    return browser


class Widget:
    def __init__(self, driver):
        self.driver = driver

    def wait(self, condition, seconds=REPLY_WAIT_SECONDS, message=""):
        return WebDriverWait(self.driver, seconds, poll_frequency=0.2).until(
            lambda _: condition(), message
        )

    def open_fresh(self, url):
        """The page with a new conversation (as in a new tab)."""
        self.driver.get(url)
        self.driver.execute_script("window.sessionStorage.clear();")
        self.driver.get(url)
        self.wait(lambda: self.driver.find_elements(By.CSS_SELECTOR, ".mcw-panel"), 30)

    @property
    def log(self):
        return self.driver.find_element(By.CSS_SELECTOR, ".mcw-log")

    @property
    def input(self):
        return self.driver.find_element(By.ID, "mcw-input")

    def messages(self):
        return self.driver.find_elements(By.CSS_SELECTOR, ".mcw-log .mcw-msg")

    def _after(self, act):
        before = len(self.messages())
        act()
        # Done when the request is over and the user message plus a reply are there.
        self.wait(
            lambda: (
                self.log.get_attribute("aria-busy") is None and len(self.messages()) >= before + 2
            ),
            message="geen antwoord in de widget",
        )
        return self.messages()[before + 1 :]

    def say(self, text):
        """Types like a user (Enter sends) and returns the new bot messages."""

        def act():
            self.input.click()
            self.input.send_keys(text, Keys.ENTER)

        return self._after(act)

    def click(self, title):
        return self._after(lambda: self.button(title).click())

    def button(self, title):
        buttons = [
            b
            for b in self.driver.find_elements(By.CSS_SELECTOR, ".mcw-log .mcw-choice")
            if b.text == title
        ]
        assert buttons, f"knop {title!r} niet gevonden"
        return buttons[-1]

    def only_welcome(self):
        messages = self.messages()
        return (
            len(messages) == 1
            and messages[0].find_element(By.CSS_SELECTOR, ".mcw-text").text == TEXTS["welkom"]
        )

    def cards(self):
        return self.driver.find_elements(By.CSS_SELECTOR, ".mcw-log .mcw-card")

    def stored(self):
        return self.driver.execute_script(
            "var k = Object.keys(sessionStorage).filter(function (k) {"
            " return k.indexOf('meldcode-widget:') === 0; })[0];"
            "return k ? JSON.parse(sessionStorage.getItem(k)) : null;"
        )

    def scroll_to(self, message):
        """Scrolls the conversation (not the page) to a message, for screenshots."""
        self.driver.execute_script(
            "arguments[0].parentNode.scrollTop = arguments[0].offsetTop - 8;", message
        )

    def viewport(self, width, height, scale=1):
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False},
        )

    def reset_viewport(self):
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def no_horizontal_scroll(self):
        return self.driver.execute_script(
            "var d = document.documentElement, p = document.querySelector('.mcw-panel');"
            "return d.scrollWidth <= window.innerWidth && p.scrollWidth <= p.clientWidth"
            " && p.getBoundingClientRect().right <= window.innerWidth;"
        )


def card_steps(card):
    """(step id, text, source line) of each checklist item of a card."""
    return [
        (
            item.get_attribute("data-stap"),
            item.find_element(By.CSS_SELECTOR, "label").text,
            item.find_element(By.CSS_SELECTOR, ".mcw-source").text,
        )
        for item in card.find_elements(By.CSS_SELECTOR, "li.mcw-step")
    ]


def assert_checklist(card, step_ids, plaats=None):
    steps = card_steps(card)
    assert [s[0] for s in steps] == step_ids
    for step_id, text, source in steps:
        step = PROTOCOL.steps[step_id]
        with_place = plaats and step.text_with_place
        assert text == (fill(step.text_with_place, plaats=plaats) if with_place else step.text)
        assert source == f"{TEXTS['bron']}: {step.source}"
    assert card.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")
    assert "Bron:" not in card.find_element(By.CSS_SELECTOR, ".mcw-card-title").text


def demo_url(assistant):
    return f"{assistant.url}/webhooks/webchat/"


def shot(driver, name):
    DOCS.mkdir(exist_ok=True)
    driver.save_screenshot(str(DOCS / name))
