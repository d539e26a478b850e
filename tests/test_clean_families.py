"""Each furniture rule family on a hand-made page of its own, in both scripts where the words
differ: what the rule targets goes, the article next to it stays. None of these pages comes
from the corpus; they are shaped like pages of any Chinese site."""
from __future__ import annotations

import pytest

from summarizer.clean import clean_bytes
from summarizer.config import load_settings
from summarizer.errors import InputError

P1 = "市气象台3日发布消息，受冷空气影响，本周后期全市将出现大风降温天气，最低气温降至零下五摄氏度。"
P2 = "气象专家提醒，市民出行要注意防风保暖，农业生产单位要提前做好设施大棚的加固工作。"
P3 = "据了解，这是今年入冬以来影响本市的最强一次冷空气过程，预计持续三天左右，周末起逐步回暖。"
T1 = "市氣象台3日發布消息，受冷空氣影響，本週後期全市將出現大風降溫天氣，最低氣溫降至零下五攝氏度。"
T2 = "氣象專家提醒，市民出行要注意防風保暖，農業生產單位要提前做好設施大棚的加固工作。"
HEADLINE = "本周后期全市将迎大风降温"


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def text_page(settings, *lines: str):
    return clean_bytes("\n".join(lines).encode("utf-8"), "page.txt", settings)


def html_page(settings, body: str, head: str = ""):
    html = f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return clean_bytes(html.encode("utf-8"), "page.html", settings)


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


# --- captions told by the page's structure -------------------------------------------------

def test_caption_under_an_image_or_in_an_emptied_centred_slot_is_dropped(settings):
    body = (f"<div class='content'>{paragraphs(P1)}<p><img src='a.jpg'></p>"
            "<p style='text-align:center'>志愿者在街头发放宣传资料</p>"
            f"{paragraphs(P2)}<center><strong></strong></center><center><strong>活动现场</strong></center>"
            f"{paragraphs(P3)}<img src='b.jpg'><p>冷空气来袭。</p></div>")
    article = html_page(settings, body)
    assert article.paragraphs == (P1, P2, P3)


def test_subheading_and_sentence_after_an_image_stay(settings):
    heading = "专家提醒做好防风保暖和设施农业加固工作"
    sentence = "这也说明今年冬天的冷空气来得偏早。"
    body = f"<div>{paragraphs(P1)}<p><img src='a.jpg'></p><p>{heading}</p><p><img src='b.jpg'></p><p>{sentence}</p>" \
           f"{paragraphs(P2, P3)}</div>"
    assert html_page(settings, body).paragraphs == (P1, heading, sentence, P2, P3)


# --- lines made of links ----------------------------------------------------------------------

def test_link_lines_around_the_article_are_dropped(settings):
    related = "".join(f"<li><a href='/n/{i}'>全市启动第{i}轮冬季供暖设施安全检查工作的通知要求各单位落实</a></li>"
                      for i in range(4))
    body = f"<div><a href='/'>首页</a> <a href='/w'>天气</a></div><div>{paragraphs(P1, P2, P3)}</div><ul>{related}</ul>"
    article = html_page(settings, body)
    assert article.paragraphs == (P1, P2, P3)


# --- one headline resolver ------------------------------------------------------------------

@pytest.mark.parametrize("head, body_top, expected", [
    # <title> = headline + site suffix, repeated by the <h1>
    (f"<title>{HEADLINE}_某某新闻网</title>", f"<h1>{HEADLINE}</h1>", HEADLINE),
    # <title> names only a channel: the line above the dateline is the headline
    ("<title>新闻动态--某某学会</title>", f"<div>首页 - 新闻动态</div><div>{HEADLINE}</div><div>发布时间：2024-05-03 来源：本会</div>",
     HEADLINE),
    # og:title cut short at a quote mark still agrees with the full <h1>
    ("<title>市民问：“大风”何时停？_某某网</title><meta property='og:title' content='市民问：'>",
     "<h1>市民问：“大风”何时停？</h1>", "市民问：“大风”何时停？"),
    # a bracketed label before the headline is not part of it; Traditional script alike
    ("<title>[組圖]本週後期全市將迎大風降溫-某某新聞</title>", "<h2>[組圖]本週後期全市將迎大風降溫</h2>", "本週後期全市將迎大風降溫"),
    # a short name the <title> repeats: an encyclopedia entry
    ("<title>寒潮 - 某某百科</title>", "<h1>寒潮</h1>", "寒潮"),
])
def test_headline_from_agreeing_signals(settings, head, body_top, expected):
    article = html_page(settings, f"<h1>某某新闻网</h1>{body_top}<div>{paragraphs(P1, P2, P3)}</div>", head)
    assert article.title == expected
    assert expected not in article.paragraphs


def test_text_dump_opening_with_its_headline(settings):
    question = "冷空气来了，设施大棚能否扛住大风？"
    article = text_page(settings, question, P1, P2)
    assert article.title == question and article.paragraphs == (P1, P2)


# --- inline promotion and summary boxes -------------------------------------------------------

def test_promotion_pasted_into_sentences_is_cut_and_the_sentence_kept(settings):
    article = text_page(settings, HEADLINE,
                        "【某某体育app】" + P1,
                        "气象专家提醒，xy888某某线路市民出行要注意防风保暖，农业生产单位要提前做好设施大棚的加固工作。",
                        "据了解，这是今年入冬以来影响本市的最强一次冷空气过程www.example-spam.cn，预计持续三天左右，周末起逐步回暖。",
                        "市民可登录www.weather.gov.cn查询实时天气预报，也可拨打12121咨询。")
    assert article.paragraphs[:3] == (P1, P2, P3)
    assert "www.weather.gov.cn" in article.paragraphs[3]  # a domain a word introduces is content
    assert any(r.kind == "inline-promotion" for r in article.repairs)


@pytest.mark.parametrize("label", ["本文摘要：", "內容摘要："])
def test_summary_box_is_dropped(settings, label):
    article = text_page(settings, HEADLINE, label + P1[:40] + P2, P1, P2, P3)
    assert article.paragraphs == (P1, P2, P3)


# --- teasers ----------------------------------------------------------------------------------

def test_cut_off_teasers_closing_a_dump_are_dropped(settings):
    teasers = ["年轻人为什么越来越喜欢去县城旅游了呢你知", "这三种蔬菜冬天一定要多吃，对身体好处多多", "某某品牌新款手机正式发布，售价让人意外不"]
    article = text_page(settings, HEADLINE, P1, P2, P3 + "预计下周还有一次较弱冷空气…", "相关：市区道路结冰情况通报及出行提示...", *teasers)
    assert article.paragraphs[:2] == (P1, P2)
    assert not any(t in p for t in teasers for p in article.paragraphs)
    assert not any("通报及出行提示" in p for p in article.paragraphs)


def test_hard_wrapped_essay_is_kept_whole(settings):
    # wrapped at a fixed width like an old GBK page: 44 characters a line
    wrapped = [p[i:i + 44] for p in (P1 + P2, P3 + P1) for i in range(0, len(p), 44)]
    article = text_page(settings, *wrapped)
    kept = "".join(article.paragraphs)
    assert all(line in kept for line in wrapped[:-1])  # the teaser rule leaves full-width lines alone


# --- captions, credits, widgets, notices, tags, dates: words that mark furniture in any site ---

@pytest.mark.parametrize("furniture", [
    "新华社发", "（視覺中國）", "城区夜景效果图", "園區規劃效果圖", "![](https://img.example.com/a.png)",
    "#寒潮来袭# #大风降温#", "分享到新浪微博", "轉發到微博", "推荐视频", "載入中",
    "本文已过期", "會員專享閱讀", "开通会员即可阅读全文", "编辑：李四",
])
def test_furniture_lines_are_dropped(settings, furniture):
    article = text_page(settings, HEADLINE, P1, furniture, P2, P3)
    assert article.paragraphs == (P1, P2, P3)


@pytest.mark.parametrize("editor", ["責任編輯：王小明", "责任编辑：王小明", "編輯：李四", "本文係原創，未經授權禁止轉載。",
                                    "本网站所刊登的新闻，未经书面授权不得转载。"])
def test_editor_lines_in_either_script_are_dropped(settings, editor):
    article = text_page(settings, "本週後期全市將迎大風降溫", T1, T2, editor)
    assert article.paragraphs == (T1, T2)


def test_roc_calendar_date_line_is_read_and_dropped(settings):
    article = text_page(settings, "本週後期全市將迎大風降溫", "民國113年5月3日 14:20", "記者王小明／台北報導", T1, T2)
    assert article.paragraphs == (T1, T2)
    assert (article.date, article.author) == ("2024-05-03", "王小明")


def test_speech_opening_lines_stay(settings):
    article = text_page(settings, HEADLINE, "各位来宾、女士们、先生们：", "很高兴又一次和大家见面。", P1, P2)
    assert article.paragraphs[:2] == ("各位来宾、女士们、先生们：", "很高兴又一次和大家见面。")


# --- damage ---------------------------------------------------------------------------------

def test_masked_words_stray_hanzi_and_lost_bytes_are_reported(settings):
    masked = "据了解，这是今年入冬以来影响本市的**强一次冷空气过程，预计持续三天左右。"
    stray = "市气象台在官方Windo袱ws应用和weather网站同步发布了预警，提醒市民注意防范。"
    fine = "市民也可以在iPhone的app里查看预警信息，这个功能cool不cool，用过的人都说好。"
    lost = "据了解，这次冷空气将影响全市??个区县，预计持续三天左右，周末起逐步回暖。"
    article = text_page(settings, HEADLINE, P1, masked, stray, fine, lost)
    kinds = {d.kind: d.text for d in article.damage}
    assert "**" in kinds["masked-word"] and "袱" in kinds["stray-hanzi-in-latin-word"] and "??" in kinds["lost-bytes"]
    assert all(d.paragraph != 3 for d in article.damage)
    assert article.paragraphs[1] == masked  # reported, never changed


# --- genres: an article is never refused, a page with none is ----------------------------------

def test_forum_first_post_outside_the_paragraph_container_is_found(settings):
    post = "<br>".join([P1, P2, P3])
    replies = "".join("<div class='reply'><p>顶一下，说得好！</p></div>" for _ in range(3))
    body = f"<table><tr><td>楼主</td><td>{post}</td></tr></table>{replies}"
    article = html_page(settings, body)
    assert article.paragraphs == (P1, P2, P3)


def test_page_wrapped_in_a_form_is_read(settings):
    article = html_page(settings, f"<form id='aspnetForm'><div>{paragraphs(P1, P2, P3)}</div></form>")
    assert article.paragraphs == (P1, P2, P3)


def test_navigation_only_page_is_refused(settings):
    items = "".join(f"<li><a href='/{i}'>关于做好第{i}批专项资金申报工作的通知</a> 2024-05-0{i % 9 + 1}</li>"
                    for i in range(15))
    with pytest.raises(InputError, match="no article body found"):
        html_page(settings, f"<div><a href='/'>首页</a> <a href='/g'>公告</a></div><ul>{items}</ul>"
                            "<p>版权所有 © 2024 某某市人民政府</p>")


# --- blogs and forums: the post, not its replies ---------------------------------------------

REPLY = "说得太好了，我完全同意楼主的看法，冬天出门一定要注意保暖，尤其是家里的老人和小孩，" \
        "大家还要记得提前检查一下家里的暖气和门窗，防止大风天气造成意外，注意安全。"


@pytest.mark.parametrize("header", [
    "# re: 本周后期全市将迎大风降温 2024-05-03 12:46 老王",
    "〓 天气论坛 发布时间 2024/05/03 22:11:42 by 老王 〓",
    "老王 發表於 2024-5-3 11:46:00",
])
def test_post_before_a_longer_reply_is_the_article(settings, header):
    replies = "".join(f"<div>{header}</div><p>{REPLY}{REPLY if i == 0 else ''}</p>" for i in range(3))
    body = f"<div>{HEADLINE}</div><div>{P1}<br>{P2}</div><div>2024年5月3日 阅读(12)</div>{replies}"
    article = html_page(settings, body)
    assert article.paragraphs == (P1, P2)


def test_comment_count_line_ends_the_article(settings):
    article = text_page(settings, HEADLINE, P1, P2, "已有3条评论", REPLY + REPLY)
    assert article.paragraphs == (P1, P2)


# --- related headlines closed by a timestamp or a source ------------------------------------

@pytest.mark.parametrize("stamp", ["2024-05-01", "05-01 10:22", "[05/01]", "（2024年5月1日）", "3小时前", "| 某某日报"])
def test_related_headline_list_after_the_article_is_dropped(settings, stamp):
    # headlines that ask read like sentences: only their stamp tells them from text
    related = [f"寒潮来袭，{name}为何发布蓝色预警？ {stamp}".replace(" [", "[").replace(" （", "（")
               for name in ("北方多地", "南方多省", "西部地区")]
    article = text_page(settings, HEADLINE, P1, P2, P3, *related, "版权所有 © 2024 某某网")
    assert article.paragraphs == (P1, P2, P3)


def test_exclaiming_headline_under_navigation_is_the_title(settings):
    headline = "大风降温来了！这些防护要点请收好！"
    article = text_page(settings, "首页 > 天气 > 正文", headline, P1 + P2, P3)
    assert article.title == headline and article.paragraphs == (P1 + P2, P3)


def test_lead_paragraph_set_apart_above_the_body_is_kept(settings):
    body = (f"<h1>{HEADLINE}</h1><div class='lead'>{P1}</div><div>广告</div>"
            f"<div class='body'>{paragraphs(P2, P3, P2 + P3)}</div>")
    assert html_page(settings, body).paragraphs == (P1, P2, P3, P2 + P3)


@pytest.mark.parametrize("headline", [f"<div>{HEADLINE}</div>", f"<h1>{HEADLINE}</h1>"])
def test_site_name_in_logo_and_title_is_not_the_headline(settings, headline):
    body = f"<h1>某某新闻网</h1>{headline}<div>2024-05-03 来源：某某日报</div><div>{paragraphs(P1, P2, P3)}</div>"
    assert html_page(settings, body, "<title>某某新闻网</title>").title == HEADLINE


def test_interview_question_under_the_headline_is_text(settings):
    question = "记者：本周的大风降温有哪些特点？"
    article = text_page(settings, HEADLINE, question, "气象专家：" + P1 + P2, P3)
    assert article.title == HEADLINE and article.paragraphs[0] == question and article.author is None


def test_author_inside_a_date_line(settings):
    article = text_page(settings, "您当前的位置：首页 > 新闻", HEADLINE, "发布时间：2024年05月03日 作者：李明 浏览次数：1234",
                        P1, P2, P3)
    assert (article.title, article.date, article.author) == (HEADLINE, "2024-05-03", "李明")


def test_article_h1_beats_a_sidebar_h2_above_it(settings):
    body = f"<h2>热点专题</h2><h1>{HEADLINE}</h1><div>{paragraphs(P1, P2, P3)}</div>"
    assert html_page(settings, body, "<title>某某频道</title>").title == HEADLINE


@pytest.mark.parametrize("caption", [" 图为寒潮中的街头", "圖：市民在街頭"])
def test_caption_glued_after_the_headline_is_cut(settings, caption):
    article = text_page(settings, HEADLINE + caption, "2024-05-03 来源：某某日报", P1, P2, P3)
    assert article.title == HEADLINE


def test_summary_box_repeating_the_paragraphs_below_is_dropped(settings):
    article = text_page(settings, HEADLINE, P2 + P3, P1, P2, P3)
    assert article.paragraphs == (P1, P2, P3)
    assert any(r.kind == "repeated-summary" for r in article.repairs)


def test_a_sentence_the_author_repeats_is_kept(settings):
    article = text_page(settings, HEADLINE, P1, P2 + P1, P3)
    assert article.paragraphs == (P1, P2 + P1, P3)


def test_wiki_section_edit_link_is_cut_from_its_heading(settings):
    article = text_page(settings, HEADLINE, P1, "成因[编辑]", P2, "影響[編輯]", P3)
    assert article.paragraphs == (P1, "成因", P2, "影響", P3)


@pytest.mark.parametrize("credit", ["Photo: Reuters", "AFP PHOTO / John Smith", "Tim Cook"])
def test_latin_script_credit_inside_a_chinese_article_is_dropped(settings, credit):
    article = text_page(settings, HEADLINE, P1, credit, P2, P3)
    assert article.paragraphs == (P1, P2, P3)


def test_numbered_heading_over_bulleted_points_stays(settings):
    article = text_page(settings, HEADLINE, P1, "一、防寒保暖措施", "●及时添加衣物", P2, P3)
    assert article.paragraphs == (P1, "一、防寒保暖措施", "●及时添加衣物", P2, P3)


def test_screenshot_title_between_paragraph_and_bulleted_heading_is_dropped(settings):
    article = text_page(settings, HEADLINE, P1, "某气象软件预警页面截屏示意", "●及时添加衣物", P2, P3)
    assert article.paragraphs == (P1, "●及时添加衣物", P2, P3)
