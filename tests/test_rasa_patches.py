"""The schema-check speed fix keeps Rasa's behaviour for action-server responses."""

from unittest import mock

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_patches

VALID = {
    "events": [{"event": "slot", "name": "fase", "value": "gemeld"}],
    "responses": [{"text": "Stap 1"}],
}
INVALID = {
    "events": [{"event": "slot", "name": "fase", "value": "gemeld"}],
    "responses": "geen lijst",
}


@pytest.fixture
def action():
    rasa_patches.install()
    return RemoteAction("action_stappen_zorgen", None)


def test_install_twice_wraps_once(action):
    installed = RemoteAction._validate_action_result
    rasa_patches.install()
    assert RemoteAction._validate_action_result is installed


def test_valid_response_skips_the_per_call_metaschema_check(action):
    with mock.patch.object(jsonschema, "validate", side_effect=AssertionError("slow path")):
        assert action._validate_action_result(VALID) is True
        assert action._validate_action_result({"events": [], "responses": []}) is True


def test_invalid_response_still_gets_rasas_error(action):
    with pytest.raises(jsonschema.ValidationError) as error:
        action._validate_action_result(INVALID)
    assert "Failed to validate Action server response" in error.value.message


def test_the_cached_validator_agrees_with_jsonschema_validate():
    schema = RemoteAction.action_response_format_spec()
    jsonschema.validate(VALID, schema)
    assert rasa_patches.action_response_validator().is_valid(VALID)
    assert not rasa_patches.action_response_validator().is_valid(INVALID)


def test_the_api_token_comes_from_the_environment_not_the_command_line(monkeypatch):
    import argparse

    import rasa.cli.run

    from bot import rasa_patches

    seen = []
    monkeypatch.setattr(rasa.cli.run, "run", lambda args: seen.append(args.auth_token))
    rasa_patches.auth_token_from_environment()
    token = "t" * 40
    monkeypatch.setenv("RASA_API_TOKEN", token)
    rasa.cli.run.run(argparse.Namespace(enable_api=True, auth_token=None))
    rasa.cli.run.run(argparse.Namespace(enable_api=False, auth_token=None))
    assert seen == [token, None]


def test_a_short_api_token_stops_the_start(monkeypatch, capsys):
    from bot.__main__ import run_rasa

    monkeypatch.setenv("RASA_API_TOKEN", "te-kort")
    assert run_rasa(["run", "--enable-api"]) == 2
    assert "RASA_API_TOKEN is te kort" in capsys.readouterr().err


def test_event_classes_are_found_as_rasa_finds_them_and_remembered(monkeypatch):
    import rasa.shared.utils.common
    from rasa.shared.core import events

    original = events.Event.resolve_by_type
    expected = {
        cls.type_name: original(cls.type_name)
        for cls in rasa.shared.utils.common.all_subclasses(events.Event)
    }
    rasa_patches.event_classes_remembered()
    for type_name, event_class in expected.items():
        assert events.Event.resolve_by_type(type_name) is event_class
    # Found once: a second lookup does not walk the subclasses again.
    walks = []
    monkeypatch.setattr(
        rasa.shared.utils.common, "all_subclasses", lambda cls: walks.append(cls) or []
    )
    assert events.Event.resolve_by_type("user") is events.UserUttered
    assert walks == []
    # Unknown names still get Rasa's own answer: the default, or its error.
    assert events.Event.resolve_by_type("onbekend", events.BotUttered) is events.BotUttered
    with pytest.raises(ValueError):
        events.Event.resolve_by_type("onbekend")
