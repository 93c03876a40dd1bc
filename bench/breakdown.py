"""Pure part of the attribution experiment (bench/attribution.py): one turn's
timed calls (bench/timing_hook.py) become parts that add up to the latency the
user saw, and the parts of many turns become p50/p95/mean and a gap.

The parts, outside in:
- http_channel: the client's latency minus Agent.handle_message (HTTP, JSON,
  the channel's checks, sanic);
- lock: Agent.handle_message minus MessageProcessor.handle_message;
- retrieve, nlu, policy, save: the processor's get_tracker, parse_message,
  _predict_next_with_tracker (all predictions of the turn), save_tracker;
  save is split into redaction (RedactedEvent.as_dict) and save_write;
- action_handler: time inside the action server's ActionExecutor.run;
  action_transport: RemoteAction.run minus that (request building, HTTP,
  JSON both ways, response check);
- rasa_other: the rest of MessageProcessor.handle_message (slot extraction
  without a call, running responses, tracker updates, session start).
"""

from typing import Dict, Iterable, List, Sequence

from bench.stats import percentile

PARTS = (
    "http_channel",
    "lock",
    "retrieve",
    "nlu",
    "policy",
    "action_transport",
    "action_handler",
    "save_redaction",
    "save_write",
    "rasa_other",
)
COUNTED = ("policy", "remote_action")


def sums(records: Iterable[Sequence]) -> Dict[str, float]:
    """Total ms per call name over the records (each a list of [name, ms])."""
    total: Dict[str, float] = {}
    for record in records:
        for name, ms in record:
            total[name] = total.get(name, 0.0) + ms
    return total


def counts(records: Iterable[Sequence]) -> Dict[str, int]:
    found: Dict[str, int] = {}
    for record in records:
        for name, _ms in record:
            found[name] = found.get(name, 0) + 1
    return found


def turn_parts(latency_ms: float, records: List[Sequence]) -> Dict[str, float]:
    """The parts of one turn; they add up to `latency_ms`. ValueError when the
    records hold no handled message (the hook did not run)."""
    t = sums(records)
    if "agent" not in t or "handle" not in t:
        raise ValueError("no timed message in this turn")
    get = lambda name: t.get(name, 0.0)  # noqa: E731
    save = get("save")
    parts = {
        "http_channel": latency_ms - t["agent"],
        "lock": t["agent"] - t["handle"],
        "retrieve": get("retrieve"),
        "nlu": get("nlu"),
        "policy": get("policy"),
        "action_transport": get("remote_action") - get("sdk_action"),
        "action_handler": get("sdk_action"),
        "save_redaction": get("redaction"),
        "save_write": save - get("redaction"),
    }
    inside = ("retrieve", "nlu", "policy", "remote_action", "save")
    parts["rasa_other"] = t["handle"] - sum(get(name) for name in inside)
    return {name: round(parts[name], 3) for name in PARTS}


def summarise(turns: List[Dict[str, float]]) -> Dict[str, Dict[str, float]]:
    """p50, p95 and mean (ms) per part and for the whole turn ('total')."""
    if not turns:
        raise ValueError("no turns")
    result = {}
    for name in PARTS + ("total",):
        values = [turn["total"] if name == "total" else turn["parts"][name] for turn in turns]
        result[name] = {
            "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "mean_ms": round(sum(values) / len(values), 2),
        }
    return result


def gap(ours: Dict[str, Dict], reference: Dict[str, Dict]) -> Dict[str, Dict[str, float]]:
    """Per part: ours minus reference in mean ms, and its share of the gap in
    the mean turn (means add up, percentiles do not)."""
    whole = ours["total"]["mean_ms"] - reference["total"]["mean_ms"]
    result = {}
    for name in PARTS:
        diff = ours[name]["mean_ms"] - reference[name]["mean_ms"]
        result[name] = {
            "mean_diff_ms": round(diff, 2),
            "share_of_gap": round(diff / whole, 3) if whole else None,
        }
    return result


def p95_without(turns: List[Dict], parts: Sequence[str], add_ms: float = 0.0) -> float:
    """p95 (ms) of the turns with `parts` left out and `add_ms` added to each:
    what the turn would cost without them (computed, not measured)."""
    values = [turn["total"] - sum(turn["parts"][p] for p in parts) + add_ms for turn in turns]
    return round(percentile(values, 95), 2)


def mean_calls(turns: List[Dict]) -> Dict[str, float]:
    """Calls per turn, on average, of the counted names (predictions, actions)."""
    return {
        name: round(sum(turn["calls"].get(name, 0) for turn in turns) / len(turns), 2)
        for name in COUNTED
    }


def node_means(turns: List[Dict], top: int = 12) -> Dict[str, float]:
    """Mean ms per turn of the slowest graph nodes (NLU components, policies)."""
    total: Dict[str, float] = {}
    for turn in turns:
        for node, ms in turn["nodes"].items():
            total[node] = total.get(node, 0.0) + ms
    ranked = sorted(total.items(), key=lambda item: -item[1])[:top]
    return {node: round(ms / len(turns), 2) for node, ms in ranked}


def markdown_table(summary: Dict[str, Dict], gaps: Dict[str, Dict]) -> List[str]:
    """Per part: p50/p95 of ours and the reference, the mean gap and its share;
    with an 'ours_memory' run also its p50/p95."""
    memory = summary.get("ours_memory")
    head = "| part | ours p50 | ours p95 | ref p50 | ref p95 | mean gap ms | share of gap |"
    rule = "|---|---|---|---|---|---|---|"
    if memory:
        head += " in-memory p50 | in-memory p95 |"
        rule += "---|---|"
    lines = [head, rule]
    for name in PARTS + ("total",):
        ours, ref = summary["ours"][name], summary["reference"][name]
        if name == "total":
            diff = round(ours["mean_ms"] - ref["mean_ms"], 2)
            share = "1.00"
        else:
            diff = gaps[name]["mean_diff_ms"]
            share = (
                "" if gaps[name]["share_of_gap"] is None else f"{gaps[name]['share_of_gap']:.2f}"
            )
        row = (
            f"| {name} | {ours['p50_ms']} | {ours['p95_ms']} | {ref['p50_ms']} | "
            f"{ref['p95_ms']} | {diff:+.1f} | {share} |"
        )
        if memory:
            row += f" {memory[name]['p50_ms']} | {memory[name]['p95_ms']} |"
        lines.append(row)
    return lines
