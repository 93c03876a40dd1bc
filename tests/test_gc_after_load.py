"""The server's agent load is followed by gc.freeze() (bot/gc_after_load.py)."""

import asyncio
import gc

from bot import gc_after_load


def test_objects_that_exist_after_loading_are_frozen_and_the_agent_is_returned():
    made = []

    async def load(*args, **kwargs):
        made.append([object() for _ in range(1000)])  # long-lived, like a model
        return ("agent", args, kwargs)

    before = gc.get_freeze_count()
    try:
        agent = asyncio.run(gc_after_load.freeze_after_load(load)("model", app="app"))
        assert agent == ("agent", ("model",), {"app": "app"})
        assert gc.get_freeze_count() >= before + 1000
    finally:
        gc.unfreeze()


def test_install_wraps_rasas_load_once():
    from rasa.core import run

    original = run.load_agent_on_start
    try:
        # Another test may have installed the patches already: start from
        # Rasa's own, unwrapped function.
        async def rasas_load(*args, **kwargs):
            return None

        run.load_agent_on_start = rasas_load
        assert gc_after_load.install()
        wrapped = run.load_agent_on_start
        assert wrapped is not rasas_load and wrapped.freezes
        assert gc_after_load.install()
        assert run.load_agent_on_start is wrapped  # not wrapped twice
    finally:
        run.load_agent_on_start = original
