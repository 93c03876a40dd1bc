"""Every private member of Rasa that this project uses, in one list.

Private members can change in any Rasa release without notice. The project
is built and tested on Rasa 3.6.x; tests/test_rasa_internals.py fails loudly
on another version, listing these, and on 3.6.x checks that each still exists
and that the list is complete. Update this list when a module starts or stops
using one.
"""

from typing import NamedTuple, Tuple

SUPPORTED_RASA = "3.6."


class PrivateMember(NamedTuple):
    used_in: str  # project file, relative to the project root
    rasa_class: str  # "module:Class"
    name: str
    why: str


PRIVATE_MEMBERS: Tuple[PrivateMember, ...] = (
    PrivateMember(
        "bot/rasa_patches.py",
        "rasa.core.actions.action:RemoteAction",
        "_validate_action_result",
        "wrapped: the response schema is checked once, not on every call",
    ),
    PrivateMember(
        "bot/privacy/tracker_store.py",
        "rasa.core.tracker_store:SQLTrackerStore",
        "_retrieve",
        "overridden: reads only the data column, the rest is Rasa's own",
    ),
    PrivateMember(
        "bot/privacy/tracker_store.py",
        "rasa.core.tracker_store:SQLTrackerStore",
        "_event_query",
        "called: the events of the latest session (or all), as Rasa selects them",
    ),
    PrivateMember(
        "bot/session_split.py",
        "rasa.core.processor:MessageProcessor",
        "_has_session_expired",
        "wrapped: also true at a rest point of a long session",
    ),
    PrivateMember(
        "bot/action_request.py",
        "rasa.core.actions.action:RemoteAction",
        "_action_call_format",
        "replaced: the request holds the latest turns, not the whole session",
    ),
    PrivateMember(
        "bot/action_request.py",
        "rasa.core.actions.action:RemoteAction",
        "_is_selective_domain_enabled",
        "called: the domain goes along as Rasa decides",
    ),
    PrivateMember(
        "bot/model_load.py",
        "rasa.utils.tensorflow.models:RasaModel",
        "_run_eagerly",
        "set for one prediction: the weights are built without tracing a graph",
    ),
    PrivateMember(
        "bot/extract_slots.py",
        "rasa.core.actions.action:ActionExtractSlots",
        "_execute_custom_action",
        "wrapped: no call to validate_verhuizing_form when it cannot return events",
    ),
    *(
        PrivateMember("bot/channels/slack.py", "rasa.core.channels.slack:SlackBot", name, why)
        for name, why in (("_post_message", "overridden: one Web API client with a timeout"),)
    ),
)
