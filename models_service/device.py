"""The one place where the inference device is decided. torch is imported here, lazily."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


class DeviceUnavailable(RuntimeError):
    """The configured device cannot be used on this machine."""


@dataclass(frozen=True)
class DeviceInfo:
    device: str
    name: str
    torch_version: str
    threads: int

    def as_json(self) -> dict[str, str | int]:
        return {"device": self.device, "name": self.name, "torch": self.torch_version, "threads": self.threads}


@lru_cache(maxsize=4)
def resolve_device(spec: str) -> DeviceInfo:
    """Turn ``auto``/``cpu``/``cuda``/``cuda:N`` into the device this process will run models on.

    ``auto`` takes the first CUDA device when one is visible and the CPU otherwise; asking for
    CUDA on a machine without it raises DeviceUnavailable rather than silently running on the CPU.
    """
    import torch

    if spec == "auto":
        spec = "cuda" if torch.cuda.is_available() else "cpu"
    if spec.startswith("cuda"):
        if not torch.cuda.is_available():
            raise DeviceUnavailable(f"PITCHLAB_DEVICE={spec} but no CUDA device is visible")
        index = int(spec.split(":", 1)[1]) if ":" in spec else 0
        if index >= torch.cuda.device_count():
            raise DeviceUnavailable(f"PITCHLAB_DEVICE={spec} but only {torch.cuda.device_count()} CUDA device(s)")
        return DeviceInfo(
            f"cuda:{index}", torch.cuda.get_device_name(index), torch.__version__, torch.get_num_threads()
        )
    return DeviceInfo("cpu", "cpu", torch.__version__, torch.get_num_threads())
