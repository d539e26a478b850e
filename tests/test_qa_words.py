"""The checks' use of jieba and pypinyin (qa/words.py), including the one jieba internal it reads,
and that neither is loaded before a check needs it."""
from __future__ import annotations

import subprocess
import sys

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


def test_help_and_import_load_neither_jieba_nor_pypinyin():
    probe = ("import sys\nfrom summarizer.cli import main\nimport summarizer.qa, summarizer.recheck\n"
             "try:\n    main(['review', '--help'])\nexcept SystemExit:\n    pass\n"
             "print([m for m in ('jieba', 'pypinyin') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
