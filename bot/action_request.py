"""The request Rasa sends to the action server: the latest turns, not the session.

Rasa 3.6 posts the whole tracker of the session (EventVerbosity.ALL) with every
custom action call: at turn 100 of one conversation about 400 KB of JSON, built
by Rasa and read by the action server 1-3 times per turn (docs/benchmarks.md).
The actions need the slots (still sent whole), the latest message and the user
message before it (actions/situaties.previous_user_message). So the events in
the request start at that earlier user message; before them come SlotSet events
with each slot's value at that point, so code that walks the events back
(actions/forms.slot_before_latest_message) still finds the earlier value.

Installed by bot/rasa_patches.py; the hook is RemoteAction's private
`_action_call_format` (listed in bot/rasa_internals.py).
"""

import itertools
from typing import Any, Dict, List, Sequence

from rasa.shared.core.events import (
    AllSlotsReset,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

KEPT_USER_MESSAGES = 2
# Events after which Rasa starts again from empty slots.
_SLOTS_CLEARED = (Restarted, AllSlotsReset, SessionStarted)


def recent_events(events: Sequence[Event]) -> List[Event]:
    """From the KEPT_USER_MESSAGES-th user message from the end, with the slot
    values of before it as SlotSet events in front; all events when shorter."""
    seen, cut = 0, None
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == KEPT_USER_MESSAGES:
                cut = index
                break
    if cut is None:
        return list(events)
    slots: Dict[str, SlotSet] = {}
    for event in itertools.islice(events, cut):
        if isinstance(event, SlotSet):
            slots[event.key] = event
        elif isinstance(event, _SLOTS_CLEARED):
            slots.clear()
    return list(slots.values()) + list(itertools.islice(events, cut, None))


def action_call_format(action: Any, tracker: Any, domain: Any) -> Dict[str, Any]:
    """Rasa's request body (RemoteAction._action_call_format) with recent events only."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker.events)]
    result = {
        "next_action": action.name(),
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not action._is_selective_domain_enabled() or (
        domain.does_custom_action_explicitly_need_domain(action.name())
    ):
        result["domain"] = domain.as_dict()
    return result


def install() -> bool:
    """Replaces RemoteAction._action_call_format; False when Rasa has no such hook."""
    from rasa.core.actions.action import RemoteAction

    if not hasattr(RemoteAction, "_action_call_format"):
        return False
    if getattr(RemoteAction._action_call_format, "recent_only", False):
        return True

    def call_format(self: RemoteAction, tracker: Any, domain: Any) -> Dict[str, Any]:
        return action_call_format(self, tracker, domain)

    call_format.recent_only = True
    RemoteAction._action_call_format = call_format
    return True
