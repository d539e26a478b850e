"""The fast run path changes speed, never results: our decode loop, token-budget batching and
deduplication give the plain generate() baseline's tokens. Speed itself is measured by bench."""
from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest
import torch
from torch.nn import functional

from summarizer.config import load_settings
from summarizer.errors import ConfigError
from summarizer.models import attention, cache, decode, internals, open_task, own_step, precision, torch_backend
from summarizer.models.attention import Kept, kept_runs, length_runs, products
from summarizer.models.generate import Generator, plan_batches
from summarizer.models.load import load
from summarizer.models.precision import pick_precision
from tiny_models import SAMPLES, tiny_spec

NEW_TOKENS = 10
MODELS = [("translate", "translate", {}), ("abstract", "abstract", {}),
          ("translate", "nllb", {"src_lang": "zho_Hans", "tgt_lang": "eng_Latn"})]


def paragraphs(count: int = 16) -> list[str]:
    lines = [line.strip() for path in sorted(SAMPLES.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:count]


def spec_for(tiny_models: dict[str, Path], task: str, model: str, beams: int, **changes):
    changes.setdefault("precision", "float32")
    spec = tiny_spec(load_settings().models[task], tiny_models[model], max_new_tokens=NEW_TOKENS, **changes)
    generation = dataclasses.replace(spec.generation, num_beams=beams, no_repeat_ngram_size=2 if beams > 1 else 0)
    return dataclasses.replace(spec, generation=generation)


def run_ids(spec, reference: bool, own_step_on_float32: bool = False) -> list[list[int]]:
    """own_step_on_float32: our own step (attention by products, grouped beams) planned for a
    float32 model, whose tokens must then be generate()'s."""
    loaded = load(spec)
    inputs = [ids for ids in loaded.tokenizer(paragraphs(), truncation=False)["input_ids"] if len(ids) <= 120]
    batch_size, budget = (1, 0) if reference else (16, 400)
    generator = Generator(loaded, spec.generation, batch_size, budget, reference=reference)
    if own_step_on_float32:
        generator._decoder.plan = decode.Plan(spec.generation.num_beams, own_step.own_step(loaded.model), False)
    return generator.generate_ids(inputs, [NEW_TOKENS] * len(inputs))


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize(("task", "model", "languages"), MODELS)
def test_run_path_gives_the_baseline_tokens(tiny_models, task, model, languages, beams) -> None:
    """float32 run path (own loop, length-sorted token-budget batches) == generate() one at a time."""
    spec = spec_for(tiny_models, task, model, beams, **languages)
    ours = run_ids(spec, reference=False)
    assert Generator(load(spec), spec.generation, 16).decoder == "own loop"
    assert ours == run_ids(spec, reference=True)


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize("dtype", ["bfloat16", "int8"])
@pytest.mark.parametrize(("task", "model", "languages"), MODELS)
def test_every_reduced_precision_decodes_every_architecture(tiny_models, task, model, languages, dtype, beams) -> None:
    """Each precision on each architecture, greedy and beam 4 (CI runs this on every transformers
    version of the range): every input decoded, within its ceiling, nothing after an eos."""
    spec = spec_for(tiny_models, task, model, beams, precision=dtype, **languages)
    eos = load(spec).model.generation_config.eos_token_id
    outputs = run_ids(spec, reference=False)
    assert outputs and all(0 < len(tokens) <= NEW_TOKENS and eos not in tokens[:-1] for tokens in outputs)


@pytest.mark.parametrize("dtype", ["float32", "int8"])
@pytest.mark.parametrize(("task", "model", "languages"), MODELS)
def test_the_plan_is_decided_once_from_model_device_and_precision(tiny_models, task, model, languages, dtype) -> None:
    """Our own step for MarianMT and mT5 in reduced precision on a CPU, the model's forward
    otherwise; the decoder holds that plan, nothing is read back from the model's config."""
    spec = spec_for(tiny_models, task, model, 4, precision=dtype, **languages)
    decoder = Generator(load(spec), spec.generation, 16)._decoder
    ours = dtype == "int8" and model != "nllb"
    assert decoder.plan.beams == 4 and (decoder.plan.own_step is not None) == ours
    assert decoder.name == ("own loop, own step" if ours else "own loop")


@pytest.mark.parametrize(("task", "model"), [("translate", "translate"), ("abstract", "abstract")])
def test_beams_following_their_lineage_give_the_reordered_tokens(tiny_models, task, model) -> None:
    """Our own step groups beams in the self-attention cache, masks each one to its lineage
    instead of reordering the cache, and prunes the slots no beam descends from. On float32
    weights that must still be beam search with generate()'s tokens (T5's relative position bias
    included), not a blur of the beams."""
    spec = spec_for(tiny_models, task, model, 4)
    expected = run_ids(spec, reference=True)
    layers = []
    update = cache.GrowingLayer.update
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache.GrowingLayer, "update", lambda self, *a: layers.append(self) or update(self, *a))
        ours = run_ids(spec, reference=False, own_step_on_float32=True)
    # slots: the start token once, then one per beam and position, less those pruned
    positions = NEW_TOKENS
    assert layers and all(layer.beams == 4 and layer.length <= 1 + 4 * (positions - 1) for layer in layers)
    assert any(layer.length < 1 + 4 * (positions - 1) for layer in layers)
    assert ours == expected


def test_grouped_beams_of_finished_inputs_leave_the_batch_cleanly(tiny_models) -> None:
    """An input that finishes leaves the grouped cache and the lineage together: the inputs that
    go on get the logits they get decoded without it, after the same tokens and beam moves."""
    spec = spec_for(tiny_models, "translate", "translate", 4)
    loaded = load(spec)
    model, beams = loaded.model, 4
    plan = decode.Plan(beams, own_step.own_step(model), False)
    texts = [ids for ids in loaded.tokenizer(paragraphs(), truncation=False)["input_ids"] if len(ids) <= 60][:3]
    parents = torch.tensor([0, 0, 1, 2])  # each step, beam j continues beam parents[j] of its input

    def follow(chosen: list[int], drop: int | None, tokens: dict[int, list[torch.Tensor]]) -> list[dict]:
        width = max(len(texts[i]) for i in chosen)
        ids = torch.tensor([texts[i] + [loaded.tokenizer.pad_token_id] * (width - len(texts[i])) for i in chosen])
        mask = (ids != loaded.tokenizer.pad_token_id).long()
        with torch.inference_mode():
            hidden = model.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
            stepper = decode.OwnStepper(plan, hidden, mask)
            live, seen = list(chosen), []
            step_tokens = torch.full((len(chosen) * beams,), model.config.decoder_start_token_id)
            for step in range(6):
                logits = stepper.scores(step_tokens).view(len(live), beams, -1)
                seen.append({i: logits[row] for row, i in enumerate(live)})
                for row, i in enumerate(live):
                    if len(tokens.setdefault(i, [])) == step:  # the first decode chooses, the second follows
                        tokens[i].append(logits[row].argmax(-1))
                stepper.reorder_beams((torch.arange(len(live))[:, None] * beams + parents).view(-1))
                if step == 2 and drop is not None:
                    going = [row for row, i in enumerate(live) if i != drop]
                    stepper.keep((torch.tensor(going)[:, None] * beams + torch.arange(beams)).view(-1))
                    live = [live[row] for row in going]
                step_tokens = torch.cat([tokens[i][step][parents] for i in live])
        return seen

    tokens: dict[int, list[torch.Tensor]] = {}
    batch = follow([0, 1, 2], 1, tokens)
    alone = follow([0, 2], None, tokens)
    for step in (3, 4, 5):
        assert set(batch[step]) == {0, 2}
        for i in (0, 2):
            assert torch.allclose(batch[step][i], alone[step][i], atol=1e-4)


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize("dtype", ["int8"])
@pytest.mark.parametrize(("task", "model", "step"), [("translate", "translate", own_step.MarianStep),
                                                     ("abstract", "abstract", own_step.MT5Step)])
def test_our_own_step_gives_the_tokens_of_transformers_forward(
        tiny_models, task, model, step, dtype, beams, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own step decodes MarianMT and mT5 (greedy, and grouped beams with T5's position bias
    and inputs leaving the batch) with the tokens transformers' forward gives on the same int8
    weights (activations float32 in both; in bfloat16 the forward's sdpa rounds otherwise than our
    float32 softmax, and the float32 comparison is test_beams_following_their_lineage...)."""
    spec = spec_for(tiny_models, task, model, beams, precision=dtype)
    calls = []
    call = step.__call__
    monkeypatch.setattr(step, "__call__", lambda self, *a: calls.append(1) or call(self, *a))
    ours = run_ids(spec, reference=False)
    assert len(calls) > NEW_TOKENS
    monkeypatch.setattr(torch_backend, "own_step", lambda model: None)  # the model's forward instead
    assert ours == run_ids(spec, reference=False)
    assert len(calls) > NEW_TOKENS and not own_step.own_step(
        load(spec_for(tiny_models, "translate", "nllb", 1, precision=dtype, src_lang="zho_Hans",
                      tgt_lang="eng_Latn")).model)


@pytest.mark.parametrize("dtype", ["int8", "float32"])
@pytest.mark.parametrize(("task", "model", "step"), [("translate", "translate", own_step.MarianStep),
                                                     ("abstract", "abstract", own_step.MT5Step)])
def test_fused_projections_compute_what_the_separate_ones_do(tiny_models, task, model, step, dtype) -> None:
    """One product for query, key and value (with biases or without): int8 weights keep each
    part's own scale."""
    decoder = load(spec_for(tiny_models, task, model, 1, precision=dtype)).model.get_decoder()
    attention = "layers.0.self_attn.{}_proj" if step is own_step.MarianStep else "block.0.layer.0.SelfAttention.{}"
    parts = [internals.part(decoder, attention.format(name)) for name in "qkv"]
    hidden = torch.randn(5, 1, parts[0].in_features)
    separate = torch.cat([part(hidden) for part in parts], -1)
    fused = own_step.fuse_linears(parts)(hidden)
    assert torch.allclose(fused, separate, atol=1e-6) if dtype == "float32" else torch.equal(fused, separate)
    assert own_step.fuse_linears([parts[0], torch.nn.LayerNorm(parts[0].in_features)]) is None


@pytest.mark.parametrize("dtype", ["int8", "bfloat16"])
def test_mt5_feed_forward_in_one_product_gives_the_module_numbers(tiny_models, dtype) -> None:
    """int8: our step's gated feed-forward (wi_0 and wi_1 fused) equals transformers' module bit
    for bit; float layers keep the module, which may cast to a float32 wo."""
    model = load(spec_for(tiny_models, "abstract", "abstract", 1, precision=dtype)).model
    block = internals.part(model.get_decoder(), "block.0")
    ours = own_step.own_step(model).layers[0].feed_forward
    module = internals.part(block, "layer.2")
    if dtype == "bfloat16":
        assert ours is module
        return
    assert isinstance(ours, own_step.GatedFeedForward)
    hidden = torch.randn(6, 1, model.config.d_model)
    with torch.inference_mode():
        assert torch.equal(ours(hidden), module(hidden))


@pytest.mark.parametrize("keys", [torch.float32, torch.bfloat16])
def test_attention_products_agree_with_sdpa(keys) -> None:
    """The reduced-precision path computes sdpa's attention: mask, position bias and scale kept."""
    torch.manual_seed(0)
    query, key, value = torch.randn(3, 4, 2, 8), torch.randn(3, 4, 5, 8), torch.randn(3, 4, 5, 8)
    mask = torch.ones(3, 1, 1, 5, dtype=torch.bool)
    mask[0, ..., 3:] = False
    options = {"scaling": 0.3, "position_bias": torch.randn(1, 4, 1, 5), "is_causal": False, "dropout": 0.0}
    bias, scaling = options["position_bias"], options["scaling"]
    additive = torch.zeros(mask.shape).masked_fill_(~mask, torch.finfo(torch.float32).min) + bias
    exact = functional.scaled_dot_product_attention(query, key, value, attn_mask=additive, scale=scaling).transpose(1, 2)
    ours = products(query, key.to(keys), value.to(keys), mask, bias, scaling)
    assert ours.shape == exact.shape and ours.dtype == torch.float32
    assert torch.allclose(ours, exact, atol=1e-5 if keys == torch.float32 else 5e-2)
    assert not torch.allclose(ours, products(query, key, value, None, bias, scaling), atol=1e-2)


@pytest.mark.parametrize(("task", "model"), [("translate", "translate"), ("abstract", "abstract")])
def test_reduced_precision_reads_bfloat16_keys_where_they_outgrow_the_cache(
        tiny_models, task, model, monkeypatch: pytest.MonkeyPatch) -> None:
    """int8 models attend by products; keys too big for the CPU cache at the full window are kept
    in bfloat16, decided per model (never per batch) and recorded with the results."""
    asked, stored = [], []
    monkeypatch.setattr(torch_backend, "narrow_keys_pay", lambda read: asked.append(read) or True)
    scores = decode.OwnStepper.scores
    monkeypatch.setattr(decode.OwnStepper, "scores",
                        lambda self, tokens: (scores(self, tokens), stored.append(self.caches.cross[0][0][0].dtype))[0])
    spec = spec_for(tiny_models, task, model, 4, precision="int8")
    outputs = run_ids(spec, reference=False)
    assert asked and min(asked) > 0 and set(stored[1:]) == {torch.bfloat16}
    assert all(0 < len(tokens) <= NEW_TOKENS for tokens in outputs)
    assert open_task(spec, load_settings()).params["cross_keys"] == "bfloat16"


def test_keys_narrow_only_past_the_cache_on_native_bfloat16(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for level, size in (("index2", "1024K"), ("index3", "32M")):
        (tmp_path / level).mkdir()
        (tmp_path / level / "size").write_text(size + "\n")
    monkeypatch.setattr(precision, "CACHES", tmp_path)
    precision.last_cache_bytes.cache_clear()
    assert precision.last_cache_bytes() == 32 << 20
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"avx512f", "avx512_bf16"}))
    assert precision.narrow_keys_pay(100 << 20) and not precision.narrow_keys_pay(16 << 20)
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"avx2"}))
    assert not precision.narrow_keys_pay(100 << 20)
    precision.last_cache_bytes.cache_clear()


def test_inputs_attend_in_runs_of_similar_length() -> None:
    """A long input alone, short ones together: padding read costs more than one more call."""
    assert length_runs([434, 95, 46, 35, 29, 26, 25, 20, 15]) == ((0, 1, 434), (1, 3, 95), (3, 9, 35))
    assert length_runs([120] * 8) == ((0, 8, 120),)
    assert length_runs([300, 290, 12, 10]) == ((0, 2, 300), (2, 4, 12))
    assert length_runs([]) == ()


def test_runs_keep_their_grouping_as_inputs_finish() -> None:
    """Each run keeps the rows still going, cut to their longest; a run left empty goes."""
    runs = ((0, 1, 434), (1, 3, 95), (3, 9, 35))
    assert kept_runs(runs, [0, 2, 4, 5, 8], [434, 60, 35, 30, 15]) == (
        ((0, 1, 434), (1, 2, 60), (2, 5, 35)), (Kept(0, (0,), 434), Kept(1, (1,), 60), Kept(2, (1, 2, 5), 35)))
    assert kept_runs(runs, [1, 2], [95, 60]) == (((0, 2, 95),), (Kept(1, (0, 1), 95),))


@pytest.mark.parametrize("beams", [1, 4])
@pytest.mark.parametrize(("task", "model"), [("translate", "translate"), ("abstract", "abstract")])
def test_inputs_going_on_after_others_finish_score_as_if_alone(tiny_models, task, model, beams,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """After keep(), the rows left (in runs of their own lengths, with their caches) score as a
    batch of only those inputs would have: our step's runs and caches follow the kept rows."""
    monkeypatch.setattr(attention, "CALL_COST", 1)  # a run per length, so keep() cuts several runs
    spec = spec_for(tiny_models, task, model, beams)
    loaded = load(spec)
    encoded = sorted(loaded.tokenizer(paragraphs(12), truncation=False)["input_ids"], key=len, reverse=True)
    inputs = [encoded[0], encoded[3], encoded[6], encoded[9], encoded[11]]
    assert len({len(ids) for ids in inputs}) == 5
    decoder = torch_backend.TorchDecoder(loaded, spec.generation, reference=False)
    plan = decode.Plan(beams, own_step.own_step(loaded.model), False)

    def stepper(chosen: list[list[int]]) -> decode.OwnStepper:
        ids, mask = decoder._padded(chosen)
        return decode.stepper_for(loaded.model, plan, decoder._encode(ids, mask, list(map(len, chosen))), mask)

    kept = [0, 2, 3]
    rows = torch.tensor([row * beams + beam for row in kept for beam in range(beams)])
    with torch.inference_mode():
        batch, alone = stepper(inputs), stepper([inputs[row] for row in kept])
        assert len(batch.keys.runs) == 5
        tokens = torch.full((len(inputs) * beams,), decoder.rules.start_id)
        for _ in range(3):
            tokens = batch.scores(tokens).argmax(-1)
        batch.keep(rows)
        assert [end - start for start, end, _ in batch.keys.runs] == [1, 1, 1]
        history = torch.full((len(kept) * beams,), decoder.rules.start_id)
        for _ in range(3):
            history = alone.scores(history).argmax(-1)
        assert torch.equal(history, tokens[rows])
        for _ in range(3):
            ours, theirs = batch.scores(history), alone.scores(history)
            assert torch.allclose(ours, theirs, atol=1e-5)
            history = theirs.argmax(-1)


@pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None,
                    reason="ctranslate2 is not installed (optional: pip install ctranslate2)")
@pytest.mark.parametrize(("task", "model", "languages"), MODELS)
def test_ctranslate2_backend_gives_the_torch_tokens(tiny_models, task, model, languages) -> None:
    """Converted on first use, cached, and scored like torch: float32 greedy tokens are identical."""
    spec = spec_for(tiny_models, task, model, 1, **languages)
    converted = dataclasses.replace(spec, backend="ctranslate2")
    assert run_ids(converted, reference=False) == run_ids(spec, reference=True)
    task_model = open_task(converted, load_settings())
    assert task_model.params["engine"] == "ctranslate2" and task_model.decoder == "ctranslate2"
    assert "engine" not in open_task(spec, load_settings()).params  # torch results keep their stored keys


def test_identical_texts_are_run_once(tiny_models, monkeypatch: pytest.MonkeyPatch) -> None:
    model = open_task(spec_for(tiny_models, "translate", "translate", 1), load_settings())
    seen: list[str] = []
    real = Generator.generate

    def recording(self, jobs):
        seen.extend(job.text for job in jobs)
        return real(self, jobs)

    monkeypatch.setattr(Generator, "generate", recording)
    texts = ["南宁市第一人民医院。", "医联体建设五年来。", "南宁市第一人民医院。"]
    results = model.run(texts)
    assert sorted(seen) == sorted(set(texts))
    assert results[0] == results[2] and len(results) == 3


def test_batches_respect_the_budget_and_outputs_keep_input_order(tiny_models) -> None:
    lengths = [5, 40, 12, 40, 3, 25]
    batches = plan_batches(lengths, max_rows=3, max_tokens=80)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    assert all(len(batch) <= 3 and len(batch) * lengths[batch[0]] <= 80 for batch in batches)
    assert [lengths[batch[0]] for batch in batches] == sorted((lengths[b[0]] for b in batches), reverse=True)
    spec = spec_for(tiny_models, "translate", "translate", 1)
    loaded = load(spec)
    inputs = loaded.tokenizer(paragraphs(8), truncation=False)["input_ids"]
    one_by_one = [Generator(loaded, spec.generation, 1).generate_ids([ids], [NEW_TOKENS])[0] for ids in inputs]
    assert Generator(loaded, spec.generation, 3, 60).generate_ids(inputs, [NEW_TOKENS] * 8) == one_by_one


def test_bench_times_the_run_path_and_ctranslate2_in_turns(tiny_models) -> None:
    """Each variant is timed by its best run; the run path and CTranslate2 int8 (here: float32
    stand-ins, CTranslate2 being optional) take turns, each in its own process, so a drift of the
    machine cannot fall between them. Our tokens stay the baseline's."""
    from summarizer.bench.decoding import RUNS, Variant, _turns, time_in_turns

    spec = spec_for(tiny_models, "translate", "translate", 1)
    inputs = load(spec).tokenizer(paragraphs(3), truncation=False)["input_ids"]
    ours, baseline = Variant("ours", "configured", "float32", "torch"), Variant("(a)", "baseline", "float32", "torch", True)
    runs = time_in_turns(spec, [ours, baseline], inputs, NEW_TOKENS)
    assert runs[ours].runs == RUNS and runs[ours].decoder == "own loop" and runs[ours].outputs == runs[baseline].outputs
    turns = sorted([(start, "ours") for start in runs[ours].started] + [(start, "(a)") for start in runs[baseline].started])
    assert [name for _, name in turns] == ["ours", "(a)"] * RUNS
    ct2 = Variant("ct2", "ctranslate2", "int8", "ctranslate2")
    other = Variant("bf16", "option", "bfloat16", "torch")
    assert _turns([baseline, ct2, ours, other]) == [[baseline], [ct2, ours], [other]]


def test_bench_compares_with_generate_on_the_same_batches(tiny_models) -> None:
    """(e) is plain generate() on the run path's batches and precision: the ratio the GPU target
    is set on. Its process decodes batched through generate(); the ratios come from the times."""
    from summarizer.bench.decoding import Run, Variant, _measures, time_in_turns, variants

    spec = spec_for(tiny_models, "translate", "translate", 1)
    assert [v.kind for v in variants(spec, ctranslate2=False)] == \
        ["baseline", "configured", "option", "option", "option", "batched"]
    inputs = load(spec).tokenizer(paragraphs(3), truncation=False)["input_ids"]
    batched = Variant("(e)", "batched", "float32", "torch", True)
    run = time_in_turns(spec, [batched], inputs, NEW_TOKENS)[batched]
    assert run.decoder == "generate()" and run.peak_device_mib is None
    assert all(len(tokens) == NEW_TOKENS for tokens in run.outputs)

    def timed(seconds: float) -> Run:
        return dataclasses.replace(run, seconds=seconds)

    ours = Variant("(c)", "configured", "float32", "torch")
    baseline = Variant("(a)", "baseline", "float32", "torch", True)
    measures = {m.variant: m for m in _measures([(baseline, timed(4.0)), (ours, timed(0.5)), (batched, timed(1.0))])}
    assert (measures["(c)"].vs_batched, measures["(c)"].vs_baseline, measures["(e)"].vs_batched) == (2.0, 8.0, 1.0)


def test_auto_precision_follows_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"avx512f", "avx512_bf16"}))
    assert pick_precision("auto", "cpu", "marian") == ("int8" if precision.int8_available() else "float32")
    monkeypatch.setattr(precision, "cpu_flags", lambda: frozenset({"amx_bf16", "amx_tile"}))
    assert pick_precision("auto", "cpu", "marian") == "bfloat16"
    assert pick_precision("float32", "cpu", "mt5") == "float32"
    assert pick_precision("auto", "mps", "mt5") == "float32"


def test_int8_model_translates_every_text(tiny_models) -> None:
    model = open_task(spec_for(tiny_models, "translate", "translate", 1, precision="int8"), load_settings())
    assert model.params["dtype"] == "int8"
    assert all(result.text for result in model.run(paragraphs(6)))


def test_bad_speed_options_are_config_errors(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[models.translate]\nprecision = "int4"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'models.translate.precision' is 'int4'"):
        load_settings(path)
    path.write_text('[models.translate]\nthreads = -1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="threads must be >= 0"):
        load_settings(path)
    path.write_text('[models.translate]\nbatch_size = "wide"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='models.translate.batch_size must be "auto" or a whole number >= 1, not \'wide\''):
        load_settings(path)


@pytest.mark.parametrize("beams", [1, 4])
def test_auto_backend_decodes_on_our_loop(tiny_models, beams) -> None:
    """auto takes our torch loop, greedy and beam search alike: it beats CTranslate2 int8 in both
    (docs/performance.md, "Speed"), whether or not CTranslate2 is installed."""
    spec = spec_for(tiny_models, "translate", "translate", beams, precision="int8", backend="auto")
    loaded = load(spec)
    assert loaded.backend == "torch" and Generator(loaded, spec.generation, 16).decoder == "own loop, own step"
