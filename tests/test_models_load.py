"""resolve.py and load.py: a folder or a cached hub snapshot loads offline; a missing model says how to get it."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.config import load_settings
from summarizer.errors import ConfigError, ModelNotFound
from summarizer.models import open_task, resolve
from tiny_models import tiny_spec

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_folder_loads_with_safetensors(tiny_models: dict[str, Path]) -> None:
    spec = tiny_spec(load_settings().models["translate"], tiny_models["translate"])
    model = open_task(spec, load_settings())
    info = resolve(spec)
    assert (model.model_id, model.prompt_hash) == (str(tiny_models["translate"]), "")
    assert model.revision == info.revision and model.revision.startswith("local-")
    assert (info.source, info.weights, info.architecture) == ("folder", "safetensors", "MarianMTModel")
    assert info.ready
    assert info.size_bytes > 0


def test_pickle_only_checkpoint_loads_and_is_reported(tiny_models: dict[str, Path]) -> None:
    spec = tiny_spec(load_settings().models["translate"], tiny_models["translate-bin"])
    assert resolve(spec).weights == "pytorch_model.bin"
    assert len(open_task(spec, load_settings()).run(["南宁市第一人民医院。"])) == 1


def test_a_model_loads_once_per_run(tiny_models: dict[str, Path]) -> None:
    spec = tiny_spec(load_settings().models["translate"], tiny_models["translate"])
    first, second = open_task(spec, load_settings()), open_task(spec, load_settings())
    assert first._loaded.model is second._loaded.model


def test_missing_hub_model_names_task_id_cache_and_remedy() -> None:
    spec = tiny_spec(load_settings().models["translate"], "nobody/no-such-model")
    with pytest.raises(ModelNotFound) as caught:
        open_task(spec, load_settings())
    line = caught.value.line()
    assert line.startswith("nobody/no-such-model: translate model (revision main) is not in the Hugging Face cache ")
    assert "run 'summarizer models pull translate' on a networked machine" in line
    assert "set models.translate.id to a local model folder in config.toml" in line
    assert "\n" not in line
    assert resolve(spec).problem == line and not resolve(spec).ready


def test_missing_folder_is_not_looked_up_on_the_hub(tmp_path: Path) -> None:
    spec = tiny_spec(load_settings().models["abstract"], tmp_path / "absent")
    with pytest.raises(ModelNotFound, match="abstract model folder has no config.json"):
        open_task(spec, load_settings())


def test_cached_hub_snapshot_resolves_to_its_commit(tiny_models: dict[str, Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    repo = tmp_path / "models--tiny--marian"
    shutil.copytree(tiny_models["translate"], repo / "snapshots" / COMMIT)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)
    (repo / "snapshots" / COMMIT / "README.md").write_text("---\nlicense: cc-by-nc-4.0\n---\n# Tiny\n")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    spec = tiny_spec(load_settings().models["translate"], "tiny/marian")
    info = resolve(spec)
    assert (info.source, info.revision, info.license, info.non_commercial) == ("cache", COMMIT, "cc-by-nc-4.0", True)
    assert open_task(spec, load_settings()).revision == COMMIT
    with pytest.raises(ModelNotFound, match=r"revision v2\)"):
        open_task(tiny_spec(spec, "tiny/marian", revision="v2"), load_settings())


def test_input_window_comes_from_the_model_or_the_config(tiny_models: dict[str, Path]) -> None:
    settings = load_settings()
    marian = tiny_spec(settings.models["translate"], tiny_models["translate"], max_input_tokens=0)
    mt5 = tiny_spec(settings.models["abstract"], tiny_models["abstract"], max_input_tokens=0)
    assert resolve(marian).input_window == 256  # max_position_embeddings of the tiny Marian
    assert resolve(mt5).input_window == 512  # relative positions: the length mT5 was trained on
    assert open_task(marian, settings).params["input_window"] == 256
    with pytest.raises(ConfigError, match="exceeds the model's 256 positions"):
        resolve(tiny_spec(settings.models["translate"], tiny_models["translate"], max_input_tokens=1024))


def test_cpu_gets_float32() -> None:
    import torch

    from summarizer.models.load import pick_device, pick_dtype

    assert pick_dtype("auto", "cpu", "mt5") is torch.float32
    assert pick_device("cpu", "translate") == "cpu"


def test_importing_summarizer_models_does_not_load_torch() -> None:
    code = ("import sys, summarizer, summarizer.models, summarizer.cli; "
            "print(sorted({'torch', 'transformers'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _resident_file_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("RssFile")))


@pytest.mark.skipif(sys.platform != "linux", reason="madvise(MADV_PAGEOUT) is Linux's")
def test_paged_out_weights_leave_memory_and_keep_their_values(tmp_path: Path) -> None:
    """Weights mapped from a checkpoint leave resident memory once paged out, as int8 loading
    does with each float32 weight; reading them again gives the same numbers."""
    import torch
    from safetensors.torch import safe_open, save_file

    from summarizer.models.pages import page_out

    save_file({"weight": torch.arange(16 << 20, dtype=torch.float32)}, tmp_path / "model.safetensors")
    with safe_open(tmp_path / "model.safetensors", framework="pt") as checkpoint:
        weight = checkpoint.get_tensor("weight")
    before = _resident_file_kib()
    float(weight.sum())  # 64 MiB read from the file
    read = _resident_file_kib()
    if not page_out(weight):
        pytest.skip("this kernel has no MADV_PAGEOUT")
    assert read - before > 32 << 10 and _resident_file_kib() < read - (32 << 10)
    assert torch.equal(weight, torch.arange(16 << 20, dtype=torch.float32))


def test_int8_replaces_every_linear_layer_and_keeps_the_numbers_close(tiny_models: dict[str, Path]) -> None:
    """Every Linear (each quantized and paged out in turn) becomes a row-scaled int8 layer; the
    logits stay near the float model's."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    from summarizer.models.int8 import RowInt8Linear, quantize_int8

    exact, quantized = (AutoModelForSeq2SeqLM.from_pretrained(tiny_models["abstract"]).eval() for _ in range(2))
    linears = sum(type(m) is torch.nn.Linear for m in exact.modules())
    quantize_int8(quantized)
    assert not any(type(m) is torch.nn.Linear for m in quantized.modules())
    assert sum(type(m) is RowInt8Linear for m in quantized.modules()) == linears
    ids = torch.tensor([[5, 17, 42, 99, 1]])
    with torch.inference_mode():
        ours, reference = (model(input_ids=ids, decoder_input_ids=ids).logits for model in (quantized, exact))
    assert not torch.equal(ours, reference)
    assert (ours - reference).abs().max() < 0.05 * reference.abs().max()
