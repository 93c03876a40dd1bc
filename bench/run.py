"""One benchmark run: training, NLU quality, load on both assistants, report."""

import json
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

from bench import machine, nlu, report, training
from bench.conversations import OURS, REFERENCE, Conversation, turns_in
from bench.load import run_load, warm_up
from bench.progress import Progress
from bench.servers import running_ours, running_reference
from bench.settings import Settings
from tests.servers import PROJECT_ROOT

RESULTS_DIR = PROJECT_ROOT / "results"
REFERENCE_CACHE = RESULTS_DIR / "bench-cache" / "rasa-init"
DOCS = PROJECT_ROOT / "docs"
FIGURES = DOCS / "benchmarks"  # report images, linked from docs/benchmarks.md
EXISTING_MODEL = PROJECT_ROOT / "models" / "meldcode.tar.gz"


def bad_replies() -> List[str]:
    """Texts that mean the assistant did not really answer."""
    from bot.content import load_protocol

    protocol = load_protocol()
    return [protocol.kanaal["geen_antwoord"], protocol.technische_fout]


def measure_load(progress: Progress, urls: List[str], conversations: List[Conversation],
                 settings: Settings, bad: List[str], label: str) -> Dict:
    progress.note(f"{label}: opwarmen ...")
    warm_up(urls, conversations, bad)
    single_turns = turns_in(conversations, 1, settings.single_conversations)
    progress.note(f"{label}: 1 gebruiker, {single_turns} beurten")
    single = run_load(urls[:1], conversations, 1, settings.single_conversations, bad,
                      on_turn=lambda done, total: progress.bar("1 gebruiker", done, total))
    many_turns = turns_in(conversations, settings.users, settings.conversations_per_user)
    progress.note(f"{label}: {settings.users} gebruikers tegelijk, {many_turns} beurten")
    many = run_load(urls, conversations, settings.users, settings.conversations_per_user, bad,
                    on_turn=lambda done, total: progress.bar(f"{settings.users} gebruikers",
                                                             done, total))
    return {"one_user": single, "many_users": many}


def bench_ours(progress: Progress, work: Path, model: Path, settings: Settings) -> Dict:
    started = time.monotonic()
    with running_ours(work / "ours", model) as (assistant,):
        startup = round(time.monotonic() - started, 1)
        progress.note(f"actieserver en Rasa-server draaien ({startup} s)")
        result = measure_load(progress, [assistant.url], OURS, settings, bad_replies(), "meldcode")
        result["memory"] = {"rasa": machine.memory_mb(assistant.rasa.pid),
                            "actions": machine.memory_mb(assistant.actions.pid)}
    result["startup_s"] = startup
    return result


def bench_reference(progress: Progress, work: Path, reference: Dict, settings: Settings) -> Dict:
    started = time.monotonic()
    with running_reference(Path(reference["project"]), Path(reference["model"]),
                           work / "reference-rasa.log") as server:
        startup = round(time.monotonic() - started, 1)
        progress.note(f"referentie-Rasa-server draait ({startup} s)")
        result = measure_load(progress, [server.url], REFERENCE, settings, [], "rasa init")
        result["memory"] = {"rasa": machine.memory_mb(server.process.pid)}
    result["startup_s"] = startup
    return result


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
    ours = {"seconds": None, "model": str(EXISTING_MODEL),
            "size_mb": training.size_mb(EXISTING_MODEL), "cached": True}
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
        "command": command, "quick": settings.quick, "settings": settings.__dict__,
        "machine": machine.describe(),
    }
    paths = output_paths(settings.quick)
    work = Path(tempfile.mkdtemp(prefix="meldcode-bench-"))
    try:
        progress.step(f"machine: {results['machine']['cores']} cores, "
                      f"{results['machine']['ram_gb']} GB; werkmap {work}")
        results["training"] = train_both(progress, work, settings)
        model = Path(results["training"]["ours"]["model"])

        progress.step("NLU op de held-out set, met TF-IDF-baseline")
        results["nlu"] = nlu.evaluate(model, paths["figures"] / "confusion_matrix.png")
        progress.note(f"macro-F1 {results['nlu']['ours']['macro_f1']:.3f}, "
                      f"baseline {results['nlu']['baseline']['macro_f1']:.3f}")

        progress.step("belasting: meldcode-assistent (Rasa + actieserver, REST)")
        results["load_ours"] = bench_ours(progress, work, model, settings)
        progress.step("belasting: referentie (rasa init, REST)")
        results["load_reference"] = bench_reference(
            progress, work, results["training"]["reference"], settings)

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


def output_paths(quick: bool) -> Dict[str, Path]:
    """A quick run never overwrites the report in docs/: its figures are not comparable."""
    if quick:
        folder = RESULTS_DIR / "bench-quick"
        return {"json": folder / "bench.json", "markdown": folder / "benchmarks.md",
                "figures": folder}
    return {"json": RESULTS_DIR / "bench.json", "markdown": DOCS / "benchmarks.md",
            "figures": FIGURES}


def write_outputs(results: Dict, paths: Dict[str, Path]) -> None:
    paths["json"].parent.mkdir(parents=True, exist_ok=True)
    paths["json"].write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    report.save_latency_plot(results, paths["figures"] / "latency.png")
    figures = os.path.relpath(paths["figures"], paths["markdown"].parent) + "/"
    paths["markdown"].write_text(report.render(results, figures), encoding="utf-8")
