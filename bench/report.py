"""Turns the raw figures of a run into docs/benchmarks.md and a latency plot.

`targets` and `render` are pure (tested in tests/test_bench.py).
"""

from pathlib import Path
from typing import Dict, List, Optional

from bench.findings import ISSUE_14_LEVERS
from harness.situation_sets import LAST_BLIND_SET

# Targets of issue 6.
MIN_MACRO_F1 = 0.95
MIN_RATIO_TO_BASELINE = 1.05
MAX_RUN_S = 15 * 60
MAX_REDACTION_P95_MS = 5.0
# Issue 14 (they replace issue 6's p95 <= 1.3x, training < 300 s, memory < 1200 MB).
MAX_P95_RATIO_TO_REFERENCE = 1.2
MIN_THROUGHPUT_RATIO = 1.0
MAX_MEMORY_RATIO_TO_REFERENCE = 1.1
MAX_TRAINING_S = 120
MAX_GROWTH_RATIO = 1.5  # p95 at turn 100 over p95 at turn 1 of one conversation
# "Held-out quality not lower": macro-F1 of the last report before issue 14
# (docs/benchmarks.md of 2026-11-28).
MIN_MACRO_F1_BEFORE_ISSUE_14 = 0.924
# Issue 11.
MAX_ERRORS_TO_BASELINE = 0.6
MIN_ACUTE_RECALL = 0.99
MIN_ACUTE_PRECISION = 0.90
MIN_MULTI_FACT_EXACT = 0.90

# Why a target can be missed, from the investigation on this machine
# (the section FINDINGS below says what was measured and changed).
WHY_MISSED = {
    "ratio": "The baseline is already strong on this small, clear data (TF-IDF on characters "
    "and words copes with typos and compounds). Both miss mainly short sentences "
    "without context (yes/no, greeting, out_of_scope); 1.05x the baseline means almost "
    "no errors here. Adding training examples based on the errors in the held-out set "
    "would leak that set; see the next steps.",
    "p95": "A turn still does more than in the reference: 1.65 calls to the action server "
    "per turn (HTTP and JSON, about 3 ms each on the same 2 cores), a redacted SQLite write "
    "and reading the session back, and the extra NLU of issue 11; our policies cost less "
    "than the reference's. Measured per part in 'Where the rest of a turn goes "
    "(attribution)'; the one-user ratio varies between runs (1.17-1.47).",
    "throughput": "On 2 cores everything is CPU-bound. Per turn ours spends about 5 ms "
    "on action-server round trips (the action server, a second process, shares the same "
    "2 cores), about 4 ms more on NLU and the store, and saves about 12 ms on the "
    "policies ('Where the rest of a turn goes (attribution)'); under 20 users the two "
    "processes' CPU adds up, and the reference has no action server and keeps "
    "conversations in memory. Rasa Open Source 3.6 runs custom actions only on an "
    "action server over HTTP, and the guide asks for answers through custom actions.",
    "macro_f1": "See the confusion matrix: the errors are in short sentences without context.",
    "training": "Measured cold on this machine: 283 s with TED, of which TEDPolicy 32 s; TED "
    "is dropped, the policies now train in 2 s. DIET (100 epochs, character n-grams 1-4) "
    "takes about 230 s of the rest; its size and epochs are the NLU part of issue 14 and "
    "must keep the held-out floors.",
    "growth": "The request to the action server no longer grows (see the growth table), "
    "but Rasa 3.6 still works over the whole session on every turn: it reads the session "
    "back and replays every event into a tracker, and RulePolicy and MemoizationPolicy "
    "compute the states of the whole history (`past_states`) for every prediction. "
    "Measured: with a new Rasa session every 20 turns (slots carried over) turn 100 / turn 1 "
    "was 1.47 against 2.59 as one session, in the same run ('Issue 14: levers tried', "
    "shorter sessions). Not shipped: Rasa 3.6 starts a session only after minutes of "
    "silence or on `/session_start`, and a new session inside a conversation drops the "
    "context the rules use (a question just asked, a running form). The `rasa init` "
    "reference grows as well (growth table): this is Rasa's own work per turn.",
    "quality": "Not a performance lever: issue 11's third round added 75 acute training "
    "examples, which raised acute recall on the blind sets and lowered held-out macro-F1 "
    "(more sentences labelled twijfel_gevaar or zorgen_blijven get the acute answer); see "
    "'Danger, several facts and the baseline'. Issue 14's own changes kept it (0.932).",
    "redaction": "deduce's name lookup takes most of the time per message (see 'Redaction "
    "per message'); the patterns take a fraction of a millisecond.",
    "duration": "The run shared the 2 cores with other processes (see load average); "
    "training and starting four TensorFlow servers are CPU-bound. "
    "Measure again on a quiet machine.",
    "memory": "`import tensorflow` alone takes ~520 MB on this machine. DIET is loaded "
    "without Rasa's one-example training step (bot/model_load.py: the load took 665 MB, "
    "now ~190 MB); spaCy (47 MB) and deduce's name lists (43 MB) remain, which the "
    "reference does not load. Per part: 'Memory of the Rasa server, per part'.",
}

FINDINGS = """## What was investigated and improved

- **Rasa's schema check (largest gain).** cProfile on a running assistant
  showed ~70% of the time per turn in `jsonschema.validate`: on every call of
  the action server, Rasa 3.6 first checks its own (fixed) response schema
  against the JSON Schema meta-schema. `bot/rasa_patches.py` now does that
  check once; an invalid response still gives Rasa's own error
  (tests/test_rasa_patches.py). Measured on this machine, under load from other
  processes: ~440 to ~120 ms per turn in the process, p50 via REST from ~260
  to ~70 ms.
- **Health check of the REST channel.** It opened a new aiohttp session (a new
  connection) to the action server for every message; now one session per
  event loop. Small gain (a few ms per turn).
- **Measured without gain, so not switched on:** `enable_selective_domain`
  (p50 98 against 100 ms, measured alternately; our actions do not use the
  domain, and the domain is small), MALLOC_ARENA_MAX=2 and fewer TensorFlow
  threads for memory. The content file is already read once per process
  (`lru_cache`).
- **Next steps named then:** leave out TED (done for issue 14, see below);
  fewer DIET epochs or `max_ngram: 3` for training time and memory, only if the
  held-out thresholds still hold; more and more varied training sentences for
  short answers (yes/no, greeting) to beat the baseline by a wider margin.
"""


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 3) if a is not None and b else None


def targets(results: Dict) -> List[Dict]:
    """Each target with its measured value and met (True/False, None = not measured)."""
    nlu = results.get("nlu", {})
    ours_f1 = nlu.get("ours", {}).get("macro_f1")
    base_f1 = nlu.get("baseline", {}).get("macro_f1")
    ours, ref = results.get("load_ours", {}), results.get("load_reference", {})
    p95 = ours.get("one_user", {}).get("summary", {}).get("p95_ms")
    ref_p95 = ref.get("one_user", {}).get("summary", {}).get("p95_ms")
    tput = ours.get("many_users", {}).get("summary", {}).get("turns_per_s")
    ref_tput = ref.get("many_users", {}).get("summary", {}).get("turns_per_s")
    users = results.get("settings", {}).get("users", 20)
    train_s = results.get("training", {}).get("ours", {}).get("seconds")
    memory = ours.get("memory", {}).get("rasa", {}).get("peak_rss_mb")
    ref_memory = ref.get("memory", {}).get("rasa", {}).get("peak_rss_mb")
    growth = ours.get("growth", {}).get("last_over_first")
    duration = None if results.get("quick") else results.get("duration_s")
    redaction_p95 = results.get("redaction", {}).get("p95_ms")

    def check(key, name, goal, value, met):
        return {
            "key": key,
            "name": name,
            "goal": goal,
            "value": value,
            "met": None if value is None else bool(met),
        }

    ratio = _ratio(ours_f1, base_f1)
    p95_ratio = _ratio(p95, ref_p95)
    tput_ratio = _ratio(tput, ref_tput)
    memory_ratio = _ratio(memory, ref_memory)
    return [
        check(
            "macro_f1",
            "Intent macro-F1 (held-out)",
            f">= {MIN_MACRO_F1}",
            ours_f1,
            ours_f1 is not None and ours_f1 >= MIN_MACRO_F1,
        ),
        check(
            "ratio",
            "Macro-F1 / baseline",
            f">= {MIN_RATIO_TO_BASELINE}",
            ratio,
            ratio is not None and ratio >= MIN_RATIO_TO_BASELINE,
        ),
        check(
            "p95",
            "p95 1 user / reference",
            f"<= {MAX_P95_RATIO_TO_REFERENCE}",
            p95_ratio,
            p95_ratio is not None and p95_ratio <= MAX_P95_RATIO_TO_REFERENCE,
        ),
        check(
            "throughput",
            f"Throughput {users} users / reference",
            f">= {MIN_THROUGHPUT_RATIO}",
            tput_ratio,
            tput_ratio is not None and tput_ratio >= MIN_THROUGHPUT_RATIO,
        ),
        check(
            "training",
            "Training (s)",
            f"<= {MAX_TRAINING_S}",
            train_s,
            train_s is not None and train_s <= MAX_TRAINING_S,
        ),
        check(
            "memory",
            "Memory Rasa server, peak / reference",
            f"<= {MAX_MEMORY_RATIO_TO_REFERENCE}",
            memory_ratio,
            memory_ratio is not None and memory_ratio <= MAX_MEMORY_RATIO_TO_REFERENCE,
        ),
        check(
            "growth",
            "p95 at turn 100 / turn 1 (one conversation)",
            f"<= {MAX_GROWTH_RATIO}",
            growth,
            growth is not None and growth <= MAX_GROWTH_RATIO,
        ),
        check(
            "quality",
            "Held-out macro-F1, not lower than before issue 14",
            f">= {MIN_MACRO_F1_BEFORE_ISSUE_14}",
            ours_f1,
            ours_f1 is not None and ours_f1 >= MIN_MACRO_F1_BEFORE_ISSUE_14,
        ),
        check(
            "redaction",
            "Redaction per message, p95 (ms)",
            f"<= {MAX_REDACTION_P95_MS}",
            redaction_p95,
            redaction_p95 is not None and redaction_p95 <= MAX_REDACTION_P95_MS,
        ),
        check(
            "duration",
            "Duration of the whole run (s)",
            f"< {MAX_RUN_S}",
            duration,
            duration is not None and duration < MAX_RUN_S,
        ),
    ]


def _section_redaction(results: Dict) -> List[str]:
    found = results.get("redaction")
    if not found:
        return []
    return [
        "## Redaction per message",
        "",
        f"`bot.privacy.redact` (patterns plus names with deduce) on {found['messages']} "
        "messages: the PII test set (`tests/privacy/pii_testset.yml`) five times: "
        f"p50 {found['p50_ms']} ms, p95 {found['p95_ms']} ms, max {found['max_ms']} ms. "
        f"Loading deduce once (from its cache in `data/local/`): {found['load_s']} s.",
        "",
    ]


def _fmt(value, digits: int = 3) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return str(value)


def _verdict(met: Optional[bool]) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


def _table(header: List[str], rows: List[List]) -> List[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| " + " | ".join(_fmt(c) if not isinstance(c, str) else c for c in row) + " |"
        for row in rows
    ]
    return lines + [""]


def _load_rows(results: Dict) -> List[List]:
    rows = []
    for label, key in (
        ("meldcode assistant", "load_ours"),
        ("reference (rasa init)", "load_reference"),
    ):
        run = results.get(key, {})
        for scenario in ("one_user", "many_users"):
            summary = run.get(scenario, {}).get("summary")
            if summary:
                rows.append(
                    [
                        label,
                        str(summary["users"]),
                        summary["turns"],
                        summary["p50_ms"],
                        summary["p95_ms"],
                        summary["turns_per_s"],
                        summary["errors"],
                    ]
                )
    return rows


def _section_targets(results: Dict) -> List[str]:
    lines = ["## Targets", ""]
    checks = targets(results)
    lines += _table(
        ["target", "goal", "measured", "verdict"],
        [[t["name"], t["goal"], t["value"], _verdict(t["met"])] for t in checks],
    )
    missed = [t for t in checks if t["met"] is False]
    for target in missed:
        lines.append(f"- **{target['name']}** not met: {WHY_MISSED[target['key']]}")
    return lines + ([""] if missed else [])


def _section_nlu(results: Dict, figures: str) -> List[str]:
    nlu = results["nlu"]
    ours, base, plain = nlu["ours"], nlu["baseline"], nlu["ours_without_fallback"]
    lines = [
        "## NLU on the held-out set",
        "",
        f"{nlu['held_out_examples']} sentences from `tests/nlu/testset.yml`, written apart "
        f"from the {nlu['training_examples']} training examples. The baseline (TF-IDF on "
        "characters 2-5 and words 1-2, logistic regression) is trained on the same training "
        "data. An `nlu_fallback` counts as an error.",
        "",
    ]
    lines += _table(
        ["", "meldcode", "without fallback", "baseline", "ratio"],
        [
            [
                "accuracy",
                ours["accuracy"],
                plain["accuracy"],
                base["accuracy"],
                _ratio(ours["accuracy"], base["accuracy"]),
            ],
            [
                "macro-F1",
                ours["macro_f1"],
                plain["macro_f1"],
                base["macro_f1"],
                _ratio(ours["macro_f1"], base["macro_f1"]),
            ],
        ],
    )
    lines += [f"Fallbacks: {nlu['fallbacks']}. Per intent (F1):", ""]
    lines += _table(
        ["intent", "n", "meldcode", "baseline"],
        [
            [intent, ours["support"][intent], f1, base["per_intent_f1"].get(intent)]
            for intent, f1 in ours["per_intent_f1"].items()
        ],
    )
    fase, plaats = nlu["fase"], nlu["plaats"]
    extractors = (
        ", ".join(f"{k}: {v}" for k, v in sorted(nlu["plaats_extractors"].items())) or "none"
    )
    lines += ["Entities, counted per sentence on the value the dialogue uses:", ""]
    lines += _table(
        ["entity", "F1", "tp", "fp", "fn"],
        [
            ["fase", fase["f1"], fase["tp"], fase["fp"], fase["fn"]],
            ["plaats", plaats["f1"], plaats["tp"], plaats["fp"], plaats["fn"]],
        ],
    )
    spacy = results["machine"]["nl_core_news_sm"]
    lines += [
        f"`plaats` found by: {extractors}. `nl_core_news_sm` was "
        + (
            "installed, so spaCy's NER adds to DIET."
            if spacy
            else '**not** installed: the pipeline runs on `spacy.blank("nl")`, without NER, '
            "so only DIET finds places (learned from the training data and the lookup "
            "table). The held-out set annotates only the new place of residence; a "
            "previous place that is named counts as a false positive."
        ),
        "",
        f"![Confusion matrix]({figures}confusion_matrix.png)",
        "",
    ]
    return lines


# Measured once during development (detector alone, no model); kept here
# because the sets were used afterwards and cannot be measured blind again.
ISSUE_11_HISTORY = """
How these figures came about, and what they do not show:

- First round (cues developed on the development sets): the cues alone scored
  acute recall 0.877 on the development set before any tuning; on
  `blind_testset.yml`, scored blind, 0.20 (precision 0.86, several facts 0.67).
  After broadening the cues, `blind_testset_2.yml` scored, blind, 0.33 with the
  cues alone and 0.70-0.80 with the model. A hand-written cue list does not
  reach 0.99 on wording it has not seen.
- Second round (the safety net made asymmetric; written from general domain
  knowledge, never from a held-out set or its errors): many more acute cue
  kinds (strangling, burns, fractures, head injuries, babies with injuries,
  locked up or out, no food, weapons, threats to kill, hiding or fleeing,
  suicide wording such as "er niet meer zijn", "laatste bericht", pills,
  wrists, self-harm, abduction abroad, passports taken, forced marriage,
  cutting, honour violence, an adult at night, police called out); one-letter
  typing errors in about 80 cue words are read as the cue word (real Dutch
  words one letter away are excluded, and a unit test checks the training
  vocabulary and deduce's list of common words); "vorig jaar", "is behandeld"
  and "geen direct gevaar" hold per part of a sentence. Harm without a time
  (an injury, a blow), a strong cue in a clearly past sentence, and model doubt
  (acute probability between `question_threshold` 0.1 and `acute_threshold`
  0.2) now ask "Is er nu direct gevaar?" with 112 and 0800-2000. Unit tests
  with sentences of their own: `tests/test_detector_danger.py`. The blind sets
  were not looked at for this round; they were scored after it, and
  `blind_testset_3.yml` for the first time. Against
  the first round (0.967 / 0.70 recall, 0.955 precision on `blind_2`, 0.933 /
  0.833 several facts) the second round kept `blind_2` recall at 0.70 (0.80 with
  a 25-epoch training of the same pipeline; the model's acute probability
  varies between runs), raises recall with the danger question to 0.833, and
  lowers `blind_testset.yml` recall and several facts and `blind_2`
  precision; the messages behind that were not looked at.
  Some changes were checked against `tests/nlu/testset.yml` while writing
  (financial exploitation alone does not ask the danger question).
- NLU model: a TF-IDF classifier on character (2-5) and word (1-2) n-grams
  (the baseline's features) is trained in the same `rasa train` and combined
  with DIET's ranking as a product of experts (`bot/nlu/ensemble.py`). A plain
  average fell back on twice as many development-set messages; the product at
  the FallbackClassifier's 0.5 still fell back more often than DIET alone,
  hence 0.4. For training time DIET went from 100 epochs to 18 at learning
  rate 0.003: `rasa train nlu` about 75 s on this machine (was about 260 s),
  the whole cold `rasa train` without TED 88 s (target 120 s). 25 epochs at
  0.002 gave the same held-out errors in about 100 s. With logistic
  regression as that classifier the pipeline made 24-25 errors on
  `tests/nlu/testset.yml` (the 100-epoch DIET alone 23), the model alone as
  many as the baseline (35).
- Issue 11 part 4 (2026-12-03): the ensemble's classifier is now a linear
  SVM (C 1) with probabilities from a softmax of its scores times 5; the
  baseline keeps logistic regression (C 10). The SVM was chosen without the
  held-out set: on 5-fold cross-validation of the training data it made 299
  errors of 1301, logistic regression 303-329 (C 3-1000, balanced classes,
  other n-gram ranges). The temperature was chosen on the held-out set, with
  one DIET model: 3 gave 24 assistant errors, 5 (the best log-loss on the
  cross-validation) 21, 10 gave 18 (model alone 24, 2 fallbacks). Kept: 5,
  the value chosen without the held-out set (the lead's decision: a
  temperature picked on the held-out errors would make the ratio a figure
  of the held-out set, and 10 costs acute precision). The comparisons below
  were made at 10. Two
  trainings with the SVM (DIET seeds 42 and 7): 18 and 20 errors (model
  alone 24 and 29); the same two DIET models with logistic regression 24 and
  27 (model alone 35 and 38). Acute precision on the development set fell
  from 0.915 to 0.903 and 0.878: the sharper ranking turns one to four more
  non-acute messages acute (recall stays 1); with DIET seed 7 that is below
  the 0.90 floor, with the configured seed 42 above it. On the other sets
  (seed 42, same detector) acute recall is unchanged and precision moves
  both ways: logistic regression / SVM `ontwikkel_2` 0.735 / 0.72, `blind`
  0.968 / 0.968, `blind_2` 0.906 / 0.967, `blind_3` 0.868 / 0.849, `blind_4`
  0.772 / 0.788 (several facts 0.727 / 0.742). The SVM trains in
  about 1 s instead of 10. Not kept: training-time augmentation of the
  training examples (lower case without punctuation, one typing error, two
  words swapped, VT/CJG/JGZ/IB'er/SMW/POH written out or shortened; +848
  examples) gave 23 errors against 24, made DIET's epochs about 35% longer,
  and did not help the TF-IDF classifier alone (34-37 errors against 35).
- Issue 11 part 4, DIET's share `weight` (2026-12-03,
  `python -m bench.cv_weight`): 5-fold stratified cross-validation of the
  training data only (one `rasa train nlu` per fold, the ensemble's real
  inputs recorded and recombined; the intent after ensemble and fallback,
  without the situation detector; a fallback counts as an error). Errors of
  1301 at weight 0.3 / 0.4 / 0.5 / 0.6 / 0.7: 340 / 337 / 341 / 346 / 350
  (126-134 of them fallbacks); log-loss 0.80 / 0.81 / 0.83 / 0.85 / 0.89.
  0.4 against 0.5 is 4 fewer with a standard error of 5.3 over the folds:
  noise, so 0.5 stays and the held-out set was not scored for it. The SVM
  alone (weight 0) 362, DIET alone (1) 390.
- Third round (training data, 2026-12-03): 75 new `acute_zorgen` training
  examples (from 65 to 140), written by a helper from domain knowledge who
  read only the training data, never a held-out set. Scored on every set:
  acute recall on the blind sets went from 0.933 / 0.70 / 0.873 to the
  figures in the table above; precision fell (development set 0.97 to 0.915,
  `blind_3` 0.92 to 0.859), held-out macro-F1 from 0.932 to 0.918 (more
  sentences labelled `twijfel_gevaar` or `zorgen_blijven` now get the acute
  answer), several facts on the development set from 1.0 to 0.976. Keeping the
  examples was decided after seeing these blind figures (one yes/no choice,
  for recall, as issue 11 asks: a false alarm costs seconds); the macro-F1 floor
  in `make test` went from 0.93 to 0.91 with it. Before this round `blind_3`
  had been scored once.
- Fourth round (detector, 2026-12-03): a second development set
  `tests/nlu/ontwikkel_2.yml` (36 acute, 49 non-acute, 97 several-facts
  messages in three batches, each committed before it was scored), written by
  a helper from domain knowledge and the contract who never opened a blind set.
  Changes found on it, all general: situation cues matched per sentence with
  negation per clause; many more Dutch wordings of refusal, moves, concerns,
  help in place and the responsibility and meldcode-steps questions; a refusal
  that is over ("nu werken ze goed mee") is none; "geen" negates only its own
  noun and no negation reaches a fact after "na/sinds" ("willen geen hulp na de
  melding"); "moet ik melden?" and "moeder heeft gemeld dat" set no fact;
  typing errors in fact words are read; the model's acute guess on harm the
  message places only in the past asks the danger question (nothing when it
  says it is over); the model's slight doubt (0.1-0.2) asks nothing when the
  cues read a refusal, a move or concerns after a known referral or report.
  With the same model, before / after: several facts `ontwikkel` 0.976 / 1.0,
  `ontwikkel_2` 0.701 / 1.0, `blind` 0.867 / 0.867, `blind_2` 0.833 / 0.917,
  `blind_3` 0.707 / 0.759, `blind_4` 0.652 / 0.727; acute precision
  `ontwikkel_2` 0.60 / 0.735, `blind_3` 0.859 / 0.868, `blind_4` 0.729 / 0.772;
  acute recall unchanged on every set. The blind sets were scored in aggregate
  only (for `blind_3` also counts of which step families were wrong, which
  led to the cue kinds for refusal and the two questions); `blind_4` was scored
  once, old and new code, after the code was frozen. Most remaining false alarms come from
  the model's acute probability on calm long messages without any danger cue.
- Training data for precision, tried and not kept (2026-12-03): 109, then 88,
  long calm training examples (police, old violence that is over, harmless
  "bang", hospital visits), written from domain knowledge. Precision rose on
  every set (`blind_4` 0.77 to 0.88-0.93, `ontwikkel_2` 0.74 to 0.88-0.92,
  two DIET seeds), but every trained model also missed acute messages
  (recall 0.94-0.97 on `ontwikkel_2`, 0.974-0.987 on `blind_4`, 0.933 on
  `blind_2` with seed 7). Safety first: left out. A next step is such data
  together with a lower `acute_threshold` that keeps recall, measured on a
  new blind set. Tried again after the fifth round (same 88 examples, DIET
  seed 42, development sets only, `blind_5` not scored): mean acute
  precision over the six development sets 0.911 -> 0.936-0.955, but `blind_4`
  lost one or two acute messages at `acute_threshold` 0.2, 0.15 and 0.1
  (recall 0.974-0.987), `ontwikkel_2` one at 0.2; held-out errors 23-24
  against 22; full recall came back only at 0.05, where precision was lower
  than without the data. Not kept.
- Fifth round (detector, 2026-12-03): `blind_4` (after it had been scored
  twice), `blind_3` and `ontwikkel_2` used as development sets; only general
  causes fixed, each with unit tests on sentences of their own
  (`tests/test_detector_facts.py`). Several facts: persisting concerns with a
  long subject ("de zorgen over de hygiene en het verzuim zijn gebleven"),
  "blijven er signalen", "ook na / ondanks de melding", "nog steeds bezorgd";
  refusals in subordinate clauses ("dat hij niet meer meewerkt", "geen
  hulpverleners meer binnenlaat", advice "niet opgevolgd"); moves with a time
  in between ("het gezin gaat in het voorjaar naar ..."); "niet ingelicht",
  "niet te melden", "weet niet meer of"; the responsibility question in more
  words. Precision: denial of danger in other words ("niets wijst op gevaar");
  harmless uses ("sloeg vanochtend alarm", "dreigen hun kind van school te
  halen", "een vermoeden van mishandeling", the meldcode's name, "wanneer is
  iets acuut?"); "toen" goes on in the time of the part before it; "in de
  oorlog", "in zijn jeugd", old scars are past; "nu" in "is nu voorbij" is no
  time of the harm; the model's acute guess becomes the danger question on a
  message that names no harm and says it is calm now after something before
  ("sindsdien is het rustig", "er is niets meer gebeurd"), and on harm only
  in pretend play ("politie en boef"). No acute message changed its answer. With the same model,
  before / after: acute precision `ontwikkel` 0.915 / 0.915, `ontwikkel_2`
  0.735 / 0.783, `blind` 0.968 / 1.0, `blind_2` 1.0 / 1.0, `blind_3` 0.859 /
  0.898, `blind_4` 0.788 / 0.867; several facts `ontwikkel` 1.0 / 1.0,
  `ontwikkel_2` 1.0 / 1.0, `blind` 0.867 / 1.0, `blind_2` 0.917 / 1.0,
  `blind_3` 0.759 / 1.0, `blind_4` 0.727 / 1.0; acute recall unchanged (1.0,
  `blind_2` 0.967). The three several-facts errors of `blind` and `blind_2`
  were also seen in this round (one of them led to "bruises some weeks old
  are an earlier signal"), so their several-facts figures are no longer
  blind either. `blind_2`'s one acute miss (a head wound, emergency care
  refused) was seen too and left alone: a cue for it would have been fitted
  on a set outside this round's three. Afterwards a general cue was added
  from domain knowledge, with sentences of its own: an injury for which
  emergency care is refused ("willen niet naar de eerste hulp", "wil geen
  dokter erbij") counts as acute. It changed no figure on the development
  sets or the held-out set (`blind_2` recall stays 0.967: its message is
  worded otherwise, and no cue was fitted to it). The danger question on non-acute messages rose where a
  false alarm became the question (`blind_4` 9 to 16 of 138). Review after the
  round: "een vermoeden van mishandeling" had been removed as harmless, so
  "ik heb een vermoeden van mishandeling en hij moet vanavond weer naar huis"
  got no danger signal at all when the model said calm (before the round:
  the acute answer). Now a suspicion with a time word asks the danger
  question (with 112 and 0800-2000): safety first. It costs several facts on
  the development sets (`blind_3` 1.0 to 0.966, `blind_4` 1.0 to 0.985:
  messages that name a suspicion and "vandaag" now get the question first).
- `blind_testset_5.yml` (81 acute, 136 non-acute, 58 several facts) was
  written blind during the fifth round by a writer who saw neither cues,
  training data nor other sets, committed before it was scored, and scored
  in aggregate only, with the same model before and after the round: acute
  recall 1.0 / 1.0, precision 0.743 / 0.771, several facts 0.793 / 0.810,
  danger question on 17 / 19 of 136 non-acute messages. The round's fixes
  carry over to unseen wording only a little: most of its gain was on the
  sets it was developed on.
- Sixth round (detector, 2026-12-03): `blind_testset_5.yml` used for
  development after it had been scored in aggregate; `blind_testset_6.yml`
  (88 acute, 145 non-acute, 67 several facts) written blind by a sixth writer
  during the round and committed before it was scored. General causes fixed,
  each with unit tests on sentences of their own: a question how to reach
  Veilig Thuis next to a case is answered too (new cue kind
  `vraag_veilig_thuis`); persisting concerns in more words ("nog dezelfde
  signalen", "het blijft zorgelijk", "blijft vertellen", "heeft nog steeds
  ...", "weer afgevallen"); "zorgmelding bij VT" is a report; a part of a
  sentence that is only a time (", tien jaar terug,") sets the time of the
  part after it; decades ("in de jaren negentig") and an earlier relationship
  or pregnancy are past; a suspicion asks the danger question only with a real
  time word in its own or a neighbouring sentence (not "nu zegt vader ...");
  harmless: fear of animals, the dark or falling, leaving the classroom,
  children hitting each other in play or sports, a denied self-harm plan, a
  fall the writer saw happen; scars ask the question (fresh scars are an
  injury); cue words that were missed ("er een einde aan maakt", "bloedingen",
  "greep haar bij de keel", "gestalkt"). The round also had a rule: the
  model's acute guess below 0.5 on a message without any word of harm, fear
  or suspicion asked the danger question instead of giving the acute answer
  (no acute message of the seven development sets was affected). Same model,
  before / after the round: `blind_5` precision 0.771 / 0.90, several facts
  0.81 / 1.0 (development figures); `blind_6`, blind: recall 1.0 / 1.0,
  precision 0.715 / 0.759, several facts 0.761 / 0.851, danger question on
  non-acute messages 18 / 23.
- Seventh round (detector, 2026-12-03): `blind_6` used for development;
  `blind_testset_7.yml` (84 acute, 151 non-acute, 64 several facts) written
  blind by a seventh writer and committed before it was scored. Scored in
  aggregate with the code from before round 6 and after round 6: acute recall
  1.0 / 0.929. Round 6's rule for the model's unsure guess cost six acute
  answers on this unseen wording (they got the danger question instead;
  recall with the question stayed 1.0); with only that rule switched off, the
  round-6 code scored recall 1.0 and precision 0.683 instead of 0.750. Safety
  first: the rule was removed. The development sets had not shown this; a
  blind set did. Round 7's general fixes: refusals postponed or stopped in
  more words ("stelt de aanmelding steeds uit", "schuift het op", "wil die
  hulp nu niet meer", "de behandeling is gestopt omdat ze niet meer wilden";
  help that simply ended is no refusal); persisting concerns further from the
  verb ("zie ik dat ... nog steeds") and "weer geen eten"; "hoe bereik ik ze?"
  after Veilig Thuis; "ik weet niet of ... Veilig Thuis" is no doubt about
  safety; hypotheticals, jokes and lessons ("stel dat", "als grap", "gastles",
  "een film waarin") count as pretend, where a strong cue asks the danger
  question; "lessen" is no typing error of "messen". `blind_7` before round 6
  / after round 6 / after round 7 (the code now): recall 1.0 / 0.929 / 1.0,
  precision 0.683 / 0.750 / 0.700, several facts 0.719 / 0.828 / 0.844,
  danger question on non-acute messages 15 / 28 / 18 of 151. Every figure of
  `blind_7` was read in aggregate only.
- Eighth round (detector, 2026-12-03): `blind_7` used for development (after
  its three aggregate scorings); `blind_testset_8.yml` (89 acute, 143
  non-acute, 69 several facts) written blind by an eighth writer (every
  message a case, no short generic question) and committed before it was
  scored. General fixes with unit tests: refusals with more words between
  ("wijzen de begeleiding van de gezinscoach af"), promised help that never
  comes ("gaan een afspraak maken, maar dat gebeurt niet"), "wil niet dat hij
  naar de SMW gaat"; moves "trekken naar", "in de zomer gaan ze naar";
  "zorgen na verwijzing", "nog steeds zorgen"; more ways to ask how to reach
  Veilig Thuis; "de vijf stappen"; a report denied at the end of a longer
  clause ("een melding bij Veilig Thuis hebben we niet gedaan"); harmless "geen
  dreiging", exam fear, a story a pupil wrote, a cut while cooking. `blind_7`
  (now development) several facts 0.844 to 1.0. `blind_8`, blind, before /
  after: recall 1.0 / 1.0, precision 0.724 / 0.724, several facts 0.652 /
  0.725, danger question on non-acute messages 23 / 23 of 143.
- Ninth round (detector, 2026-12-03): `blind_8` used for development;
  `blind_testset_9.yml` (91 acute, 142 non-acute, 69 several facts) written
  blind by a ninth writer and committed before it was scored. General fixes
  with unit tests: refusals "met de hulp stoppen", "stemt niet in met",
  "aan het lijntje houden", "gaat daar niet meer heen", "geen thuiszorg meer
  toelaten"; persisting concerns "dezelfde klachten", "de signalen nemen niet
  af", "gaan door", "ik blijf signalen zien", "blijft vermageren"; moves
  "samenwonen in", "dat ze naar Venlo gaan", "naar haar ouders in Assen
  trekt"; "verantwoordelijkheden", "meldcodestappen", "contact met Veilig
  Thuis"; "bij VT meldden"; a theme in class, a made-up story or a song
  counts as pretend; a "waar" clause keeps the time of the part before it
  ("over haar jeugd in een kamp, waar ze werd opgesloten"). `blind_8` (now
  development) several facts 0.725 to 0.971, precision 0.724 to 0.754.
  `blind_9`, blind, before / after: acute recall 0.989 / 0.989 (one acute
  message of 91 got the danger question, with 112 and 0800-2000, instead of
  the acute answer; recall with the question 1.0), precision 0.726 / 0.732,
  several facts 0.812 / 0.826, danger question on non-acute messages 13 / 14
  of 142. The missed message was not looked at: `blind_9` stays blind.
- Tenth round (detector, 2026-12-03): `blind_9` used for development;
  `blind_testset_10.yml` (89 acute, 147 non-acute, 67 several facts) written
  blind by a tenth writer and committed before it was scored. Fixes with unit
  tests: baby ages abbreviated ("tweeling van 3 mnd" with a broken arm is
  acute: `blind_9`'s one acute miss); refusals "gestopt met de
  gezinsbegeleiding", "wil niet verder met", "willen niet meer met de
  jeugdarts praten", "maar ze belt nooit"; "of er ooit ... is gemeld, weet ik
  niet" is unsure, "Veilig Thuis weet van niets" and "een melding is er nooit
  geweest" are no report, "na een melding bij Veilig Thuis vorig voorjaar" is
  one; denials of danger in other words; a perpetrator who died is past; a
  stay in a car is acute only when forced; a training with examples counts
  as pretend. `blind_9` (now development): recall 1.0, precision 0.752,
  several facts 0.986. `blind_10`, blind, before / after the round: recall
  0.978 / 0.978, recall with the danger question 0.989 / 0.989 (one acute
  message got neither the acute answer nor the question), precision 0.731 /
  0.731, several facts 0.925 / 0.925, question on non-acute 14 / 14 of 147.
  Safety first, the two missed acute messages of `blind_10` were then read,
  and only those: a toddler with a skull fracture ("schedelfractuur" was no
  injury word) and a threat that the visitor would never see the children
  again. Both causes were fixed in general words with sentences of their own;
  `blind_10` after that: recall 1.0, precision 0.736, several facts 0.925.
  Its precision and several-facts figures stay blind; its recall is no
  longer blind.
- Eleventh round (a second opinion, 2026-12-03). Where did the false alarms
  come from? On the eleven development sets, messages that got the acute
  answer because of a detector cue were right 554 times and wrong 18 times;
  messages that got it from the NLU model alone (no acute cue) were right 196
  times and wrong 154 times. DIET and the TF-IDF classifier learn from short
  examples; on long calm messages about a treated injury, old harm or a
  harmless fear they guess acute. Built: `bot/nlu/second_opinion.py`, a
  logistic regression (TF-IDF on characters and words, as the ensemble,
  `class_weight` balanced, C 10) trained on the long messages of the
  development sets, acute against calm (multi-fact messages are calm). The
  sets moved from `tests/nlu/` to `data/gevaar/` (`acuut_testset.yml` is now
  `ontwikkel.yml`, `meerdere_feiten.yml` `ontwikkel_meerdere_feiten.yml`,
  `blind_testset_N.yml` `blind_N.yml`); the SituationDetector trains it in
  `rasa train` (its fingerprint follows the files). It only disputes the
  model's acute guess: below 0.3 the guess becomes the danger question (with
  112 and 0800-2000), and it never touches an acute cue. Chosen by leaving one
  development set (one writer) out at a time: of the messages that the model
  alone called acute, 0 of 196 acute ones and 122 of 156 calm ones scored
  below 0.3 (lowest acute score 0.43; C 0.3-30 and thresholds 0.02-0.5 were
  compared; at 0.5 two acute ones fell below). On all messages: 3 of 751
  acute below 0.3, 82 of 1808 calm above (a floor in `make test`, with four
  folds of whole files). Blind, before / after the round: `blind_10`
  precision 0.736 / 0.890 (recall 1.0 / 1.0, several facts 0.925 / 0.925);
  `blind_11` (94 + 160 + 74, written by an eleventh writer during the round)
  recall 0.989 / 0.989, precision 0.641 / 0.744, several facts 0.797 /
  0.797; `blind_12` (95 + 174 + 76, a twelfth writer) recall 0.989 (1.0 with
  the question) / 0.989, precision 0.631 / 0.770, several facts 0.789 /
  0.789. The price: the danger question comes more often on calm messages
  (`blind_7` 18 to 51 of 151), where there was a false acute answer before.
- Twelfth round (detector, 2026-12-03): `blind_11` used for development.
  Questions next to a case ("heb ik nog verantwoordelijkheid", "wat is hun
  nummer?" after a message about Veilig Thuis, the meldcode's steps or
  Veilig Thuis next to a colleague suspicion); not knowing is no negation
  ("ik weet niet goed wat mijn rol nog is", also for danger: "ik weet niet of
  hij vanavond weer slaat" is acute); returning concerns ("de zorgen komen
  terug", "het vermoeden blijft"); a past report ("na een melding bij VT is
  het gezin begeleid"); doubt about a family is no intention to report; "bij
  hem ingetrokken"; a cry for help sent by the person at risk is acute;
  laughing and a film seen in class count as pretend; skipped questions
  ("sloeg drie vragen over"), torn ligaments and a bump from a hockey stick
  are harmless; "toen ze een kind was" and "eerste huwelijk" are past. Then
  `blind_10` and `blind_11` joined the second opinion's corpus (13 writers).
  `blind_11` (now development): recall 1.0, precision 0.913, several facts
  0.932. `blind_12`, the held-out set, after the round: recall 0.989 (1.0
  with the question), precision 0.790, several facts 0.816. It was scored in
  aggregate once more in between (after the detector changes, before the
  corpus step, which was planned: precision 0.770, several facts 0.816);
  nothing was changed because of that.
- Thirteenth round (detector, 2026-12-03): the development sets only
  (`blind_8`, `blind_10`, `blind_11`, `ontwikkel_2`; `blind_12` stayed
  unread). Laughing about it together ("ze lagen daarna samen te lachen",
  "het was duidelijk een grapje") makes a joke of the sentence before too,
  and a bare "lachend" no longer does ("vader zei lachend dat hij haar
  vanavond zou vermoorden" is acute); an accident that someone saw or a
  doctor checked ("van de schommel gevallen", "de huisarts zag niets
  ernstigs", "gips gezet") makes a fresh injury ask the question instead of
  the acute answer, never for blows, violence or a specific cue such as a
  baby's bruises; "en toen" keeps the time of the part before; a denied
  self-harm plan over more words; "wil niet dat zijn moeder weet waar hij
  woont"; the Centrum Seksueel Geweld is a name; refusals "zegt dat hij
  ermee stopt", "traject ... afgebroken"; "wie is er verantwoordelijk";
  "hoe doorloop ik de meldcode opnieuw"; "meenemen naar zijn huis in";
  "naar het CJG gegaan" is a referral. Development sets: recall 1.0 on all
  (`blind_2` 0.967), precision 0.95-1.0, several facts 0.96-1.0.
  `blind_13` (97 + 159 + 86, a thirteenth writer, committed before it was
  scored) before / after the round: recall 0.990 / 0.990 (1.0 with the
  question), precision 0.793 / 0.787, several facts 0.814 / 0.814;
  `blind_12` 0.790 / 0.790 and 0.816 / 0.816. The cue round did not move the
  unseen sets. Then `blind_12` joined the corpus (fifteen files, fourteen
  writers): `blind_13` unchanged (precision 0.787). On `blind_13` twenty of
  the 26 false alarms come from a detector cue and six from the model alone.
- Does the second opinion gain from more writers? Leaving one file out and
  training on 2, 4, 7, 10 or 13 of the others (two draws each), the calm
  messages among those the model alone called acute that it disputes rise
  from 57% to 61%, 69%, 76% and 79%, and no acute one is disputed from 7
  writers on (2 and 1 of 480 with 2 and 4). The gain flattens.
- Not built: the second opinion on a detector cue. With one file left out,
  763 messages got the acute answer from a cue rightly and 62 wrongly; below
  0.05 on the second opinion lie 0 of the 763 and 12 of the 62 (0.1: 0 and
  17; the lowest right one scores 0.128). Turning those into the danger
  question would lift precision a little, but it lets a statistical model
  overrule a cue that the issue puts first; that is a decision for the team,
  not a tuning step.
- Fewer danger questions on calm messages (round 13): DIET's slight doubt
  (acute probability 0.1-0.2) asked the question on its own. With one file
  left out at a time, 77 calm messages got the question that way and 67 of
  them scored below 0.1 on the second opinion; of the 6 acute messages in
  that band, none did. Now the doubt asks nothing when the second opinion is
  below 0.1 (`second_opinion_calm`); a weak danger cue still asks. Scored
  after that on `blind_13`: the question on non-acute messages 60 to 51 of
  159, recall, precision and several facts unchanged; held-out NLU errors 22
  (unchanged).
- Duplicates found by the disjointness tests in round 11: four messages of
  the development sets equal to a message of the NLU test set or of
  `blind_11`/`blind_12` (removed from the corpus), one short question of
  `blind_11` and three of `blind_12` equal to a training example or a
  development message (removed from those sets before their final scoring).
  Their texts (short questions such as "wat zijn de vijf stappen van de
  meldcode?") were printed by the check; nothing else of `blind_12` was read.
- Two set texts were seen by accident during rounds 7 and 9: a scoring
  script that did not know a new set yet printed one acute message of
  `blind_7` and one of `blind_9` in an error. Nothing was changed after them.
- In both new sets one short question was equal to a training example word
  for word ("welke stap komt na het gesprek met de ouders", "wat is het
  nummer van veilig thuis"); the disjointness test in `make test` found them
  and they were removed before the final scoring (146 to 145 and 152 to 151
  non-acute messages; the figures above are without them).
- Dutch lemmas from `spacy-lookups-data` 1.0.5 when `nl_core_news_sm` is
  missing, tried and not kept (2026-12-03): spaCy's lookup lemmatizer (mode
  `lookup`, table `lemma_lookup`; no POS, so no rule mode) added to the blank
  pipeline, so `use_lemma` counts lemmas ("dreigt" -> "dreigen"; many forms
  are not in the table: "kinderen", "geslagen", "is"). Same machine, same
  DIET seed, development sets only (`blind_5` not scored), before / after:
  held-out errors assistant 22 / 22, model alone 30 / 29, baseline 35;
  macro-F1 0.9235 / 0.932; fallbacks 4 / 8; `plaats` F1 0.973 / 0.947; acute
  recall 1.0 everywhere except `blind_2` 0.967 / 0.933 (one acute message
  lost); acute precision `ontwikkel` 0.915 / 0.903, `ontwikkel_2` 0.783 /
  0.766, `blind_2` 1.0 / 0.933, `blind_3` 0.898 / 0.878, `blind_4` 0.867 /
  0.839; several facts unchanged; training 87 / 79 s, model 30.4 / 29.3 MB.
  Both CountVectorsFeaturizers read lemmas by default (`use_lemma` defaults
  to true, also for `char_wb`); with lemmas for the word counts only
  (`char_wb` on the word forms): errors 23 / 31, macro-F1 0.922, `blind_2`
  recall 0.967 but precision 0.967, several facts on `ontwikkel` 0.976.
  Neither lowers the errors, the first loses acute recall: left out.
- What this leaves: on the issue's development sets every target is met
  (table above, floors in `make test`), but the blind sets, written by people
  who saw neither cues nor training data, showed acute precision 0.79-0.97
  and several facts 0.73-0.92 when they were first scored, and `blind_5`, the
  one still blind, shows 0.771 and 0.810: the wording professionals use is
  wider than what the detector and the model have seen. Each round since has
  been scored on a set written for it: `blind_5` 0.771 / 0.810 after round 5,
  `blind_6` 0.759 / 0.851 after round 6, `blind_7` 0.700 / 0.844 after round
  7 (0.683 / 0.719 before rounds 6 and 7), `blind_8` 0.724 / 0.725 after
  round 8 (0.652 before it), `blind_9` 0.732 / 0.826 after round 9 (recall
  0.989), and now `blind_10`, the fairest figure: precision 0.736, several
  facts 0.925 (the first blind set above the 0.90 target for several facts),
  recall 0.978 when scored blind, 1.0 after its two misses were fixed. Each
  round lifts several facts on the next unseen set a little and precision
  hardly; every new writer brings wordings the cues do not know yet. Most
  remaining false alarms come from the NLU model alone (calm messages without
  any danger cue); turning the model's unsure acute guesses into the danger
  question was tried in round 6 and cost recall on `blind_7` (above). The
  second opinion of round 11 did what that rule could not: it learned from
  the long messages of eleven writers, and lifted precision on the unseen
  sets by 0.10-0.15 (`blind_10` 0.890, `blind_11` 0.744, `blind_12` 0.770)
  without losing an acute answer. After round 12, `blind_12`: precision
  0.790, several facts 0.816, recall 0.989 (1.0 with the question). After
  round 13, `blind_13`, the held-out set now: precision 0.787, several facts
  0.814, recall 0.990 (1.0 with the question). Most of its false alarms now
  come from the cues (threat words used in jest, explained accidents), and
  cue rounds no longer move the unseen sets.
- `acute_threshold` 0.2 gives the same development-set recall as 0.01-0.5 with
  the best precision (first round; the blind sets' figures for several
  thresholds had been seen then).
- Two sentences of `tests/nlu/testset.yml` first labelled `zorgen_blijven`
  ("weer een blauw oog", "weer verwondingen") name violence or injuries again:
  by issue 11's acute rule they were moved to `acute_zorgen` (comment in the
  file), which also costs the baseline two errors. Other sentences with older
  injuries ("nog steeds blauwe plekken") kept their label; the assistant now
  asks the danger question there, which counts as an error.
- The baseline is trained on the same data, including the new intents.
"""


def issue_11_targets(nlu: Dict) -> List[Dict]:
    """The targets of issue 11, each with its measured value and met."""
    counts = nlu.get("error_counts") or {}
    sets = nlu.get("issue_11") or {}
    acute, multi = sets.get("acuut") or {}, sets.get("meerdere_feiten") or {}
    ratio = _ratio(counts.get("ours"), counts.get("baseline"))

    def check(name, goal, value, met):
        return {"name": name, "goal": goal, "value": value, "met": None if value is None else met}

    return [
        check(
            "Errors held-out / baseline errors",
            f"<= {MAX_ERRORS_TO_BASELINE}",
            ratio,
            ratio is not None and ratio <= MAX_ERRORS_TO_BASELINE,
        ),
        check(
            "Acute: recall",
            f">= {MIN_ACUTE_RECALL}",
            acute.get("recall"),
            (acute.get("recall") or 0) >= MIN_ACUTE_RECALL,
        ),
        check(
            "Acute: precision",
            f">= {MIN_ACUTE_PRECISION}",
            acute.get("precision"),
            (acute.get("precision") or 0) >= MIN_ACUTE_PRECISION,
        ),
        check(
            "Several facts: exactly the right steps",
            f">= {MIN_MULTI_FACT_EXACT}",
            multi.get("exact"),
            (multi.get("exact") or 0) >= MIN_MULTI_FACT_EXACT,
        ),
    ]


def _section_issue_11(results: Dict) -> List[str]:
    nlu = results["nlu"]
    if "issue_11" not in nlu:
        return []
    counts, sets = nlu["error_counts"], nlu["issue_11"]
    acute, multi = sets["acuut"], sets["meerdere_feiten"]
    lines = [
        "## Danger, several facts and the baseline (issue 11)",
        "",
        "Everything goes through the assistant's own decision: the trained model plus "
        "the situation detector (`bot/nlu/detector.py`, cues in `bot/nlu/signalen.yml`) "
        "and `bot/answer_plan.py`. The sets in `tests/nlu/` were written separately from "
        "the training data.",
        "",
    ]
    lines += _table(
        ["target", "goal", "measured", "verdict"],
        [[t["name"], t["goal"], t["value"], _verdict(t["met"])] for t in issue_11_targets(nlu)],
    )
    lines += [
        f"- Errors on `tests/nlu/testset.yml` ({nlu['held_out_examples']} sentences): "
        f"assistant {counts['ours']}, NLU model alone (DIET with the TF-IDF classifier, "
        f"before the detector) {counts['model_only']}, "
        f"baseline {counts['baseline']}.",
        f"- Acute, on the held-out set `tests/nlu/blind_testset_{LAST_BLIND_SET}.yml` "
        f"(never trained or tuned on): {acute['acuut']} acute and "
        f"{acute['niet_acuut']} non-acute messages; recall {_fmt(acute['recall'])}, "
        f"precision {_fmt(acute['precision'])}; recall when the question 'Is er nu direct "
        f"gevaar?' (with 112 and 0800-2000) counts: {_fmt(acute['recall_met_vraag'])}; "
        f"that question on non-acute messages: {acute['vraag_gevaar_bij_niet_acuut']}x.",
        f"- Several facts, same set: {multi['n']} messages, "
        f"exactly the right set of step ids (and question): {_fmt(multi['exact'])} "
        f"({len(multi['fout'])} wrong).",
        "",
    ]
    if "sets" in sets:
        lines += [
            "Per set. The cues were written while the development sets "
            "(`acuut_testset.yml`, `meerdere_feiten.yml`) existed and were checked on them; "
            "`blind_testset.yml` was written next and scored blind, after which the cues "
            "were broadened from general domain knowledge; `blind_testset_2.yml` was "
            "written after that and scored once; `blind_testset_3.yml` was "
            "written blind (its writer saw neither the cues, the training data nor the other "
            "sets), committed before it was scored, and scored after the second and the "
            "third round; `blind_testset_4.yml`, the largest, was written blind in the same "
            "way by another writer after the third round and committed before it was scored "
            "for the first time; `blind_testset_5.yml` was written blind by a fifth writer "
            "during the fifth round, committed before it was scored, and scored before and "
            "after that round; `blind_testset_6.yml`, `blind_testset_7.yml` and "
            "`blind_testset_8.yml`, `blind_testset_9.yml` and `blind_testset_10.yml` were "
            "written blind the same way by a sixth to a tenth writer during rounds 6 to 10, "
            "each committed before it was scored. "
            "`blind_testset_3.yml` (rounds 4 and 5), `blind_testset_4.yml` (round 5, after "
            "it had been scored twice), `blind_testset_5.yml` (round 6) and "
            "`blind_testset_6.yml` (round 7), `blind_testset_7.yml` (round 8), "
            "`blind_testset_8.yml` (round 9) and `blind_testset_9.yml` (round 10) were then "
            "used for development: their errors "
            "guided the detector's cues, so they are no longer blind, and their figures from "
            "then on are development figures. `blind_testset_10.yml` and "
            "`blind_testset_11.yml` were written blind by a tenth and an eleventh writer; "
            "`blind_10` was scored blind before and after round 11 (its two missed acute "
            "messages were read and fixed after its first scoring), `blind_11` before and "
            "after round 11 and used for development in round 12. Since round 11 the "
            "development sets are the training data of the second opinion on the model's "
            "acute guess (moved to `data/gevaar/`; `blind_10` and `blind_11` since round "
            "12, `blind_12`, held out in rounds 11 and 12, since round 13), so their "
            "figures below are figures on training data. "
            f"`blind_{LAST_BLIND_SET}` (`tests/nlu/`) is the one held-out set: written blind by "
            "the newest writer, committed before it was scored, never read, trained or tuned on. "
            "The blind sets show how the safety net does on wording it was not developed on.",
            "",
        ]
        lines += _table(
            [
                "set",
                "acute + non-acute",
                "recall",
                "precision",
                "recall with question",
                "question on non-acute",
                "several facts exact",
            ],
            [
                [
                    name,
                    f"{s['acuut']['acuut']} + {s['acuut']['niet_acuut']}",
                    s["acuut"]["recall"],
                    s["acuut"]["precision"],
                    s["acuut"]["recall_met_vraag"],
                    f"{s['acuut']['vraag_gevaar_bij_niet_acuut']}/{s['acuut']['niet_acuut']}",
                    f"{_fmt(s['meerdere_feiten']['exact'])} (n={s['meerdere_feiten']['n']})",
                ]
                for name, s in sets["sets"].items()
            ],
        )
    lines += [ISSUE_11_HISTORY.strip(), ""]
    return lines


def _section_load(results: Dict, figures: str) -> List[str]:
    settings = results.get("settings", {})
    lines = [
        "## Latency and throughput via REST",
        "",
        "Every user sends their conversation turn by turn to `/webhooks/rest/webhook` "
        "and waits for every answer (no think time): the throughput is what the server "
        "can handle. First a warm-up round (every conversation once), which does not "
        "count. Meldcode: Rasa server plus action server, conversations in SQLite "
        "(redacted). Reference: `rasa init`, only a Rasa server, conversations in "
        "memory, with its own intents (greet, mood, bot, goodbye).",
        "",
    ]
    lines += _table(
        ["assistant", "users", "turns", "p50 (ms)", "p95 (ms)", "turns/s", "errors"],
        _load_rows(results),
    )
    scale = results.get("scale_out")
    if scale:
        lines += ["### Two Rasa servers against one", ""]
        if scale.get("skipped"):
            lines += [f"Not measured: {scale['skipped']}", ""]
        else:
            lines += [
                f"{settings.get('users')} users, every user fixed to one server "
                "(round-robin per user); shared PostgreSQL tracker store and "
                "Redis lock store, one shared action server.",
                "",
            ]
            rows = [
                [
                    str(s["summary"]["servers"]),
                    s["summary"]["turns"],
                    s["summary"]["p50_ms"],
                    s["summary"]["p95_ms"],
                    s["summary"]["turns_per_s"],
                    s["summary"]["errors"],
                ]
                for s in (scale.get("rasa_1"), scale.get("rasa_2"))
                if s
            ]
            lines += _table(
                ["Rasa servers", "turns", "p50 (ms)", "p95 (ms)", "turns/s", "errors"], rows
            )
            lines += [
                "Both setups run at the same time and are measured alternately. On 2 "
                "cores two Rasa processes share the same CPU, so the gain comes mainly "
                "from overlapping waiting time (action server, database). PostgreSQL "
                "from `harness/services.py` runs with `fsync=off`: so do not compare these "
                "rows with the SQLite figures above.",
                "",
            ]
            if scale.get("note"):
                lines += [scale["note"], ""]
    lines += [f"![Latency and throughput]({figures}latency.png)", ""]
    return lines


def _section_growth(results: Dict) -> List[str]:
    ours = results.get("load_ours", {}).get("growth")
    if not ours:
        return []
    ref = results.get("load_reference", {}).get("growth", {})
    sizes = ours.get("request_bytes_at_turn", {})
    lines = [
        "## Growth within one conversation",
        "",
        f"One user, {ours['conversations']} conversation(s) of {ours['turns']} turns per "
        "assistant (the bench conversations one after another, without restarts), "
        "alternating. p95 at turn N: over turns N-2..N+2 of every conversation (turn 1: "
        "turns 1-3). Request to the action server: the JSON body Rasa posts for a custom "
        "action, built by RemoteAction's own code (with `bot/rasa_patches.py`, as in the "
        "server) from the stored conversation.",
        "",
    ]
    rows = [
        [
            turn,
            ours["p95_ms_at_turn"].get(turn),
            ref.get("p95_ms_at_turn", {}).get(turn),
            round(sizes[turn] / 1024, 1) if turn in sizes else None,
        ]
        for turn in ours["p95_ms_at_turn"]
    ]
    rows.append(["last / first", ours.get("last_over_first"), ref.get("last_over_first"), None])
    lines += _table(
        ["turn", "meldcode p95 (ms)", "reference p95 (ms)", "meldcode request to actions (KB)"],
        rows,
    )
    return lines


def _section_resources(results: Dict) -> List[str]:
    training = results.get("training", {})
    ours, ref = training.get("ours", {}), training.get("reference", {})
    memory_ours = results.get("load_ours", {}).get("memory", {})
    memory_ref = results.get("load_reference", {}).get("memory", {})
    lines = ["## Training, model and memory", ""]
    lines += _table(
        ["", "meldcode", "reference"],
        [
            ["training (s)", ours.get("seconds"), ref.get("seconds")],
            ["model (MB)", ours.get("size_mb"), ref.get("size_mb")],
            [
                "start of the Rasa server (s)",
                results.get("load_ours", {}).get("startup_s"),
                results.get("load_reference", {}).get("startup_s"),
            ],
            [
                "Rasa server RSS after load (MB)",
                memory_ours.get("rasa", {}).get("rss_mb"),
                memory_ref.get("rasa", {}).get("rss_mb"),
            ],
            [
                "Rasa server RSS peak (MB)",
                memory_ours.get("rasa", {}).get("peak_rss_mb"),
                memory_ref.get("rasa", {}).get("peak_rss_mb"),
            ],
            ["action server RSS peak (MB)", memory_ours.get("actions", {}).get("peak_rss_mb"), "-"],
        ],
    )
    lines += [
        "Training: cold (empty Rasa cache, `--force`); the reference time is `rasa init "
        "--no-prompt` (copying plus training). Memory: VmRSS/VmHWM from /proc, summed "
        "over the process and its children.",
        "",
    ]
    return lines


def _section_machine(results: Dict) -> List[str]:
    m = results["machine"]
    load = ", ".join(str(x) for x in m.get("load_average_at_start", []))
    return [
        "## Machine and run",
        "",
        f"- Date: {results['date']}; duration of the run: {_fmt(results.get('duration_s'), 0)} s",
        f"- Command: `{results['command']}`"
        + (" (**--quick**: not comparable)" if results.get("quick") else ""),
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gb']} GB; {m['os']}",
        f"- Load average at the start (1/5/15 min): {load}",
        f"- Python {m['python']}, Rasa {m['rasa']}; `nl_core_news_sm` "
        + ("installed" if m["nl_core_news_sm"] else "not installed"),
        "",
    ]


def render(results: Dict, figures: str = "benchmarks/", notes: str = "") -> str:
    """The Markdown report; `figures` is the link prefix of the PNG files."""
    lines = [
        "# Benchmarks",
        "",
        "Made by `make bench` (`python -m bench`) in one run on this machine. "
        "Raw figures: `results/bench.json`.",
        "",
    ]
    lines += _section_machine(results)
    lines += _section_targets(results)
    lines += _section_nlu(results, figures)
    lines += _section_issue_11(results)
    lines += _section_load(results, figures)
    lines += _section_growth(results)
    lines += _section_resources(results)
    lines += _section_redaction(results)
    lines += [FINDINGS.strip(), "", ISSUE_14_LEVERS.strip(), ""]
    if notes:
        lines += [notes.strip(), ""]
    return "\n".join(lines)


def save_latency_plot(results: Dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series, labels = [], []
    for name, key in (("meldcode", "load_ours"), ("reference", "load_reference")):
        for scenario in ("one_user", "many_users"):
            run = results.get(key, {}).get(scenario)
            if run:
                series.append([x * 1000 for x in run["latencies_s"]])
                labels.append(f"{name}\n{run['summary']['users']} users")
    bars = [
        (label.replace("\n", " "), results[key]["many_users"]["summary"]["turns_per_s"])
        for label, key in (("meldcode", "load_ours"), ("reference", "load_reference"))
        if results.get(key, {}).get("many_users")
    ]
    scale = results.get("scale_out") or {}
    for count in (1, 2):
        run = scale.get(f"rasa_{count}")
        if run:
            bars.append((f"meldcode {count}x Rasa\n(PG+Redis)", run["summary"]["turns_per_s"]))
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    if series:
        left.boxplot(series, labels=labels, showfliers=False, whis=(5, 95))
    left.set_ylabel("latency per turn (ms), whiskers p5-p95")
    left.set_title("Latency per REST turn")
    right.bar([b[0] for b in bars], [b[1] for b in bars], color="tab:blue")
    right.set_ylabel("turns per second")
    right.set_title(f"Throughput, {results.get('settings', {}).get('users', 20)} users")
    for tick in right.get_xticklabels():
        tick.set_fontsize(8)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=90)
    plt.close(figure)
