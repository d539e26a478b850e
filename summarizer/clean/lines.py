"""What each line of a page is: article prose, a short heading, or one of the kinds of noise
that scrapers keep (navigation, captions, bylines, lists, notices, spam).

Rules are about the shape and wording of lines in Chinese news pages in general, never about
one site: a rule is worth keeping only if it reads right on pages it was not written for.
Lines reach `classify` in Simplified script (OpenCC), so each rule names the Simplified words
and holds for Traditional pages too; the article keeps the page's own text.
"""
from __future__ import annotations

import re
from enum import Enum

from ..cjk import HAN
from ..sentences import ASCII_EXCLAIM_ASK, CLOSERS, ENDS, EXCLAIM_ASK, FULL_STOP, SEMICOLONS, STOPS


class Kind(Enum):
    PROSE = "prose"          # a sentence-bearing line of article text
    SHORT = "short"          # a short line: a subheading inside the body, or stray navigation outside it
    END = "end"              # (完), (全文完): the article ends here
    META = "meta"            # date, source, author and editor lines: read for metadata, then dropped
    CAPTION = "caption"      # photo captions and credits
    NOISE = "noise"          # navigation, share counters, prompts, list items: dropped
    SPAM = "spam"            # SEO, gambling and porn spam: dropped
    BOUNDARY = "boundary"    # notices, related lists, footers: the article never continues past one
    REPLIES = "replies"      # a reply header or comment count: what follows answers the article


_HAN = re.compile(f"[{HAN}]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# a mark that shows a line holds a sentence: an end, a semicolon too (a clause that stands alone
# is prose as surely), and an English page's '.' before a space or the line's end (not 17.46, www.x.cn)
_SENTENCE_END = re.compile(f"[{ENDS}{SEMICOLONS}]|[.](?:\\s|$)")
_PAUSE = re.compile(r"[，、：,:]|[A-Za-z]\s+[A-Za-z]")
# a short line that ends like a sentence; not with an ellipsis, which trails teasers off ("更多…")
_CLOSED = re.compile(f"[{STOPS}{ASCII_EXCLAIM_ASK}][{CLOSERS}]?$")

_BOUNDARY = re.compile(
    "|".join([
        r"版权(所有|声明|与免责)", r"免责声明|特别声明",
        r"^\s*(?:copyright|©|\(c\))", r"all rights reserved", r"^notice\s*[:：]", r"^disclaimer",
        r"ICP[备证]|[公网]安备|增值电信",
        r"^(相关(新闻|推荐|阅读|文章|链接|报道|報導|专题)|热点推荐|推荐阅读|"
        r"延伸阅读|猜你喜欢|频道推荐|热点排行|热门推荐|新闻推荐|"
        r"为您推荐|更多新闻|往期回顾|点击排行|精彩推荐|今日热点|"
        r"热点阅读|热门文章|最新文章|图文看点)",
        r"(未经|凡未经)\S{0,12}(授权|许可|同意)|(禁止|严禁|不得|谢绝)(任何)?(转载|复制|摘编)|"
        r"^本文(来自|转载自|经授权|系转载)|^(声明)\s*[:：]|^(打开)\S{0,8}(阅读)",
        r"^(责任编辑|本文来源|网站所属|单位地址|联系方式|主办单位)",
        r"^(上一篇|下一篇|上一页|下一页|返回顶部|返回首页|网友评论|发表评论|我要评论)",
        r"^评论[:：(（]|[上下]一篇\s*$|^\S{0,30}(上一篇|下一篇)",
    ]),
    re.I,
)
# where comments and replies begin: a reply header (who and when), a comment count, a trackback
_REPLY_MARK = re.compile(r"^#?\s*re\s*[:：]|\bby\s*\S|发表于|回复于|^(回复|评论|留言)\s*\d*\s*[:：#]|"
                         r"^\d+\s*(楼|#)|(网友)\S{0,12}(评论|说)", re.I)
_STAMP = re.compile(r"(19|20)\d{2}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}|"
                    r"\d{4}\s*at\s*\d{1,2}:\d{2}\s*[ap]m", re.I)
_COMMENTS = re.compile(r"(已有|共有?|共计)\s*\d+\s*(件|条|则|篇)?\s*(评论|回复|留言)|"
                       r"引用通告|trackback|^(网友|读者|最新|热门|全部)(评论|留言)", re.I)
_CAPTION = re.compile(
    "|".join([
        r"^(图为|图片为|图[:：/]|上图|下图|左图|右图|▲|△|▼|↑)",
        r"[（(\s。．·]\S{0,12}\s?摄(\s*[）)])?$", r"(供图|资料图|图片来源|配图)[）)]?$",
        r"^[（(]?(图片|照片|视频)(来源|提供)", r"^(点击)(图片|查看大图)",
    ])
)
# the title of a chart or screenshot, standing alone under the image
_CHART = re.compile(r"(统计|比例|分布|走势|示意图|流程图|截图|图表|对比图|一览|"
                    r"效果图|实拍图|现场图|资料图|宣传图|海报)$")
# an agency credit closing a short line without a sentence: "工廠一景（美聯社）"
# a provider credit alone on a line: "新华社发", "（视觉中国）", "图片来源：某某局"
_PROVIDER = re.compile(r"^[（(]?\s*(新华社|中新社|路透社|路透|法新社|美联社|欧新社|视觉中国|"
                       r"东方IC|图虫|Getty Images?|IC photo|AP|AFP|Reuters|EPA)\s*(发|供图|图|资料图)?\s*[）)]?$",
                       re.I)
_AGENCY_CREDIT = re.compile(r"[（(](美联社|路透|法新社|新华社|中新社|欧新社|美联社资料照|路透社|AP|AFP|Reuters|EPA)[^）)]{0,8}[）)]$")
_META = re.compile(
    "|".join([
        r"^(来源|转自|稿源|出处|作者|编辑|责编|记者|通讯员|撰文|文字|摄影|"
        r"审核|校对|监制|发布时间|发布日期|時間|时间|日期|原标题|信息来源|"
        r"信息及图片来源|文章来源|新闻来源)\s*[:：]",
        r"^[□■●◎]?\s*(本报|本台|本网)(记者|讯|通讯员)",
        r"^(新华社|中新社|人民日报|本报)?(记者)\s*\S{2,16}$",
        r"^[【\[〔]\s*(记者|作者|通讯员)[^】\]〕]{1,20}[】\]〕]$",
        r"^[（(]\s*(记者|通讯员)[^）)]{1,20}[）)]$",
    ])
)
# the original headline a reposting site quotes: never article text, however long
_ORIGINAL_TITLE = re.compile(r"^[（(]?\s*(原标题)\s*[:：]")
_META_INLINE = re.compile(r"(来源|编辑|作者|责编|记者)\s*[:：]")
# a wire dateline opens the article even when it is short: 新华社南昌9月30日电, 中新網四川新聞4月7日電
# (this one, ROC_DATE and EXPANDER are also matched on the page's own text, so they name both scripts)
_DATELINE = re.compile(rf"^[{HAN}A-Za-z]{{2,16}}((19|20)\d{{2}}年)?\d{{1,2}}月\d{{1,2}}日\s*[电電讯訊]")
# year, month, day as groups: lines use it to spot date lines, metadata to read the date
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?")
ROC_DATE = re.compile(r"(?:民國|民国)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")
# furniture whatever its length: breadcrumbs, read counters, summary boxes, app prompts
_NOISE_ANY = re.compile(
    "|".join([
        r"【(纠错|打印|关闭)】", r"^[+＋]?\d+$",
        r"(首页|主页)\s*[>›»/＞]", r"\S\s*[>›»＞]\s*\S.*[>›»＞]", r"^(网站首页|首页)",
        r"(请)?(继续)?(往下|向下)(阅读)|^(继续阅读)",
        r"(APP|App|app)(看新闻|下载)|粉丝团|微信扫|二维码",
        r"^(文章摘要|本文摘要|内容摘要|内容提要|摘要|导读|标签|关键词|本文关键词|tags?)\s*[:：]",
        # a teaser cut off mid-word: "…首家凯悦品牌酒店，广州增城凯悦酒..." (an ellipsis "……" is punctuation, not a cut)
        rf"[\w{HAN}](\.{{3}}|…)$",
        r"(阅读)\s*[:：(（]?\s*\d+|已关闭评论|(阅读)时间|阅读全文",
        r"^(https?://|www\.)\S+$", r"^[\w.+-]+@[\w-]+\.[\w.]+$",
        r"(19|20)\d{2}-\d{2}-\d{2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$",
        # hashtag and tag lines: "#话题#  #话题#"
        r"^(#[^#\s]{1,30}#\s*)+$", r"^(#[^#\s]{1,20}\s+){2,}#?[^#\s]{0,20}$",
        # an advertisement's label standing alone
        r"^(广告|推广|赞助|sponsored|advertisement|ad)$",
        # markdown image stubs left by converters: ![](https://…)
        r"^!\[[^\]]*\]\(",
        # portal widgets: rebroadcast to Weibo, recommended videos, loading…
        r"(分享|转发|转载)(到|至)(新浪)?(微博|微信|朋友圈|QQ空间)",
        r"^(推荐|相关|热门)(视频|影片)$|^(加载中|载入中|正在加载|正在载入|点击加载更多|加载更多|载入更多)",
        # paywall, member-only and expired notices
        r"(本文|文章|内容|该页面|此页面)(已过期|已失效|已被删除|已下线)|"
        r"(会员|付费|订阅)(专享|可见|用户)?(才能)?(阅读|查看|观看)|"
        r"(开通)(会员)|(剩余)\d+%(内容)",
    ]),
    re.I,
)
# furniture only when it is no sentence: "关注我们" is a button, "关注民生，……。" is article text
_NOISE_SHORT = re.compile(
    "|".join([
        r"^(分享到|分享至|分享|收藏|点赞|打印|列印|关闭|字号|纠错|举报|扫一扫)",
        r"^(您的位置|您当前的位置|您当前位置|当前位置|位置)\s*[:：]",
        r"公众号",
        r"^(点击|点我|扫码|下载|关注|订阅|请加入|看更多|加入)",
        r"^\S{0,16}(\d+\s*(阅读|浏览|评论|次|人参与))\s*$",
        r"(电话|邮箱|传真|Email|E-mail)\s*[:：]",
        r"^(无障碍|进入关怀版|繁體|繁体|简体)",
    ]),
    re.I,
)
# "expand the full text": a portal folds the rest of the article behind this button
EXPANDER = re.compile(r"^(展开全文|阅读全文|查看全文|点击展开全文|展开剩余)")
SPAM_WORDS = ("威尼斯人", "现金网", "現金網", "太阳城", "太陽城", "娱乐城", "娛樂城", "棋牌", "骰宝", "骰寶",
              "百家乐", "百家樂", "真人娱乐", "真人娛樂", "博彩", "彩票网", "申博", "皇冠国际", "电玩城", "返水",
              "无码", "無碼", "一区二区", "久久精品", "精品国产", "国产精品", "亚洲AV", "欧美AV", "AV无码",
              "成人视频", "色情", "av在线", "黄色网站", "葡京", "金沙娱乐", "ag代理")
_SPAM = re.compile("|".join(map(re.escape, SPAM_WORDS)), re.I)
_END = re.compile(r"^[（(]\s*(完|全文完|终)\s*[)）]$")





def spam_hits(text: str) -> int:
    return len(_SPAM.findall(text))


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def text_units(text: str) -> int:
    """Length that counts a hanzi and a Latin word alike, so English pages have prose too."""
    return han_count(text) + len(_LATIN_WORD.findall(text))


def is_dateline(line: str) -> bool:
    return bool(_DATELINE.match(line))


def is_prose(line: str) -> bool:
    units = text_units(line)
    if units >= 12:
        # a long line with no punctuation at all is a run of names (a menu, a list of links)
        return bool(_SENTENCE_END.search(line)) or (units >= 40 and bool(_PAUSE.search(line)))
    # a short line is a sentence only when it ends like one: "很高兴又一次和大家见面。"
    return units >= 8 and bool(_CLOSED.search(line))


def classify(line: str) -> Kind:
    """The kind of one stripped, non-empty line."""
    boundary = _BOUNDARY.search(line)
    if boundary and (boundary.start() < 12 or not is_prose(line)):
        return Kind.BOUNDARY
    if _is_reply_header(line):
        return Kind.REPLIES
    hits = spam_hits(line)
    if hits >= 2 or (hits and not is_prose(line)):
        return Kind.SPAM
    if _END.match(line):
        return Kind.END
    if is_dateline(line):
        return Kind.PROSE
    prose = is_prose(line)
    if _is_date_line(line) or _ORIGINAL_TITLE.match(line) or (not prose and (_META.search(line) or _META_INLINE.search(line))):
        return Kind.META
    if _is_caption(line):
        return Kind.CAPTION
    if _NOISE_ANY.search(line) or (not prose and _NOISE_SHORT.search(line)):
        return Kind.NOISE
    if _is_list_item(line) or _is_menu(line) or text_units(line) == 0:
        return Kind.NOISE
    return Kind.PROSE if prose else Kind.SHORT


def _is_reply_header(line: str) -> bool:
    """A comment or reply starts here: its author and time, or the count of comments below."""
    if text_units(line) > 40 or _SENTENCE_END.search(line.rstrip(EXCLAIM_ASK + ASCII_EXCLAIM_ASK)):
        return False
    return bool(_COMMENTS.search(line)) or (bool(_STAMP.search(line)) and bool(_REPLY_MARK.search(line)))


def _is_date_line(line: str) -> bool:
    """A line that is mostly a date or time: the article's dateline block, or a list's timestamp,
    in the Gregorian or the Republic-of-China calendar (民國113年5月3日)."""
    stripped = _TIME.sub("", ROC_DATE.sub("", DATE.sub("", line)))
    has_stamp = bool(DATE.search(line) or ROC_DATE.search(line) or _TIME.search(line))
    return has_stamp and han_count(stripped) <= 2 and len(stripped.strip(" :：-/|")) <= 6


def _is_caption(line: str) -> bool:
    if _PROVIDER.match(line):
        return True
    if _CAPTION.search(line):
        return not is_prose(line) or text_units(line) < 50 or line.startswith(("图为", "▲", "△"))
    if _CHART.search(line) and not _SENTENCE_END.search(line) and text_units(line) <= 30:
        return True
    return bool(_AGENCY_CREDIT.search(line)) and not _SENTENCE_END.search(line[:-6])


def _is_menu(line: str) -> bool:
    """Many short words side by side and no sentence: a channel menu."""
    words = line.split()
    return len(words) >= 4 and max(len(w) for w in words) <= 8 and not _SENTENCE_END.search(line) \
        and not re.search(r"[，,、]", line)


# what closes a headline in a list: "2024-05-03", "05-03 10:22", "[05/03]", "（2024年5月3日）",
# "3小时前", "来源：某某网" or "| 某某网" after the headline
_LIST_STAMP = re.compile(
    r"\s(19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(\s+\d{1,2}:\d{2})?$|\s\d{1,2}[-/]\d{1,2}(\s+\d{1,2}:\d{2})?$|"
    r"[\[(（]((19|20)\d{2}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?[\])）]$|\s\d{1,2}(分钟|小时|天)前$|"
    r"\s+[|｜]\s*\S{2,10}$")


def _is_list_item(line: str) -> bool:
    """A headline in a related-news list: ends with its own date, time or source, or starts with a bullet."""
    if _LIST_STAMP.search(line):
        return FULL_STOP not in _LIST_STAMP.sub("", line)[-2:]  # a sentence dated at its end is text
    return line.startswith(("•", "·")) and not is_prose(line)
