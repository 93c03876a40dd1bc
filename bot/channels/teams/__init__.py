"""Microsoft Teams channel (credentials.yml: bot.channels.teams.TeamsInput).

auth.py: the bot's token and the check of inbound tokens; render.py: text in,
cards out; channel.py: the webhook and the replies. Setup: docs/teams.md.
"""

from bot.channels.teams.channel import TeamsInput, TeamsOutput

__all__ = ["TeamsInput", "TeamsOutput"]
