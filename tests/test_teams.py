"""Teams channel without Rasa: tokens, inbound JWT, mentions, cards, replies.

Microsoft's services are local stubs on loopback (tests/teams_stubs.py).
"""

import asyncio
import json
import time
from pathlib import Path
from urllib.parse import unquote

import aiohttp
import jwt
import pytest
import yaml

from bot.channels.registry import ChannelConfigError, select
from bot.channels.teams import TeamsInput
from bot.channels.teams.auth import (
    BOT_FRAMEWORK_SCOPE,
    JwtValidator,
    TeamsAuthError,
    TeamsConfigError,
    TokenProvider,
)
from bot.channels.teams.channel import Connector, Reference
from bot.channels.teams.render import (
    CARD_CONTENT_TYPE,
    incoming_text,
    reply_activity,
    sender_id,
    strip_mentions,
)
from bot.content import load_protocol
from bot.render import render_answer
from tests.teams_stubs import (
    APP_ID,
    APP_PASSWORD,
    KEY_ID,
    TENANT_ID,
    TeamsStubs,
    channel_message,
    new_key,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def stubs():
    with TeamsStubs() as running:
        yield running


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- Inbound JWT ---


def validate(stubs, authorization, service_url=None, channel_id="msteams", validator=None):
    validator = validator or JwtValidator(APP_ID, stubs.metadata_url)
    return asyncio.run(validator.validate(authorization, service_url or stubs.url, channel_id))


def test_a_token_signed_by_the_bot_framework_key_is_accepted(stubs):
    claims = validate(stubs, f"Bearer {stubs.sign()}")
    assert claims["aud"] == APP_ID and claims["serviceurl"] == stubs.url


def test_the_service_url_claim_may_also_be_spelled_as_in_the_rest_documentation(stubs):
    assert validate(stubs, f"Bearer {stubs.sign(serviceurl=None, serviceUrl=stubs.url)}")


def test_the_signing_keys_are_fetched_once_and_cached(stubs):
    validator = JwtValidator(APP_ID, stubs.metadata_url)
    before = stubs.key_requests

    async def five():
        for _ in range(5):
            await validator.validate(f"Bearer {stubs.sign()}", stubs.url, "msteams")

    asyncio.run(five())
    assert stubs.key_requests == before + 1


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Basic abc", "Bearer niet-een-jwt"])
def test_a_missing_or_unreadable_token_gets_401(stubs, authorization):
    with pytest.raises(TeamsAuthError) as error:
        validate(stubs, authorization)
    assert error.value.status == 401


def forged_tokens(stubs):
    now = int(time.time())
    return {
        "other key, same key id": stubs.sign(key=new_key()),
        "unknown key id": stubs.sign(kid="onbekend"),
        "wrong audience": stubs.sign(aud="een-andere-bot"),
        "wrong issuer": stubs.sign(iss="https://sts.windows.net/iemand/"),
        "expired": stubs.sign(exp=now - 600, iat=now - 4000, nbf=now - 4000),
        "not yet valid": stubs.sign(nbf=now + 3600),
        "no expiry": stubs.sign(exp=None),
        "other serviceUrl": stubs.sign(serviceurl="https://aanvaller.example"),
        "no serviceUrl": stubs.sign(serviceurl=None),
        "alg none": jwt.encode(
            {
                "iss": "https://api.botframework.com",
                "aud": APP_ID,
                "exp": now + 600,
                "serviceurl": stubs.url,
            },
            None,
            algorithm="none",
            headers={"kid": KEY_ID},
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "other key, same key id",
        "unknown key id",
        "wrong audience",
        "wrong issuer",
        "expired",
        "not yet valid",
        "no expiry",
        "other serviceUrl",
        "no serviceUrl",
        "alg none",
    ],
)
def test_a_forged_or_wrong_token_gets_403(stubs, case):
    with pytest.raises(TeamsAuthError) as error:
        validate(stubs, f"Bearer {forged_tokens(stubs)[case]}")
    assert error.value.status == 403


def test_a_key_only_counts_for_the_channels_it_endorses(stubs):
    with pytest.raises(TeamsAuthError, match="kanaal"):
        validate(stubs, f"Bearer {stubs.sign()}", channel_id="slack")


def test_the_activity_must_come_from_the_service_url_in_the_token(stubs):
    with pytest.raises(TeamsAuthError, match="serviceUrl"):
        validate(stubs, f"Bearer {stubs.sign()}", service_url="https://elders.example")


def test_small_clock_skew_is_allowed(stubs):
    now = int(time.time())
    assert validate(stubs, f"Bearer {stubs.sign(exp=now - 60)}")


# --- The bot's own token ---


def test_one_token_request_for_many_concurrent_replies_then_renewed_before_expiry(stubs):
    clock = FakeClock()
    provider = TokenProvider(APP_ID, APP_PASSWORD, TENANT_ID, stubs.url, clock=clock)
    before = len(stubs.token_requests)

    async def many():
        return await asyncio.gather(*(provider.token() for _ in range(20)))

    tokens = asyncio.run(many())
    assert len(set(tokens)) == 1
    assert len(stubs.token_requests) == before + 1
    request = stubs.token_requests[-1]
    assert request["tenant"] == TENANT_ID  # single tenant: the organisation's own tenant
    assert request["grant_type"] == "client_credentials"
    assert request["scope"] == BOT_FRAMEWORK_SCOPE

    clock.now += 3600 - 300 - 1  # just before the renewal margin
    assert asyncio.run(provider.token()) == tokens[0]
    assert len(stubs.token_requests) == before + 1
    clock.now += 2  # inside the margin: a new token
    assert asyncio.run(provider.token()) != tokens[0]
    assert len(stubs.token_requests) == before + 2


def test_a_refused_token_request_is_not_cached(stubs):
    provider = TokenProvider(APP_ID, "verkeerd-geheim", TENANT_ID, stubs.url)
    before = len(stubs.token_requests)
    for _ in range(2):
        with pytest.raises(aiohttp.ClientResponseError):
            asyncio.run(provider.token())
    assert len(stubs.token_requests) == before + 2


# --- Replies to the Bot Connector ---


def test_a_reply_goes_to_the_users_activity_with_the_bots_token(stubs):
    conversation = "19:abc@thread.tacv2;messageid=1700000000001"
    incoming = channel_message(stubs, "<at>Meldcode</at> hoi", conversation)
    connector = Connector(TokenProvider(APP_ID, APP_PASSWORD, TENANT_ID, stubs.url))
    sent = len(stubs.activities)
    assert asyncio.run(
        connector.reply(Reference.of(incoming), {"type": "message", "text": "Hallo"})
    )
    posted = stubs.activities[sent]
    version, conversations, conversation_id, activities, activity_id = (
        posted["path"].strip("/").split("/")
    )
    assert (version, conversations, activities) == ("v3", "conversations", "activities")
    assert unquote(conversation_id) == conversation and activity_id == incoming["id"]
    assert posted["authorization"].startswith("Bearer stub-token-")
    body = posted["body"]
    assert body["replyToId"] == incoming["id"]
    assert body["from"] == incoming["recipient"]
    assert body["recipient"] == {"id": incoming["from"]["id"]}  # no display name
    assert "Jan Jansen" not in json.dumps(body)


def test_a_401_from_the_connector_fetches_one_fresh_token_and_tries_once_more(stubs):
    connector = Connector(TokenProvider(APP_ID, APP_PASSWORD, TENANT_ID, stubs.url))
    incoming = channel_message(stubs, "hoi", "19:def@thread.tacv2")
    tokens, sent = len(stubs.token_requests), len(stubs.activities)
    stubs.connector_status = 401
    try:
        assert not asyncio.run(
            connector.reply(Reference.of(incoming), {"type": "message", "text": "x"})
        )
    finally:
        stubs.connector_status = 200
    assert len(stubs.activities) == sent + 2
    assert len(stubs.token_requests) == tokens + 2


# --- Text in ---


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        ("<at>Meldcode</at> de ouders weigeren hulp", None, "de ouders weigeren hulp"),
        (
            "<at>Meldcode Bot</at>&nbsp;de ouders weigeren hulp",
            [{"type": "mention", "text": "<at>Meldcode Bot</at>"}],
            "de ouders weigeren hulp",
        ),
        ("ouders weigeren <AT>Meldcode</AT> hulp", None, "ouders weigeren hulp"),
        (
            "<at>Meldcode</at> vader &amp; moeder weigeren &quot;hulp&quot;",
            None,
            'vader & moeder weigeren "hulp"',
        ),
        ("<at>Jan Jansen</at> zegt: ouders weigeren hulp", None, "zegt: ouders weigeren hulp"),
        ('<at id="0">Meldcode</at> regel een\nregel twee', None, "regel een\nregel twee"),
        ("&lt;at&gt; is geen vermelding", None, "<at> is geen vermelding"),
        ("<at>Meldcode</at>", None, ""),
    ],
)
def test_mentions_are_stripped_and_entities_decoded(text, entities, expected):
    assert strip_mentions(text, entities) == expected


def test_a_button_click_becomes_its_payload(stubs):
    click = channel_message(
        stubs, "", "19:x@thread.tacv2", value={"payload": "/vraag_verantwoordelijkheid"}
    )
    assert incoming_text(click) == "/vraag_verantwoordelijkheid"
    assert incoming_text(channel_message(stubs, "<at>Meldcode</at> hoi", "c")) == "hoi"


def test_the_sender_is_pseudonymous_and_namespaced(stubs):
    in_channel = channel_message(stubs, "hoi", "19:kanaal@thread.tacv2;messageid=1")
    assert (
        sender_id(in_channel, TENANT_ID) == f"teams:{TENANT_ID}:19:kanaal@thread.tacv2;messageid=1"
    )
    personal = channel_message(
        stubs, "hoi", "a:1xyz", conversation={"id": "a:1xyz", "conversationType": "personal"}
    )
    # The AAD object id alone would let another channel reach this conversation.
    assert sender_id(personal, TENANT_ID) == f"teams:{TENANT_ID}:{personal['from']['aadObjectId']}"


@pytest.mark.parametrize(
    "change",
    [
        {"channelData": {"tenant": {"id": "99999999-0000-0000-0000-000000000000"}}},
        {"channelData": {}},  # no tenant at all
        {"channelData": {"tenant": {"id": ["lijst"]}}},
        {"channelId": "webchat"},  # the Azure Bot's Web Chat test page, Direct Line, ...
        {"channelId": None},
    ],
)
def test_only_msteams_of_the_own_tenant_is_accepted(stubs, change):
    channel = TeamsInput(APP_ID, APP_PASSWORD, TENANT_ID, stubs.url, stubs.metadata_url)
    assert channel.is_own_tenant(channel_message(stubs, "hoi", "c"))
    assert channel.is_own_tenant({**channel_message(stubs, "hoi", "c"), "channelId": "msteams"})
    assert not channel.is_own_tenant({**channel_message(stubs, "hoi", "c"), **change})


@pytest.mark.parametrize("tenant", ["contoso.onmicrosoft.com", "contoso.nl", "", "1234"])
def test_a_tenant_that_is_no_guid_is_refused_at_start(stubs, tenant):
    with pytest.raises(TeamsConfigError, match="GUID"):
        TeamsInput(APP_ID, APP_PASSWORD, tenant, stubs.url, stubs.metadata_url)


# --- Replies out ---


def runs(node):
    """Every TextRun text of a card, in order."""
    if isinstance(node, dict):
        found = [node["text"]] if node.get("type") == "TextRun" else []
        return found + [t for value in node.values() for t in runs(value)]
    if isinstance(node, list):
        return [t for item in node for t in runs(item)]
    return []


def types(node):
    if isinstance(node, dict):
        return {node.get("type")} | {t for value in node.values() for t in types(value)}
    if isinstance(node, list):
        return {t for item in node for t in types(item)}
    return set()


def test_an_answer_with_steps_becomes_an_adaptive_card_with_numbered_steps_and_sources():
    protocol = load_protocol()
    answer = render_answer(protocol, "zorgen_na_doorverwijzing")
    activity = reply_activity({"text": answer.text, "custom": answer.payload})
    (attachment,) = activity["attachments"]
    assert attachment["contentType"] == CARD_CONTENT_TYPE
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and float(card["version"]) <= 1.4
    assert card["fallbackText"] == answer.text
    texts = runs(card)
    lines = answer.text.splitlines()
    assert texts[0] == lines[0] and activity["summary"] == lines[0][:100]
    expected = []
    for number, step in enumerate(answer.payload["stappen"], 1):
        expected += [f"{number}.", step["tekst"], f"Bron: {step['bron']}"]
    assert texts[1:-1] == expected
    assert texts[-1] == protocol.closing_line
    assert "TextBlock" not in types(card)  # TextRuns: no Markdown in protocol or user text


def test_buttons_become_message_back_actions():
    message = {
        "text": "Wilt u nog iets weten?",
        "buttons": [
            {"title": "Mijn verantwoordelijkheid", "payload": "/vraag_verantwoordelijkheid"}
        ],
    }
    card = reply_activity(message)["attachments"][0]["content"]
    (action,) = card["actions"]
    assert action["type"] == "Action.Submit" and action["title"] == "Mijn verantwoordelijkheid"
    assert action["data"]["payload"] == "/vraag_verantwoordelijkheid"
    assert action["data"]["msteams"] == {
        "type": "messageBack",
        "displayText": "Mijn verantwoordelijkheid",
    }
    assert runs(card) == ["Wilt u nog iets weten?"]


def test_plain_text_is_sent_as_plain_text_so_markup_stays_text():
    text = "Zie **dit** <b>en</b> [link](https://voorbeeld.nl)\nTweede regel"
    assert reply_activity({"text": text}) == {
        "type": "message",
        "text": text,
        "textFormat": "plain",
    }
    card = reply_activity({"text": text, "buttons": [{"title": "a", "payload": "/b"}]})
    assert runs(card) == ["Zie **dit** <b>en</b> [link](https://voorbeeld.nl)", "Tweede regel"]


def test_an_empty_message_sends_nothing():
    assert reply_activity({"text": ""}) is None


# --- Settings ---


def test_missing_or_odd_settings_name_the_variable():
    with pytest.raises(TeamsConfigError, match="TEAMS_TENANT_ID"):
        TeamsInput.from_credentials({"app_id": APP_ID, "app_password": "x", "tenant_id": ""})
    with pytest.raises(TeamsConfigError, match="TEAMS_TENANT_ID"):
        TeamsInput.from_credentials({"app_id": APP_ID, "app_password": "x", "tenant_id": "a/../b"})
    channel = TeamsInput.from_credentials(
        {
            "app_id": APP_ID,
            "app_password": "x",
            "tenant_id": TENANT_ID,
            "login_url": "",
            "openid_metadata_url": "",
        }
    )
    assert (
        channel.connector.tokens.url
        == f"https://login.microsoftonline.com/{TENANT_ID}/oauth2/v2.0/token"
    )
    assert "login.botframework.com" in channel.validator.metadata_url


TEAMS_VARIABLES = [
    "TEAMS_APP_ID",
    "TEAMS_APP_PASSWORD",
    "TEAMS_TENANT_ID",
    "TEAMS_LOGIN_URL",
    "TEAMS_OPENID_METADATA_URL",
]


def test_credentials_yml_switches_teams_on_with_its_three_variables(monkeypatch):
    sections = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
    for name in TEAMS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    key = "bot.channels.teams.TeamsInput"
    assert key not in select(sections)
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    with pytest.raises(ChannelConfigError) as error:
        select(sections)
    assert "TEAMS_APP_PASSWORD" in str(error.value) and "TEAMS_TENANT_ID" in str(error.value)
    assert "TEAMS_LOGIN_URL" not in str(error.value)
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "x")
    monkeypatch.setenv("TEAMS_TENANT_ID", TENANT_ID)
    assert key in select(sections)


def test_env_example_lists_every_teams_variable():
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    for name in TEAMS_VARIABLES:
        assert f"\n{name}=" in example


# --- The webhook, in a real Sanic server with a stand-in for Rasa ---


class Webhook:
    """TeamsInput's blueprint on one loopback Sanic server (Sanic 21.12 allows one
    app per process) in a thread; `received` are the messages that reached
    "Rasa" (the NLU), `answer` is what "Rasa" does with them."""

    def __init__(self, stubs):
        import threading

        self.stubs = stubs
        self.received = []
        self.answer = None
        self.channel = TeamsInput(APP_ID, APP_PASSWORD, TENANT_ID, stubs.url, stubs.metadata_url)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.url = ""

    async def on_new_message(self, message):
        self.received.append(message)
        await self.answer(message)

    async def _start(self):
        import socket

        from sanic import Sanic

        app = Sanic("teams_webhook_test")
        app.blueprint(self.channel.blueprint(self.on_new_message), url_prefix="/webhooks/teams")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.server = await app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
        )
        await self.server.startup()
        self.url = f"http://127.0.0.1:{port}/webhooks/teams/webhook"

    async def _stop(self):
        self.server.close()
        await self.server.wait_closed()

    def __enter__(self):
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=30)
        return self

    def __exit__(self, *exc):
        asyncio.run_coroutine_threadsafe(self._stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    def run(self, requests, answer=None):
        """Posts (activity, authorization) pairs, waits for the background turns;
        the HTTP statuses."""
        import urllib.error
        import urllib.request

        async def say_antwoord(message):
            await message.output_channel.send_response(message.sender_id, {"text": "antwoord"})

        self.received, self.answer = [], answer or say_antwoord
        statuses = []
        for body, authorization in requests:
            headers = {"Authorization": authorization} if authorization else {}
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            request = urllib.request.Request(self.url, data=data, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as reply:
                    statuses.append(reply.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

        async def turns_done():
            await asyncio.gather(*list(self.channel._tasks))

        asyncio.run_coroutine_threadsafe(turns_done(), self.loop).result(timeout=60)
        return statuses

    def replies(self, conversation):
        return [
            a["body"]
            for a in self.stubs.activities
            if a["body"]["conversation"]["id"] == conversation
        ]


@pytest.fixture(scope="module")
def webhook(stubs):
    import os

    # No action server to ask in these tests (bot.channels.guard skips the check).
    saved = os.environ.pop("ACTION_SERVER_URL", None)
    try:
        with Webhook(stubs) as running:
            yield running
    finally:
        if saved is not None:
            os.environ["ACTION_SERVER_URL"] = saved


def test_a_signed_channel_message_reaches_rasa_without_mention_and_name(stubs, webhook):
    thread = "19:w1@thread.tacv2;messageid=1"
    message = channel_message(stubs, "<at>Meldcode</at> de ouders weigeren hulp", thread)
    assert webhook.run([(message, f"Bearer {stubs.sign()}")]) == [200]
    (received,) = webhook.received
    assert received.text == "de ouders weigeren hulp"
    assert received.sender_id == f"teams:{TENANT_ID}:{thread}"
    assert received.input_channel == "teams"
    assert "Jan Jansen" not in json.dumps(received.metadata or {})
    (reply,) = webhook.replies(thread)
    assert reply["text"] == "antwoord" and reply["replyToId"] == message["id"]


def test_the_channel_hands_the_reference_for_reminders_without_names(stubs, webhook):
    thread = "19:r1@thread.tacv2;messageid=1"
    message = channel_message(stubs, "<at>Meldcode</at> herinner mij", thread)
    assert webhook.run([(message, f"Bearer {stubs.sign()}")]) == [200]
    (received,) = webhook.received
    assert received.metadata["teams_reference"] == {
        "service_url": stubs.url,
        "conversation_id": thread,
        "bot": {"id": f"28:{APP_ID}", "name": "Meldcode"},
        "user_id": "29:1a2b3c",
    }
    assert "Jan Jansen" not in json.dumps(received.metadata)


def test_refused_and_ignored_requests_do_not_reach_rasa(stubs, webhook):
    thread = "19:w2@thread.tacv2"
    message = channel_message(stubs, "<at>Meldcode</at> de ouders weigeren hulp", thread)
    other_tenant = channel_message(
        stubs, "hoi", thread, channelData={"tenant": {"id": "99999999-0000-0000-0000-000000000000"}}
    )
    update = {**channel_message(stubs, "", thread), "type": "conversationUpdate"}
    good = f"Bearer {stubs.sign()}"
    statuses = webhook.run(
        [
            (message, None),
            (message, f"Bearer {stubs.sign(key=new_key())}"),
            (message, f"Bearer {stubs.sign(aud='een-andere-bot')}"),
            (b"{niet json", good),
            (update, good),
            (other_tenant, good),
        ]
    )
    assert statuses == [401, 403, 403, 400, 200, 403]
    assert webhook.received == [] and webhook.replies(thread) == []


def test_an_empty_message_and_a_failing_turn_get_the_dutch_safe_messages(stubs, webhook):
    texts = load_protocol().channel_texts

    async def broken(message):
        raise RuntimeError("kapot")

    empty, failing = "19:w3@thread.tacv2", "19:w4@thread.tacv2"
    webhook.run(
        [
            (channel_message(stubs, "<at>Meldcode</at>&nbsp;", empty), f"Bearer {stubs.sign()}"),
            (channel_message(stubs, "<at>Meldcode</at> hulp", failing), f"Bearer {stubs.sign()}"),
        ],
        answer=broken,
    )
    assert [r["text"] for r in webhook.replies(empty)] == [texts["leeg"]]
    assert [r["text"] for r in webhook.replies(failing)] == [texts["geen_antwoord"]]
    assert [m.text for m in webhook.received] == ["hulp"]


# --- The Teams app package ---


def png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_app_package_holds_the_filled_manifest_and_both_icons(tmp_path):
    import zipfile

    from bot.channels.teams.package import build

    values = {
        "TEAMS_APP_ID": APP_ID,
        "ORGANISATIE": 'Gemeente "Voorbeeld"',
        "WEBSITE_URL": "https://www.voorbeeld.nl",
        "PRIVACY_URL": "https://www.voorbeeld.nl/privacy",
        "VOORWAARDEN_URL": "https://www.voorbeeld.nl/voorwaarden",
    }
    with zipfile.ZipFile(build(values, tmp_path / "app.zip")) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        raw = archive.read("manifest.json").decode("utf-8")
        manifest = json.loads(raw)
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
        assert archive.read("outline.png")[25] == 6  # RGBA: the outline needs transparency
    assert "{{" not in raw
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["developer"]["name"] == 'Gemeente "Voorbeeld"'
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    for command in manifest["bots"][0]["commandLists"][0]["commands"]:
        assert len(command["title"]) <= 32 and len(command["description"]) <= 128


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"TEAMS_APP_ID": ""}, "TEAMS_APP_ID"),
        ({"WEBSITE_URL": "http://onveilig.nl"}, "--website"),
        ({"ORGANISATIE": " "}, "--organisatie"),
    ],
)
def test_the_app_package_names_a_wrong_setting(tmp_path, change, problem):
    from bot.channels.teams.package import build

    values = {
        "TEAMS_APP_ID": APP_ID,
        "ORGANISATIE": "Org",
        "WEBSITE_URL": "https://a.nl",
        "PRIVACY_URL": "https://a.nl",
        "VOORWAARDEN_URL": "https://a.nl",
        **change,
    }
    with pytest.raises(ValueError, match=problem):
        build(values, tmp_path / "app.zip")
