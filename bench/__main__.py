"""`python -m bench [--quick]`: see bench/__init__.py."""

import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="ontwikkelen: minder gebruikers en beurten, geen training; "
        "schrijft naar results/bench-quick/",
    )
    parser.add_argument("--users", type=int, help="aantal gelijktijdige gebruikers")
    parser.add_argument(
        "--no-scale-out", action="store_true", help="sla de meting met twee Rasa-servers over"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="schrijf docs/benchmarks.md opnieuw uit results/bench.json",
    )
    parser.add_argument(
        "--nlu-only",
        action="store_true",
        help="alleen de NLU-cijfers met het model in models/ (geen training, geen belasting); "
        "vervangt de NLU-delen van docs/benchmarks.md",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        import json

        from bench import run

        results = json.loads((run.RESULTS_DIR / "bench.json").read_text(encoding="utf-8"))
        run.write_outputs(results, run.output_paths(results.get("quick", False)))
        return 0

    import json
    import logging

    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    from bot import settings as bot_settings

    # .env, quiet library warnings and TensorFlow, as `python -m bot`
    bot_settings.load_environment()
    from bench import run
    from bench.settings import FULL, QUICK

    if args.nlu_only:
        results = run.run_nlu_only(run.EXISTING_MODEL)
        print(json.dumps(results["nlu"]["error_counts"]))
        return 0

    chosen = QUICK if args.quick else FULL
    overrides = {}
    if args.users:
        overrides["users"] = args.users
    if args.no_scale_out:
        overrides["scale_out"] = False
    chosen = chosen.__class__(**{**chosen.__dict__, **overrides})
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])
    run.run(chosen, command.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
