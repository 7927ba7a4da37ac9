"""`make run`'s launcher: one clear line for what stops it, and a whole system that comes up and goes down."""

from __future__ import annotations

import json
import os
import shutil
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


# ---------- make present: serve on the local network, with the LAN address in every QR code ----------


def test_the_lan_address_is_a_private_ipv4_never_loopback_link_local_docker_or_public() -> None:
    noise = ["127.0.0.1", "169.254.3.4", "172.17.0.1", "fe80::1", "8.8.8.8", "0.0.0.0", "my-laptop.local"]
    assert launcher.lan_address([*noise, "192.168.1.23", "10.0.0.5"]) == "192.168.1.23"
    assert launcher.lan_address(["10.0.0.5", "192.168.1.23"]) == "10.0.0.5"  # the first usable, in order given
    assert launcher.lan_address(["172.20.1.9"]) == "172.20.1.9"  # a 172.16/12 office network is fine
    assert launcher.lan_address(noise) is None


@pytest.fixture
def on_wifi(monkeypatch: pytest.MonkeyPatch) -> None:
    """This computer as a laptop on Wi-Fi that also runs Docker: its name resolves to the Docker bridge."""
    monkeypatch.setattr(launcher, "_default_route_address", lambda: "192.168.1.23")
    monkeypatch.setattr(launcher, "_host_addresses", lambda: ["172.17.0.1", "127.0.1.1"])
    monkeypatch.delenv("PITCHLAB_PUBLIC_URL", raising=False)


@pytest.mark.usefixtures("on_wifi")
def test_present_puts_the_lan_address_in_the_public_url(tmp_path: Path) -> None:
    env = launcher.child_environment(tmp_path, 8000, "0.0.0.0")
    assert env["PITCHLAB_PUBLIC_URL"] == "http://192.168.1.23:8000"
    assert env["PITCHLAB_HOST"] == "0.0.0.0"


@pytest.mark.usefixtures("on_wifi")
def test_the_docker_bridge_is_never_the_phones_address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(launcher, "_default_route_address", lambda: "172.17.0.2")  # inside a container
    monkeypatch.setattr(launcher, "_host_addresses", lambda: ["172.17.0.2", "10.1.2.3"])
    assert launcher.child_environment(tmp_path, 8000, "0.0.0.0")["PITCHLAB_PUBLIC_URL"] == "http://10.1.2.3:8000"


@pytest.mark.usefixtures("on_wifi")
def test_an_explicit_public_url_wins_and_loopback_stays_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert launcher.child_environment(tmp_path, 8000, "127.0.0.1")["PITCHLAB_PUBLIC_URL"] == "http://127.0.0.1:8000"
    monkeypatch.setattr(launcher, "_default_route_address", lambda: None)
    monkeypatch.setattr(launcher, "_host_addresses", lambda: [])
    # No network at all: the QR codes keep the loopback address (and say so), the start line says why.
    assert launcher.child_environment(tmp_path, 8000, "0.0.0.0")["PITCHLAB_PUBLIC_URL"] == "http://127.0.0.1:8000"
    assert "no local network address found" in launcher.serving_notice("0.0.0.0", 8000, {})
    monkeypatch.setenv("PITCHLAB_PUBLIC_URL", "https://pitch.example.com")
    env = launcher.child_environment(tmp_path, 8000, "0.0.0.0")
    assert env["PITCHLAB_PUBLIC_URL"] == "https://pitch.example.com"


@pytest.mark.usefixtures("on_wifi")
def test_present_binds_every_interface_and_prints_the_phones_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PITCHLAB_")}
    monkeypatch.setattr(os, "environ", {**environ, "PITCHLAB_VAR_DIR": str(tmp_path), "PORT": "8765"})
    bound: list[str] = []

    def port_is_free(host: str, port: int) -> bool:
        bound.append(host)
        return True

    def stop(*_args: object) -> None:
        raise LaunchError("stopped here by the test")

    monkeypatch.setattr(launcher, "port_is_free", port_is_free)
    monkeypatch.setattr(launcher, "check_settings_and_database", stop)
    assert launcher.main(["present"]) == 2
    out = capsys.readouterr().out
    assert bound == ["0.0.0.0"]
    assert "pitchlab: Phones on the same Wi-Fi: http://192.168.1.23:8765" in out
    assert "debug is off" in out
    assert os.environ["PITCHLAB_DEBUG"] == "0"

    # And once the app answers, under "PitchLab is up", where it is seen.
    monkeypatch.setattr(launcher, "fetch_health", lambda url, timeout=5.0: (200, {}))
    assert launcher.wait_until_healthy("http://127.0.0.1:8765/healthz", timeout=5, phones="http://192.168.1.23:8765")
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "Phones on the same Wi-Fi: http://192.168.1.23:8765"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_present_and_make_run_host_pass_the_host_through() -> None:
    def dry(*args: str) -> str:
        # Under `make test` this runs inside a make: without its variables, and without "Entering directory" lines.
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
        done = subprocess.run(
            ["make", "--no-print-directory", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True, env=env
        )
        return done.stdout.strip().splitlines()[-1]

    assert dry("present").endswith("-m pitchlab.launcher present")
    assert dry("run", "HOST=0.0.0.0").startswith("PITCHLAB_HOST=0.0.0.0 ")
    assert dry("run").endswith("-m pitchlab.launcher")
