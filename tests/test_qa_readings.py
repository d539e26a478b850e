"""The checks' readings of Chinese texts (qa/readings.py) kept in the store: a recheck reads back
what an earlier one read, without loading jieba, rjieba, pypinyin or cn2an, and gives the same flags; the
readings of another checker are never used, and a full recheck drops them."""
from __future__ import annotations

import subprocess
import sys

import pytest
from filled_store import filled_store

from summarizer import recheck
from summarizer.qa import readings
from summarizer.qa.numbers import zh_quantities
from summarizer.store.db import Store

PROBE = """import json, sys
from pathlib import Path
from summarizer import recheck
from summarizer.store.db import Store
with Store.open(Path(sys.argv[1]), create=False) as store:
    count = recheck.recheck_all(store, {})
print(json.dumps([count, [m for m in ("jieba", "rjieba", "pypinyin", "cn2an") if m in sys.modules]]))
"""


@pytest.fixture
def settings(tmp_path_factory, tiny_models, tmp_path):
    return filled_store(tmp_path_factory.getbasetemp(), tiny_models, tmp_path / "store.db")


def flags(store: Store) -> list[tuple]:
    return store.conn.execute("SELECT article_id, unit, position, check_name, detail FROM flags ORDER BY 1, 2, 3").fetchall()


def test_a_second_recheck_reads_back_the_readings_and_loads_no_dictionary(settings):
    with Store.open(settings.store_path) as store:
        count = recheck.recheck_all(store, {})
        first = flags(store)
        kinds = {row[0] for row in store.conn.execute("SELECT version FROM readings")}
        assert kinds == {readings.checker_version()}
    out = subprocess.run([sys.executable, "-c", PROBE, str(settings.store_path)], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == f"[{count}, []]"
    with Store.open(settings.store_path) as store:
        assert flags(store) == first


def test_readings_of_another_checker_are_not_used_and_a_recheck_drops_them(settings):
    with Store.open(settings.store_path) as store:
        recheck.recheck_all(store, {})
        first = flags(store)
        with store.transaction():  # as an older checker would have left them: other keys, values and version
            store.conn.execute("UPDATE readings SET key = 'older' || key, version = 'older', value = '[]'")
    subprocess.run([sys.executable, "-c", PROBE, str(settings.store_path)], check=True, capture_output=True)
    with Store.open(settings.store_path) as store:
        assert flags(store) == first
        versions = {row[0] for row in store.conn.execute("SELECT version FROM readings")}
        assert versions == {readings.checker_version()}


def test_a_kept_reading_is_used_under_its_key_and_new_ones_are_collected():
    text = "全市共有一百二十家医院"
    zh_quantities.cache_clear()  # the process's own memory: every reading below comes from `kept` or is done
    with readings.kept({}) as done:
        assert [q.value for q in zh_quantities(text)] == [120.0]
    (key, value), = done.items()
    assert '"value": 120.0' in value
    zh_quantities.cache_clear()
    with readings.kept({key: value.replace("120.0", "7.0")}) as again:
        assert [q.value for q in zh_quantities(text)] == [7.0] and again == {}
