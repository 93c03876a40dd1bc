"""Makes the Teams app package (a zip to upload in Teams) from deploy/teams/manifest.json.

    python -m bot.channels.teams.package --organisatie "Gemeente Voorbeeld" \
        --website https://www.voorbeeld.nl [--privacy URL] [--voorwaarden URL] [--uit PAD]

The app id comes from TEAMS_APP_ID (.env). The two icons Teams requires
(192x192 in colour, 32x32 white outline on transparent) are drawn here with
the standard library, so no binary files live in the repository.
"""

import argparse
import io
import json
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Dict, Tuple

from bot import settings

TEMPLATE = settings.PROJECT_ROOT / "deploy" / "teams" / "manifest.json"
DEFAULT_OUTPUT = settings.PROJECT_ROOT / "build" / "teams" / "meldcode-teams.zip"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
ACCENT = (0x1F, 0x5F, 0x8B, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
Pixel = Tuple[int, int, int, int]


def png(size: int, pixel: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG; `pixel` gets coordinates from 0 to 1."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel((x + 0.5) / size, (y + 0.5) / size)) for x in range(size))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _checklist(x: float, y: float) -> bool:
    """Three rows of a box and a line: a list of steps."""
    for top in (0.22, 0.44, 0.66):
        if top <= y <= top + 0.12 and (0.18 <= x <= 0.30 or 0.38 <= x <= 0.82):
            return True
    return False


def icons() -> Dict[str, bytes]:
    return {
        "color.png": png(192, lambda x, y: WHITE if _checklist(x, y) else ACCENT),
        "outline.png": png(32, lambda x, y: WHITE if _checklist(x, y) else CLEAR),
    }


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
    import os

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
        "TEAMS_APP_ID": os.environ.get("TEAMS_APP_ID", "").strip(),
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
