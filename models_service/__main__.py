"""``python -m models_service``: the service's command line."""

from __future__ import annotations

import argparse
import json
import sys

from models_service.config import ConfigError, load_config
from models_service.device import DeviceUnavailable, resolve_device


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models_service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("device", help="print the device models will run on")
    args = parser.parse_args(argv)

    try:
        config = load_config()
        if args.command == "device":
            print(json.dumps(resolve_device(config.device).as_json()))
    except (ConfigError, DeviceUnavailable) as exc:
        print(f"models_service: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
