"""The shipped purge schedules (deploy/) run `python -m bot purge` once a day."""

import configparser
import subprocess

import yaml

from bot import settings

DEPLOY = settings.PROJECT_ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"))
    return parser


def test_the_systemd_timer_runs_the_purge_service_daily():
    service, timer = unit("meldcode-purge.service"), unit("meldcode-purge.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("-m bot purge")
    assert timer["Timer"]["OnCalendar"].startswith("*-*-* ")
    assert timer["Timer"]["Persistent"] == "true"


def test_the_systemd_calendar_expression_is_valid():
    calendar = unit("meldcode-purge.timer")["Timer"]["OnCalendar"]
    result = subprocess.run(
        ["systemd-analyze", "calendar", calendar], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_the_kubernetes_cronjob_runs_the_purge_daily():
    job = yaml.safe_load((DEPLOY / "kubernetes" / "purge-cronjob.yml").read_text(encoding="utf-8"))
    assert job["kind"] == "CronJob" and job["spec"]["concurrencyPolicy"] == "Forbid"
    minute, hour, *rest = job["spec"]["schedule"].split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    (container,) = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "bot", "purge"]


def test_make_purge_runs_and_prints_counts_only(tmp_path):
    import sys

    env = {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB": str(tmp_path / "t.db")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "purge", "--days", "30"],
        cwd=settings.PROJECT_ROOT,
        env={**__import__("os").environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == [
        "Ouder dan 30 dagen verwijderd: 0 gesprek(ken), 0 sessie(s), 0 events.",
        "0 herinnering(en) die al 30 dagen klaar stonden verwijderd.",
    ]
