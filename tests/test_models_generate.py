"""tasks.py and generate.py end to end on tiny real models: nothing truncated, order kept."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

from summarizer.config import load_settings
from summarizer.errors import ConfigError
from summarizer.models import Generated, open_task
from summarizer.models.generate import Generator, Job
from summarizer.models.torch_backend import TorchDecoder
from tiny_models import SAMPLES, tiny_spec


def sample_paragraphs() -> list[str]:
    return [line.strip() for path in sorted(SAMPLES.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def long_paragraph(size: int) -> str:
    """Numbered sample sentences, so every piece of the paragraph is distinct text."""
    sentences = [s for p in sample_paragraphs() for s in p.split("。") if s]
    parts, total, i = [], 0, 0
    while total < size:
        part = f"第{i}条：{sentences[i % len(sentences)]}。"
        parts.append(part)
        total, i = total + len(part), i + 1
    return "".join(parts)


@pytest.fixture
def generate_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[Job], list[str]]]:
    """Every Generator.generate call, jobs and outputs; the real generation still runs."""
    calls: list[tuple[list[Job], list[str]]] = []
    real = Generator.generate

    def recording(self: Generator, jobs: list[Job]) -> list[str]:
        outputs = real(self, jobs)
        calls.append((list(jobs), outputs))
        return outputs

    monkeypatch.setattr(Generator, "generate", recording)
    return calls


def test_every_sample_paragraph_is_translated_in_order(tiny_models: dict[str, Path]) -> None:
    torch.manual_seed(0)
    settings = load_settings()
    model = open_task(tiny_spec(settings.models["translate"], tiny_models["translate"], batch_size=16), settings)
    paragraphs = sample_paragraphs()
    results = model.run(paragraphs)
    assert len(results) == len(paragraphs)
    assert all(isinstance(r, Generated) and r.text and r.chunks >= 1 for r in results)
    one_by_one = [model.run([p])[0] for p in paragraphs[:5]]
    assert one_by_one == results[:5]  # batching and sorting do not change or reorder outputs


def test_a_100k_character_paragraph_reaches_generate_whole(
        tiny_models: dict[str, Path], generate_calls: list, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    spec = tiny_spec(settings.models["translate"], tiny_models["translate"], max_input_tokens=32, batch_size=64)
    model = open_task(spec, settings)
    seen_tokens: list[int] = []
    real_padded = TorchDecoder._padded

    def counting(self: TorchDecoder, inputs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        ids, mask = real_padded(self, inputs)  # what the encoder is given
        seen_tokens.append(int(mask.sum()))
        assert ids.shape[1] <= 32
        return ids, mask

    monkeypatch.setattr(TorchDecoder, "_padded", counting)
    paragraph = long_paragraph(100_000)
    [result] = model.run([paragraph])
    [(jobs, outputs)] = generate_calls
    assert "".join(job.text for job in jobs) == paragraph
    assert all(model.count_tokens(job.text) == job.tokens <= 32 for job in jobs)
    assert sum(seen_tokens) == sum(job.tokens for job in jobs)  # no token dropped on the way in
    assert result.chunks == len(jobs) == len(outputs) > 1000
    assert result.chunking in ("sentences", "commas", "windows")
    assert result.text == " ".join(outputs)


def test_output_ceiling_follows_the_input_length(tiny_models: dict[str, Path], generate_calls: list) -> None:
    settings = load_settings()
    spec = tiny_spec(settings.models["translate"], tiny_models["translate"], max_new_tokens=100)
    model = open_task(spec, settings)
    model.run(["短。", long_paragraph(60)])
    [(jobs, _)] = generate_calls
    short, long = jobs
    assert short.max_new_tokens == 16  # the floor
    assert long.max_new_tokens == min(100, 2 * model.count_tokens(long.text)) > 16


def test_long_article_abstract_is_map_reduced(tiny_models: dict[str, Path], generate_calls: list) -> None:
    settings = load_settings()
    spec = tiny_spec(settings.models["abstract"], tiny_models["abstract"], max_input_tokens=64, batch_size=32)
    model = open_task(spec, settings)
    article = "\n".join(sample_paragraphs()[:40])
    short, long, blank = model.run(["南宁市第一人民医院。", article, "  "])
    assert (short.chunks, short.chunking) == (1, "none")
    assert long.chunking == "map-reduce" and long.chunks > 1 and long.text
    assert (blank.text, blank.chunks) == ("", 0)
    assert len(generate_calls) >= 2  # at least one map round, then the final summary
    assert all(job.tokens <= 64 for jobs, _ in generate_calls for job in jobs)


def test_instruction_model_fills_the_prompt(tiny_models: dict[str, Path], tmp_path: Path,
                                            generate_calls: list) -> None:
    import dataclasses

    (tmp_path / "abstract_zh.txt").write_text("概括：{text}\n", encoding="utf-8")
    settings = dataclasses.replace(load_settings(), prompts_dir=tmp_path)
    spec = tiny_spec(settings.models["abstract"], tiny_models["abstract"], kind="instruction", prompt="abstract_zh.txt")
    model = open_task(spec, settings)
    model.run(["南宁市第一人民医院。"])
    [(jobs, _)] = generate_calls
    assert jobs[0].text == "概括：南宁市第一人民医院。\n"
    assert len(model.prompt_hash) == 16
    bare = open_task(tiny_spec(spec, spec.id, kind="task"), settings)
    assert model.count_tokens("南宁市第一人民医院。") > bare.count_tokens("南宁市第一人民医院。")
    assert bare.prompt_hash == ""


def test_shipped_abstract_prompt_is_a_valid_template(tiny_models: dict[str, Path]) -> None:
    settings = load_settings()
    spec = tiny_spec(settings.models["abstract"], tiny_models["abstract"], kind="instruction", prompt="abstract_zh.txt")
    assert open_task(spec, settings).prompt_hash


def test_bad_prompt_template_is_a_config_error(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    import dataclasses

    (tmp_path / "p.txt").write_text("no placeholder", encoding="utf-8")
    settings = dataclasses.replace(load_settings(), prompts_dir=tmp_path)
    spec = tiny_spec(settings.models["abstract"], tiny_models["abstract"], kind="instruction", prompt="p.txt")
    with pytest.raises(ConfigError, match=r"must contain \{text\} exactly once"):
        open_task(spec, settings)


def test_nllb_languages_set_source_and_force_target(tiny_models: dict[str, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    spec = tiny_spec(settings.models["translate"], tiny_models["nllb"], src_lang="zho_Hans", tgt_lang="eng_Latn")
    model = open_task(spec, settings)
    tokenizer = model._loaded.tokenizer
    eng = tokenizer.convert_tokens_to_ids("eng_Latn")
    first_tokens: list[int] = []
    real_ids = Generator.generate_ids

    def spying(self: Generator, inputs: list[list[int]], ceilings: list[int]) -> list[list[int]]:
        assert all(ids[0] == tokenizer.convert_tokens_to_ids("zho_Hans") for ids in inputs)
        outputs = real_ids(self, inputs, ceilings)
        first_tokens.extend(tokens[0] for tokens in outputs)
        return outputs

    monkeypatch.setattr(Generator, "generate_ids", spying)
    model.run(["南宁市第一人民医院。", "医联体建设五年来。"])
    assert first_tokens == [eng, eng]
    with pytest.raises(ConfigError, match="'xxx_Latn' is not a language code"):
        open_task(tiny_spec(spec, spec.id, tgt_lang="xxx_Latn"), settings)
    with pytest.raises(ConfigError, match="models.translate.src_lang: 'yyy_Hans' is not a language code"):
        open_task(tiny_spec(spec, spec.id, src_lang="yyy_Hans"), settings)
    with pytest.raises(ConfigError, match="takes no language codes"):
        open_task(tiny_spec(settings.models["translate"], tiny_models["translate"], tgt_lang="eng_Latn"), settings)
