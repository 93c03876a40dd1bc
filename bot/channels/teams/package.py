"""Makes the Teams app package (a zip to upload in Teams) from deploy/teams/manifest.json.

    python -m bot.channels.teams.package --organisatie "Gemeente Voorbeeld" \
        --website https://www.voorbeeld.nl [--privacy URL] [--voorwaarden URL] [--uit PAD]

The app id comes from TEAMS_APP_ID (.env). The two icons Teams requires
(192x192 in colour, 32x32 white outline on transparent) are files next to
the manifest template.
"""

import argparse
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Dict

from bot import settings

TEMPLATE = settings.PROJECT_ROOT / "deploy" / "teams" / "manifest.json"
DEFAULT_OUTPUT = settings.PROJECT_ROOT / "build" / "teams" / "meldcode-teams.zip"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
ICON_NAMES = ("color.png", "outline.png")


def icons() -> Dict[str, bytes]:
    return {name: (TEMPLATE.parent / name).read_bytes() for name in ICON_NAMES}


def manifest(values: Dict[str, str]) -> Dict:
    """The filled manifest; ValueError naming what is wrong."""
    if not _GUID.match(values.get("TEAMS_APP_ID", "")):
        raise ValueError("TEAMS_APP_ID in .env moet de app-id (een GUID) van de Azure Bot zijn.")
    for key, option in (
        ("WEBSITE_URL", "--website"),
        ("PRIVACY_URL", "--privacy"),
        ("VOORWAARDEN_URL", "--voorwaarden"),
    ):
        if not values.get(key, "").startswith("https://"):
            raise ValueError(f"{option} moet een adres zijn dat begint met https://.")
    if not values.get("ORGANISATIE", "").strip():
        raise ValueError("Geef de naam van uw organisatie (--organisatie).")

    def replace(match: re.Match) -> str:
        # json.dumps escapes quotes and backslashes; [1:-1] drops its own quotes.
        return json.dumps(values[match.group(1)])[1:-1]

    return json.loads(_PLACEHOLDER.sub(replace, TEMPLATE.read_text(encoding="utf-8")))


def build(values: Dict[str, str], output: Path) -> Path:
    filled = manifest(values)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(filled, ensure_ascii=False, indent=2))
        for name, data in icons().items():
            archive.writestr(name, data)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())
    return output


def main(argv=None) -> int:

    settings.load_environment()
    parser = argparse.ArgumentParser(
        prog="python -m bot.channels.teams.package",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--organisatie", required=True, help="naam van uw organisatie")
    parser.add_argument("--website", required=True, help="https-adres van uw organisatie")
    parser.add_argument(
        "--privacy", help="https-adres van de privacyverklaring (standaard: --website)"
    )
    parser.add_argument(
        "--voorwaarden", help="https-adres van de gebruiksvoorwaarden (standaard: --website)"
    )
    parser.add_argument("--uit", type=Path, default=DEFAULT_OUTPUT, help="het zip-bestand")
    args = parser.parse_args(argv)
    values = {
        "TEAMS_APP_ID": settings.text_setting("TEAMS_APP_ID"),
        "ORGANISATIE": args.organisatie.strip(),
        "WEBSITE_URL": args.website.strip(),
        "PRIVACY_URL": (args.privacy or args.website).strip(),
        "VOORWAARDEN_URL": (args.voorwaarden or args.website).strip(),
    }
    try:
        path = build(values, args.uit)
    except ValueError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return 2
    print(f"Teams-app gemaakt: {path}. Upload dit bestand in Teams (zie docs/teams.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
