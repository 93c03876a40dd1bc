"""One benchmark run: training, NLU quality, load on both assistants, report."""

import json
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

from bench import growth, load, machine, nlu, redaction, report, training
from bench.conversations import OURS, REFERENCE, turns_in
from bench.progress import Progress, TurnCounter
from bench.servers import launched_reference, running_ours
from bench.settings import Settings
from harness.servers import PROJECT_ROOT

RESULTS_DIR = PROJECT_ROOT / "results"
REFERENCE_CACHE = RESULTS_DIR / "bench-cache" / "rasa-init"
DOCS = PROJECT_ROOT / "docs"
FIGURES = DOCS / "benchmarks"  # report images, linked from docs/benchmarks.md
EXISTING_MODEL = PROJECT_ROOT / "models" / "meldcode.tar.gz"


def bad_replies() -> List[str]:
    """Texts that mean the assistant did not really answer."""
    from bot.content import load_protocol

    protocol = load_protocol()
    return [protocol.channel_texts["geen_antwoord"], protocol.technical_error]


def measure_both(progress: Progress, targets: List[load.Target], settings: Settings) -> Dict:
    progress.note("opwarmen (elk gesprek een keer per server) ...")
    load.warm_up(targets)
    total = sum(turns_in(t.conversations, 1, settings.single_conversations) for t in targets)
    single = load.one_user(
        targets,
        settings.single_conversations,
        TurnCounter(progress, "1 gebruiker, om en om", total),
    )
    users, per_user = settings.users, settings.conversations_per_user
    total = sum(turns_in(t.conversations, users, per_user) for t in targets)
    many = load.concurrent(
        targets,
        users,
        per_user,
        rounds=2,
        on_turn=TurnCounter(progress, f"{users} gebruikers, 2 rondes", total),
    )
    return {t.name: {"one_user": single[t.name], "many_users": many[t.name]} for t in targets}


def measure_growth(progress: Progress, targets: List[load.Target], assistant, settings: Settings):
    """Turn 1 against turn 100 of one long conversation (bench/growth.py)."""
    from rasa.shared.core.domain import Domain

    from harness.tracker_db import stored_events

    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))

    def request_size(sender: str) -> int:
        stored_id = "web:" + sender.split(".")[2]
        return growth.request_bytes(stored_events(assistant.env, stored_id), stored_id, domain)

    rounds, turns = settings.growth_conversations, settings.growth_turns
    return growth.measure(
        targets,
        rounds,
        turns,
        request_size=request_size,
        on_turn=TurnCounter(
            progress,
            f"groei: {rounds}x een gesprek van {turns} beurten",
            rounds * turns * len(targets),
        ),
    )


def bench_load(
    progress: Progress, work: Path, model: Path, reference: Dict, settings: Settings
) -> Dict[str, Dict]:
    """Both assistants up at once, measured in turns (see bench/load.py)."""
    started = time.monotonic()
    with (
        launched_reference(
            Path(reference["project"]), Path(reference["model"]), work / "reference-rasa.log"
        ) as ref_server,
        running_ours(work / "ours", model) as (assistant,),
    ):
        ref_server.wait()
        startup = round(time.monotonic() - started, 1)
        progress.note(f"beide assistenten draaien (start samen: {startup} s)")
        targets = [
            load.Target("ours", [assistant.url], OURS, bad_replies()),
            load.Target("reference", [ref_server.url], REFERENCE),
        ]
        results = measure_both(progress, targets, settings)
        grown = measure_growth(progress, targets, assistant, settings)
        for name, found in grown.items():
            results[name]["growth"] = found
        results["ours"]["memory"] = {
            "rasa": machine.memory_mb(assistant.rasa.pid),
            "actions": machine.memory_mb(assistant.actions.pid),
        }
        results["reference"]["memory"] = {"rasa": machine.memory_mb(ref_server.process.pid)}
    for result in results.values():
        result["startup_s"] = startup
    return results


def train_both(progress: Progress, work: Path, settings: Settings) -> Dict:
    if settings.train:
        progress.step("ons model trainen (getimed, in een tijdelijke map)")
        ours = training.train_ours(work, progress)
        progress.note(f"klaar in {ours['seconds']} s, {ours['size_mb']} MB")
        progress.step("referentie trainen: rasa init --no-prompt")
        reference = training.train_reference(work / "rasa-init", progress)
        progress.note(f"klaar in {reference['seconds']} s, {reference['size_mb']} MB")
        return {"ours": ours, "reference": reference}
    progress.step("--quick: bestaand model uit models/, training niet gemeten")
    ours = {
        "seconds": None,
        "model": str(EXISTING_MODEL),
        "size_mb": training.size_mb(EXISTING_MODEL),
        "cached": True,
    }
    progress.step("--quick: referentie uit results/bench-cache (of nu trainen)")
    reference = training.cached_reference(REFERENCE_CACHE)
    if reference is None:
        reference = training.train_reference(REFERENCE_CACHE, progress)
    return {"ours": ours, "reference": reference}


def run(settings: Settings, command: str) -> Dict:
    from bench import scaleout

    steps = 7 + int(settings.scale_out)
    progress = Progress(steps)
    results: Dict = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "quick": settings.quick,
        "settings": settings.__dict__,
        "machine": machine.describe(),
    }
    paths = output_paths(settings.quick)
    work = Path(tempfile.mkdtemp(prefix="meldcode-bench-"))
    try:
        progress.step(
            f"machine: {results['machine']['cores']} cores, "
            f"{results['machine']['ram_gb']} GB; werkmap {work}"
        )
        results["training"] = train_both(progress, work, settings)
        model = Path(results["training"]["ours"]["model"])

        progress.step("NLU op de held-out set, met TF-IDF-baseline")
        results["nlu"] = nlu.evaluate(model, paths["figures"] / "confusion_matrix.png")
        progress.note(
            f"macro-F1 {results['nlu']['ours']['macro_f1']:.3f}, "
            f"baseline {results['nlu']['baseline']['macro_f1']:.3f}"
        )

        progress.step("redactie per bericht (deduce en patronen), PII-testset")
        results["redaction"] = redaction.measure(redaction.sentences())
        progress.note(f"redactie p95 {results['redaction']['p95_ms']} ms")

        progress.step("belasting via REST: meldcode (Rasa + actieserver) en referentie")
        both = bench_load(progress, work, model, results["training"]["reference"], settings)
        results["load_ours"], results["load_reference"] = both["ours"], both["reference"]

        if settings.scale_out:
            progress.step("schaal: twee Rasa-servers tegen een (PostgreSQL + Redis)")
            results["scale_out"] = scaleout.measure(progress, work, model, settings, bad_replies())
        results["duration_s"] = round(progress.elapsed(), 1)

        progress.step("rapport schrijven")
        write_outputs(results, paths)
        progress.note(f"klaar in {results['duration_s']} s: {paths['markdown']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


NLU_SECTION = "## NLU on the held-out set"


def run_nlu_only(model: Path) -> Dict:
    """Only the NLU figures, from an already trained model: the NLU sections of
    docs/benchmarks.md are replaced, the other sections keep their last full run."""
    paths = output_paths(quick=False)
    results = {"machine": machine.describe(), "nlu": {}}
    results["nlu"] = nlu.evaluate(model, paths["figures"] / "confusion_matrix.png")
    out = RESULTS_DIR / "bench-nlu.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    figures = os.path.relpath(paths["figures"], paths["markdown"].parent) + "/"
    fresh = "\n".join(report._section_nlu(results, figures) + report._section_issue_11(results))
    old = paths["markdown"].read_text(encoding="utf-8")
    start = old.index(NLU_SECTION)
    after = [i for i in range(start + 1, len(old)) if old.startswith("\n## ", i - 1)]
    rest = [i for i in after if not old.startswith("## Danger, several facts", i)]
    end = rest[0] if rest else len(old)
    paths["markdown"].write_text(old[:start] + fresh + "\n" + old[end:], encoding="utf-8")
    return results


def output_paths(quick: bool) -> Dict[str, Path]:
    """A quick run never overwrites the report in docs/: its figures are not comparable."""
    if quick:
        folder = RESULTS_DIR / "bench-quick"
        return {
            "json": folder / "bench.json",
            "markdown": folder / "benchmarks.md",
            "figures": folder,
        }
    return {
        "json": RESULTS_DIR / "bench.json",
        "markdown": DOCS / "benchmarks.md",
        "figures": FIGURES,
    }


def write_outputs(results: Dict, paths: Dict[str, Path]) -> None:
    paths["json"].parent.mkdir(parents=True, exist_ok=True)
    paths["json"].write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    report.save_latency_plot(results, paths["figures"] / "latency.png")
    figures = os.path.relpath(paths["figures"], paths["markdown"].parent) + "/"
    paths["markdown"].write_text(report.render(results, figures), encoding="utf-8")
