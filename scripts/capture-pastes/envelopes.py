#!/usr/bin/env python3
"""Writes tests/fixtures/pastes/envelopes/ and quoted/: log lines and responses captured from real
servers (tests/fixtures/logs, tests/fixtures/responses, Debian 12 packages) put inside the
envelopes that tools wrap them in, each exactly as that tool's documentation or source shows it.
No Docker engine, Kubernetes node or journald runs here, so the envelope is written from the
format's definition (named in manifest.toml); the line inside is a real capture.

    python3 scripts/capture-pastes/envelopes.py
"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests/fixtures/logs"
RESP = ROOT / "tests/fixtures/responses"
OUT = ROOT / "tests/fixtures/pastes"


def lines(path: str) -> list[str]:
    return [l for l in (LOGS / path).read_text().splitlines() if l.strip()]


nginx_refused, nginx_access_502 = lines("nginx/refused.log")[:2]
nginx_timeout = lines("nginx/hang.log")[0]
nginx_closed = lines("nginx/close.log")[0]
haproxy_refused = lines("haproxy/refused.log")[0]


def write(rel: str, text: str) -> None:
    p = OUT / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    print("wrote", p.relative_to(ROOT))


# docker-compose v1 (`name_1  | `) and Compose v2 (`name-1  | `, coloured on a terminal:
# docker/compose pkg/compose/printer.go + formatter: the prefix padded to the longest name).
write("envelopes/compose-v1.log", "".join(f"proxy_1  | {l}\n" for l in (nginx_refused, nginx_access_502)))
esc = "\x1b"
write(
    "envelopes/compose-v2-colour.log",
    f"{esc}[36mapp-1    | {esc}[0m listening on :8000\n"
    f"{esc}[33mproxy-1  | {esc}[0m{nginx_timeout}\n"
    f"{esc}[33mproxy-1  | {esc}[0m{lines('nginx/hang.log')[1]}\n",
)
# kubectl logs --timestamps / docker logs -t: RFC3339Nano before each line.
write("envelopes/kubectl-timestamps.log", f"2026-11-21T06:18:33.123456789Z {nginx_timeout}\n")
# kubectl logs --prefix.
write("envelopes/kubectl-prefix.log", f"[pod/ingress-7d9c/controller] {nginx_closed}\n")
# CRI log format on the node (/var/log/pods/…): time stream tag(F/P) message.
write("envelopes/cri.log", f"2026-11-21T06:18:30.000000001Z stderr F {nginx_refused}\n2026-11-21T06:18:30.000000002Z stdout F {nginx_access_502}\n")
# docker json-file driver: one JSON object per line.
write(
    "envelopes/docker-json-file.log",
    "".join(
        json.dumps({"log": l + "\n", "stream": s, "time": "2026-11-21T06:18:30.123456789Z"}, separators=(",", ":")) + "\n"
        for l, s in ((nginx_refused, "stderr"), (nginx_access_502, "stdout"))
    ),
)
# journalctl -o short (the default), short-iso and json.
write("envelopes/journald-short.log", f"Nov 21 06:18:41 lb1 haproxy[4242]: {haproxy_refused}\n")
write("envelopes/journald-short-iso.log", f"2026-11-21T06:18:33+0000 web1 nginx[17702]: {nginx_timeout}\n")
write(
    "envelopes/journald-json.log",
    json.dumps(
        {
            "__REALTIME_TIMESTAMP": "1795242030000000",
            "_HOSTNAME": "web1",
            "SYSLOG_IDENTIFIER": "nginx",
            "_SYSTEMD_UNIT": "nginx.service",
            "PRIORITY": "3",
            "MESSAGE": nginx_refused,
        },
        separators=(",", ":"),
    )
    + "\n",
)
# forego (Procfile): `name.N  | line`.
write("envelopes/procfile-forego.log", f"nginx.1    | {nginx_access_502}\nnginx.1    | {nginx_refused}\n")
# Markdown as pasted into an issue: a fenced block, a heading, inline code.
write("envelopes/markdown-fenced.md", f"### nginx error.log\n\n```\n{nginx_refused}\n```\n")
write("envelopes/markdown-inline-code.md", f"`{nginx_timeout}`\n")
# An e-mail / Markdown quote of a quote.
write("envelopes/quoted-twice.txt", f"> > {nginx_closed}\n")

# ---- quoted and escaped pastes of a captured nginx 502 response ----
raw = (RESP / "nginx/refused.http").read_bytes().decode("latin-1")
body = raw.split("\r\n\r\n", 1)[1]
write("quoted/json-string.txt", json.dumps(raw) + "\n")
write("quoted/python-bytes-repr.txt", repr(body.encode("latin-1")) + "\n")
write("quoted/php-var-dump.txt", f'string({len(body)}) "{body}"\n')
write(
    "quoted/node-inspect-concatenated.txt",
    "  data: " + " +\n    ".join(repr(l + "\n") for l in body.rstrip("\r\n").split("\r\n")) + "\n",
)
write("quoted/escaped-line-breaks.txt", json.dumps(body)[1:-1] + "\n")

# ---- header dumps (PHP's print_r; the values from captured responses) ----
head = raw.split("\r\n\r\n", 1)[0].split("\r\n")
write("headers/php-print-r-get-headers.txt", "Array\n(\n" + "".join(f"    [{i}] => {h}\n" for i, h in enumerate(head)) + ")\n")
cf = (RESP / "cloudflare/522_connection_timed_out.http").read_bytes().decode("latin-1").split("\r\n\r\n", 1)[0].split("\r\n")
write(
    "headers/php-print-r-named.txt",
    "Array\n(\n" + "".join(f"    [{h.split(': ', 1)[0]}] => {h.split(': ', 1)[1]}\n" for h in cf[1:]) + ")\n",
)

# ---- several artefacts in one paste ----
write(
    "mixed/response-then-error-log.txt",
    raw.replace("\r\n", "\n") + "\n" + "".join(l + "\n" for l in lines("nginx/refused.log")),
)
write(
    "mixed/compose-access-and-error.log",
    f"{esc}[33mproxy-1  | {esc}[0m{lines('nginx/hang.log')[1]}\n"
    f"{esc}[36mapp-1    | {esc}[0m[2026-11-21 06:18:30 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:9)\n"
    f"{esc}[33mproxy-1  | {esc}[0m{nginx_timeout}\n",
)
