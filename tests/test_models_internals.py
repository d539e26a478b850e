"""Every transformers internal listed in models/internals.py exists in the installed transformers.

Run on each version of the declared range (.ci/run): a release that renames one fails here, by
name, instead of deep inside a decoding step."""
from __future__ import annotations

import pytest

from summarizer.config import load_settings
from summarizer.models import internals
from summarizer.models.load import load
from tiny_models import tiny_spec

ARCHITECTURES = {
    "translate": [("decoder", path) for path in internals.MARIAN_DECODER]
    + [("decoder.layers.0", path) for path in internals.MARIAN_LAYER]
    + [("model", path) for path in internals.MARIAN_MODEL],
    "abstract": [("decoder", path) for path in internals.MT5_DECODER]
    + [("decoder.block.0", path) for path in internals.MT5_BLOCK + internals.MT5_FIRST_BLOCK]
    + [("model", path) for path in internals.MT5_MODEL],
}


def _model(tiny_models, task):
    spec = tiny_spec(load_settings().models[task], tiny_models[task], precision="float32")
    return load(spec).model


@pytest.mark.parametrize(("task", "owner", "path"),
                         [(task, owner, path) for task, parts in ARCHITECTURES.items() for owner, path in parts])
def test_each_module_our_step_reaches_exists(tiny_models, task, owner, path) -> None:
    model = _model(tiny_models, task)
    start = model if owner == "model" else internals.part(model.get_decoder(), owner.partition(".")[2]) \
        if "." in owner else model.get_decoder()
    assert internals.part(start, path) is not None


@pytest.mark.parametrize("dotted", internals.IMPORTS)
def test_each_imported_name_exists(dotted) -> None:
    assert internals.imported(dotted) is not None


@pytest.mark.parametrize("task", ["translate", "abstract", "nllb"])
def test_the_forward_path_finds_its_cache_and_keyword(tiny_models, task) -> None:
    languages = {"src_lang": "zho_Hans", "tgt_lang": "eng_Latn"} if task == "nllb" else {}
    spec = tiny_spec(load_settings().models["translate" if task == "nllb" else task], tiny_models[task], **languages)
    model = load(spec).model
    assert internals.cache_keyword(model) in internals.CACHE_KEYWORDS
    cache = internals.encoder_decoder_cache()
    assert all(callable(internals.part(cache, method)) for method in internals.CACHE_METHODS)


def test_a_missing_internal_is_named(tiny_models) -> None:
    model = _model(tiny_models, "translate")
    with pytest.raises(internals.InternalsChanged, match=r"transformers \S+: MarianDecoder has no layers.0.no_such_norm"):
        internals.part(model.get_decoder(), "layers.0.no_such_norm")
    with pytest.raises(internals.InternalsChanged, match="no transformers.cache_utils.NoSuchCache"):
        internals.imported("transformers.cache_utils.NoSuchCache")
