"""The attribution experiment's pure parts: one turn's timed calls become parts
that add up to the latency, summaries, the gap, and the timing hook itself."""

import asyncio
import json
import os

import pytest

from bench import breakdown, timing_hook
from bench.attribution import Tail, make_turn

# One turn of ours: two predictions, one action-server call with its handler
# time (a separate record, as the action server writes it), a redacted save.
OURS_TURN = [
    [
        ["retrieve", 3.0],
        ["node:run_DIETClassifier", 6.0],
        ["nlu", 10.0],
        ["policy", 2.0],
        ["remote_action", 12.0],
        ["policy", 1.5],
        ["redaction", 1.0],
        ["redaction", 0.5],
        ["save", 4.0],
        ["handle", 40.0],
        ["agent", 41.0],
    ],
    [["sdk_action", 5.0]],
]


def test_turn_parts_add_up_to_the_latency_and_split_action_and_save():
    parts = breakdown.turn_parts(50.0, OURS_TURN)
    assert parts["http_channel"] == 9.0
    assert parts["lock"] == 1.0
    assert parts["policy"] == 3.5  # both predictions of the turn
    assert parts["action_handler"] == 5.0
    assert parts["action_transport"] == 7.0
    assert parts["save_redaction"] == 1.5
    assert parts["save_write"] == 2.5
    # 40 - (3 + 10 + 3.5 + 12 + 4); graph nodes are inside nlu, not counted twice
    assert parts["rasa_other"] == 7.5
    assert sum(parts.values()) == pytest.approx(50.0)
    assert set(parts) == set(breakdown.PARTS)


def test_turn_without_a_timed_message_is_refused():
    with pytest.raises(ValueError):
        breakdown.turn_parts(20.0, [[["sdk_action", 5.0]]])


def test_make_turn_keeps_nodes_and_counts_calls():
    turn = make_turn(50.0, OURS_TURN)
    assert turn["nodes"] == {"run_DIETClassifier": 6.0}
    assert turn["calls"]["policy"] == 2
    assert turn["calls"]["remote_action"] == 1


def _turn(total, **parts):
    full = {name: 0.0 for name in breakdown.PARTS}
    full.update(parts)
    return {"total": total, "parts": full, "calls": {"policy": 2}, "nodes": {"a": total}}


def test_summary_gap_shares_and_computed_p95():
    ours = [_turn(40.0 + i, action_transport=10.0, nlu=30.0 + i) for i in range(5)]
    reference = [_turn(20.0 + i, nlu=20.0 + i) for i in range(5)]
    summary = {"ours": breakdown.summarise(ours), "reference": breakdown.summarise(reference)}
    assert summary["ours"]["total"]["p50_ms"] == 42.0
    assert summary["ours"]["total"]["p95_ms"] == pytest.approx(43.8)
    gaps = breakdown.gap(summary["ours"], summary["reference"])
    assert gaps["action_transport"] == {"mean_diff_ms": 10.0, "share_of_gap": 0.5}
    assert gaps["nlu"]["share_of_gap"] == 0.5
    assert gaps["save_write"]["mean_diff_ms"] == 0.0
    assert breakdown.p95_without(ours, ["action_transport"]) == pytest.approx(33.8)
    assert breakdown.p95_without(ours, ["action_transport"], add_ms=1.0) == pytest.approx(34.8)
    assert breakdown.mean_calls(ours) == {"policy": 2.0, "remote_action": 0.0}
    table = breakdown.markdown_table(summary, gaps)
    assert table[0].startswith("| part | ours p50")
    assert "| action_transport | 10.0 | 10.0 | 0.0 | 0.0 | +10.0 | 0.50 |" in table
    assert table[-1].startswith("| total | 42.0 |")


def test_summary_of_no_turns_is_refused():
    with pytest.raises(ValueError):
        breakdown.summarise([])


def test_node_means_ranks_the_slowest_nodes():
    turns = [
        {"nodes": {"diet": 6.0, "rules": 1.0, "tok": 0.5}},
        {"nodes": {"diet": 4.0, "rules": 3.0}},
    ]
    assert breakdown.node_means(turns, top=2) == {"diet": 5.0, "rules": 2.0}


def test_hook_writes_one_line_per_outer_call_with_the_inner_calls(tmp_path, monkeypatch):
    monkeypatch.setenv(timing_hook.ENV, str(tmp_path))
    monkeypatch.setattr(timing_hook, "_out", {})

    async def inner():
        return "x"

    async def outer():
        return await timed_inner()

    timed_inner = timing_hook.timed_async(lambda: "inner", inner)
    timed_outer = timing_hook.timed_async(lambda: "outer", outer, outer=True)
    assert asyncio.run(timed_inner()) == "x"  # outside a message: not recorded
    assert asyncio.run(timed_outer()) == "x"
    timing_hook._out["file"].close()
    lines = [json.loads(line) for line in next(tmp_path.glob("*.jsonl")).read_text().splitlines()]
    assert [[name for name, _ms in line] for line in lines] == [["inner", "outer"]]
    assert all(ms >= 0 for _name, ms in lines[0])


def test_hook_is_inactive_without_its_environment_variable(monkeypatch):
    monkeypatch.delenv(timing_hook.ENV, raising=False)
    assert timing_hook.install() is False


def test_tail_returns_only_new_complete_lines(tmp_path):
    log = tmp_path / "1.jsonl"
    log.write_text('[["agent", 1.0]]\n[["han')
    tail = Tail(tmp_path)
    assert tail.new_records() == [[["agent", 1.0]]]
    assert tail.new_records() == []
    with log.open("a") as handle:
        handle.write('dle", 2.0]]\n')
    assert tail.new_records() == [[["handle", 2.0]]]


def test_wrap_times_a_method_once_and_keeps_its_result(tmp_path, monkeypatch):
    monkeypatch.setenv(timing_hook.ENV, str(tmp_path))
    monkeypatch.setattr(timing_hook, "_out", {})

    class Processor:
        def predict(self, value):
            return value * 2

    timing_hook._wrap(Processor, "predict", "policy", is_async=False)
    wrapped = Processor.predict
    timing_hook._wrap(Processor, "predict", "policy", is_async=False)
    assert Processor.predict is wrapped  # a second install does not time twice

    async def message():
        return Processor().predict(3)

    outer = timing_hook.timed_async(lambda: "agent", message, outer=True)
    assert asyncio.run(outer()) == 6
    timing_hook._out["file"].close()
    line = json.loads(next(tmp_path.glob("*.jsonl")).read_text())
    assert [name for name, _ms in line] == ["policy", "agent"]


def test_hook_env_puts_a_sitecustomize_that_installs_the_hook_first_on_the_path(tmp_path):
    from bench.attribution import hook_env

    env = hook_env(tmp_path)
    folder = env["PYTHONPATH"].split(os.pathsep)[0]
    assert "meldcode_timing_hook" in (tmp_path / "hook" / "sitecustomize.py").read_text()
    assert (tmp_path / "hook" / "meldcode_timing_hook.py").read_text().startswith('"""Timing hook')
    assert folder == str(tmp_path / "hook")
    assert env[timing_hook.ENV] == str(tmp_path / "timings")
