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
        "_additional_events",
        "the new events of a tracker, redacted before they are written",
    ),
    *(
        PrivateMember("bot/channels/slack.py", "rasa.core.channels.slack:SlackBot", name, why)
        for name, why in (("_post_message", "overridden: one Web API client with a timeout"),)
    ),
    *(
        PrivateMember("bot/channels/slack.py", "rasa.core.channels.slack:SlackInput", name, why)
        for name, why in (
            ("_is_user_message", "which events are a user's message"),
            ("_is_supported_channel", "direct message, mention or the configured channel"),
            ("_sanitize_user_message", "mentions and links out of the text"),
            ("_is_interactive_message", "which payloads are a button click"),
            ("_get_interactive_response", "the value of the clicked button"),
            ("_get_conversation_id", "the conversation (thread) of an event"),
            ("_background_tasks", "keeps a reference to each running turn"),
        )
    ),
)
