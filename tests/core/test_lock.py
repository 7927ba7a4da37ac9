"""The lock files agree with pyproject.toml, so every machine installs the same versions (`make lock` rewrites them)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
# torch is installed first and exactly by `make` and the Dockerfile (the CPU wheel here, a CUDA build on a GPU host).
INSTALLED_FIRST = {"torch"}


@dataclass
class Pin:
    version: Version
    hashes: int = 0
    direct: bool = False  # pip-compile's "via pitchlab (pyproject.toml)": asked for by pyproject.toml itself
    via: list[str] = field(default_factory=list)


def read_lock(path: Path) -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if match := PIN.match(line):
            current = pins[canonicalize_name(match[1])] = Pin(Version(match[2]))
        elif current is not None and stripped.startswith("--hash=sha256:"):
            current.hashes += 1
        elif current is not None and stripped.startswith("#"):
            text = stripped.lstrip("#").strip().removeprefix("via").strip()
            if text:
                current.via.append(text)
                current.direct |= text == "pitchlab (pyproject.toml)"
    return pins


def project_requirements(*, dev: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"]) + (list(project["optional-dependencies"]["dev"]) if dev else [])
    return [Requirement(text) for text in wanted]


LOCKS = {"requirements.lock": False, "requirements-dev.lock": True}


@pytest.mark.parametrize(("name", "dev"), LOCKS.items())
def test_every_requirement_of_pyproject_is_pinned_in_the_lock_within_its_range(name: str, dev: bool) -> None:
    pins = read_lock(ROOT / name)
    problems = []
    for requirement in project_requirements(dev=dev):
        key = canonicalize_name(requirement.name)
        if key in INSTALLED_FIRST:
            continue
        pin = pins.get(key)
        if pin is None:
            problems.append(f"{requirement} is not in {name}")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{requirement} but {name} pins {pin.version}")
    assert not problems, "pyproject.toml and the lock disagree (run `make lock`): " + "; ".join(problems)


@pytest.mark.parametrize(("name", "dev"), LOCKS.items())
def test_the_lock_asks_for_nothing_that_pyproject_dropped(name: str, dev: bool) -> None:
    asked = {canonicalize_name(r.name) for r in project_requirements(dev=dev)}
    stale = [key for key, pin in read_lock(ROOT / name).items() if pin.direct and key not in asked]
    assert not stale, f"{name} still pins {stale} for pyproject.toml, which no longer asks for them (run `make lock`)"


@pytest.mark.parametrize("name", LOCKS)
def test_every_pin_carries_hashes_and_torch_is_left_to_make(name: str) -> None:
    pins = read_lock(ROOT / name)
    assert len(pins) > 50, "the whole tree is locked, not only the direct requirements"
    assert all(pin.hashes for pin in pins.values()), [key for key, pin in pins.items() if not pin.hashes]
    assert not INSTALLED_FIRST & pins.keys()


def test_the_app_and_dev_locks_hold_the_same_version_of_every_package_they_share() -> None:
    app, dev = read_lock(ROOT / "requirements.lock"), read_lock(ROOT / "requirements-dev.lock")
    assert app.keys() <= dev.keys()
    assert {key: app[key].version for key in app} == {key: dev[key].version for key in app}


def test_the_read_lock_parser_sees_a_disagreement() -> None:
    """The checks above are only as good as the parser: a pin outside a range must be caught."""
    pin = read_lock(ROOT / "requirements.lock")[canonicalize_name("django")]
    assert pin.direct
    assert pin.hashes
    assert not Requirement(f"django>{pin.version}").specifier.contains(pin.version)


def test_every_install_goes_through_the_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r $(DEV_LOCK)" in makefile
    assert "--require-hashes --no-deps -r requirements.lock" in dockerfile
    # The project itself is installed without letting pip resolve (and so upgrade) anything else.
    assert "pip install --quiet --no-deps -e ." in makefile
    assert "pip install --no-cache-dir --no-deps ." in dockerfile
