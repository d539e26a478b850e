"""Random-weight models of the real sizes of the configured models, built from their configurations
(nothing is downloaded), saved once under $SUMMARIZER_HOME/bench/ and reused by later runs.

Speed depends on the shapes, not on the weights, so these decode exactly as fast as the real
models; their outputs are noise, which is why the bench forces every output to the same length.
The tokenizer is a sentencepiece model trained on samples/; its ids fill the low end of the
real vocabulary, whose other entries are placeholders the random model can still produce.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..types import Task

SPM_VOCAB = 8000
# The shapes of Helsinki-NLP/opus-mt-zh-en's config.json; token ids come from our tokenizer.
MARIAN = {"vocab_size": 65001, "d_model": 512, "encoder_layers": 6, "decoder_layers": 6,
          "encoder_attention_heads": 8, "decoder_attention_heads": 8, "encoder_ffn_dim": 2048,
          "decoder_ffn_dim": 2048, "max_position_embeddings": 512, "activation_function": "swish",
          "scale_embedding": True, "share_encoder_decoder_embeddings": True}
# The shapes of csebuetnlp/mT5_multilingual_XLSum's config.json (mT5-base).
MT5 = {"vocab_size": 250112, "d_model": 768, "d_kv": 64, "d_ff": 2048, "num_layers": 12,
       "num_decoder_layers": 12, "num_heads": 12, "feed_forward_proj": "gated-gelu",
       "relative_attention_num_buckets": 32, "tie_word_embeddings": False}


def bench_models(root: Path, corpus_text: str) -> dict[Task, Path]:
    """The translate and abstract model folders under root, built if missing."""
    spm_model = root / "spm.model"
    if not spm_model.is_file():
        _train_spm(root, corpus_text)
    return {Task.TRANSLATE: _once(root / "opus-mt-zh-en-size", lambda out: _marian(spm_model, out)),
            Task.ABSTRACT: _once(root / "mt5-base-size", lambda out: _mt5(spm_model, out))}


def _once(folder: Path, build) -> Path:
    """Build into a side folder and rename, so a killed build is never mistaken for a model."""
    if (folder / "config.json").is_file():
        return folder
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    build(partial)
    partial.rename(folder)
    return folder


def _train_spm(root: Path, text: str) -> None:
    import sentencepiece as spm

    root.mkdir(parents=True, exist_ok=True)
    (root / "corpus.txt").write_text(text, encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(root / "corpus.txt"), model_prefix=str(root / "spm"), vocab_size=SPM_VOCAB,
        character_coverage=0.9995, byte_fallback=True, hard_vocab_limit=False,
        # nmt_nfkc, as the real models: transformers 5.17 cannot build T5's fast tokenizer from a
        # sentencepiece model without normalization rules (an empty precompiled charsmap)
        normalization_rule_name="nmt_nfkc", minloglevel=2, num_threads=2)


def _marian(spm_model: Path, out: Path) -> None:
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    pieces = spm.SentencePieceProcessor(model_file=str(spm_model))
    vocab = {pieces.id_to_piece(i): i for i in range(pieces.get_piece_size())}
    while len(vocab) < MARIAN["vocab_size"] - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    pad, eos = len(vocab), vocab["</s>"]
    vocab["<pad>"] = pad  # last, as in opus-mt: the decoder starts from it and must never emit it
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    for name in ("source.spm", "target.spm"):
        shutil.copy(spm_model, out / name)
    MarianTokenizer(str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json"),
                    model_max_length=512).save_pretrained(out)
    ids = {"pad_token_id": pad, "eos_token_id": eos, "decoder_start_token_id": pad, "forced_eos_token_id": eos}
    torch.manual_seed(0)
    model = MarianMTModel(MarianConfig(**MARIAN, **ids))
    # opus-mt's generation_config.json: <pad> is a bad word, eos is forced at the length limit
    model.generation_config = GenerationConfig(bad_words_ids=[[pad]], max_length=512, **ids)
    model.save_pretrained(out)


def _mt5(spm_model: Path, out: Path) -> None:
    import torch
    from transformers import AutoTokenizer, MT5Config, MT5ForConditionalGeneration

    shutil.copy(spm_model, out / "spiece.model")
    (out / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "T5Tokenizer"}), encoding="utf-8")
    tokenizer = AutoTokenizer.from_pretrained(out)
    tokenizer.save_pretrained(out)
    ids = {"pad_token_id": tokenizer.pad_token_id, "eos_token_id": tokenizer.eos_token_id,
           "decoder_start_token_id": tokenizer.pad_token_id}
    torch.manual_seed(0)
    MT5ForConditionalGeneration(MT5Config(**MT5, **ids)).save_pretrained(out)
