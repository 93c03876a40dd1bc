"""Pure parts of `make bench`: statistics, the baseline, load helpers, the report."""

import io

import pytest

from bench import report
from bench.conversations import OURS, REFERENCE, turns_in
from bench.load import reply_failed
from bench.nlu import intent_scores, plaats_values, top_intent_without_fallback, train_baseline
from bench.progress import Progress
from bench.stats import latency_summary, percentile


def test_percentile_interpolates_like_numpy():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 0) == 1
    assert percentile(values, 50) == 3
    assert percentile(values, 100) == 5
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 21)), 95) == pytest.approx(19.05)
    assert percentile([7.0], 95) == 7.0


def test_percentile_refuses_empty_or_out_of_range():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_latency_summary_in_milliseconds_and_turns_per_second():
    summary = latency_summary([0.1, 0.2, 0.3, 0.4], wall_s=2.0, errors=1)
    assert summary["turns"] == 4 and summary["errors"] == 1
    assert summary["p50_ms"] == 250.0
    assert summary["max_ms"] == 400.0
    assert summary["turns_per_s"] == 2.0


def test_baseline_learns_a_tiny_intent_set():
    texts = [
        "hallo",
        "hoi daar",
        "goedemorgen",
        "tot ziens",
        "doei",
        "dag en tot later",
        "ouders weigeren hulp",
        "vader wil geen hulp",
        "moeder houdt hulp af",
    ]
    intents = ["groet"] * 3 + ["afscheid"] * 3 + ["hulp_geweigerd"] * 3
    model = train_baseline(texts, intents)
    assert list(model.predict(["hallo hoi", "ouders willen geen hulp", "doei doei"])) == [
        "groet",
        "hulp_geweigerd",
        "afscheid",
    ]


def test_intent_scores_count_a_fallback_as_a_miss():
    expected = ["groet", "groet", "afscheid", "afscheid"]
    predicted = ["groet", "nlu_fallback", "afscheid", "afscheid"]
    scores = intent_scores(expected, predicted)
    assert scores["accuracy"] == 0.75
    assert scores["per_intent_f1"]["groet"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["per_intent_f1"]["afscheid"] == 1.0
    assert "nlu_fallback" not in scores["per_intent_f1"]
    assert scores["support"] == {"afscheid": 2, "groet": 2}


def test_top_intent_without_fallback_and_plaats_values():
    parsed = {"intent_ranking": [{"name": "nlu_fallback"}, {"name": "verhuizing"}]}
    assert top_intent_without_fallback(parsed) == "verhuizing"
    assert top_intent_without_fallback({"intent_ranking": []}) == "nlu_fallback"
    entities = [{"entity": "plaats", "value": " Zwolle"}, {"entity": "fase", "value": "gemeld"}]
    assert plaats_values(entities) == {"zwolle"}


def test_a_reply_fails_without_answer_or_with_the_safe_message():
    assert not reply_failed(200, [{"text": "Stap 1"}], ["Er ging iets mis"])
    assert reply_failed(200, [], [])
    assert reply_failed(500, [{"text": "x"}], [])
    assert reply_failed(200, {"error": "x"}, [])
    assert reply_failed(200, [{"text": "Sorry. Er ging iets mis, bel VT"}], ["Er ging iets mis"])


def test_turns_in_counts_each_users_conversations_from_its_offset():
    conversations = [["a"], ["b", "c"], ["d", "e", "f"]]
    assert turns_in(conversations, 1, 3) == 6
    assert turns_in(conversations, 2, 1) == 1 + 2
    assert turns_in(conversations, 3, 2) == (1 + 2) + (2 + 3) + (3 + 1)
    assert all(OURS) and all(REFERENCE)


def test_progress_lines_show_elapsed_time_and_a_bar_every_tenth():
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress.step("trainen")
    for done in range(1, 21):
        progress.bar("belasting", done, 20)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[00:00] (1/2) trainen")
    assert len(lines) == 1 + 10
    assert lines[-1].endswith("[" + "#" * 30 + "] 20/20")


def run_results(**changes):
    """A small, complete result of a run, as bench.run builds it."""

    def load(p50, p95, tput, users, servers=1):
        return {
            "summary": {
                "turns": 10,
                "errors": 0,
                "p50_ms": p50,
                "p95_ms": p95,
                "max_ms": p95,
                "wall_s": 1.0,
                "turns_per_s": tput,
                "users": users,
                "conversations_per_user": 1,
                "servers": servers,
            },
            "latencies_s": [p50 / 1000] * 9 + [p95 / 1000],
        }

    scores = {
        "n": 4,
        "accuracy": 0.96,
        "macro_f1": 0.97,
        "per_intent_f1": {"groet": 0.97},
        "support": {"groet": 4},
    }
    results = {
        "date": "2026-11-28T20:00:00+00:00",
        "command": "python -m bench",
        "quick": False,
        "settings": {"users": 20},
        "duration_s": 700.0,
        "machine": {
            "cores": 2,
            "cpu": "Test CPU",
            "ram_gb": 8.0,
            "os": "Linux",
            "python": "3.10",
            "rasa": "3.6.21",
            "load_average_at_start": [1.0, 1.0, 1.0],
            "nl_core_news_sm": False,
        },
        "training": {
            "ours": {"seconds": 200.0, "size_mb": 26.5},
            "reference": {"seconds": 60.0, "size_mb": 23.8},
        },
        "nlu": {
            "held_out_examples": 4,
            "training_examples": 40,
            "ours": scores,
            "ours_without_fallback": scores,
            "baseline": {**scores, "accuracy": 0.9, "macro_f1": 0.9},
            "fallbacks": 0,
            "fase": {"f1": 0.9, "tp": 9, "fp": 1, "fn": 1},
            "plaats": {"f1": 0.7, "tp": 7, "fp": 3, "fn": 3},
            "plaats_extractors": {"DIETClassifier": 10},
        },
        "load_ours": {
            "one_user": load(60, 100, 15.0, 1),
            "many_users": load(300, 500, 20.0, 20),
            "memory": {
                "rasa": {"rss_mb": 1500.0, "peak_rss_mb": 1540.0},
                "actions": {"rss_mb": 40.0, "peak_rss_mb": 41.0},
            },
            "startup_s": 90.0,
            "growth": {
                "conversations": 3,
                "turns": 100,
                "p95_ms_at_turn": {"1": 100.0, "10": 105.0, "50": 110.0, "100": 120.0},
                "last_over_first": 1.2,
                "request_bytes_at_turn": {"1": 20480, "10": 40960, "50": 102400, "100": 204800},
            },
        },
        "load_reference": {
            "one_user": load(30, 50, 30.0, 1),
            "many_users": load(150, 300, 30.0, 20),
            "memory": {"rasa": {"rss_mb": 1300.0, "peak_rss_mb": 1330.0}},
            "startup_s": 90.0,
            "growth": {
                "conversations": 3,
                "turns": 100,
                "p95_ms_at_turn": {"1": 50.0, "10": 52.0, "50": 60.0, "100": 70.0},
                "last_over_first": 1.4,
            },
        },
        "scale_out": {
            "rasa_1": load(300, 500, 18.0, 20),
            "rasa_2": load(280, 480, 19.0, 20, servers=2),
        },
    }
    results.update(changes)
    return results


def test_targets_are_judged_against_the_issue():
    verdicts = {t["key"]: (t["value"], t["met"]) for t in report.targets(run_results())}
    assert verdicts["macro_f1"] == (0.97, True)
    assert verdicts["ratio"] == (pytest.approx(1.078, abs=1e-3), True)
    assert verdicts["p95"] == (2.0, False)
    assert verdicts["throughput"] == (pytest.approx(0.667, abs=1e-3), False)
    assert verdicts["training"] == (200.0, False)  # issue 14: at most 120 s
    assert verdicts["memory"] == (pytest.approx(1.158, abs=1e-3), False)  # 1540 / 1330
    assert verdicts["growth"] == (1.2, True)
    assert verdicts["quality"] == (0.97, True)
    assert verdicts["duration"] == (700.0, True)


def test_issue_14_limits_are_inclusive():
    results = run_results()
    results["training"]["ours"]["seconds"] = 120.0
    results["load_ours"]["one_user"]["summary"]["p95_ms"] = 60.0  # reference 50: 1.2x
    results["load_ours"]["memory"]["rasa"]["peak_rss_mb"] = 1463.0  # 1.1x of 1330
    results["load_ours"]["growth"]["last_over_first"] = 1.5
    verdicts = {t["key"]: t["met"] for t in report.targets(results)}
    assert verdicts["training"] and verdicts["p95"] and verdicts["memory"]
    assert verdicts["growth"]


def test_report_names_figures_machine_and_why_targets_are_missed():
    text = report.render(run_results())
    assert "Test CPU, 2 cores; RAM 8.0 GB" in text
    assert "`python -m bench`" in text
    assert "`nl_core_news_sm` not installed" in text
    assert "| p95 1 user / reference | <= 1.2 | 2 | **not met** |" in text
    assert "| Intent macro-F1 (held-out) | >= 0.95 | 0.97 | met |" in text
    assert report.WHY_MISSED["p95"] in text
    assert report.WHY_MISSED["ratio"] not in text
    assert "| meldcode assistant | 20 | 10 | 300 | 500 | 20 | 0 |" in text
    assert "![Confusion matrix](benchmarks/confusion_matrix.png)" in text
    assert "| 2 | 10 | 280 | 480 | 19 | 0 |" in text
    # Growth: p95 per turn for both, and the request to the action server in KB.
    assert "| 100 | 120 | 70 | 200 |" in text
    assert "| last / first | 1.2 | 1.4 | not measured |" in text


def test_every_target_has_its_why_and_the_issue_14_levers_are_reported():
    keys = {t["key"] for t in report.targets(run_results())}
    assert keys <= set(report.WHY_MISSED)
    text = report.render(run_results())
    assert "## Issue 14: levers tried, before/after" in text
    assert "| p95 at turn 100 / turn 1 (one conversation) | <= 1.5 | 1.2 | met |" in text


def test_report_says_what_was_not_measured():
    results = run_results(quick=True, scale_out={"skipped": "PostgreSQL niet gevonden"})
    results["training"]["ours"]["seconds"] = None
    text = report.render(results, figures="./")
    assert "| Training (s) | <= 120 | not measured | not measured |" in text
    assert "Not measured: PostgreSQL niet gevonden" in text
    assert "**--quick**" in text
    assert "![Latency and throughput](./latency.png)" in text


def test_redaction_speed_is_measured_and_reported_as_a_target():
    from bench import redaction

    texts = redaction.sentences()
    assert len(texts) >= 200
    found = redaction.measure(texts[:5], rounds=1)
    assert found["messages"] == 5 and found["p50_ms"] <= found["p95_ms"] <= found["max_ms"]
    results = {"redaction": {**found, "p95_ms": 6.0}}
    (target,) = [t for t in report.targets(results) if t["key"] == "redaction"]
    assert target["met"] is False and target["value"] == 6.0
    assert report._section_redaction(results)[0] == "## Redaction per message"


def test_a_bench_user_gets_a_signed_session_from_ours_and_an_own_id_from_the_reference():
    import asyncio

    import aiohttp
    from aiohttp import web

    from bench.load import new_sender

    async def scenario():
        async def session_route(request):
            return web.json_response({"sender": "web.1.abc.def"})

        results = []
        for routes in ([web.post("/webhooks/rest/session", session_route)], []):
            app = web.Application()
            app.add_routes(routes)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]
            async with aiohttp.ClientSession() as client:
                url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
                results.append(await new_sender(client, url))
            await runner.cleanup()
        return results

    ours, reference = asyncio.run(scenario())
    assert ours == "web.1.abc.def"
    assert reference.startswith("bench-") and len(reference) > len("bench-")


def test_growth_windows_and_the_long_conversation():
    from bench import growth

    assert list(growth.window(1, 100)) == [1, 2, 3]
    assert list(growth.window(50, 100)) == [48, 49, 50, 51, 52]
    assert list(growth.window(100, 100)) == [98, 99, 100]
    conversation = growth.long_conversation(OURS, 100)
    assert len(conversation) == 100
    assert not set(conversation) & set(growth.RESETS)  # nothing restarts it


def test_growth_summary_compares_the_last_checkpoint_with_turn_one():
    from bench import growth

    slow_later = [[0.1] * 50 + [0.3] * 50, [0.1] * 50 + [0.3] * 50]
    found = growth.summarise(slow_later, (1, 10, 50, 100))
    assert found["turns"] == 100 and found["conversations"] == 2
    assert found["p95_ms_at_turn"]["1"] == 100.0 and found["p95_ms_at_turn"]["100"] == 300.0
    assert found["last_over_first"] == 3.0
    short = growth.summarise([[0.1] * 20], (1, 10, 50, 100))
    assert set(short["p95_ms_at_turn"]) == {"1", "10"}  # turns not reached are left out


def test_request_size_is_what_rasa_posts_for_the_stored_conversation():
    from rasa.shared.core.domain import Domain

    from bench import growth
    from tests.conftest import PROJECT_ROOT

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))

    def turn(number):
        return [
            {"event": "action", "name": "action_listen"},
            {
                "event": "user",
                "text": f"hallo {number}",
                "parse_data": {"intent": {"name": "groet"}},
            },
            {"event": "bot", "text": "Hallo! " * 50},
        ]

    session = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"}]
    one = growth.request_bytes(session + turn(1), "web:x", domain)
    two = growth.request_bytes(session + turn(1) + turn(2), "web:x", domain)
    assert one > len(str(domain.as_dict()))  # the domain goes along on every call
    assert two - one > 300  # and the latest turns (bot/action_request.py)
    long = session + [event for n in range(1, 30) for event in turn(n)]
    assert growth.request_bytes(long, "web:x", domain) - two < 100
    # An earlier session is not sent: Rasa reads only the latest one.
    assert abs(growth.request_bytes(turn(0) * 10 + session + turn(1), "web:x", domain) - one) < 50
