"""Transcript analysis: filler words in English and Chinese, repeated phrases, fillers per minute."""

import json
from pathlib import Path

import pytest

from pitchlab.rehearsals.transcript import FILLERS_FILE, FillerCount, RepeatedPhrase, analyse_transcript, load_fillers


def counts(text: str) -> dict[str, int]:
    return {f.phrase: f.count for f in analyse_transcript(text, minutes=1).fillers}


# --- the data file -----------------------------------------------------------------------------------------------


def test_the_filler_file_explains_itself_and_holds_both_languages() -> None:
    data = json.loads(FILLERS_FILE.read_text(encoding="utf-8"))
    fillers = load_fillers()

    assert "not_after" in data["_about"]
    assert {"um", "umm", "uh", "uhm", "er", "erm", "ah", "like", "you know", "i mean", "basically"} <= {
        f.phrase for f in fillers.en
    }
    assert {"actually", "literally", "sort of", "kind of", "so yeah", "right?", "okay so"} <= {
        f.phrase for f in fillers.en
    }
    assert {"嗯", "呃", "啊", "那个", "就是", "然后", "这个", "其实", "对吧", "怎么说呢", "就是说"} <= set(fillers.zh)
    like = next(f for f in fillers.en if f.phrase == "like")
    assert {"i", "would", "'d", "looks", "feel"} <= like.not_after


def test_a_custom_filler_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "fillers.json"
    path.write_text(
        json.dumps({"_about": "test", "en": ["so", {"phrase": "Well", "not_after": ["very"]}], "zh": ["哈"]})
    )

    fillers = load_fillers(path)
    report = analyse_transcript("So, well... very well. 哈哈", minutes=1, fillers=fillers)

    assert [(f.phrase, f.lang, f.count) for f in report.fillers] == [
        ("哈", "zh", 2),
        ("so", "en", 1),
        ("well", "en", 1),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"en": [{"not_after": ["i"]}]},
        {"en": [""]},
        {"en": [{"phrase": "like", "not_after": "i"}]},
        {"zh": [""]},
        {"zh": [3]},
    ],
)
def test_a_malformed_filler_file_is_refused(tmp_path: Path, data: dict[str, object]) -> None:
    path = tmp_path / "fillers.json"
    path.write_text(json.dumps(data))

    with pytest.raises(ValueError, match="filler"):
        load_fillers(path)


# --- English fillers ---------------------------------------------------------------------------------------------


def test_english_fillers_are_counted_as_whole_words_case_insensitively() -> None:
    text = (
        "Um, so we built it. UM. Uh, you know, it basically works, right? Actually we literally sort of did it. "
        "Okay so that is it. Okay, so we start."
    )

    assert counts(text) == {
        "um": 2,
        "uh": 1,
        "you know": 1,
        "basically": 1,
        "right?": 1,
        "actually": 1,
        "literally": 1,
        "sort of": 1,
        "okay so": 2,
    }


def test_a_filler_inside_a_longer_word_does_not_count() -> None:
    assert counts("An umbrella is likely, unlike ever; never erm-less; ahead of the uhm-ber actuallyness") == {}


def test_like_after_i_is_a_verb_and_between_commas_a_filler() -> None:
    assert counts("I like it.") == {}
    assert counts("it was, like, huge") == {"like": 1}
    assert counts("it was like huge") == {"like": 1}
    assert counts("Like, we grew fast.") == {"like": 1}


@pytest.mark.parametrize(
    "text",
    [
        "We'd like to raise two million.",
        "I would like to thank you.",
        "It looks like rain.",
        "It feels like magic to users.",
        "Something like 30 percent.",
        "They really like it.",
        "Customers don't like waiting.",
        "Tools like Figma.",
        "I’d like that.",
    ],
)
def test_like_after_a_word_that_means_it_is_not_counted(text: str) -> None:
    assert counts(text) == {}


def test_right_is_a_filler_only_as_a_tag_question() -> None:
    assert counts("Turn right. That is the right answer.") == {}
    assert counts("It works, right ?") == {"right?": 1}


def test_kind_of_and_you_know_are_words_after_their_own_stop_words() -> None:
    assert counts("What kind of users? A kind of tool. Did you know that? What I mean is this.") == {}
    assert counts("It is kind of slow, you know, and I mean it.") == {"kind of": 1, "you know": 1, "i mean": 1}


# --- Chinese fillers ---------------------------------------------------------------------------------------------


def test_chinese_fillers_are_substrings_longest_first_without_overlap() -> None:
    text = "就是说我们就是想做这个。嗯，然后呢，其实对吧？怎么说呢，那个，啊，呃。"

    assert counts(text) == {
        "就是说": 1,
        "就是": 1,
        "这个": 1,
        "嗯": 1,
        "然后": 1,
        "其实": 1,
        "对吧": 1,
        "怎么说呢": 1,
        "那个": 1,
        "啊": 1,
        "呃": 1,
    }


def test_jiushishuo_said_three_times_is_not_also_jiushi() -> None:
    assert counts("就是说，就是说，就是说") == {"就是说": 3}


def test_both_lists_apply_to_mixed_speech() -> None:
    report = analyse_transcript("嗯，our model, you know, 就是 works. 然后 um 我们上线了。", minutes=2)

    assert report.filler_total == 5
    assert {(f.phrase, f.lang) for f in report.fillers} == {
        ("嗯", "zh"),
        ("you know", "en"),
        ("就是", "zh"),
        ("然后", "zh"),
        ("um", "en"),
    }
    assert (report.words, report.characters) == (6, 10)


# --- totals, order and per minute --------------------------------------------------------------------------------


def test_fillers_are_listed_most_first_with_ties_in_file_order() -> None:
    report = analyse_transcript("like, um, uh, like, 嗯 basically like", minutes=1)

    assert report.fillers == (
        FillerCount("like", "en", 3),
        FillerCount("um", "en", 1),
        FillerCount("uh", "en", 1),
        FillerCount("basically", "en", 1),
        FillerCount("嗯", "zh", 1),
    )


@pytest.mark.parametrize(
    ("minutes", "per_minute"),
    [(4, 1.5), (3, 2.0), (2.5, 2.4), (0.5, 12.0), (0, None), (-1, None)],
)
def test_fillers_per_minute_divides_by_the_callers_minutes(minutes: float, per_minute: float | None) -> None:
    report = analyse_transcript("um um uh er ah 嗯", minutes=minutes)

    assert report.filler_total == 6
    assert report.fillers_per_minute == per_minute


def test_a_transcript_without_fillers_has_zero_per_minute() -> None:
    report = analyse_transcript("We help support teams answer faster.", minutes=2)

    assert (report.filler_total, report.fillers_per_minute, report.fillers, report.words) == (0, 0.0, (), 6)


def test_empty_transcript() -> None:
    report = analyse_transcript("", minutes=0)

    assert report.as_json() == {
        "words": 0,
        "characters": 0,
        "minutes": 0,
        "fillers": [],
        "filler_total": 0,
        "fillers_per_minute": None,
        "repeated": [],
    }


# --- repeated phrases --------------------------------------------------------------------------------------------


def test_only_maximal_repeated_phrases_are_kept() -> None:
    text = "Our model cuts review time. Our model cuts costs. Our model cuts review time in half. Our model is fast."

    # "model cuts" (3) is always inside "our model cuts" (3): dropped; "our model" (4) was also said alone: kept.
    assert analyse_transcript(text, minutes=1).repeated == (
        RepeatedPhrase("our model", 4),
        RepeatedPhrase("our model cuts", 3),
    )


def test_stop_word_phrases_and_phrases_across_sentences_are_not_repeated_phrases() -> None:
    text = "It is good. It is fine. It is ok. We grow. Fast we grow. Fast we grow. Fast"

    assert analyse_transcript(text, minutes=1).repeated == (RepeatedPhrase("we grow", 3),)


def test_fillers_are_neither_repeated_phrases_nor_breaks_in_one() -> None:
    text = "Our um product wins. Our product, you know, wins. Our product wins. You know, you know."

    assert analyse_transcript(text, minutes=1).repeated == (RepeatedPhrase("our product wins", 3),)


def test_chinese_repeated_runs_are_maximal_and_skip_function_characters() -> None:
    text = "我们的产品很好用。我们的产品很便宜。我们的产品很快。"

    # 我们的 is made only of function characters; every other run said 3 times sits inside 我们的产品很.
    assert analyse_transcript(text, minutes=1).repeated == (RepeatedPhrase("我们的产品很", 3),)
    # Said once more on its own, 产品很 is no longer only part of the longer run.
    assert analyse_transcript(text + "产品很棒。", minutes=1).repeated == (
        RepeatedPhrase("产品很", 4),
        RepeatedPhrase("我们的产品很", 3),
    )


def test_chinese_fillers_are_cut_out_before_finding_repeated_runs() -> None:
    text = "我们那个产品很好。" * 3

    assert analyse_transcript(text, minutes=1).repeated == (RepeatedPhrase("我们产品很好", 3),)


def test_a_sentence_longer_than_five_words_said_again_and_again_is_listed_once() -> None:
    text = "We cut review time in half for teams. " * 3

    # Its 5-word windows ("we cut review time in", "cut review time in half", ...) are all said 3 times.
    assert analyse_transcript(text, minutes=1).repeated == (RepeatedPhrase("we cut review time in", 3),)


def test_a_chinese_run_longer_than_six_characters_is_listed_once() -> None:
    text = "我们把审查时间缩短一半。" * 4

    assert analyse_transcript(text, minutes=1).repeated == (RepeatedPhrase("我们把审查时", 4),)


def test_phrases_said_twice_are_not_repeated() -> None:
    assert analyse_transcript("Code review matters. Code review matters.", minutes=1).repeated == ()


def test_at_most_ten_repeated_phrases_most_first() -> None:
    sentences = [f"alpha{n} beta{n}." * (3 + n) for n in range(12)]

    repeated = analyse_transcript(" ".join(sentences), minutes=1).repeated

    assert [(r.phrase, r.count) for r in repeated] == [(f"alpha{n} beta{n}", 3 + n) for n in range(11, 1, -1)]


def test_as_json_is_plain_json() -> None:
    report = analyse_transcript("Um, our product wins. Um, our product wins. Um, our product wins.", minutes=1.25)

    data = report.as_json()

    assert json.loads(json.dumps(data)) == data
    assert data == {
        "words": 12,
        "characters": 0,
        "minutes": 1.2,
        "fillers": [{"phrase": "um", "lang": "en", "count": 3}],
        "filler_total": 3,
        "fillers_per_minute": 2.4,
        "repeated": [{"phrase": "our product wins", "count": 3}],
    }
