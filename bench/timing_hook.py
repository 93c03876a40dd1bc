"""Timing hook for the attribution experiment (bench/attribution.py) only.

bench/attribution.py copies this file next to a two-line `sitecustomize.py`
in a temporary folder on PYTHONPATH, so it loads in the Rasa servers and the
action server it starts, ours and the reference alike. Nothing else imports
it: without that folder the product runs unchanged.

When a module below is imported, its methods are wrapped with a clock. Every
call inside one message (Agent.handle_message) or one action-server call
(rasa_sdk's ActionExecutor.run) is collected, and the list is written as one
JSON line per message to $MELDCODE_TIMING_DIR/<pid>.jsonl before the reply
leaves the process. Stdlib only: it also runs in the reference's project.
"""

import contextvars
import importlib.machinery
import json
import os
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

ENV = "MELDCODE_TIMING_DIR"

_calls: contextvars.ContextVar[Optional[List[Tuple[str, float]]]] = contextvars.ContextVar(
    "meldcode_timing_calls", default=None
)
_out: Dict[str, Any] = {}


def _write(calls: List[Tuple[str, float]]) -> None:
    if "file" not in _out:
        path = os.path.join(os.environ[ENV], f"{os.getpid()}.jsonl")
        _out["file"] = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process
    _out["file"].write(json.dumps([[name, round(ms, 3)] for name, ms in calls]) + "\n")
    _out["file"].flush()


def _add(name: str, started: float) -> None:
    calls = _calls.get()
    if calls is not None:
        calls.append((name, (time.perf_counter() - started) * 1000))


def timed_async(name: Callable[..., str], original: Callable, outer: bool = False) -> Callable:
    """`outer`: the call starts (and writes) its own record, as one message does."""

    async def wrapper(*args, **kwargs):
        token = _calls.set([]) if outer else None
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            _add(name(*args), started)
            if token is not None:
                calls = _calls.get()
                _calls.reset(token)
                _write(calls)

    wrapper.timed = True
    return wrapper


def timed_sync(name: Callable[..., str], original: Callable) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _add(name(*args), started)

    wrapper.timed = True
    return wrapper


def _wrap(cls, method: str, name, is_async: bool = True, outer: bool = False) -> None:
    original = getattr(cls, method, None)
    if original is None or getattr(original, "timed", False):
        return
    label = name if callable(name) else (lambda *_args, _n=name: _n)
    wrapped = timed_async(label, original, outer) if is_async else timed_sync(label, original)
    setattr(cls, method, wrapped)


def _agent(module) -> None:
    _wrap(module.Agent, "handle_message", "agent", outer=True)


def _processor(module) -> None:
    cls = module.MessageProcessor
    _wrap(cls, "handle_message", "handle")
    _wrap(cls, "get_tracker", "retrieve")
    _wrap(cls, "parse_message", "nlu")
    _wrap(cls, "save_tracker", "save")
    _wrap(cls, "_predict_next_with_tracker", "policy", is_async=False)


def _actions(module) -> None:
    _wrap(module.RemoteAction, "run", "remote_action")


def _graph(module) -> None:
    _wrap(module.GraphNode, "__call__", lambda node, *_: "node:" + node._node_name, False)


def _sdk(module) -> None:
    _wrap(module.ActionExecutor, "run", "sdk_action", outer=True)


def _redaction(module) -> None:
    _wrap(module.RedactedEvent, "as_dict", "redaction", is_async=False)


PATCHES: Dict[str, Callable] = {
    "rasa.core.agent": _agent,
    "rasa.core.processor": _processor,
    "rasa.core.actions.action": _actions,
    "rasa.engine.graph": _graph,
    "rasa_sdk.executor": _sdk,
    "bot.privacy.tracker_store": _redaction,
}


class _PatchAfterImport:
    """Finds the modules above the normal way and patches them once loaded."""

    def find_spec(self, name, path, target=None):
        if name not in PATCHES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            PATCHES[name](module)

        spec.loader.exec_module = exec_and_patch
        return spec


def install() -> bool:
    """Active only when MELDCODE_TIMING_DIR is set; True when installed."""
    if not os.environ.get(ENV):
        return False
    if not any(isinstance(f, _PatchAfterImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchAfterImport())
    return True
