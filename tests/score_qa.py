"""Score the quality checks on the hand-labelled development set (tests/qa_devset/): recall and
precision per check, and false alarms as a share of the clean units.

Runs the checks through their public API only (summarizer.qa: check_article, check_batch,
load_glossary), as the pipeline and `review --recheck` call them.

    .venv/bin/python tests/score_qa.py [--details]

A unit's `expect` lists the checks that must flag it ([] for a clean unit). A flag of check C on a
unit that does not expect C is a false positive of C; on a clean unit it is also a false alarm.
Exit 1 when a check misses its targets (recall >= 0.95, false alarms <= 5% of clean units).
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from summarizer.qa import CHECKS, ArticleTexts, UnitText, check_article, check_batch, load_glossary

DEVSET = Path(__file__).parent / "qa_devset"
MIN_RECALL = 0.95
MAX_FALSE_ALARMS = 0.05


@dataclass(frozen=True)
class Scored:
    """One labelled unit and the checks that flagged it, with their details for --details."""

    name: str
    expect: frozenset[str]
    found: dict[str, list[str]]


@dataclass(frozen=True)
class Row:
    check: str
    expected: int
    found: int
    false_positives: int
    false_alarms: int
    clean: int

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        flagged = self.found + self.false_positives
        return self.found / flagged if flagged else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0

    @property
    def ok(self) -> bool:
        return self.recall >= MIN_RECALL and self.false_alarm_rate <= MAX_FALSE_ALARMS


def _load(name: str) -> dict:
    return tomllib.loads((DEVSET / name).read_text(encoding="utf-8"))


def _by_check(flags) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for flag in flags:
        found.setdefault(str(flag.check), []).append(flag.detail)
    return found


def score_pairs(glossary) -> list[Scored]:
    out = []
    for pair in _load("pairs.toml")["pair"]:
        unit = UnitText("p0", pair["source"], pair.get("english"), pair.get("failure"))
        flags = check_article(ArticleTexts(pair["id"], pair["source"], None, (unit,)), glossary).get("p0", ())
        out.append(Scored(pair["id"], frozenset(pair["expect"]), _by_check(flags)))
    return out


def score_abstracts(glossary) -> list[Scored]:
    data = _load("abstracts.toml")
    articles = {a["id"]: a["paragraphs"] for a in data["article"]}
    out, seen = [], set()
    for abstract in data["abstract"]:
        paragraphs = articles[abstract["article"]]
        units = tuple(UnitText(f"p{i}", zh, en) for i, (zh, en) in enumerate(paragraphs))
        units += (UnitText("abstract", abstract["zh"], abstract["en"]),)
        body = "\n".join(zh for zh, _ in paragraphs)
        found = check_article(ArticleTexts(abstract["article"], body, abstract["zh"], units), glossary)
        out.append(Scored(abstract["id"], frozenset(abstract["expect"]), _by_check(found.get("abstract", ()))))
        if abstract["article"] not in seen:  # the article's own paragraphs are clean units, counted once
            seen.add(abstract["article"])
            out += [Scored(f"{abstract['article']} p{i}", frozenset(), _by_check(found.get(f"p{i}", ())))
                    for i in range(len(paragraphs))]
    return out


def score_batch(glossary) -> list[Scored]:
    articles = _load("batch.toml")["article"]
    texts = [ArticleTexts(a["id"], "\n".join(u[1] for u in a["units"]), None,
                          tuple(UnitText(name, zh, en) for name, zh, en, _ in a["units"])) for a in articles]
    across = check_batch(texts, glossary)
    out = []
    for article, text in zip(articles, texts):
        alone = check_article(text, glossary)
        for name, _, _, expect in article["units"]:
            flags = [*alone.get(name, ()), *across.get((article["id"], name), ())]
            out.append(Scored(f"{article['id']} {name}", frozenset(expect), _by_check(flags)))
    return out


def table(units: list[Scored]) -> list[Row]:
    clean = [u for u in units if not u.expect]
    rows = []
    for check in map(str, CHECKS):
        expected = [u for u in units if check in u.expect]
        rows.append(Row(check, len(expected), sum(check in u.found for u in expected),
                        sum(check in u.found for u in units if check not in u.expect),
                        sum(check in u.found for u in clean), len(clean)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list every miss and false positive")
    args = parser.parse_args(argv)
    glossary = load_glossary(DEVSET / "glossary.toml")
    units = score_pairs(glossary) + score_abstracts(glossary) + score_batch(glossary)
    rows = table(units)
    clean = sum(not u.expect for u in units)
    print(f"{len(units)} units: {clean} clean, {len(units) - clean} defective")
    print(f"{'check':<14}{'defects':>8}{'found':>7}{'recall':>8}{'precision':>10}{'false alarms':>14}")
    for r in rows:
        print(f"{r.check:<14}{r.expected:>8}{r.found:>7}{r.recall:>8.2f}{r.precision:>10.2f}"
              f"{f'{r.false_alarms} ({r.false_alarm_rate:.0%})':>14}{'' if r.ok else '  ✗'}")
    if args.details:
        for u in units:
            for check in sorted(u.expect - set(u.found)):
                print(f"MISS {u.name}: {check}")
            for check in sorted(set(u.found) - u.expect):
                print(f"FALSE {u.name}: {check}: {' | '.join(u.found[check])}")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
