"""Command line of the meldcode assistant: `python -m bot COMMAND`.

Every command loads `.env` first (bot.settings), so Rasa, the action server
and the tools see the same settings.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List

from bot import settings

ACTION_SERVER_START_SECONDS = 90


def with_active_channels(args: List[str]) -> List[str]:
    """`rasa run` gets only the channels that .env switches on (bot.channels.registry)."""
    from bot.channels.registry import active_credentials

    if not args or args[0] != "run":
        return args
    args = list(args)
    if "--credentials" in args:
        index = args.index("--credentials") + 1
    else:
        args += ["--credentials", "credentials.yml"]
        index = len(args) - 1
    path, summary = active_credentials(Path(args[index]))
    print(summary, flush=True)
    args[index] = str(path)
    return args


def run_rasa(args: List[str]) -> int:
    """Rasa's own CLI, in this process, after .env is loaded."""
    from rasa.__main__ import main as rasa_main

    from bot import rasa_patches
    from bot.channels.registry import ChannelConfigError

    try:
        settings.rasa_api_token()
    except settings.SettingsError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return 2
    rasa_patches.install()

    try:
        args = with_active_channels(args)
    except ChannelConfigError as error:
        print(f"FOUT in de kanaalinstellingen:\n{error}", file=sys.stderr)
        return 2
    sys.argv = ["rasa", *args]
    try:
        rasa_main()
    except SystemExit as exit_:
        return exit_.code or 0
    return 0


def check_content() -> int:
    """Validates the protocol content and the exercise cases; 2 when broken."""
    from bot import regio
    from bot.colleague_route import load_route
    from bot.content import ContentError, load_protocol
    from bot.context_content import load_context_texts
    from bot.nlu.detector import load_cues
    from bot.oefening import load_exercises
    from bot.reminders.wording import load_wording

    try:
        protocol = load_protocol()
        exercises = load_exercises()
        load_context_texts()
        regio.gazetteer()
        load_wording()
        load_route()
        load_cues()
    except (ContentError, ValueError, KeyError) as error:
        print(f"FOUT in de inhoud: {error}", file=sys.stderr)
        return 2
    try:
        settings.organisation_contacts()
    except settings.SettingsError as error:
        print(f"FOUT in .env: {error}", file=sys.stderr)
        return 2
    print(
        f"Inhoud in orde: {len(protocol.steps)} stappen, {len(protocol.situations)} situaties, "
        f"{len(exercises.cases)} oefencasussen, herinneringen."
    )
    return 0


def run_action_server(port: int) -> int:
    """Validates the content file, then serves the actions."""
    if check_content() != 0:
        return 2
    from rasa_sdk import endpoint

    endpoint.run("actions", port=port)
    return 0


def wait_for_action_server(port: int, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + ACTION_SERVER_START_SECONDS
    url = f"http://localhost:{port}/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    return False


def with_action_server(rasa_args: List[str]) -> int:
    """Starts the action server, runs a Rasa command, stops the action server."""
    port = settings.action_server_port()
    print(f"Actieserver starten op poort {port} ...", flush=True)
    process = subprocess.Popen([sys.executable, "-m", "bot", "actions", "--port", str(port)])
    try:
        if not wait_for_action_server(port, process):
            print("De actieserver start niet; zie de melding hierboven.", file=sys.stderr)
            return 2
        print("Actieserver draait. Rasa starten (dit duurt even) ...", flush=True)
        return run_rasa(rasa_args)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def purge(days: int) -> int:
    from bot.privacy.retention import SECONDS_PER_DAY
    from bot.privacy.retention import purge as purge_conversations
    from bot.reminders.store import purge_reminders

    done = purge_conversations(days)
    print(
        f"Ouder dan {days} dagen verwijderd: {done.conversations} gesprek(ken), "
        f"{done.sessions} sessie(s), {done.events} events."
    )
    reminders = purge_reminders(time.time() - days * SECONDS_PER_DAY)
    print(f"{reminders} herinnering(en) die al {days} dagen klaar stonden verwijderd.")
    return 0


def server_args() -> List[str]:
    """Security settings of `rasa run` from .env.

    The HTTP API (conversations, model, parse) stays off unless RASA_API_TOKEN
    is set, and then needs that token; the token itself is not on the command
    line (bot.rasa_patches reads it from the environment). CORS allows only
    CORS_ORIGINS.
    """
    args = []
    token = settings.rasa_api_token()
    if token:
        args += ["--enable-api"]
    origins = settings.cors_origins()
    if origins:
        args += ["--cors", *origins]
    return args


def main(argv: List[str] = None) -> int:
    settings.load_environment()
    # Before anything logs: no personal data in any log line.
    from bot.privacy.logs import install_log_redaction

    install_log_redaction()
    # Rasa resolves config.yml, data/ and models/ against the working folder.
    os.chdir(settings.PROJECT_ROOT)
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check-content", help="controleer het protocolbestand")
    actions = commands.add_parser("actions", help="start de actieserver")
    actions.add_argument("--port", type=int, default=settings.action_server_port())
    commands.add_parser("spacy-model", help="installeer nl_core_news_sm (of meld wat ontbreekt)")
    commands.add_parser("chat", help="actieserver + chat in de terminal")
    commands.add_parser("serve", help="actieserver + Rasa-server (REST)")
    purge_parser = commands.add_parser("purge", help="verwijder oude gesprekken")
    purge_parser.add_argument(
        "--days",
        type=int,
        default=settings.retention_days(),
        help="bewaartermijn in dagen (standaard RETENTION_DAYS of 30)",
    )
    rasa = commands.add_parser("rasa", help="Rasa-opdracht met de instellingen uit .env")
    rasa.add_argument("rasa_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.command == "check-content":
        return check_content()
    if args.command == "purge":
        return purge(args.days)
    if args.command == "actions":
        return run_action_server(args.port)
    if args.command == "spacy-model":
        from bot import spacy_model

        spacy_model.install()
        return 0  # a missing model is not an error: the assistant still runs
    if args.command == "chat":
        return with_action_server(["shell", "--model", "models", "--endpoints", "endpoints.yml"])
    if args.command == "serve":
        port = str(settings.rasa_port())
        try:
            security = server_args()
        except settings.SettingsError as error:  # before the action server starts
            print(f"FOUT: {error}", file=sys.stderr)
            return 2
        return with_action_server(
            [
                "run",
                "--model",
                "models",
                "--endpoints",
                "endpoints.yml",
                "--port",
                port,
                *security,
            ]
        )
    return run_rasa(args.rasa_args)


if __name__ == "__main__":
    sys.exit(main())
