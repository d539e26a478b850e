"""Text, glossary and faithfulness checks: pairs that must be flagged and pairs that must not."""
from __future__ import annotations

import pytest

from summarizer.errors import ConfigError
from summarizer.qa import ArticleTexts, UnitText, check_article, check_batch, load_glossary
from summarizer.qa.faithfulness import en_abstract_flags, zh_abstract_flags
from summarizer.qa.glossary import glossary_flags
from summarizer.qa.text import cut_off, empty, length, length_norm, loop, untranslated

GLOSSARY = {"医联体": ("medical consortium",), "医共体": ("county medical community", "county medical alliance")}


def checks(flags):
    return [flag.check for flag in flags]


def test_untranslated_chinese_is_named_and_clean_english_passes():
    [flag] = untranslated("The 医联体 of 三塘镇 grew.")
    assert flag.detail == "Chinese left in the English: 医联体, 三塘镇"
    assert untranslated("The medical consortium of Santang Town grew, by 5% — “quoted”.") == []


def test_empty_and_cut_off_output_are_two_checks():
    assert checks(empty("  ")) == ["empty"] and cut_off("他说。", "  ") == []
    [flag] = cut_off("他说，医院很好。", "He said the hospital was")
    assert flag.check == "cut-off" and "stops mid-sentence" in flag.detail and flag.found == "…He said the hospital was"
    assert cut_off("他说，医院很好。", "他说，医院很好。") == []  # Chinese copied through is untranslated
    assert cut_off("他说，医院很好。", "He said the hospital was good.") == []
    assert cut_off("标题没有句号", "A headline without a full stop") == []


@pytest.mark.parametrize("english", [
    "of the city of the city of the city of the city",
    "The hospital the hospital the hospital said.",
    "Yes " + "and then the doctors came back to the ward again " * 12,
])
def test_generation_loops_are_caught(english):
    assert checks(loop(english)) == ["loop"]


@pytest.mark.parametrize("english", [
    "The hospital is very, very good.",
    "The county built 12 clinics, 3 hospitals and 40 village stations in 2024, and the provincial "
    "health commission said the medical consortium had cut waiting times by a third. Patients in remote "
    "villages now see a doctor within a day, officials said, while the county hospital trains rural "
    "doctors every month and sends specialists to the township health centres each week. " * 2,
])
def test_natural_english_is_no_loop(english):
    assert loop(english) == []


def test_length_far_off_the_article_norm_is_flagged_both_ways():
    source = "县医院与乡镇卫生院组成医联体，患者看病更方便了。"
    assert length(source, "The county hospital and township health centres formed a consortium.", 3.0) == []
    assert "short" in length(source, "Hospital.", 3.0)[0].detail
    assert "long" in length(source, "word " * 100, 3.0)[0].detail
    assert length("三塘镇", "Santang Town, a town in the county of somewhere far away", 3.0) == []
    assert length_norm([(source, "x")] * 5) == 3.0  # an article of nonsense keeps the usual norm


def test_glossary_terms_must_use_their_english():
    assert glossary_flags("推进医联体建设", "Promote the building of medical consortiums", GLOSSARY) == []
    assert glossary_flags("推进医共体建设", "Promote the County Medical Alliance", GLOSSARY) == []
    [flag] = glossary_flags("推进医联体建设", "Promote the medical alliance", GLOSSARY)
    assert flag.detail == "医联体 should be “medical consortium”; it is not in the English"


def test_a_term_rendered_two_ways_is_flagged_in_every_place():
    def article(article_id, english):
        return ArticleTexts(article_id, "", None, (UnitText("p0", "医联体建设", english),))

    batch = [article("a" * 16, "medical consortium building"), article("b" * 16, "medical alliance building"),
             article("c" * 16, "the medical consortium")]
    found = check_batch(batch, GLOSSARY)
    assert set(found) == {("a" * 16, "p0"), ("b" * 16, "p0"), ("c" * 16, "p0")}
    detail = found[("b" * 16, "p0")][0].detail
    assert "“medical consortium” in aaaaaaaa p0, cccccccc p0" in detail and "another way in bbbbbbbb p0" in detail
    assert check_batch(batch[::2], GLOSSARY) == {}


def test_glossary_files_toml_and_csv(tmp_path):
    toml = tmp_path / "g.toml"
    toml.write_text('"医联体" = "medical consortium"\n"医共体" = ["county medical community", "county alliance"]\n',
                    encoding="utf-8")
    csv = tmp_path / "g.csv"
    csv.write_text("source,target\n医联体,medical consortium\n医共体,county medical community,county alliance\n",
                   encoding="utf-8")
    assert load_glossary(toml) == load_glossary(csv) == {
        "医联体": ("medical consortium",), "医共体": ("county medical community", "county alliance")}
    bad = tmp_path / "bad.csv"
    bad.write_text("医联体\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="has no English"):
        load_glossary(bad)


ARTICLE = "三塘镇卫生院与县医院组成医联体。去年服务患者1.2万人次，增长17%。"


def test_an_abstract_that_invents_a_figure_or_a_place_is_caught():
    assert zh_abstract_flags("三塘镇服务患者1.2万人次，增长17%。", ARTICLE) == []
    details = [f.detail for f in zh_abstract_flags("李家镇服务患者3万人次。", ARTICLE)]
    assert details == ["Chinese abstract: 3万 (30,000) appears nowhere in the article",
                       "Chinese abstract: 李家镇 appears nowhere in the article"]
    english = ["Santang Town health centre and the county hospital formed a consortium.",
               "Last year it served 12,000 patient visits, up 17%."]
    assert en_abstract_flags("In Santang Town, visits rose 17% to 12,000.", ARTICLE, english) == []
    details = [f.detail for f in en_abstract_flags("In Lijia Town, visits rose 25%.", ARTICLE, english)]
    assert details == ["English abstract: 25 appears nowhere in the article",
                       "English abstract: Lijia Town appears nowhere in the article's English"]


def test_check_article_puts_flags_on_their_units():
    units = (UnitText("title", "三塘镇医联体", "Santang Town medical consortium"),
             UnitText("abstract", "三塘镇服务患者5万人次。", "Santang Town served 50,000 visits."),
             UnitText("p0", ARTICLE, "Santang Town 医联体 served 12,000 visits last year, up 71%."),
             UnitText("p1", "医院很好。", None),
             UnitText("p2", "医院很好。", None, failure="model: out of memory"))
    found = check_article(ArticleTexts("a" * 16, ARTICLE, "三塘镇服务患者5万人次。", units), GLOSSARY)
    assert set(found) == {"abstract", "p0", "p2"}
    assert sorted(checks(found["p0"])) == ["glossary", "numbers", "untranslated"]
    assert checks(found["abstract"]) == ["faithfulness", "faithfulness"]
    assert found["p2"][0].detail == "the model failed: model: out of memory"


def test_the_checks_import_no_torch_rich_or_textual():
    import subprocess
    import sys

    probe = ("import sys, summarizer.qa, summarizer.recheck, summarizer.store.review, summarizer.store.current\n"
             "print([m for m in ('torch', 'transformers', 'rich', 'textual') if m in sys.modules])")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_glossary_keys_at_the_top_and_in_a_terms_table_both_load(tmp_path):
    toml = tmp_path / "g.toml"
    toml.write_text('"医联体" = "medical consortium"\n\n[terms]\n"網貸" = ["online lending", "P2P lending"]\n',
                    encoding="utf-8")
    assert load_glossary(toml) == {"医联体": ("medical consortium",), "网贷": ("online lending", "P2P lending")}


def test_one_right_rendering_does_not_hide_a_wrong_one():
    source = "医联体建设五年来，医联体成员已达27家。"
    [flag] = glossary_flags(source, "Since the medical consortium began, the medical alliance has grown.", GLOSSARY)
    assert flag.expected == "“medical consortium” 2×" and flag.found == "1×"
    # the second mention said as "the consortium", or left out, is normal English
    assert glossary_flags(source, "Since the medical consortium began, the consortium has grown.", GLOSSARY) == []
    assert glossary_flags(source, "Since the medical consortium began, it has 27 members.", GLOSSARY) == []
    assert checks(glossary_flags("醫聯體", "medical alliance", GLOSSARY)) == ["glossary"]  # Traditional source


def batch_of(*units):
    return [ArticleTexts(article_id, "", None, (UnitText(unit, zh, en),)) for article_id, unit, zh, en in units]


def test_a_name_spelled_two_ways_across_the_batch_is_flagged_in_every_place():
    batch = batch_of(("a" * 16, "p0", "院长吴景瑜介绍了情况。", "Director Wu Jingyu explained."),
                     ("b" * 16, "p3", "吴景瑜表示，医院将扩建。", "Wu Jingyu said the hospital would expand."),
                     ("c" * 16, "p1", "据吴景瑜介绍，已有27家成员。", "According to Wu Jingyi, there are 27 members."))
    found = check_batch(batch, {})
    assert set(found) == {("a" * 16, "p0"), ("b" * 16, "p3"), ("c" * 16, "p1")}
    [flag] = found[("c" * 16, "p1")]
    assert flag.check == "inconsistent" and "“Wu Jingyu” in aaaaaaaa p0, bbbbbbbb p3" in flag.found
    assert "“Wu Jingyi” in cccccccc p1" in flag.detail


def test_renderings_that_agree_are_not_flagged():
    batch = batch_of(("a" * 16, "p0", "院长吴景瑜介绍了三塘镇的情况。", "Director Wu Jingyu described Santang Town."),
                     ("b" * 16, "p0", "吴景瑜说，三塘镇卫生院扩建了。", "Wu said the Santang Town health centre grew."),
                     ("c" * 16, "p0", "三塘镇位于南宁。", "Santang is in Nanning."))
    assert check_batch(batch, {}) == {}


def test_a_place_suffix_and_a_recurring_term_rendered_another_way_are_flagged():
    batch = batch_of(("a" * 16, "p0", "三塘镇有家庭医生。", "Santang Town has family doctors."),
                     ("b" * 16, "p0", "三塘镇的家庭医生入户。", "Family doctors in Santang Township visit homes."),
                     ("c" * 16, "p0", "家庭医生很忙。", "The family doctor is busy."),
                     ("d" * 16, "p0", "家庭医生建立了档案。", "General practitioners keep records."),
                     ("e" * 16, "p0", "医院扩建了。", "The hospital grew."))
    details = {flag.detail for flags in check_batch(batch, {}).values() for flag in flags}
    assert any(d.startswith("三塘镇 is rendered 2 ways") and "“Santang Township” in bbbbbbbb p0" in d for d in details)
    assert any(d.startswith("家庭医生 is rendered 2 ways") and "another way in dddddddd p0" in d for d in details)


def test_an_abstract_that_invents_a_person_is_caught_in_either_language():
    article = "莱州一中派出5支队伍参加比赛，指导教师李强说，学生们每周训练三四次。"
    english = ["Laizhou No. 1 Middle School sent 5 teams, and coach Li Qiang said they train three or four times a week."]
    [flag] = zh_abstract_flags("莱州一中派出5支队伍，校长赵卫东带队。", article)
    assert flag.check == "faithfulness" and flag.found == "赵卫东"
    assert zh_abstract_flags("莱州一中派出5支队伍，李强带队。", article) == []
    assert zh_abstract_flags("萊州一中派出5支隊伍，李強帶隊。", article) == []  # Traditional abstract
    [flag] = en_abstract_flags("Five teams went, coached by Zhang Wei.", article, english)
    assert flag.found == "Zhang Wei"
    assert en_abstract_flags("Coach Li Qiang sent 5 teams.", article, english) == []
    assert en_abstract_flags("Coach Li Qiang sent 5 teams.", article, []) == []  # no English: pinyin of 李强
