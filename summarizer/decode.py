"""Raw bytes -> text, with the evidence: which encoding, confirmed by a strict decode, and what
could not be read. Undecodable bytes become U+FFFD and are reported, never dropped silently."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .cjk import UNIFIED
from .errors import InputError

# Magic numbers of files users rename to .txt by mistake.
_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or docx/xlsx)", b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable (ELF)", b"MZ": "an executable (Windows)", b"7z\xbc\xaf": "a 7z archive",
    b"Rar!": "a RAR archive", b"BZh": "a bzip2 archive", b"\xfd7zXZ": "an xz archive",
    b"SQLite format 3": "an SQLite database", b"RIFF": "a RIFF media file", b"ID3": "an MP3 file",
}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1b") + b"\x7f"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Chinese legacy encodings, each decoded with its superset so that rare characters survive.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "hz": "gb18030",
             "big5": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs"}
_LEGACY = ("gb18030", "big5hkscs", "shift_jis", "euc_kr")
_CJK = re.compile(f"[{UNIFIED}]")  # a trial decode's hanzi: rare ones hint at a wrong codec
# GB2312 level-1 hanzi: the 3,755 most common characters; their share tells a right decode from a wrong one.
_LEVEL1 = range(0xB0, 0xD8)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...]  # what was wrong with the bytes, for the user: truncation, mixed encodings
    replaced: int           # bytes that could not be decoded and became U+FFFD
    repaired: tuple[tuple[str, int, str], ...]  # (kind, count, example) of fixes made while decoding


def decode(data: bytes, name: str) -> Decoded:
    """Read bytes the way they were written; raise InputError for a file that is no text."""
    if not data.strip():
        raise InputError(name, "empty file (only whitespace)", "check the scrape that produced it")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict_or_damaged(data, codec, name)
    _refuse_binary(data, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data, exc):
            return _utf8_with_damage(data)
        return _legacy(data, name)
    return _whole_file_latin1(text, name) or _latin1_repair(Decoded(text, "utf-8", (), 0, ()))


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(name, f"binary file: looks like {what}, not a text or HTML page",
                             "give summarizer the page dump, not this file")
    head = data[:65536]
    if head.count(0) > max(2, len(head) // 100):
        raise InputError(name, f"binary file: {head.count(0)} NUL bytes in the first {len(head)} bytes",
                         "give summarizer a text or HTML page (UTF-16 needs its byte-order mark)")
    # Text in any encoding we read has next to no C0 control bytes (a stray one is repaired
    # later); compressed, encrypted or random data has about one byte in nine.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(head) // 20):
        raise InputError(name, f"binary file: {controls} control bytes in the first {len(head)} bytes",
                         "give summarizer the page dump, not this file")


def _strict_or_damaged(data: bytes, codec: str, name: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), codec.replace("-sig", "") + ("-bom" if "sig" in codec else ""), (), 0, ())
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        return Decoded(text, codec, (f"bytes not valid {codec} replaced by U+FFFD",), text.count("\ufffd"), ())


def _mostly_utf8(data: bytes, exc: UnicodeDecodeError) -> bool:
    """UTF-8 with a few bad spots (a cut-off end, a pasted GBK line) rather than a legacy file."""
    if exc.start >= len(data) - 3:
        return True
    sample = data.decode("utf-8", errors="replace")
    multibyte = sum(1 for ch in sample if ord(ch) > 0x7F and ch != "\ufffd")
    return multibyte > 4 * sample.count("\ufffd")


def _utf8_with_damage(data: bytes) -> Decoded:
    """Decode line by line: a line that is not UTF-8 may be a legacy encoding pasted in."""
    lines, notes, replaced, foreign = [], [], 0, 0
    for raw in data.split(b"\n"):
        try:
            lines.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        codec = _best_legacy(raw)
        if codec and raw.rstrip(b"\r").strip():
            lines.append(raw.decode(codec))
            foreign += 1
            continue
        text = raw.decode("utf-8", errors="replace")
        replaced += text.count("\ufffd")
        lines.append(text)
    if foreign:
        notes.append(f"{foreign} line(s) were in another encoding than UTF-8 (mixed encodings) and were decoded as such")
    if replaced:
        tail = data.rstrip()[-4:]
        cut = not _valid_utf8_end(tail)
        notes.append("file ends inside a UTF-8 character (truncated)" if cut and replaced <= 3
                     else f"{replaced} byte sequence(s) were not valid UTF-8")
    repaired = (("mixed-encoding", foreign, "lines decoded from a legacy encoding"),) if foreign else ()
    return Decoded("\n".join(lines), "utf-8", tuple(notes), replaced, repaired)


def _valid_utf8_end(tail: bytes) -> bool:
    for i in range(len(tail)):
        try:
            tail[i:].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def _best_legacy(raw: bytes) -> str | None:
    """The legacy codec that decodes these bytes strictly into the most common hanzi."""
    scored = []
    for codec in _LEGACY[:2]:
        try:
            scored.append((_plausibility(raw.decode(codec)), codec))
        except UnicodeDecodeError:
            continue
    best = max(scored, default=None)
    return best[1] if best and best[0] > 0.5 else None


def _plausibility(text: str) -> float:
    """Share of hanzi that are common in either script (GB2312 level 1, or Big5 level 1 via its range)."""
    hanzi = _CJK.findall(text)
    if not hanzi:
        return 1.0 if text.isascii() else 0.0
    return sum(_common(ch) for ch in hanzi) / len(hanzi)


def gb2312_level(ch: str) -> int:
    """1 for GB2312's 3,755 most common hanzi, 2 for the rest of GB2312, 0 outside it."""
    try:
        return 1 if ch.encode("gb2312")[0] in _LEVEL1 else 2
    except (UnicodeEncodeError, IndexError):
        return 0


def _common(ch: str) -> bool:
    level = gb2312_level(ch)
    if level:
        return level == 1
    try:  # Big5 puts frequent characters (A440-C67E) before the less frequent ones
        return 0xA440 <= int.from_bytes(ch.encode("big5"), "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


def _legacy(data: bytes, name: str) -> Decoded:
    from charset_normalizer import from_bytes

    guess = from_bytes(data[:200_000]).best()
    guessed = _SUPERSET.get(guess.encoding, guess.encoding) if guess else None
    candidates = [c for c in dict.fromkeys([guessed, *_LEGACY]) if c]
    decoded = []
    for codec in candidates:
        try:
            decoded.append((_plausibility(data.decode(codec)) + (0.05 if codec == guessed else 0), codec))
        except (UnicodeDecodeError, LookupError):
            continue
    best = max(decoded, default=None)
    if best and best[0] >= _PLAUSIBLE:
        return _latin1_repair(Decoded(data.decode(best[1]), best[1], (), 0, ()))
    # a Chinese page with a few broken bytes reads as some single-byte codec without one hanzi:
    # read it as Chinese and report the broken bytes rather than pick a codec that hides them
    codec = "gb18030" if best is None or _lenient_is_chinese(data) else best[1]
    if best and codec == best[1]:
        return _latin1_repair(Decoded(data.decode(codec), codec, (), 0, ()))
    text = data.decode(codec, errors="replace")
    return Decoded(text, codec, (f"no encoding decodes this file cleanly; read as {codec} with "
                                 f"{text.count(chr(0xFFFD))} undecodable sequence(s)",), text.count("\ufffd"), ())


_PLAUSIBLE = 0.5  # share of common hanzi a right decode of Chinese text reaches easily


def _lenient_is_chinese(data: bytes) -> bool:
    text = data.decode("gb18030", errors="replace")
    return text.count("\ufffd") * 100 <= len(text) and _plausibility(text) >= 0.8


def _whole_file_latin1(text: str, name: str) -> Decoded | None:
    """A whole file decoded once as Latin-1 (or cp1252) and saved again as UTF-8: not one hanzi,
    and its Latin-1 letters, turned back into bytes, read as Chinese. Repaired, and recorded."""
    if _CJK.search(text):
        return None
    high = sum(1 for ch in text if "\u0080" <= ch <= "\u00ff")
    if high < 20:
        return None
    raw = _latin_bytes(text)
    if raw is None:
        return None
    try:
        inner = decode(raw, name)
    except InputError:
        return None
    if _plausibility(inner.text) < _PLAUSIBLE or not _CJK.search(inner.text):
        return None
    return Decoded(inner.text, inner.encoding, inner.notes, inner.replaced,
                   inner.repaired + (("double-encoded-latin1", 1, f"whole file read as Latin-1, then saved as UTF-8; "
                                      f"{inner.encoding} recovered"),))


def _latin_bytes(text: str) -> bytes | None:
    """The bytes a Latin-1/cp1252 decode turned into these characters; None when some never came from one."""
    out = bytearray()
    for ch in text:
        if ord(ch) < 256:
            out.append(ord(ch))
            continue
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            return None
    return bytes(out)


_MOJIBAKE = re.compile(r"[\u00c0-\u00ef][\u0080-\u00bf\u0152-\u2122]{1,2}")


def _latin1_repair(decoded: Decoded) -> Decoded:
    """UTF-8 that went through Latin-1/cp1252 once ('ä¸\xadå\x9b½' for 中国): undo it where it round-trips."""
    text = decoded.text
    if len(_MOJIBAKE.findall(text)) < 3:
        return decoded
    fixed, count, example = _undo_latin1(text)
    if not count:
        return decoded
    return Decoded(fixed, decoded.encoding, decoded.notes, decoded.replaced,
                   decoded.repaired + (("double-encoded-utf8", count, example),))


_RUN = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]{2,}")


def _undo_latin1(text: str) -> tuple[str, int, str]:
    count, example = 0, ""

    def fix(match: re.Match) -> str:
        nonlocal count, example
        run = match.group(0)
        raw = _latin_bytes(run)
        try:
            out = raw.decode("utf-8") if raw else run
        except UnicodeDecodeError:
            return run
        if out != run:
            count += 1
            example = example or f"{run} -> {out}"
        return out

    return _RUN.sub(fix, text), count, example
