"""Tiny random-weight seq2seq models of the real architectures, built at test time.

build_all() returns folders keyed "translate" (MarianMT, safetensors), "translate-bin" (the same
as a pytorch_model.bin only), "abstract" (MT5, also the stand-in for mt0) and "nllb" (M2M100).

Nothing is downloaded: a sentencepiece model is trained on samples/*.txt and the real
tokenizer and model classes are saved into folders that load exactly like a hub snapshot.
The models generate noise, but through the same code paths as the real ones.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from summarizer.config import ModelSpec

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
VOCAB_SIZE = 1600
D_MODEL = 16
POSITIONS = 256


def tiny_spec(spec: ModelSpec, model_id: str | Path, max_new_tokens: int = 8, **changes: Any) -> ModelSpec:
    """spec pointed at a tiny model (folder or hub id), decoding greedily so runs are deterministic,
    on torch unless a test asks for another backend."""
    changes.setdefault("backend", "torch")
    generation = dataclasses.replace(spec.generation, num_beams=1, max_new_tokens=max_new_tokens,
                                     no_repeat_ngram_size=0)
    return dataclasses.replace(spec, id=str(model_id), device="cpu", generation=generation, **changes)


def sample_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))


def train_spm(folder: Path) -> Path:
    """A unigram model small enough to train in a second; byte_fallback covers the rare characters.
    nmt_nfkc normalization, as the real models: transformers 5.17 cannot build T5's fast
    tokenizer from a sentencepiece model without normalization rules."""
    import sentencepiece as spm

    corpus = folder / "corpus.txt"
    corpus.write_text(sample_text(), encoding="utf-8")
    prefix = folder / "spm"
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=VOCAB_SIZE, character_coverage=0.98,
        byte_fallback=True, hard_vocab_limit=False, normalization_rule_name="nmt_nfkc",
        minloglevel=2, num_threads=2,
    )
    return prefix.with_suffix(".model")


def build_marian(spm_model: Path, out: Path, safetensors: bool = True) -> Path:
    """MarianMT with its two sentencepiece models and the shared vocab.json, like opus-mt-zh-en."""
    import sentencepiece as spm
    import shutil
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    processor = spm.SentencePieceProcessor(model_file=str(spm_model))
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    for name in ("source.spm", "target.spm"):
        shutil.copy(spm_model, out / name)
    tokenizer = MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json"),
                                model_max_length=POSITIONS)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=D_MODEL, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
        max_position_embeddings=POSITIONS, pad_token_id=vocab["<pad>"], eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"], forced_eos_token_id=vocab["</s>"],
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    model.save_pretrained(out)
    if not safetensors:
        # transformers 5 always writes safetensors; older checkpoints (XLSum) ship only a pickle
        torch.save(model.state_dict(), out / "pytorch_model.bin")
        (out / "model.safetensors").unlink()
    tokenizer.save_pretrained(out)
    return out


def build_mt5(spm_model: Path, out: Path) -> Path:
    """MT5 with a T5 tokenizer converted from the sentencepiece model, like mT5_multilingual_XLSum."""
    import shutil
    import torch
    from transformers import AutoTokenizer, MT5Config, MT5ForConditionalGeneration

    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(spm_model, out / "spiece.model")
    (out / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "T5Tokenizer"}), encoding="utf-8")
    tokenizer = AutoTokenizer.from_pretrained(out)
    config = MT5Config(
        vocab_size=len(tokenizer), d_model=D_MODEL, d_kv=8, d_ff=32, num_layers=1, num_decoder_layers=1,
        num_heads=2, relative_attention_num_buckets=8, pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(0)
    model = MT5ForConditionalGeneration(config)
    with torch.no_grad():
        # Random weights favour <pad> and the sentinels, which decode to nothing; silencing
        # them makes the tiny model emit real pieces, so outputs are visible in tests.
        model.lm_head.weight[tokenizer.pad_token_id] = 0
        model.lm_head.weight[len(tokenizer) - 100:] = 0
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def build_nllb(out: Path) -> Path:
    """M2M100 with an NLLB tokenizer (character vocab plus the 200 language codes), like nllb-200."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "\u2581": 4}
    for char in sorted(set(sample_text()) - {" ", "\n"}):
        vocab.setdefault(char, len(vocab))
    # eng_Latn as source, like nllb-200: the loader must switch it to the configured zho_Hans
    tokenizer = NllbTokenizer(vocab=vocab, merges=[], src_lang="eng_Latn", tgt_lang="fra_Latn")
    config = M2M100Config(
        vocab_size=len(tokenizer), d_model=D_MODEL, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
        max_position_embeddings=POSITIONS, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
    )
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def build_all(root: Path) -> dict[str, Path]:
    spm_model = train_spm(root)
    return {
        "translate": build_marian(spm_model, root / "marian"),
        "translate-bin": build_marian(spm_model, root / "marian-bin", safetensors=False),
        "abstract": build_mt5(spm_model, root / "mt5"),
        "nllb": build_nllb(root / "nllb"),
    }


if __name__ == "__main__":
    import sys
    import time

    t = time.time()
    print(build_all(Path(sys.argv[1])), time.time() - t)
