"""One call to the action server less on most messages.

Rasa 3.6 runs `action_extract_slots` after every user message and, for the
custom slot mappings in domain.yml, calls `validate_verhuizing_form` on the
action server, form or no form (facts stated outside the move form are kept
that way). Outside the form that action (actions/forms.py, rasa_sdk's
FormValidationAction) can only return events through:
- `extract_plaats`: only when `requested_slot` is `plaats`;
- `extract_gemeld_bij_vt`: when `requested_slot` is `gemeld_bij_vt`, or when
  the message's analysis holds `gemeld_bij_vt` ("niet gemeld");
- `validate_<slot>` of slot events at the end of the tracker (Rasa calls it
  with the tracker from before its own mapping events, so normally none);
- `next_requested_slot`: only right after the form itself ran.
When none of these holds the call returns nothing, so it is not made. Measured
inside the turns: 7.1 ms p50 per call, on 3 of 4 turns of the bench
conversation (docs/benchmarks.md). tests/test_extract_slots.py runs the
action itself on such trackers and checks that its extract methods are still
the ones listed here.

Hook: `ActionExtractSlots._execute_custom_action` (bot/rasa_internals.py).
"""

from typing import Any

from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.events import SlotSet

from bot.nlu.decision import ANALYSIS_KEY

ACTION = "validate_verhuizing_form"
FORM = "verhuizing_form"
# Slots whose question an `extract_<slot>` method of the action answers.
ANSWERED_SLOTS = frozenset({"plaats", "gemeld_bij_vt"})
# Facts of the message's analysis that an `extract_<slot>` method reads.
ANALYSED_FACTS = ("gemeld_bij_vt",)


def returns_nothing(tracker: Any) -> bool:
    """True when `validate_verhuizing_form` cannot return an event (see above)."""
    if tracker.active_loop_name is not None or tracker.latest_action_name == FORM:
        return False
    if tracker.get_slot(REQUESTED_SLOT) in ANSWERED_SLOTS:
        return False
    message = tracker.latest_message
    analysis = ((message.parse_data if message else None) or {}).get(ANALYSIS_KEY) or {}
    if any(analysis.get(fact) is not None for fact in ANALYSED_FACTS):
        return False
    return not (tracker.events and isinstance(tracker.events[-1], SlotSet))


def install() -> bool:
    from rasa.core.actions.action import ActionExtractSlots

    original = getattr(ActionExtractSlots, "_execute_custom_action", None)
    if original is None:
        return False
    if getattr(original, "skips_empty_calls", False):
        return True

    async def execute_custom_action(
        self, mapping, executed_custom_actions, output_channel, nlg, tracker, domain
    ):
        if mapping.get("action") == ACTION and returns_nothing(tracker):
            executed_custom_actions.add(ACTION)  # as after a call that returned nothing
            return [], executed_custom_actions
        return await original(
            self, mapping, executed_custom_actions, output_channel, nlg, tracker, domain
        )

    execute_custom_action.skips_empty_calls = True
    ActionExtractSlots._execute_custom_action = execute_custom_action
    return True
