"""Channels are switched on and off by .env alone (bot.channels.registry)."""

import pytest
import yaml

from bot.channels.registry import ChannelConfigError, active_credentials, select

SECTIONS = {
    "bot.channels.rest.SafeRestInput": None,
    "bot.channels.webchat.WebchatInput": {"titel": "${WEBCHAT_TITLE}"},
    "bot.channels.teams.TeamsInput": {
        "app_id": "${TEAMS_APP_ID}",
        "app_password": "${TEAMS_APP_PASSWORD}",
        "tenant_id": "${TEAMS_TENANT_ID}",
    },
    "bot.channels.slack.SlackInput": {
        "slack_token": "${SLACK_BOT_TOKEN}",
        "slack_signing_secret": "${SLACK_SIGNING_SECRET}",
        "slack_channel": "${SLACK_CHANNEL}",
        "use_threads": True,
    },
}
VARIABLES = [
    "REST_ENABLED",
    "WEBCHAT_ENABLED",
    "WEBCHAT_TITLE",
    "TEAMS_APP_ID",
    "TEAMS_APP_PASSWORD",
    "TEAMS_TENANT_ID",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CHANNEL",
]


@pytest.fixture(autouse=True)
def no_channel_settings(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_without_settings_only_rest_is_on():
    assert list(select(SECTIONS)) == ["bot.channels.rest.SafeRestInput"]


def test_a_complete_channel_is_on(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "geheim")
    assert list(select(SECTIONS)) == [
        "bot.channels.rest.SafeRestInput",
        "bot.channels.slack.SlackInput",
    ]


def test_a_switch_turns_a_channel_on(monkeypatch):
    monkeypatch.setenv("WEBCHAT_ENABLED", "true")
    monkeypatch.setenv("WEBCHAT_TITLE", "Meldcode")
    assert "bot.channels.webchat.WebchatInput" in select(SECTIONS)
    monkeypatch.setenv("WEBCHAT_ENABLED", "false")
    assert "bot.channels.webchat.WebchatInput" not in select(SECTIONS)


def test_an_incomplete_channel_stops_the_start_and_names_only_its_variables(monkeypatch):
    monkeypatch.setenv("TEAMS_APP_ID", "app")
    monkeypatch.setenv("TEAMS_TENANT_ID", "tenant")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "geheim")
    with pytest.raises(ChannelConfigError) as error:
        select(SECTIONS)
    message = str(error.value)
    assert "Microsoft Teams" in message and "TEAMS_APP_PASSWORD" in message
    assert "Slack" not in message and "SLACK_CHANNEL" not in message


def test_a_switched_on_channel_needs_its_variables(monkeypatch):
    monkeypatch.setenv("WEBCHAT_ENABLED", "ja")
    with pytest.raises(ChannelConfigError, match="WEBCHAT_TITLE"):
        select(SECTIONS)


def test_the_active_file_keeps_placeholders_unquoted_and_holds_no_secret(tmp_path, monkeypatch):
    source = tmp_path / "credentials.yml"
    source.write_text(yaml.safe_dump(SECTIONS), encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-geheim-123")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "handtekening-geheim")
    path, summary = active_credentials(source)
    text = path.read_text(encoding="utf-8")
    assert "slack_token: ${SLACK_BOT_TOKEN}\n" in text
    assert "use_threads: true" in text
    assert "geheim" not in text
    assert "Teams" not in text
    assert summary == "Kanalen: REST aan, Webwidget uit, Microsoft Teams uit, Slack aan."
    # Rasa's own reader expands the placeholders, including the optional, empty one.
    from rasa.shared.utils.io import read_config_file

    expanded = read_config_file(str(path))
    assert expanded["bot.channels.slack.SlackInput"]["slack_token"] == "xoxb-geheim-123"
    assert expanded["bot.channels.slack.SlackInput"]["slack_channel"] == ""
    assert expanded["bot.channels.rest.SafeRestInput"] is None


def test_the_cli_refuses_an_incomplete_channel_before_rasa_starts(tmp_path, monkeypatch, capsys):
    from bot.__main__ import run_rasa

    source = tmp_path / "credentials.yml"
    source.write_text(yaml.safe_dump(SECTIONS), encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert run_rasa(["run", "--credentials", str(source)]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err


def test_the_real_credentials_file_lists_the_switchable_channels():
    from bot.channels.registry import CHANNELS
    from bot.settings import PROJECT_ROOT

    sections = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert [c.key for c in CHANNELS if c.key in sections] == [c.key for c in CHANNELS]
    assert all(
        "${" in str(v) or not isinstance(v, str)
        for c in CHANNELS
        for v in (sections[c.key] or {}).values()
    ), "secrets only via .env"


@pytest.mark.parametrize("tenant", ["contoso.onmicrosoft.com", "contoso.nl"])
def test_a_teams_tenant_that_is_a_domain_name_stops_the_start_with_a_clear_message(
    monkeypatch, tenant
):
    monkeypatch.setenv("TEAMS_APP_ID", "app")
    monkeypatch.setenv("TEAMS_APP_PASSWORD", "geheim")
    monkeypatch.setenv("TEAMS_TENANT_ID", tenant)
    with pytest.raises(ChannelConfigError, match="GUID"):
        select(SECTIONS)
    monkeypatch.setenv("TEAMS_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47")
    assert "bot.channels.teams.TeamsInput" in select(SECTIONS)


def test_rest_can_be_switched_off_but_not_under_the_web_widget(monkeypatch):
    monkeypatch.setenv("REST_ENABLED", "false")
    assert "bot.channels.rest.SafeRestInput" not in select(SECTIONS)
    monkeypatch.setenv("WEBCHAT_ENABLED", "true")
    monkeypatch.setenv("WEBCHAT_TITLE", "Meldcode")
    with pytest.raises(ChannelConfigError, match="REST_ENABLED"):
        select(SECTIONS)
