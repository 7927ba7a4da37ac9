"""The artefact format: real tiny transformers models, built once, then broken one way at a time."""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import pickle
import shutil
import stat
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from models_service.artefacts import ArtefactRefused, Limits, artefact_id, unpack_zip, validate_folder

# --- building real artefacts ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny BERT text classifier, the same sharded, and a tiny ViT image classifier, saved by transformers.

    num_labels is not passed: transformers derives it from id2label.
    """
    import transformers

    root = tmp_path_factory.mktemp("artefacts")
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "pitch", "deck", "seed", "round"]) + "\n")

    text_config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        id2label={0: "a", 1: "b", 2: "c"},
        label2id={"a": 0, "b": 1, "c": 2},
    )
    bert = transformers.BertForSequenceClassification(text_config)
    # transformers 5's BertTokenizer is the fast (tokenizers) one; BertTokenizerFast is an alias of it.
    tokenizer = transformers.BertTokenizer(vocab_file=str(vocab))
    bert.save_pretrained(root / "bert")
    tokenizer.save_pretrained(root / "bert")
    bert.save_pretrained(root / "bert-sharded", max_shard_size="20KB")
    tokenizer.save_pretrained(root / "bert-sharded")

    image_config = transformers.ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        id2label={0: "cat", 1: "dog"},
        label2id={"cat": 0, "dog": 1},
    )
    transformers.ViTForImageClassification(image_config).save_pretrained(root / "vit")
    transformers.ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(root / "vit")
    return {"bert": root / "bert", "bert-sharded": root / "bert-sharded", "vit": root / "vit", "vocab": vocab}


@pytest.fixture
def bert(built: dict[str, Path], tmp_path: Path) -> Path:
    return Path(shutil.copytree(built["bert"], tmp_path / "bert"))


@pytest.fixture
def vit(built: dict[str, Path], tmp_path: Path) -> Path:
    return Path(shutil.copytree(built["vit"], tmp_path / "vit"))


def edit_config(folder: Path, change: Callable[[dict[str, Any]], None], name: str = "config.json") -> None:
    config = json.loads((folder / name).read_text())
    change(config)
    (folder / name).write_text(json.dumps(config))


DEFAULT_LIMITS = Limits()


def refused(folder: Path, code: str, limits: Limits = DEFAULT_LIMITS) -> ArtefactRefused:
    with pytest.raises(ArtefactRefused) as caught:
        validate_folder(folder, limits=limits)
    assert caught.value.code == code, str(caught.value)
    return caught.value


# --- accepted artefacts -------------------------------------------------------------------------------------------


def test_a_text_classifier_is_accepted_with_its_kind_labels_and_files(bert: Path) -> None:
    info = validate_folder(bert)
    assert info.path == bert
    assert info.kind == "text"
    assert info.architecture == "BertForSequenceClassification"
    assert info.model_type == "bert"
    assert info.labels == ("a", "b", "c")
    assert info.files == tuple(sorted(p.name for p in bert.iterdir()))
    assert "model.safetensors" in info.files
    assert info.total_bytes == sum(p.stat().st_size for p in bert.iterdir())


def test_an_image_classifier_is_accepted_as_image(vit: Path) -> None:
    info = validate_folder(vit)
    assert info.kind == "image"
    assert info.architecture == "ViTForImageClassification"
    assert info.model_type == "vit"
    assert info.labels == ("cat", "dog")
    assert "preprocessor_config.json" in info.files


def test_sharded_safetensors_with_their_index_are_accepted(built: dict[str, Path], tmp_path: Path) -> None:
    folder = Path(shutil.copytree(built["bert-sharded"], tmp_path / "sharded"))
    shards = sorted(p.name for p in folder.glob("model-*.safetensors"))
    assert len(shards) >= 2
    assert validate_folder(folder).kind == "text"

    (folder / shards[-1]).unlink()
    assert refused(folder, "missing_weights").file == shards[-1]


def test_a_wordpiece_vocab_alone_is_a_tokenizer(bert: Path, built: dict[str, Path]) -> None:
    (bert / "tokenizer.json").unlink()
    shutil.copy(built["vocab"], bert / "vocab.txt")
    assert validate_folder(bert).kind == "text"


def test_ignored_junk_is_left_out_of_the_artefact(bert: Path) -> None:
    (bert / ".gitattributes").write_text("*.safetensors filter=lfs\n")
    (bert / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    info = validate_folder(bert)
    assert ".gitattributes" not in info.files
    assert ".DS_Store" not in info.files


# --- weights --------------------------------------------------------------------------------------------------------


def test_bin_weights_are_refused_by_name_without_being_opened(bert: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (bert / "pytorch_model.bin").write_bytes(pickle.dumps({"weights": [1.0]}, protocol=2))
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file) if isinstance(file, str | os.PathLike) else repr(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    error = refused(bert, "pickle_weights")
    monkeypatch.undo()
    assert "pytorch_model.bin" in str(error)
    assert error.file == "pytorch_model.bin"
    assert not [name for name in opened if name.endswith(".bin")]


@pytest.mark.parametrize("name", ["weights.pt", "model.pth", "model.ckpt", "clf.pkl", "clf.joblib", "arr.npy"])
def test_every_pickle_based_weights_name_is_refused(bert: Path, name: str) -> None:
    (bert / name).write_bytes(b"not even read")
    assert name in str(refused(bert, "pickle_weights"))


@pytest.mark.parametrize("name", ["tf_model.h5", "flax_model.msgpack"])
def test_other_frameworks_weights_are_refused(bert: Path, name: str) -> None:
    (bert / name).write_bytes(b"not even read")
    assert name in str(refused(bert, "unsupported_weights"))


@pytest.mark.parametrize("name", ["model.safetensors", "weights.safetensors", "spiece.model", "notes.txt"])
def test_a_pickle_in_disguise_is_refused_by_its_first_bytes(bert: Path, name: str) -> None:
    (bert / name).write_bytes(pickle.dumps({"weights": [1.0]}, protocol=4))
    assert name in str(refused(bert, "pickle_weights"))


def test_a_torch_zip_checkpoint_named_safetensors_is_refused(bert: Path) -> None:
    import torch

    buffer = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, buffer)
    (bert / "model.safetensors").write_bytes(buffer.getvalue())
    assert "model.safetensors" in str(refused(bert, "pickle_weights"))


def test_a_truncated_safetensors_file_is_refused(bert: Path) -> None:
    data = (bert / "model.safetensors").read_bytes()
    (bert / "model.safetensors").write_bytes(data[: len(data) - 100])
    assert "model.safetensors" in str(refused(bert, "bad_weights"))


def test_a_safetensors_header_whose_offsets_lie_is_refused(bert: Path) -> None:
    weights = bert / "model.safetensors"
    data = weights.read_bytes()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + length])
    tensor = next(key for key in header if key != "__metadata__")
    header[tensor]["data_offsets"][1] += 4  # now overlaps the next tensor
    raw = json.dumps(header).encode()
    weights.write_bytes(len(raw).to_bytes(8, "little") + raw + data[8 + length :])
    refused(bert, "bad_weights")


def test_bytes_beyond_the_last_tensor_are_refused_as_the_safetensors_library_does(bert: Path) -> None:
    import safetensors

    weights = bert / "model.safetensors"
    with safetensors.safe_open(str(weights), "numpy") as handle:
        assert len(list(handle.keys())) > 0
    with weights.open("ab") as handle:
        handle.write(b"\0" * 8)
    with pytest.raises(safetensors.SafetensorError), safetensors.safe_open(str(weights), "numpy"):
        pass
    refused(bert, "bad_weights")


def test_no_weights_is_refused(bert: Path) -> None:
    (bert / "model.safetensors").unlink()
    refused(bert, "missing_weights")


# --- config ---------------------------------------------------------------------------------------------------------


def test_auto_map_is_refused_as_custom_code(bert: Path) -> None:
    edit_config(bert, lambda c: c.update(auto_map={"AutoModel": "modeling_evil.EvilModel"}))
    assert "auto_map" in str(refused(bert, "custom_code"))


def test_auto_map_in_the_tokenizer_config_is_refused_too(bert: Path) -> None:
    edit_config(bert, lambda c: c.update(auto_map={"AutoTokenizer": ["evil.Tok", None]}), "tokenizer_config.json")
    assert "tokenizer_config.json" in str(refused(bert, "custom_code"))


def test_trust_remote_code_is_refused(bert: Path) -> None:
    edit_config(bert, lambda c: c.update(trust_remote_code=True))
    refused(bert, "custom_code")


def test_a_python_file_is_refused_as_custom_code(bert: Path) -> None:
    (bert / "modeling_evil.py").write_text("import os\n")
    assert "modeling_evil.py" in str(refused(bert, "custom_code"))


@pytest.mark.parametrize(
    "architectures",
    [["BertModel"], ["BertForMaskedLM"], ["BertForSequenceClassification", "BertForMaskedLM"], [], "Bert"],
)
def test_only_one_sequence_or_image_classifier_architecture_is_accepted(bert: Path, architectures: object) -> None:
    edit_config(bert, lambda c: c.update(architectures=architectures))
    refused(bert, "unsupported_architecture")


def test_missing_config_is_refused(bert: Path) -> None:
    (bert / "config.json").unlink()
    refused(bert, "missing_config")


def test_a_config_that_is_not_a_json_object_is_refused(bert: Path) -> None:
    (bert / "config.json").write_text("[1, 2]")
    refused(bert, "bad_config")
    (bert / "config.json").write_text("{not json")
    refused(bert, "bad_config")


def test_missing_id2label_is_refused(bert: Path) -> None:
    edit_config(bert, lambda c: c.pop("id2label"))
    assert "id2label" in str(refused(bert, "missing_labels"))


def test_a_single_label_is_refused(bert: Path) -> None:
    edit_config(bert, lambda c: c.update(id2label={"0": "only"}))
    refused(bert, "missing_labels")


@pytest.mark.parametrize(
    "id2label", [{"1": "a", "2": "b"}, {"0": "a", "2": "b"}, {"0": "a", "1": ""}, {"0": "a", "1": 3}]
)
def test_id2label_must_be_indexed_from_zero_with_named_labels(bert: Path, id2label: dict[str, object]) -> None:
    edit_config(bert, lambda c: c.update(id2label=id2label))
    refused(bert, "bad_labels")


def test_labels_come_in_index_order(bert: Path) -> None:
    labels = {str(i): f"label{i}" for i in range(12)}
    edit_config(bert, lambda c: c.update(id2label=dict(reversed(list(labels.items())))))
    assert validate_folder(bert).labels == tuple(f"label{i}" for i in range(12))


def test_a_text_model_without_a_tokenizer_is_refused(bert: Path) -> None:
    (bert / "tokenizer.json").unlink()
    assert "tokenizer" in str(refused(bert, "missing_tokenizer"))


def test_an_image_model_without_a_preprocessor_config_is_refused(vit: Path) -> None:
    (vit / "preprocessor_config.json").unlink()
    refused(vit, "missing_preprocessor")


# --- folder shape and size ------------------------------------------------------------------------------------------


def test_files_over_the_limits_are_refused(bert: Path) -> None:
    weights = (bert / "model.safetensors").stat().st_size
    refused(bert, "too_large", Limits(max_file_bytes=weights - 1))
    refused(bert, "too_large", Limits(max_total_bytes=weights))
    refused(bert, "too_many_files", Limits(max_files=2))


def test_a_symlink_is_refused(bert: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("secret")
    (bert / "vocab.txt").symlink_to(tmp_path / "outside.txt")
    assert "vocab.txt" in str(refused(bert, "link"))


def test_a_symlinked_folder_is_refused(bert: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(bert, target_is_directory=True)
    refused(link, "link")


def test_hidden_files_other_than_git_metadata_are_refused(bert: Path) -> None:
    (bert / ".env").write_text("SECRET=1\n")
    assert ".env" in str(refused(bert, "hidden_file"))


def test_folders_nested_deeper_than_two_levels_are_refused(bert: Path) -> None:
    (bert / "a" / "b").mkdir(parents=True)
    (bert / "a" / "b" / "README.md").write_text("ok\n")
    validate_folder(bert)
    (bert / "a" / "b" / "c").mkdir()
    (bert / "a" / "b" / "c" / "README.md").write_text("too deep\n")
    refused(bert, "too_deep")


# --- zips -----------------------------------------------------------------------------------------------------------


def zip_folder(folder: Path, prefix: str = "", extra: Sequence[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
        for member, data in extra:
            archive.writestr(member, data)
    return buffer.getvalue()


def symlink_member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def test_a_zip_with_a_single_top_folder_unpacks_into_the_artefact(bert: Path, tmp_path: Path) -> None:
    data = zip_folder(bert, "my-model/", [("__MACOSX/my-model/._config.json", b"\0\5\26\7")])
    target = tmp_path / "models" / "one"
    assert unpack_zip(data, target) == target
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in bert.iterdir())
    assert validate_folder(target).labels == ("a", "b", "c")
    assert [p.name for p in target.parent.iterdir()] == ["one"]
    assert artefact_id(target) == artefact_id(bert)


def test_a_flat_zip_file_on_disk_unpacks_into_an_existing_empty_folder(vit: Path, tmp_path: Path) -> None:
    source = tmp_path / "vit.zip"
    source.write_bytes(zip_folder(vit))
    target = tmp_path / "empty"
    target.mkdir()
    unpack_zip(source, target)
    assert validate_folder(target).kind == "image"


def test_unpacking_into_a_folder_with_files_is_an_error(bert: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        unpack_zip(zip_folder(bert), target)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def bomb() -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [("big.txt", b"\0" * (2 << 20))]


@pytest.mark.parametrize(
    ("extra", "code", "limits"),
    [
        ([("../evil.txt", b"x")], "unsafe_path", Limits()),
        ([("model/../../evil.txt", b"x")], "unsafe_path", Limits()),
        ([("/tmp/evil.txt", b"x")], "unsafe_path", Limits()),
        ([("C:/evil.txt", b"x")], "unsafe_path", Limits()),
        ([("..\\evil.txt", b"x")], "unsafe_path", Limits()),
        ([(symlink_member("vocab.txt"), b"/etc/passwd")], "link", Limits()),
        ([(f"extra{i}.txt", b"x") for i in range(10)], "too_many_files", Limits(max_files=8)),
        (bomb(), "zip_bomb", Limits()),
        (bomb(), "too_large", Limits(max_total_bytes=1 << 20)),
        ([("config.json", b"{}")], "bad_zip", Limits()),
        ([("pytorch_model.bin", pickle.dumps({"w": 1}, protocol=2))], "pickle_weights", Limits()),
    ],
    ids=[
        "dotdot",
        "nested-dotdot",
        "absolute",
        "drive",
        "backslash",
        "symlink",
        "too-many",
        "bomb",
        "declared-too-large",
        "duplicate",
        "bin-inside",
    ],
)
def test_a_bad_zip_is_refused_and_leaves_nothing_behind(
    bert: Path, tmp_path: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]], code: str, limits: Limits
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        data = zip_folder(bert, extra=extra)
    parent = tmp_path / "deep" / "unpacked"
    with pytest.raises(ArtefactRefused) as caught:
        unpack_zip(data, parent / "model", limits=limits)
    assert caught.value.code == code, str(caught.value)
    assert list(parent.iterdir()) == []
    assert not list(tmp_path.rglob("evil.txt"))


@pytest.mark.parametrize("mangle", ["garbage", "truncated", "flipped"])
def test_a_corrupt_zip_is_refused_as_bad_zip_and_leaves_nothing_behind(bert: Path, tmp_path: Path, mangle: str) -> None:
    data = zip_folder(bert)
    if mangle == "garbage":
        data = b"PK\x03\x04" + b"\x17" * 200
    elif mangle == "truncated":
        data = data[: len(data) // 2]
    else:
        # Corrupt the compressed bytes of the first member (config.json), keeping the directory intact.
        start = 30 + len("config.json") + 4
        data = data[:start] + bytes(b ^ 0xFF for b in data[start : start + 40]) + data[start + 40 :]
    with pytest.raises(ArtefactRefused) as caught:
        unpack_zip(data, tmp_path / "out" / "model")
    assert caught.value.code == "bad_zip", str(caught.value)
    assert list((tmp_path / "out").iterdir()) == []


# --- ids and errors -------------------------------------------------------------------------------------------------


def test_artefact_id_is_stable_across_copies_and_follows_content(bert: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(bert, tmp_path / "elsewhere" / "copy"))
    assert artefact_id(bert) == artefact_id(copy)

    expected = hashlib.sha256()
    for path in sorted(bert.iterdir(), key=lambda p: p.name):
        expected.update(f"{path.name}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    assert artefact_id(bert) == expected.hexdigest()

    edit_config(copy, lambda c: c.update(id2label={"0": "a", "1": "b", "2": "z"}))
    assert artefact_id(copy) != artefact_id(bert)
    (bert / "tokenizer.json").rename(bert / "tokenizer2.json")
    assert artefact_id(bert) != expected.hexdigest()


def test_a_refusal_survives_pickling_with_its_code() -> None:
    error = ArtefactRefused("zip_bomb", "big.txt expands too much", file="big.txt")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, ArtefactRefused)
    assert (again.code, str(again), again.file) == ("zip_bomb", "big.txt expands too much", "big.txt")
