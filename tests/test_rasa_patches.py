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
