"""Which channels are on, decided by the settings in .env alone.

`credentials.yml` lists every channel with `${VAR}` placeholders. A channel is
on when one of its variables is set, or, if it has a switch, when the switch
is `true`; then every
variable it needs must be set, or the start stops with a message that names
the missing one. Rasa gets a copy of credentials.yml with only the channels
that are on; the placeholders stay in it, so no secret is written to disk.
"""

import atexit
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot import settings

PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class ChannelConfigError(Exception):
    """A channel is switched on but misses a setting; the message says which."""


@dataclass(frozen=True)
class Channel:
    label: str
    key: str  # its section in credentials.yml
    optional: Tuple[str, ...] = ()  # may stay empty when the channel is on
    switch: str = ""  # `true` turns the channel on without other variables
    default_on: bool = False  # on when the switch is not set at all


REST_KEY = "bot.channels.rest.SafeRestInput"
WEBCHAT_KEY = "bot.channels.webchat.WebchatInput"
TEAMS_KEY = "bot.channels.teams.TeamsInput"
# Channels not listed here are always on.
CHANNELS = (
    # REST_ENABLED=false: deployments that only use Teams or Slack expose no open channel.
    Channel("REST", REST_KEY, switch="REST_ENABLED", default_on=True),
    Channel("Webwidget", WEBCHAT_KEY, switch="WEBCHAT_ENABLED"),
    Channel(
        "Microsoft Teams",
        TEAMS_KEY,
        optional=("TEAMS_LOGIN_URL", "TEAMS_OPENID_METADATA_URL"),
    ),
    Channel("Slack", "bot.channels.slack.SlackInput", optional=("SLACK_CHANNEL", "SLACK_API_URL")),
)


def _is_set(name: str) -> bool:
    return bool(settings.text_setting(name))


def _variables(section) -> List[str]:
    found: List[str] = []
    for value in (section or {}).values():
        for name in PLACEHOLDER.findall(str(value)):
            if name not in found:
                found.append(name)
    return found


def _known(key: str) -> Channel:
    for channel in CHANNELS:
        if channel.key == key:
            return channel
    return Channel(label=key, key=key)


def select(sections: Dict[str, dict]) -> Dict[str, dict]:
    """The sections of the channels that are on; ChannelConfigError if one is
    on but incomplete. Problems of all channels are named at once."""
    active, problems = {}, []
    for key, section in sections.items():
        channel = _known(key)
        required = [v for v in _variables(section) if v not in channel.optional]
        try:
            switched = bool(channel.switch) and settings.flag(channel.switch, channel.default_on)
        except settings.SettingsError as error:
            problems.append(str(error))
            continue
        given = [v for v in required if _is_set(v)]
        if not required and not channel.switch:
            active[key] = section  # no settings needed: always on
        elif switched if channel.switch else given:
            missing = [v for v in required if not _is_set(v)]
            if missing:
                problems.append(
                    f"{channel.label} staat aan, maar {', '.join(missing)} "
                    f"{'ontbreken' if len(missing) > 1 else 'ontbreekt'} in .env. "
                    f"Vul {'ze' if len(missing) > 1 else 'deze variabele'} in. "
                    f"{channel.label} uitzetten: "
                    + (
                        f"zet {channel.switch} op false."
                        if channel.switch
                        else f"maak {', '.join(given)} leeg."
                    )
                )
            else:
                active[key] = section
    if WEBCHAT_KEY in active and REST_KEY in sections and REST_KEY not in active:
        problems.append(
            "De webwidget staat aan, maar het REST-kanaal staat uit (REST_ENABLED=false). "
            "De webwidget stuurt zijn berichten via het REST-kanaal: zet REST_ENABLED op true "
            "of WEBCHAT_ENABLED op false."
        )
    if TEAMS_KEY in active:
        from bot.channels.teams.auth import TeamsConfigError, check_tenant

        try:
            check_tenant(settings.text_setting("TEAMS_TENANT_ID"))
        except TeamsConfigError as error:  # named before Rasa starts, not in a traceback
            problems.append(f"Microsoft Teams: {error}")
    if problems:
        raise ChannelConfigError("\n".join(problems))
    return active


def summary(active: Dict[str, dict]) -> str:
    states = [f"{c.label} {'aan' if c.key in active else 'uit'}" for c in CHANNELS]
    return "Kanalen: " + ", ".join(states) + "."


def _scalar(value) -> str:
    # A plain ${VAR} must stay unquoted: Rasa only expands unquoted placeholders.
    if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
        return value
    return json.dumps(value)


def render(active: Dict[str, dict]) -> str:
    lines = ["# Made by bot/channels/registry.py from credentials.yml: channels that are on."]
    for key, section in active.items():
        lines.append(f"{key}:")
        for field, value in (section or {}).items():
            lines.append(f"  {field}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def active_credentials(source: Path) -> Tuple[Path, str]:
    """A credentials file with only the channels that are on, and a summary line.

    Optional variables of an active channel default to "" so that Rasa can
    expand them. The file lives in the temp folder of this process only.
    """
    sections = yaml.safe_load(Path(source).read_text(encoding="utf-8")) or {}
    active = select(sections)
    for key in active:
        for name in _known(key).optional:
            os.environ.setdefault(name, "")
    handle = tempfile.NamedTemporaryFile(
        "w", prefix="meldcode-credentials-", suffix=".yml", delete=False, encoding="utf-8"
    )
    with handle:
        handle.write(render(active))
    atexit.register(lambda: Path(handle.name).unlink(missing_ok=True))
    return Path(handle.name), summary(active)
