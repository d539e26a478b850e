"""Bad input, each case built at test time: what a user's scrape really does to pages."""
from __future__ import annotations

import pytest

from cli_runner import run_cli
from summarizer.clean import clean_bytes
from summarizer.config import load_settings
from summarizer.errors import InputError

P1 = "国家统计局3日发布数据显示，一季度国内生产总值同比增长5.3%，比上年四季度加快0.1个百分点。"
P2 = "分行业看，工业增加值增长6.1%，服务业增加值增长5.0%，消费对经济增长的贡献率达到73.7%。"
HEADLINE = "一季度经济开局良好"
HTML = (f"<html><head><title>{HEADLINE}_某某网</title></head><body><h1>{HEADLINE}</h1>"
        f"<div class='article'><p>{P1}</p><p>{P2}</p></div></body></html>")


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.mark.parametrize("inner", ["utf-8", "gbk"])
def test_whole_file_double_encoded_through_latin1_is_repaired_and_recorded(settings, inner):
    data = HTML.encode(inner).decode("latin-1").encode("utf-8")
    article = clean_bytes(data, "page.html", settings)
    assert article.paragraphs == (P1, P2) and article.title == HEADLINE
    assert any(r.kind == "double-encoded-latin1" for r in article.repairs)


def test_utf8_double_encoded_through_cp1252_is_repaired(settings):
    # browsers map cp1252's five undefined bytes to C1 controls; those must round-trip too
    mojibake = "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                       for b in HTML.encode("utf-8"))
    article = clean_bytes(mojibake.encode("utf-8"), "page.html", settings)
    assert article.paragraphs == (P1, P2)
    assert article.repairs


def test_chinese_page_with_broken_bytes_is_read_as_chinese(settings):
    data = HTML.encode("gbk").replace(P2[:2].encode("gbk"), b"\xff\xff", 1)  # two bytes no GBK reader accepts
    article = clean_bytes(data, "page.html", settings)
    assert article.source.encoding == "gb18030" and article.paragraphs[0] == P1
    assert any(d.kind == "replacement-character" for d in article.damage)


@pytest.mark.parametrize("first", [
    "新华社北京4月3日电 国家统计局发布数据。",
    "新华社北京2024年4月3日电",                    # the dateline alone, with its year
    "本报讯（记者 王明）3日，市统计局发布一季度数据。",
])
def test_short_gbk_page_keeps_its_dateline_paragraph(settings, first):
    article = clean_bytes(f"{HEADLINE}\n{first}\n{P2}".encode("gbk"), "short.txt", settings)
    assert article.paragraphs == (first, P2)
    assert article.source.encoding == "gb18030"


@pytest.mark.parametrize("script", [
    "<script>document.write('<p>广告</p>'); var s = '</div>';</script>",
    "<script type='text/javascript'>if (a < b && c > d) { show('<div class=\"ad\">推广</div>'); }</script>",
    "<script><!-- var x = 1; //--></script>",
])
def test_script_injected_inside_a_paragraph_keeps_the_paragraph(settings, script):
    html = HTML.replace(P1, P1[:20] + script + P1[20:])
    article = clean_bytes(html.encode("utf-8"), "page.html", settings)
    assert article.paragraphs == (P1, P2)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_script_injected_inside_a_text_dump_paragraph_keeps_the_paragraph(settings, encoding):
    script = "<script type=\"text/javascript\">var a = document.getElementById('x'); a.innerHTML = '<b>ad</b>';</script>"
    text = f"{HEADLINE}\n{P1[:20]}{script}{P1[20:]}\n{P2}"
    article = clean_bytes(text.encode(encoding), "dump.txt", settings)
    assert article.paragraphs == (P1, P2)
    assert any(r.kind == "inline-script" for r in article.repairs)


def test_stray_hanzi_inside_latin_words_is_reported(settings):
    text = f"{HEADLINE}\n{P1}\n报告显示，Micro陈soft和Goo铺gle两家公司的在华业务收入均有增长，增幅超过一成。"
    article = clean_bytes(text.encode("utf-8"), "page.txt", settings)
    assert {d.text for d in article.damage if d.kind == "stray-hanzi-in-latin-word"} >= {"ro陈so", "oo铺gl"}


@pytest.mark.parametrize("notice", ["", "欢迎访问本网站，敬请留言。"])  # one welcome sentence is no article
def test_navigation_only_page_is_refused(settings, notice):
    lines = ["首页 | 新闻 | 公告 | 联系我们", notice] + [f"关于做好第{i}批次专项资金申报工作的公告" for i in range(15)] \
        + ["版权所有"]
    with pytest.raises(InputError, match="no article body found"):
        clean_bytes("\n".join(lines).encode("utf-8"), "nav.txt", settings)


def test_empty_folder_given_explicitly_is_an_error(tmp_path, capsys):
    empty = tmp_path / "pages"
    empty.mkdir()
    result = run_cli(capsys, "clean", empty)
    assert result.code == 1
    assert f"error: {empty}: folder holds no page files; check the path, or save the pages into it first" in result.err
