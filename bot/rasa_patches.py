"""Two changes to Rasa 3.6, installed before Rasa runs (`python -m bot rasa ...`).

1. The HTTP API token comes from RASA_API_TOKEN in the environment, never from
   the command line, where every user of the machine can read it (`ps`).
   `rasa run --enable-api` gets it through `auth_token_from_environment`.

2. Speed and memory fixes: the response schema check below, the request to
   the action server with the latest turns only (bot/action_request.py), event
   classes looked up once (`event_classes_remembered`), DIET loaded without
   Rasa's one-example training step (bot/model_load.py) and no slot-extraction
   call to the action server when it cannot return anything (bot/extract_slots.py).

Rasa checks every action-server response with `jsonschema.validate`, which
first validates Rasa's own (large, constant) response schema against the JSON
Schema metaschema. That check took about 70% of a conversation turn on 2 cores
(see docs/benchmarks.md). Here the schema is checked once; a valid response
takes the fast path and an invalid one still goes through Rasa's own code, so
the error and its message stay exactly Rasa's.

The hook is one private method, `RemoteAction._validate_action_result`
(listed in bot/rasa_internals.py); without it the fix is skipped, as it
only saves time.
"""

import logging
from functools import lru_cache
from typing import Any, Dict

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def action_response_validator():
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def auth_token_from_environment() -> None:
    """`rasa run` takes its auth token from RASA_API_TOKEN when none is on the command line."""
    import rasa.cli.run

    original = rasa.cli.run.run
    if getattr(original, "token_from_environment", False):
        return

    def run(args) -> None:
        if getattr(args, "enable_api", False) and not getattr(args, "auth_token", None):
            from bot import settings

            args.auth_token = settings.rasa_api_token()
        return original(args)

    run.token_from_environment = True
    rasa.cli.run.run = run


def event_classes_remembered() -> None:
    """Rasa finds the class of every stored event by walking all Event subclasses
    (`Event.resolve_by_type`): at turn 100 that walk took about half of reading
    the conversation back (docs/benchmarks.md). Each found class is remembered."""
    from rasa.shared.core.events import Event

    original = Event.resolve_by_type
    if getattr(original, "remembered", False):
        return
    found: Dict[str, Any] = {}

    def resolve_by_type(type_name, default=None):
        if type_name not in found:
            event_class = original(type_name, default)
            if event_class is None or event_class is default:
                return event_class  # unknown: Rasa's own answer, not remembered
            found[type_name] = event_class
        return found[type_name]

    resolve_by_type.remembered = True
    Event.resolve_by_type = staticmethod(resolve_by_type)


def install() -> None:
    auth_token_from_environment()
    event_classes_remembered()
    from bot import action_request, extract_slots, gc_after_load, model_load, session_split

    model_load.install()
    if not gc_after_load.install():
        logger.warning(
            "Rasa-versie zonder load_agent_on_start: gc.freeze na het laden overgeslagen."
        )
    if not extract_slots.install():
        logger.warning(
            "Rasa-versie zonder _execute_custom_action: elke slotextractie-aanroep blijft."
        )

    if not session_split.install():
        logger.warning("Rasa-versie zonder _has_session_expired: sessies alleen na stilte.")
    if not action_request.install():
        logger.warning("Rasa-versie zonder _action_call_format: hele gesprek naar de actieserver.")
    from rasa.core.actions.action import RemoteAction

    original = getattr(RemoteAction, "_validate_action_result", None)
    if original is None:
        logger.warning("Rasa-versie zonder _validate_action_result: snelheidsfix overgeslagen.")
        return
    if getattr(original, "checked_once", False):
        return

    def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        if action_response_validator().is_valid(result):
            return True
        return original(self, result)  # raises Rasa's ValidationError

    validate_action_result.checked_once = True
    RemoteAction._validate_action_result = validate_action_result
