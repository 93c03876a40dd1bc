"""bot.privacy.names: deduce loaded lazily, with its name lists only, without touching logging."""

import subprocess
import sys

from bot import settings
from bot.privacy import names
from bot.privacy.redact import redact


def test_importing_redaction_does_not_load_deduce():
    code = (
        "import sys, bot.privacy.redact, bot.privacy.logs, bot.privacy.tracker_store;"
        "print('deduce' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "False", result.stderr


def test_deduce_does_not_configure_logging_when_it_loads():
    code = (
        "import logging; from bot.privacy.redact import redact;"
        "redact('Jesse van Dijk');"
        "root = logging.getLogger(); print(len(root.handlers), root.level)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # No stdout handler at DEBUG, as deduce's import would add (logging.basicConfig).
    assert result.stdout.strip().splitlines()[-1] == "0 30", result.stdout + result.stderr


def test_only_the_name_lists_are_loaded():
    deduce = names.load()
    structures = deduce.lookup_structs
    for empty in ("street", "placename", "hospital", "healthcare_institution"):
        trie = structures[empty]
        assert not trie.children, empty
    assert structures["first_name"].children and structures["surname"].children
    annotators = deduce.processors.get_names(recursive=True)
    assert "first_name_lookup" in annotators and "street_lookup" not in annotators


def test_domain_examples_from_the_issue():
    assert redact("Jesse van Dijk uit groep 7 heeft weer striemen op zijn rug") == (
        "[NAAM] uit groep 7 heeft weer striemen op zijn rug"
    )
    assert (
        redact(
            "moeder Lotte Mulder neemt de telefoon niet op en vader Kevin de Graaf wil niet praten"
        )
        == "moeder [NAAM] neemt de telefoon niet op en vader [NAAM] wil niet praten"
    )
    assert redact("het gezin is verhuisd naar Bergen op Zoom") == (
        "het gezin is verhuisd naar Bergen op Zoom"
    )


def assistant_texts():
    """Everything the assistant itself says: it is stored (redacted) as bot messages."""
    import yaml

    from bot.channels.webchat import load_texts
    from bot.content import load_protocol
    from bot.render import render_answer

    protocol = load_protocol()
    texts = [protocol.closing_line, protocol.technical_error, *protocol.channel_texts.values()]
    for question in protocol.questions.values():
        texts += [question.text, *[str(b) for b in question.buttons]]
    for situation in protocol.situations:
        for reported in (False, True):
            for place in (None, "Zwolle", "Den Haag", "Emmen"):
                texts.append(render_answer(protocol, situation, reported, place).text)
    domain = yaml.safe_load((settings.PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    for variants in domain["responses"].values():
        texts += [v["text"] for v in variants if "text" in v]
        texts += [b["title"] for v in variants for b in v.get("buttons", [])]
    texts += list(load_texts().values())
    return texts


def test_name_redaction_never_touches_the_assistants_own_texts():
    """ "(Bron: ...)", "Vink een stap aan", "Pas het aan": deduce knows these as
    surnames. Only the patterns may change the assistant's texts (the full date of
    a source, "8 mei 2018", becomes [DATUM] like any full date)."""
    from bot.privacy.redact import redact_patterns

    texts = assistant_texts()
    assert len(texts) > 100
    changed = [(t, redact(t)) for t in texts if redact(t) != redact_patterns(t)]
    assert changed == []
