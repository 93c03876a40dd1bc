"""A new Rasa session at a rest point of a long conversation.

Rasa 3.6 reads back, replays and featurises the whole current session for
every prediction, so a turn gets dearer the longer a session runs (issue 14:
p95 at turn 100 was 2.4-2.7 times turn 1, docs/benchmarks.md). Rasa starts a
session itself only after `session_expiration_time` without messages. Here a
message also starts one when the session already holds `SESSION_TURNS`
messages and the conversation is at a rest point, where the next answer
cannot depend on the turns before:
- the last thing the assistant did was a complete answer (one of ANSWERS);
- no form runs and no slot is being asked (`requested_slot` empty);
- no question of the assistant is open (`open_vraag` empty or "geen"),
  no situation waits for later (`uitgestelde_situaties`) and the exercise
  mode is off.
The case slots go along (`carry_over_slots_to_new_session: true`), so
`fase`, `plaats`, `gemeld_bij_vt` and the discussed situations stay known.
Every end-to-end test also runs with SESSION_TURNS=1 (a new session at every
rest point) and gets the same answers (tests/test_session_split.py).

Hook: `MessageProcessor._has_session_expired`.
"""

from typing import Any, Optional

from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from bot import settings

# Answer actions: each gives its steps (and the follow-up buttons) in full.
ANSWERS = frozenset(
    {
        "action_stappen_zorgen",
        "action_stappen_verhuizing",
        "action_stappen_hulp_geweigerd",
        "action_stappen_acuut",
        "action_stappen_verantwoordelijkheid",
        "action_stappen_meldcode",
        "action_stappen_veilig_thuis",
        "action_beantwoord_situaties",
        "action_vermoeden_collega",
    }
)
LISTEN = "action_listen"
NO_QUESTION = (None, "geen")


def messages_in_session(tracker: Any) -> int:
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            count += 1
    return count


def last_action(tracker: Any) -> Optional[str]:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != LISTEN:
            return event.action_name
    return None


def at_rest(tracker: Any) -> bool:
    return (
        last_action(tracker) in ANSWERS
        and tracker.active_loop_name is None
        and tracker.get_slot("requested_slot") is None
        and tracker.get_slot("open_vraag") in NO_QUESTION
        and not tracker.get_slot("uitgestelde_situaties")
        and not tracker.get_slot("oefenmodus")
    )


def starts_new_session(tracker: Any, limit: int) -> bool:
    return limit > 0 and messages_in_session(tracker) >= limit and at_rest(tracker)


def install() -> bool:
    from rasa.core.processor import MessageProcessor

    original = getattr(MessageProcessor, "_has_session_expired", None)
    if original is None:
        return False
    if getattr(original, "splits_at_rest", False):
        return True
    limit = settings.session_turns()

    def has_session_expired(self, tracker) -> bool:
        if original(self, tracker):
            return True
        return self.domain.session_config.are_sessions_enabled() and starts_new_session(
            tracker, limit
        )

    has_session_expired.splits_at_rest = True
    has_session_expired.original = original
    MessageProcessor._has_session_expired = has_session_expired
    return True
