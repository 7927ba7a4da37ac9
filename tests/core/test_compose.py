"""docker-compose.yml describes the scaled-out stack with the Procfile's own commands."""

from __future__ import annotations

import importlib.util
import itertools
import shlex
from typing import Any

import yaml

from pitchlab.launcher import read_procfile
from tests.support import ROOT


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def shell_line(command: list[str]) -> str:
    assert command[:2] == ["sh", "-c"], command
    return command[2].replace("$$", "$")


def test_every_procfile_process_is_a_compose_service_with_the_same_command() -> None:
    services = compose()["services"]
    for name, line in read_procfile(ROOT / "Procfile").items():
        assert shell_line(services[name]["command"]) == line


def test_the_stack_has_its_parts_and_inference_reserves_a_gpu() -> None:
    services = compose()["services"]
    assert {"web", "worker", "inference", "redis", "postgres"} <= set(services)
    devices = services["inference"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]
    for name in ("web", "worker", "inference"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")


def modules_named(argv: list[str]) -> list[str]:
    """The Python modules a command line would load: ``-A app``, ``module:callable``, ``-m module``."""
    modules = []
    for flag, value in itertools.pairwise(argv):
        if flag in ("-A", "-m"):
            modules.append(value)
    modules += [arg.split(":")[0] for arg in argv if ":" in arg and "." in arg.split(":")[0] and "/" not in arg]
    return modules


def test_every_command_runs_something_that_exists_in_the_project() -> None:
    services = compose()["services"]
    assert (ROOT / "Dockerfile").is_file()
    for name, service in services.items():
        if "build" not in service:
            continue
        command = service["command"]
        argv = shlex.split(shell_line(command)) if command[:2] == ["sh", "-c"] else command
        modules = modules_named(argv)
        assert modules, f"{name}: no project module found in {argv}"
        for module in modules:
            assert module.split(".")[0] in {"pitchlab", "models_service"}, f"{name}: {module}"
            assert importlib.util.find_spec(module) is not None, f"{name}: {module} does not exist"
