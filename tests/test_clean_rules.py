"""Rules on hand-made pages shaped like the ones users scrape, so each rule is tested on text
it was not written from: what must stay stays, what must go goes."""
from __future__ import annotations

import pytest

from summarizer.clean import clean_bytes
from summarizer.config import load_settings

P1 = "国家统计局3日发布数据显示，一季度国内生产总值同比增长5.3%，比上年四季度加快0.1个百分点。"
P2 = "分行业看，工业增加值增长6.1%，服务业增加值增长5.0%，消费对经济增长的贡献率达到73.7%。"
P3 = "专家表示，随着一系列政策落地见效，经济回升向好的态势将进一步巩固，全年目标有望顺利实现。"


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def page(settings, *lines: str):
    return clean_bytes("\n\n".join(lines).encode("utf-8"), "page.txt", settings)


def test_dump_with_menu_header_footer(settings):
    article = page(settings, "首页 > 财经 > 宏观", "一季度GDP同比增长5.3%", "2024-05-03 10:22 来源：新华网 编辑：王五",
                   "分享到", P1, "图为国家统计局发布会现场。记者 李明 摄", P2, P3, "责任编辑：赵六",
                   "相关新闻", "二季度经济展望：稳中向好 2024-05-01", "Copyright © 2024 All Rights Reserved")
    assert article.paragraphs == (P1, P2, P3)
    assert (article.title, article.date, article.outlet) == ("一季度GDP同比增长5.3%", "2024-05-03", "新华网")


@pytest.mark.parametrize("first", [
    "本报讯（记者 王明）" + P1,                 # a newspaper dateline opening the article
    "新华社北京5月3日电（记者王明）" + P1,       # a wire dateline
    "关注民生，" + P1,                         # starts like a button, reads like a sentence
    "记者：一季度数据有哪些亮点？国家统计局新闻发言人表示，主要指标好于预期。",  # an interview question
])
def test_article_lines_that_look_like_furniture_stay(settings, first):
    article = page(settings, "一季度GDP同比增长5.3%", first, P2, P3)
    assert article.paragraphs[0] == first


def test_short_subheadings_inside_the_body_stay(settings):
    article = page(settings, "标题：经济开局良好", P1, "消费贡献突出", P2, "政策效果显现", P3)
    assert article.paragraphs == (P1, "消费贡献突出", P2, "政策效果显现", P3)


@pytest.mark.parametrize("caption", [
    "▲工作人员正在检查设备。", "图为会议现场。", "（资料图）", "新华社记者 李明 摄", "工厂一景（路透）",
    "（图片来源：视觉中国）",
])
def test_captions_go(settings, caption):
    article = page(settings, "一季度GDP同比增长5.3%", P1, caption, P2, P3)
    assert article.paragraphs == (P1, P2, P3)


def test_english_notice_and_platform_disclaimer_end_the_article(settings):
    article = page(settings, "标题", P1, P2, "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
                   "Notice: The content above is uploaded and posted by a user.", P3)
    assert article.paragraphs == (P1, P2)


def test_gloss_lookalikes_stay(settings):
    text = "該院引入DRG(按疾病診斷相關分組)付費，並於(5日)完成驗收(完)，選項(a)與(b)均有效。"
    article = page(settings, "標題測試頁面", text, P2)
    assert article.paragraphs[0] == text


def test_html_logo_h1_and_container(settings):
    html = (f"<html><head><title>一季度GDP同比增长5.3%_财经频道</title></head><body><h1><a>某某网</a></h1>"
            f"<ul><li>首页</li><li>财经</li><li>科技</li></ul><div class='article'><p>{P1}</p><p>{P2}</p>"
            f"<p>{P3}</p></div><div class='side'><p>热门推荐</p><p>某地发布新规</p></div></body></html>")
    article = clean_bytes(html.encode("utf-8"), "p.html", settings)
    assert article.title == "一季度GDP同比增长5.3%"
    assert article.paragraphs == (P1, P2, P3)
