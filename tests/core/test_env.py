import pytest
from django.core.exceptions import ImproperlyConfigured

from pitchlab.env import env_bool, env_choice, env_int, env_list, env_str
from pitchlab.redis_url import celery_url, validate_redis_url


def test_missing_values_take_the_default() -> None:
    assert env_str("X", "d", {}) == "d"
    assert env_bool("X", True, {"X": " "}) is True
    assert env_int("X", 7, {}) == 7
    assert env_list("X", ["a"], {}) == ["a"]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("no", False)])
def test_booleans_are_read_in_every_usual_spelling(raw: str, expected: bool) -> None:
    assert env_bool("PITCHLAB_DEBUG", not expected, {"PITCHLAB_DEBUG": raw}) is expected


def test_a_bad_boolean_names_the_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="PITCHLAB_DEBUG"):
        env_bool("PITCHLAB_DEBUG", True, {"PITCHLAB_DEBUG": "maybe"})


def test_integers_are_checked_for_type_and_range() -> None:
    assert env_int("N", 1, {"N": "42"}, minimum=1) == 42
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        env_int("N", 1, {"N": "four"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 1, {"N": "0"}, minimum=1)
    with pytest.raises(ImproperlyConfigured, match="at most 9"):
        env_int("N", 1, {"N": "10"}, maximum=9)


def test_lists_split_on_commas_and_drop_blanks() -> None:
    assert env_list("H", [], {"H": "a.com, b.com,,"}) == ["a.com", "b.com"]


def test_choices_are_enforced() -> None:
    assert env_choice("D", "auto", ("auto", "cpu"), {"D": "CPU"}) == "cpu"
    with pytest.raises(ImproperlyConfigured, match="D must be one of auto, cpu"):
        env_choice("D", "auto", ("auto", "cpu"), {"D": "tpu"})


def test_redis_urls_are_validated() -> None:
    assert validate_redis_url("redis://127.0.0.1:6379/3") == "redis://127.0.0.1:6379/3"
    for bad in ("http://x", "redis://", "unix://"):
        with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
            validate_redis_url(bad)


def test_celery_spells_unix_sockets_its_own_way() -> None:
    assert celery_url("unix:///tmp/r.sock?db=2") == "redis+socket:///tmp/r.sock?virtual_host=2"
    assert celery_url("unix:///tmp/r.sock") == "redis+socket:///tmp/r.sock?virtual_host=0"
    assert celery_url("redis://h:6379/1") == "redis://h:6379/1"
