import pytest

from models_service.config import ConfigError, load_config
from models_service.device import DeviceUnavailable, resolve_device
from tests.support import run_python


def test_defaults() -> None:
    config = load_config({})
    assert config.device == "auto"
    assert config.redis_url == "redis://127.0.0.1:6379/0"
    assert config.celery_url == "redis://127.0.0.1:6379/0"


def test_unix_socket_urls_are_spelled_for_celery() -> None:
    assert load_config({"REDIS_URL": "unix:///v/r.sock?db=4"}).celery_url == "redis+socket:///v/r.sock?virtual_host=4"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PITCHLAB_DEVICE": "tpu"}, "PITCHLAB_DEVICE"),
        ({"PITCHLAB_DEVICE": "cuda:x"}, "PITCHLAB_DEVICE"),
        ({"REDIS_URL": "amqp://x"}, "REDIS_URL"),
        ({"PITCHLAB_INFERENCE_TIME_LIMIT": "0"}, "PITCHLAB_INFERENCE_TIME_LIMIT"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        load_config(env)


def test_auto_is_cpu_without_cuda_and_cuda_is_refused_plainly() -> None:
    import torch

    if torch.cuda.is_available():
        assert resolve_device("auto").device == "cuda:0"
        return
    assert resolve_device("auto").device == "cpu"
    with pytest.raises(DeviceUnavailable, match="no CUDA device"):
        resolve_device("cuda")


def test_cli_prints_the_device_or_one_line_on_bad_config() -> None:
    ok = run_python(["-m", "models_service", "device"], PITCHLAB_DEVICE="cpu")
    assert ok.returncode == 0, ok.stderr
    assert '"device": "cpu"' in ok.stdout
    bad = run_python(["-m", "models_service", "device"], PITCHLAB_DEVICE="tpu")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "models_service: PITCHLAB_DEVICE must be auto, cpu, cuda or cuda:N (got 'tpu')"
    ]
