"""What was tried for issue 14, with the figures measured before and after.

These are development measurements (micro-benchmarks and short runs on this
machine), not part of a `make bench` run: the report prints them as they are.
"""

ISSUE_14_LEVERS = """## Issue 14: levers tried, before/after

Measured on this 2-core machine on 2026-12-03 while other work ran next to it
(one heavy job at a time). "Before" is main at 73a6dd5 with its TED model,
"after" the issue-14 branch with its own model; both through
`bench.servers.running_ours` (Rasa server plus action server, SQLite), warm-up
first, then 14 one-user conversations (40 turns) and long conversations of 100
turns (bench/growth.py).

| figure | before | after |
|---|---|---|
| one user, p50 / p95 per turn (ms) | 55.5 / 75.3 | 29.6-36.6 / 37.8-47.2 (3 runs) |
| p95 at turn 1 / 10 / 50 / 100 (ms) | 71 / 110 / 176 / 535 | 45 / 54 / 100 / 126 |
| p95 turn 100 / turn 1 | 7.5 | 2.8 |
| request to the action server at turn 1 / 10 / 50 / 100 (KB) | 12.8 / 56.4 / 272 / 440 | 12.8 / 20.1 / 21.4 / 17.5 |
| Rasa server RSS after warm-up and 14 conversations (MB) | 1596 | 1484 |
| cold training, `rasa train --force` (s) | 283 (with TED; TED 32 s, DIET 231 s) | 282 (without TED; policies 2 s, DIET 260 s on a busier machine) |

Per lever:

- **TED dropped** (`config.yml`): RulePolicy and MemoizationPolicy cover the
  dialogue: all 38 conversations of `tests/test_*.yml` are predicted without an
  error (`rasa test core --fail-on-prediction-errors`), no rule had to be
  added. Cold training took 283 s with TED, of which TEDPolicy 32 s (component
  timestamps in Rasa's training log); without TED the policies train in 2 s.
  The run without TED took 282 s in all because another process shared the
  cores (DIET 260 s against 231 s): on a quiet machine about 250 s. DIET
  (100 epochs) is nearly all of the training time. The Rasa server holds
  112 MB less without TED (1596 -> 1484 MB, `bench.machine.memory_mb`; the
  report of 2026-11-28 measured the `rasa init` reference at 1342 MB).
- **Follow-up buttons in the answer action** (`actions/vervolg.py`): the
  answer actions send `utter_vervolg_opties` (or `_acuut`) themselves, by
  response name, so the wording stays in `domain.yml`; during a form the form's
  question follows instead. One prediction (and one rule step) less per answer.
- **Request to the action server** (`bot/action_request.py`): Rasa 3.6 sends
  the whole session with every custom action call (440 KB at turn 100, 1-3
  calls per turn). Now the events start at the user message before the latest
  one, preceded by the slot values of that moment; the slots go along whole as
  before. Constant size: 12.8 KB at turn 1, 17-21 KB from turn 10 on.
- **Reading the conversation back**: Rasa looks up the class of every stored
  event by walking all Event subclasses; at turn 100 that was half of the
  reading (cProfile, in-process, turns 91-100). The classes are now looked up
  once (`bot/rasa_patches.py`), and the store reads only the `data` column.
  Micro-benchmark of one stored turn (retrieve, 9 events of an answer turn,
  save, SQLite): turns 1-10 median 12.9 -> 4.5 ms, turns 91-100 55 -> 13-15 ms.
- **SQLite in WAL mode with one kept connection** (`bot/privacy/tracker_store.py`;
  SQLAlchemy 1.4 opened a new connection per save and retrieve): part of the
  figures above (turns 1-10: 12.9 -> 6.9 ms with redaction and WAL alone). The
  purge empties the WAL file after its VACUUM (docs/privacy.md).
- **Redaction**: events without text (actions, loops, session starts) are
  stored as they are; the assistant's own texts (answers, buttons) are redacted
  once per process. Redaction work per stored answer turn (9 events):
  p50 8.96 -> 1.12 ms, p95 14.6 -> 1.6 ms; deduce takes ~2.1 ms of a 455-character
  answer, the eight patterns ~0.17 ms. A one-pass prefilter for the patterns was
  measured without gain (p50 1.09 against 1.12 ms per turn) and left out.
- **Health of the action server remembered for 3 s** (`bot/channels/guard.py`)
  while a probe connection stays open, so a stopped action server is still
  noticed at the next message. What it saves is small: the kept-alive
  `GET /health` costs 0.29-0.45 ms (p50, 200 calls) per message, plus the action
  server's own handling.
- **Not changed, measured or reasoned:** every message still makes one call to
  the action server for slot extraction (`action_extract_slots` runs
  `validate_verhuizing_form` for the custom mappings of `plaats`,
  `vorige_plaats` and `gemeld_bij_vt`); limiting those mappings to the active
  move form would save that call, but facts stated outside the form ("niet
  gemeld") would be asked again later; and such a call costs little now: 1.1 ms
  p50 (1.3 ms p95) at turn 1 with a 10 KB request, Rasa's RemoteAction against
  the real action server, 100 calls. In-process (agent, no HTTP in front) a
  turn took p50 31.5 / p95 44.2 ms, of which the NLU parse p50 7.2 / p95 9.3 ms. Shorter sessions
  (`session_expiration_time`) end a session only after minutes of silence:
  they do nothing for a conversation without pauses like the growth
  measurement, and the retention rules (docs/privacy.md) count in sessions.
  What still grows per turn is Rasa's own work over the whole session. cProfile
  of turns 91-100 (in-process, after the changes): the predictions 45% of the
  time (`past_states` over the whole history, 58 times for 24 predictions: 39%),
  reading the session back 28% (`json.loads` of ~870 stored events: 23%).

### Memory of the Rasa server, per part (2026-12-03, second round)

Measured in a fresh process per part: RSS (VmRSS) after `import tensorflow`,
`rasa.core.agent` and `bot.rasa_patches.install()` (521 MB), then the part
loaded on its own; and per graph node while `Agent.load` loads the model (the
node's load wrapped, RSS before/after). The `rasa init` reference measured the
same way.

| part | RSS (MB) |
|---|---|
| spaCy blank Dutch pipeline (import spaCy + `spacy.blank("nl")`) | +47 |
| PlaatsGazetteer's CBS place table (`bot.regio.gazetteer()`) | +3 |
| deduce's name lists for redaction (`bot.privacy.names.load()`) | +43 |
| TF-IDF ensemble on its own / as a node after the featurizers (scikit-learn already loaded) | +15 / +2 |
| DIETClassifier node, Rasa's own load | +581 |
| whole `Agent.load` / plus tracker store and one message | +665 / +694 |
| reference nodes: DIET / UnexpecTEDIntentPolicy / TEDPolicy | +259 / +170 / +146 |
| DIETClassifier node, loaded by `bot/model_load.py` (whole `Agent.load`) | (+185 to +193) |

- **DIET loaded without Rasa's training step** (`bot/model_load.py`, installed
  by `bot/rasa_patches.py`): Rasa 3.6 builds a model's weights by training it
  on one example (`model.fit`) and loads the trained weights over them; the
  traced training graph (gradients, Adam) stays in the process. Now one eager
  prediction builds the weights, the trained weights are loaded (every
  variable of the model restored, checked at each load) and the prediction
  graph is traced after that, as Rasa does. `Agent.load` 665 -> 185-193 MB.
  Same answers: on 701 sentences (held-out, acute development and blind_3
  sets) the same intents, rankings and entities; confidences differ by at
  most 4.4e-16, as between two loads with Rasa's own code (4 of 701 rankings
  order two equal tail scores differently in both comparisons);
  `tests/test_model_load.py` compares both loads on the held-out set.
  Servers as the bench starts them (ours with SQLite, reference `rasa run`),
  both up at once, RSS after warm-up, 14 one-user conversations and one round
  of 20 users: before 1244.8 MB against the reference's 1120.8 (1.11 x),
  after 751.7 against 1121.0 (0.67 x). The reference, plain Rasa, could be
  loaded the same way; the bench measures it as `rasa init` makes it.
- **Character n-grams up to 4 against 3** (not changed): of the 7367
  character features 4452 are 4-grams; DIET's two sparse-to-dense layers
  (128 wide) hold 7.5 MB of weights with 1-4, 3.0 MB with 1-3 (computed from
  the vocabulary): at most ~4.5 MB after the change above, so not worth a
  retraining that could change held-out quality (not measured).
- spaCy (47 MB) and deduce (43 MB) are needed for every message (tokens;
  names redacted before a turn is stored); the place table is 3 MB. Left as
  they are.
"""
