"""The checks' use of jieba, rjieba and pypinyin (qa/words.py), including the one jieba internal it
reads, that rjieba's words are jieba's, and that none is loaded before a check needs it."""
from __future__ import annotations

import subprocess
import sys

from conftest import SAMPLES

from summarizer.cjk import is_han
from summarizer.qa import words


def test_the_jieba_internal_words_reads_still_exists():
    import jieba.posseg

    assert isinstance(jieba.posseg.dt.word_tag_tab, dict)  # word -> part of speech, read by words.tag
    assert words.tag("一心一意") == "i" and words.tag("不是一个词语啊") is None


def test_names_idioms_script_and_pinyin():
    assert words.names("校长赵卫东在李家镇与南宁市第一人民医院座谈") == ("赵卫东", "李家镇", "南宁市")
    text = "他一心一意工作，三家医院"
    assert words.in_idiom(text, 1, 2) and not words.in_idiom(text, 7, 8)
    assert words.normalize("萬人、１２億、臺灣") == "万人、12亿、台湾"
    assert words.pinyin("吴景瑜") == ("wu", "jing", "yu")


def test_rjiebas_words_are_jiebas_own():
    import jieba

    for path in sorted(SAMPLES.glob("*.txt")):
        text = words.normalize(path.read_text(encoding="utf-8"))
        han = [w for w in jieba.lcut(text) if is_han(w[0])]
        assert [w for w in words.words(text) if is_han(w[0])] == han, path.name


def test_help_and_import_load_no_dictionary():
    probe = ("import sys\nfrom summarizer.cli import main\nimport summarizer.qa, summarizer.recheck\n"
             "try:\n    main(['review', '--help'])\nexcept SystemExit:\n    pass\n"
             "print([m for m in ('jieba', 'rjieba', 'pypinyin', 'cn2an') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
