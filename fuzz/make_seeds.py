#!/usr/bin/env python3
"""Writes the seed corpora and dictionaries of the fuzz targets (run by scripts/fuzz.sh).

    python3 fuzz/make_seeds.py OUT_DIR

OUT_DIR/seeds/<target>/  one file per seed, in the input format of the target
                         (see fuzz/src/lib.rs): the captured fixtures
                         (tests/fixtures/**/*.http and *.log), the string
                         literals of the tests and tables of the code the target
                         exercises, and the hand-written seeds in fuzz/seeds/.
OUT_DIR/dict/<target>.dict  libFuzzer dictionary: the string literals of the
                         tables the target matches against (fingerprints, log
                         patterns, transport rules…), so that mutations hit them.

Everything is derived from the repository; nothing is committed but the
hand-written seeds.
"""

import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "crates" / "gatewise-core"
SRC = CORE / "src"
TESTS = CORE / "tests"
FIXTURES = ROOT / "tests" / "fixtures"
HAND = ROOT / "fuzz" / "seeds"

CONTROL = 8  # fuzz/src/lib.rs: CONTROL
SEP = b"\xff"  # fuzz/src/lib.rs: SEPARATOR

# A Rust string literal: "…" with escapes, or r"…" / r#"…"#.
LITERAL = re.compile(rb'r#"(.*?)"#|r"([^"]*)"|"((?:[^"\\\n]|\\.)*)"', re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"0": b"\0", b"\\": b"\\", b'"': b'"', b"'": b"'"}


def unescape(s: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i : i + 1]
        if c == b"\\" and i + 1 < len(s):
            n = s[i + 1 : i + 2]
            if n in ESCAPES:
                out += ESCAPES[n]
                i += 2
                continue
            if n == b"\n":  # line continuation
                i += 2
                while i < len(s) and s[i : i + 1] in b" \t\n":
                    i += 1
                continue
            m = re.match(rb"u\{([0-9a-fA-F]{1,6})\}", s[i + 1 :])
            if m:
                try:
                    out += chr(int(m.group(1), 16)).encode("utf-8", "surrogatepass")
                except ValueError:
                    pass
                i += 1 + m.end()
                continue
            m = re.match(rb"x([0-9a-fA-F]{2})", s[i + 1 :])
            if m:
                out.append(int(m.group(1), 16))
                i += 4
                continue
        out += c
        i += 1
    return bytes(out)


def literals(*paths: Path) -> list[bytes]:
    """Every distinct string literal of the given Rust files (or folders), in order."""
    seen: dict[bytes, None] = {}
    files: list[Path] = []
    for p in paths:
        files += sorted(p.rglob("*.rs")) if p.is_dir() else [p]
    for f in files:
        text = f.read_bytes()
        # Skip comments (doc comments hold examples, which are useful, so only `//` plain).
        for m in LITERAL.finditer(text):
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            value = raw if raw is not None else unescape(m.group(3))
            if value and len(value) <= 4096:
                seen.setdefault(value, None)
    return list(seen)


def fixtures(*suffixes: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix in suffixes]


def hand(target: str) -> list[bytes]:
    d = HAND / target
    return [p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()] if d.is_dir() else []


def hand_lines(name: str) -> list[bytes]:
    f = HAND / name
    if not f.is_file():
        return []
    return [l for l in f.read_bytes().split(b"\n") if l and not l.startswith(b"#")]


def fields(control: bytes, *values: bytes) -> bytes:
    return control.ljust(CONTROL, b"\0")[:CONTROL] + SEP.join(values)


def write(out: Path, target: str, seeds: list[bytes]) -> int:
    d = out / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    n = 0
    for s in seeds:
        if len(s) > 65536:
            s = s[:65536]
        name = hashlib.sha1(s).hexdigest()
        p = d / name
        if not p.exists():
            p.write_bytes(s)
            n += 1
    return n


def dict_entry(word: bytes) -> str | None:
    if not (2 <= len(word) <= 64):
        return None
    out = []
    for b in word:
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C):
            out.append(chr(b))
        else:
            out.append("\\x%02X" % b)
    return '"' + "".join(out) + '"'


def write_dict(out: Path, target: str, words: list[bytes]) -> int:
    d = out / "dict"
    d.mkdir(parents=True, exist_ok=True)
    entries = sorted({e for w in words if (e := dict_entry(w)) is not None})
    (d / f"{target}.dict").write_text("".join(e + "\n" for e in entries))
    return len(entries)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "fuzz" / "target"
    http = fixtures(".http")
    logs = fixtures(".log")
    log_lines = [l for f in logs for l in f.split(b"\n") if l.strip()]
    xss = hand_lines("xss.txt")
    pastes = fixtures(".txt", ".har")

    fp_tables = literals(SRC / "fingerprint", SRC / "fingerprint.rs", SRC / "status" / "cloudflare.rs")
    log_tables = literals(SRC / "logs", SRC / "logs.rs")
    transport_table = literals(SRC / "classify" / "transport.rs")
    negotiate_src = literals(SRC / "render" / "negotiate.rs", TESTS / "render.rs")
    ps_src = literals(SRC / "proxy_status.rs", TESTS / "proxy_status.rs", SRC / "taxonomy.rs")
    ra_src = literals(SRC / "policy" / "retry_after.rs")
    cdn_src = literals(SRC / "cdn_loop.rs")
    nel_src = literals(SRC / "classify" / "nel.rs")
    explain_src = literals(SRC / "explain", SRC / "explain.rs")
    small_src = literals(SRC / "status.rs", SRC / "status", SRC / "render" / "escape.rs", SRC / "advice.rs")

    statuses = [b"502", b"502.3", b"503", b"504", b"520", b"524", b"1016", b"0x80072efd", b"12029"]
    seeds = {
        "classify_response": http + hand("classify_response"),
        "fingerprint": http + hand("fingerprint"),
        "raw_response": http + hand("raw_response"),
        "logs_explain": logs + log_lines + hand("logs_explain"),
        "explain": http + logs + log_lines + pastes + statuses + hand("explain"),
        "paste_parsers": pastes + http + log_lines + hand("paste_parsers"),
        "classify_transport": [fields(b"", l) for l in literals(TESTS / "transport.rs")]
        + [fields(b"\0\x05", b"fetch failed", b"", b"TypeError", l, l, b"Error") for l in transport_table]
        + hand("classify_transport"),
        "classify_nel": [l + b"\n0\nconnection" for l in nel_src] + hand("classify_nel"),
        "negotiate": negotiate_src + hand("negotiate"),
        "proxy_status": ps_src + hand("proxy_status"),
        "retry_after": ra_src + hand("retry_after"),
        "cdn_loop": cdn_src + hand("cdn_loop"),
        "small_parsers": small_src + statuses + hand("small_parsers"),
        # Every field filled with one payload, with several control settings
        # (owner details on, retryable, each language…).
        "render": [
            fields(bytes([t, l, 0xF6, 0x01, lang, flags, 0x23, 5]), *([p] * 20))
            for p in xss
            for (t, l, lang, flags) in [(2, 3, 0, 7), (255, 0, 1, 1), (5, 7, 2, 3)]
        ]
        + [fields(b"\x02\x03\xf6\x01\x00\x07\x23\x05", b"https://shop.example/cart?x=1", b"req-1",
                  b"2026-11-21T06:00:00Z", b"Shop", b"ops@example.com", b"https://status.example.com",
                  b"n0nce", b"/__gatewise/checks.js", b"connect() failed (111: Connection refused)", b"AH01114",
                  b"server: nginx", b"nginx.502_page", b"ExampleCDN", b"connection_refused", b"10.0.0.1:80",
                  b"details", b"rcode")]
        + hand("render"),
    }
    dicts = {
        "classify_response": fp_tables + ps_src,
        "fingerprint": fp_tables,
        "raw_response": fp_tables + [b"HTTP/1.1 ", b"Transfer-Encoding: chunked", b"\r\n\r\n", b"0\r\n\r\n"],
        "logs_explain": log_tables,
        "explain": log_tables + fp_tables + explain_src,
        "paste_parsers": explain_src,
        "classify_transport": transport_table,
        "classify_nel": nel_src,
        "negotiate": negotiate_src + [b";q=", b"q=0.5", b"*/*", b"text/*", b"zh-Hant"],
        "proxy_status": ps_src + [b";error=", b";details=", b";received-status=", b"%\"", b":AQI=:", b"@1659578233", b"?1"],
        "retry_after": ra_src,
        "cdn_loop": cdn_src + [b"gatewise", b";v=1", b", "],
        "small_parsers": small_src,
        "render": xss,
    }
    for target, s in seeds.items():
        n = write(out, target, s)
        k = write_dict(out, target, dicts.get(target, []))
        print(f"{target}: {n} new seeds, {k} dictionary entries")


if __name__ == "__main__":
    main()
