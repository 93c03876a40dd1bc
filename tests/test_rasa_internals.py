"""The private members of Rasa the project uses (bot/rasa_internals.py).

On a Rasa other than 3.6.x this fails loudly and lists every one of them, so
whoever upgrades knows exactly what to check. On 3.6.x it proves the list is
real: each member exists, each is used where the list says, and no file in the
list uses a private member of its Rasa class that the list leaves out.
"""

import importlib
import inspect
import re

import rasa

from bot.rasa_internals import PRIVATE_MEMBERS, SUPPORTED_RASA
from tests.conftest import PROJECT_ROOT


def rasa_class(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def belongs_to(cls, name: str) -> bool:
    """A method or class attribute, or an attribute set in one of its __init__s."""
    if hasattr(cls, name):
        return True
    sources = (inspect.getsource(c) for c in cls.__mro__ if c.__module__.startswith("rasa."))
    return any(f"self.{name}" in source for source in sources)


def listing() -> str:
    return "\n".join(
        f"  {m.used_in}: {m.rasa_class.split(':')[1]}.{m.name} ({m.why})" for m in PRIVATE_MEMBERS
    )


def test_rasa_is_the_version_whose_private_members_the_project_uses():
    assert rasa.__version__.startswith(SUPPORTED_RASA), (
        f"Rasa {rasa.__version__} is not {SUPPORTED_RASA}x. The project uses these private "
        f"members of Rasa; check each one in the new version, then update "
        f"bot/rasa_internals.py:\n{listing()}"
    )


def test_every_listed_private_member_exists_and_is_used_where_listed():
    for member in PRIVATE_MEMBERS:
        assert belongs_to(rasa_class(member.rasa_class), member.name), member
        source = (PROJECT_ROOT / member.used_in).read_text(encoding="utf-8")
        assert re.search(rf"\.{member.name}\b", source), f"{member.used_in} no longer uses {member}"


def test_no_private_member_of_rasa_is_used_without_being_listed():
    """Checks the files that extend Rasa classes, against all those classes."""
    listed = {(m.used_in, m.name) for m in PRIVATE_MEMBERS}
    files = {m.used_in for m in PRIVATE_MEMBERS} | {
        "bot/lock_store.py",
        "bot/privacy/tracker_store.py",
        "bot/channels/slack.py",
    }
    classes = {rasa_class(m.rasa_class) for m in PRIVATE_MEMBERS}
    classes.add(rasa_class("rasa.core.lock_store:RedisLockStore"))
    classes.add(rasa_class("rasa.core.tracker_store:SQLTrackerStore"))
    classes.add(rasa_class("rasa.core.channels.slack:SlackInput"))
    for used_in in sorted(files):
        source = (PROJECT_ROOT / used_in).read_text(encoding="utf-8")
        for name in sorted(set(re.findall(r"\.(_[a-z]\w*)", source))):
            if any(belongs_to(cls, name) for cls in classes):
                assert (used_in, name) in listed, f"{used_in} uses {name}: add it to the list"
