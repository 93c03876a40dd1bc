"""The loaded model out of Python's garbage collector's way.

After the Rasa server has loaded its agent (TensorFlow, DIET, the TF-IDF
classifier, deduce's name lists), hundreds of thousands of long-lived Python
objects sit in the oldest generation, and every full collection walks them
all again: single turns of 500-590 ms in long conversations (bench/growth.py,
two of 200 turns) where the turns around them took 100-150 ms. `gc.freeze()`
moves what exists after loading to a generation the collector never walks;
new objects are collected as before. Measured in bench/findings.py.

Hook: `rasa.core.run.load_agent_on_start` (public), looked up by name when the
server starts, so replacing it in the module before `rasa run` works.
"""

import gc
from typing import Any


def freeze_after_load(load: Any) -> Any:
    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return agent

    load_agent_on_start.freezes = True
    return load_agent_on_start


def install() -> bool:
    from rasa.core import run

    original = getattr(run, "load_agent_on_start", None)
    if original is None:
        return False
    if not getattr(original, "freezes", False):
        run.load_agent_on_start = freeze_after_load(original)
    return True
