"""`make run`'s launcher: one clear line for what stops it, and a whole system that comes up and goes down."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from models_service.samples import SAMPLES
from pitchlab import launcher
from pitchlab.launcher import LaunchError, read_procfile
from tests.support import ROOT, embedded_redis, python_env, run_python


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def launch(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # The embedded default unless a test names a service: never the developer's own database.
    env = {"DATABASE_URL": "", "REDIS_URL": "", "PITCHLAB_BUILD_SAMPLES": "0", **env}
    return run_python(["-m", "pitchlab.launcher"], PITCHLAB_VAR_DIR=str(tmp_path), **env)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_taken_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line(launch(tmp_path, PORT=str(port)))
    assert f"port {port} on 127.0.0.1 is already taken" in line


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    url = "postgres://pitchlab:secret@127.0.0.1:1/pitchlab"
    line = one_line(launch(tmp_path, PORT=str(free_port()), DATABASE_URL=url))
    assert line.startswith("pitchlab: cannot reach the database at postgres://pitchlab:***@127.0.0.1:1/pitchlab")
    assert "secret" not in line


def test_a_missing_production_setting_is_one_clear_line(tmp_path: Path) -> None:
    line = one_line(launch(tmp_path, PORT=str(free_port()), PITCHLAB_DEBUG="0"))
    assert "PITCHLAB_SECRET_KEY must be set" in line


def test_a_second_launch_on_the_same_var_dir_is_one_clear_line(tmp_path: Path) -> None:
    with embedded_redis(tmp_path):  # what the first PitchLab's Redis looks like
        line = one_line(launch(tmp_path, PORT=str(free_port())))
    assert f"another PitchLab is already running on {tmp_path}" in line


def test_a_bad_port_is_one_clear_line(tmp_path: Path) -> None:
    assert "PORT must be a number" in one_line(launch(tmp_path, PORT="eighty"))


def test_procfile_lines_are_read_and_bad_ones_refused(tmp_path: Path) -> None:
    assert set(read_procfile(ROOT / "Procfile")) == {"web", "worker", "inference"}
    bad = tmp_path / "Procfile"
    bad.write_text("web gunicorn\n")
    with pytest.raises(LaunchError, match="line 1"):
        read_procfile(bad)


def processes_with(marker: str) -> list[int]:
    """Live processes whose environment holds ``marker`` (our private var dir)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_make_run_brings_everything_up_and_ctrl_c_leaves_no_process(tmp_path: Path) -> None:
    var = tmp_path / "var"
    port = free_port()
    env = python_env(PITCHLAB_VAR_DIR=str(var), PORT=str(port), PITCHLAB_DEVICE="cpu", PITCHLAB_BUILD_SAMPLES="0")
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite and a redis-server of our own
    env.pop("REDIS_URL", None)
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pitchlab.launcher"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while "PitchLab is up" not in log.read_text() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
        assert "PitchLab is up" in log.read_text(), log.read_text()[-3000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
            body = json.load(response)
        assert body["database"]["vendor"] == "sqlite"
        assert body["broker"]["url"].startswith("unix://")
        assert body["workers"]["default"]["status"] == "up"
        assert body["workers"]["inference"]["status"] == "up"
        assert list(body["inference_device"]["devices"].values()) == ["cpu"]
        assert f"http://127.0.0.1:{port}/" in log.read_text()
        assert "Log in as 'demo'" in log.read_text()
        assert processes_with(str(var))
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    deadline = time.monotonic() + 15
    while processes_with(str(var)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert processes_with(str(var)) == [], "orphan processes were left behind"
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do; TIME_WAIT may linger
        sock.bind(("127.0.0.1", port))  # nobody listens there any more


class Runs:
    """Records the commands the launcher would run (the outer edge: no model is built here)."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str], **options: object) -> subprocess.CompletedProcess[bytes]:
        self.commands.append(command)
        return subprocess.CompletedProcess(command, 0)


def test_the_sample_models_are_built_only_when_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = Runs()
    monkeypatch.setattr(subprocess, "run", runs)
    env = {"PITCHLAB_MODELS_DIR": str(tmp_path)}
    launcher.build_sample_models(env)
    assert runs.commands == [[sys.executable, "-m", "models_service", "build-samples"]]

    for name in SAMPLES:
        (tmp_path / name).mkdir()
        (tmp_path / name / "pitchlab.json").write_text("{}")
    launcher.build_sample_models(env)
    assert len(runs.commands) == 1

    (tmp_path / "sample-image" / "pitchlab.json").unlink()
    launcher.build_sample_models({**env, "PITCHLAB_BUILD_SAMPLES": "0"})
    assert len(runs.commands) == 1
    launcher.build_sample_models(env)
    assert len(runs.commands) == 2
