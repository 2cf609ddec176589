#!/usr/bin/env python3
"""Capture REAL gateway-failure responses and log lines from real reverse proxies.

What it does
------------
1. Installs what the chosen servers need if it is missing: the Debian packages
   (nginx, apache2, haproxy, varnish, squid, caddy, and those of servers.SPECS;
   apt-get, with a temporary /usr/sbin/policy-rc.d that stops the packages' init
   scripts from starting system-wide daemons), the PyPI packages of servers.SPECS
   into a private venv and its npm packages into a private folder, both under
   $GATEWISE_CAPTURE_DEPS (default /var/tmp/gatewise-capture-deps, never the
   repository). Prints the version of each server.
2. Starts misbehaving upstreams on 127.0.0.1 (threads in this script), one per
   scenario (see SCENARIOS below), plus a tiny DNS stub on 127.0.0.1:53 (udp+tcp) that
   answers NXDOMAIN to every query (used by the `dns` scenario).
3. For each server, writes a config into a temp dir, starts the server as an
   ordinary foreground process (listening on 127.0.0.1 only, ports 18200-18799),
   sends ONE request per scenario over a raw socket
       GET /some/path?x=1 HTTP/1.1
       Host: 127.0.0.1:<port>
       User-Agent: curl/8.0
       Accept: text/html
   and records the raw response bytes exactly as received, plus the lines the
   server appended to its error log and access log while handling it.
   Then it stops the server by the PID it started (SIGTERM, SIGKILL after 10 s).
4. Writes the fixtures (nothing normalised: the bytes are kept as received):
       tests/fixtures/responses/<server>/<scenario>.http
       tests/fixtures/responses/<server>/manifest.toml
       tests/fixtures/logs/<server>/<scenario>.log      (error lines, then access lines)
       tests/fixtures/logs/<server>/manifest.toml
   and refreshes the generated results section of scripts/capture-fixtures/README.md.

Every server runs inside a private mount namespace (`unshare --mount`) in which
/etc/resolv.conf is replaced by `nameserver 127.0.0.1`, so no DNS query can
leave the machine. All traffic is to 127.0.0.1 only.

Rerunning is safe: fixture files are overwritten; in the manifests, tables of
other sources (e.g. source = "transcribed") and keys this script does not own
(e.g. expect_* keys added by hand) are preserved.

Usage (as root, Debian 12, Python 3.11 stdlib only):
    python3 scripts/capture-fixtures/capture.py                 # everything
    python3 scripts/capture-fixtures/capture.py --servers nginx,caddy
    python3 scripts/capture-fixtures/capture.py --scenarios hang,reset --keep-tmp
    python3 scripts/capture-fixtures/capture.py --readme-only   # regenerate README tables
"""
from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import servers

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
README = Path(__file__).resolve().parent / "README.md"

HOST = "127.0.0.1"
UPSTREAM_BASE = 18100          # upstream ports: 18100 + scenario index
DNS_PORT = 53                  # DNS stub (udp); 53 because glibc/squid cannot use another port
PROXY_TIMEOUT = 2              # seconds: connect/read timeouts configured in every proxy
SLOW_HEADERS_DELAY = 4         # seconds: > PROXY_TIMEOUT
CLIENT_TIMEOUT = 20.0          # seconds: give up reading a response after this
IDLE_TIMEOUT = 4.0             # seconds: give up when an incomplete response stalls this long
DNS_NAME = "does-not-exist.invalid"


# --------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    name: str
    upstream: str              # human description, goes into the manifests
    accept: str = "text/html"
    upstream_key: str | None = None   # which upstream behaviour; None = own name
    same_port_as: str | None = None   # send to the proxy port of another scenario


SCENARIOS = [
    Scenario("refused", "nothing listens on the upstream port (connection refused); the port did "
                        "accept connections while the proxy started, like an app that died later"),
    Scenario("refused_again",
             "nothing listens on the upstream port (connection refused); second request to the "
             "same proxy endpoint, sent right after `refused` (shows any 'backend marked down' state)",
             upstream_key="refused", same_port_as="refused"),
    Scenario("refused_json",
             "nothing listens on the upstream port (connection refused); client sends "
             "Accept: application/json (fresh proxy endpoint)",
             accept="application/json", upstream_key="refused"),
    Scenario("hang", f"upstream accepts the connection, reads the request and never answers "
                     f"(proxy timeout {PROXY_TIMEOUT} s)"),
    Scenario("reset", "upstream reads the request, then closes with RST (SO_LINGER 0)"),
    Scenario("close", "upstream reads the request, then closes cleanly without answering (empty reply)"),
    Scenario("garbage", "upstream sends the non-HTTP banner \"SSH-2.0-OpenSSH_9.2\\r\\n\" on accept "
                        "(like sshd), reads the request, closes cleanly"),
    Scenario("huge_header", "upstream answers HTTP/1.1 200 with a 64 KiB header line (X-Huge: 65536 x 'a')"),
    Scenario("truncated", "upstream answers 200 with Content-Length: 100000, sends only 10 body bytes, "
                          "then closes cleanly"),
    Scenario("app_500", "well-formed upstream answer: 500 Internal Server Error, small HTML body "
                        "\"Internal Server Error from app\""),
    Scenario("app_503", "well-formed upstream answer: 503 Service Unavailable with Retry-After: 120, "
                        "small HTML body \"Service Unavailable from app\""),
    Scenario("slow_headers", f"upstream reads the request, waits {SLOW_HEADERS_DELAY} s (proxy timeout "
                             f"{PROXY_TIMEOUT} s), then sends a valid 200"),
    Scenario("dns", f"upstream host name {DNS_NAME} does not resolve: the proxy's resolver "
                    f"(127.0.0.1:53, a stub in the capture script) answers NXDOMAIN"),
]
SCEN = {s.name: s for s in SCENARIOS}


def upstream_port(s: Scenario) -> int:
    key = s.upstream_key or s.name
    return UPSTREAM_BASE + [x.name for x in SCENARIOS].index(key)


# --------------------------------------------------------------------------
# misbehaving upstreams (one listening socket per scenario)
# --------------------------------------------------------------------------
def read_request(conn: socket.socket, timeout: float = 5.0) -> bytes:
    conn.settimeout(timeout)
    buf = b""
    try:
        while b"\r\n\r\n" not in buf:
            chunk = conn.recv(65536)
            if not chunk:
                break
            buf += chunk
    except OSError:
        pass
    return buf


def app_response(code: int, reason: str, extra: str, text: str) -> bytes:
    body = f"<html><body><h1>{text}</h1></body></html>\n".encode()
    head = (f"HTTP/1.1 {code} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n{extra}"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


class Upstreams:
    """Threaded loopback servers implementing the upstream behaviours."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.listeners: list[socket.socket] = []
        self.held: list[socket.socket] = []      # connections of the `hang` upstream
        self.lock = threading.Lock()
        self.seen: dict[str, int] = {}           # connections accepted per behaviour

    def start(self) -> None:
        for s in SCENARIOS:
            if s.upstream_key or s.name in ("refused", "dns"):
                continue
            ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind((HOST, upstream_port(s)))
            ls.listen(64)
            ls.settimeout(0.5)
            self.listeners.append(ls)
            threading.Thread(target=self._accept_loop, args=(ls, s.name), daemon=True).start()
        # `refused` must really be refused
        port = upstream_port(SCEN["refused"])
        try:
            socket.create_connection((HOST, port), timeout=2).close()
            raise SystemExit(f"port {port} (scenario refused) is open; something listens there")
        except ConnectionRefusedError:
            pass

    def open_placeholder(self) -> None:
        """Listen on the `refused` port while a proxy starts, so that start-up probes
        (squid probes its cache_peers) see the upstream up - like an app that crashes
        after the proxy started. Closed again before the first request."""
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((HOST, upstream_port(SCEN["refused"])))
        ls.listen(64)
        ls.settimeout(0.2)
        self.placeholder = ls
        threading.Thread(target=self._accept_loop, args=(ls, "placeholder"), daemon=True).start()

    def close_placeholder(self) -> None:
        ls, self.placeholder = getattr(self, "placeholder", None), None
        if ls:
            ls.close()
            time.sleep(0.3)
        port = upstream_port(SCEN["refused"])
        try:
            socket.create_connection((HOST, port), timeout=2).close()
            raise SystemExit(f"port {port} (scenario refused) is open; something listens there")
        except ConnectionRefusedError:
            pass

    def _accept_loop(self, ls: socket.socket, behaviour: str) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = ls.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.seen[behaviour] = self.seen.get(behaviour, 0) + 1
            if behaviour == "placeholder":
                conn.close()
                continue
            threading.Thread(target=self._handle, args=(conn, behaviour), daemon=True).start()

    def _handle(self, conn: socket.socket, behaviour: str) -> None:
        try:
            if behaviour == "garbage":
                conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
            read_request(conn)
            if behaviour == "hang":
                with self.lock:
                    self.held.append(conn)
                return                                  # closed in shutdown()
            if behaviour == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif behaviour == "huge_header":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Huge: " + b"a" * 65536
                             + b"\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
            elif behaviour == "truncated":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: 100000\r\n\r\n0123456789")
            elif behaviour == "app_500":
                conn.sendall(app_response(500, "Internal Server Error", "",
                                          "Internal Server Error from app"))
            elif behaviour == "app_503":
                conn.sendall(app_response(503, "Service Unavailable", "Retry-After: 120\r\n",
                                          "Service Unavailable from app"))
            elif behaviour == "slow_headers":
                if self.stop.wait(SLOW_HEADERS_DELAY):
                    return
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 14\r\n"
                             b"Connection: close\r\n\r\nslow response\n")
            # close / garbage: nothing more to send
            if behaviour != "reset":
                conn.shutdown(socket.SHUT_WR)
                read_request(conn, timeout=1.0)           # drain, so close() does not RST
        except OSError:
            pass
        finally:
            if behaviour != "hang":
                conn.close()

    def shutdown(self) -> None:
        self.stop.set()
        for s in self.listeners + self.held:
            try:
                s.close()
            except OSError:
                pass


class DnsStub:
    """Answers NXDOMAIN to every query on 127.0.0.1:53, over UDP and TCP
    (Caddy's dynamic upstream resolver queries over TCP)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((HOST, DNS_PORT))
        self.sock.settimeout(0.5)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((HOST, DNS_PORT))
        self.tcp.listen(16)
        self.tcp.settimeout(0.5)
        self.stop = threading.Event()
        self.queries: list[str] = []

    def start(self) -> None:
        threading.Thread(target=self._loop, daemon=True).start()
        threading.Thread(target=self._tcp_loop, daemon=True).start()

    def _tcp_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    buf = b""
                    while True:                      # several length-prefixed queries
                        while len(buf) < 2 or len(buf) < 2 + struct.unpack(">H", buf[:2])[0]:
                            chunk = conn.recv(4096)
                            if not chunk:
                                raise EOFError
                            buf += chunk
                        n = struct.unpack(">H", buf[:2])[0]
                        q, buf = buf[2:2 + n], buf[2 + n:]
                        reply, name = self._nxdomain(q)
                        self.queries.append(name + " (tcp)")
                        conn.sendall(struct.pack(">H", len(reply)) + reply)
                except (OSError, EOFError, IndexError, struct.error):
                    pass

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                q, addr = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                reply, name = self._nxdomain(q)
            except (IndexError, struct.error):
                continue
            self.queries.append(name)
            self.sock.sendto(reply, addr)

    @staticmethod
    def _nxdomain(q: bytes) -> tuple[bytes, str]:
        flags, qd = struct.unpack(">HH", q[2:6])
        i, labels = 12, []
        while q[i]:
            labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
            i += 1 + q[i]
        i += 5                                             # zero byte + QTYPE + QCLASS
        qtype = struct.unpack(">H", q[i - 4:i - 2])[0]
        # QR=1, opcode copied, AA=1, RD copied, RA=1, RCODE=3 (NXDOMAIN)
        rflags = 0x8000 | (flags & 0x7800) | 0x0400 | (flags & 0x0100) | 0x0080 | 3
        reply = q[:2] + struct.pack(">HHHHH", rflags, 1 if qd else 0, 0, 0, 0) + q[12:i]
        return reply, f"{'.'.join(labels)} type={qtype}"

    def shutdown(self) -> None:
        self.stop.set()
        self.sock.close()
        self.tcp.close()


# --------------------------------------------------------------------------
# raw HTTP client
# --------------------------------------------------------------------------
def _chunked_complete(body: bytes) -> bool:
    pos = 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            return False
        try:
            size = int(body[pos:eol].split(b";")[0].strip() or b"x", 16)
        except ValueError:
            return False
        pos = eol + 2
        if size == 0:
            rest = body[pos:]
            return rest.startswith(b"\r\n") or b"\r\n\r\n" in rest
        pos += size + 2
        if pos > len(body):
            return False


def response_complete(buf: bytes) -> bool:
    end = buf.find(b"\r\n\r\n")
    if end < 0 or not buf.startswith(b"HTTP/"):
        return False                       # headers incomplete, or not HTTP: read to close
    lines = buf[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split()
    code = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    if code in (204, 304):
        return True
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    body = buf[end + 4:]
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _chunked_complete(body)
    if headers.get("content-length", "").isdigit():
        return len(body) >= int(headers["content-length"])
    return False


@dataclass
class Exchange:
    raw: bytes
    ended: str          # complete | eof | reset | idle | timeout
    elapsed_ms: int


def http_get(port: int, accept: str, target: str = "/some/path?x=1", host: str | None = None) -> Exchange:
    """One request. A forward proxy gets the absolute-form `target` (http://upstream/...)
    and the upstream's `host`; a reverse proxy the origin-form and its own address."""
    req = (f"GET {target} HTTP/1.1\r\nHost: {host or f'{HOST}:{port}'}\r\nUser-Agent: curl/8.0\r\n"
           f"Accept: {accept}\r\n\r\n").encode()
    t0 = time.monotonic()
    buf = b""
    ended = "timeout"
    try:
        s = socket.create_connection((HOST, port), timeout=5)
    except ConnectionRefusedError:        # the proxy itself is gone (e.g. crashed on an earlier request)
        return Exchange(b"", "refused", int((time.monotonic() - t0) * 1000))
    with s:
        s.sendall(req)
        while True:
            left = CLIENT_TIMEOUT - (time.monotonic() - t0)
            if left <= 0:
                break
            s.settimeout(min(left, IDLE_TIMEOUT) if buf else left)
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                ended = "idle" if buf and left > IDLE_TIMEOUT else "timeout"
                break
            except ConnectionResetError:
                ended = "reset"
                break
            if not chunk:
                ended = "eof"
                break
            buf += chunk
            if response_complete(buf):
                ended = "complete"
                break
    return Exchange(buf, ended, int((time.monotonic() - t0) * 1000))


# --------------------------------------------------------------------------
# process helpers (every process is stopped by the PID we started)
# --------------------------------------------------------------------------
def children_of(pid: int) -> list[int]:
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                kids.append(int(d))
                kids.extend(children_of(int(d)))
    return kids


def start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat: tells a process from a later one with the same PID."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def stop_pid(proc: subprocess.Popen, label: str) -> None:
    if proc.poll() is not None:
        return
    kids = [(k, start_time(k)) for k in children_of(proc.pid)]
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        print(f"  {label}: pid {proc.pid} ignored SIGTERM, sending SIGKILL")
        proc.kill()
        proc.wait()
    time.sleep(0.3)
    for k, started in kids:             # children the server itself should have reaped
        if started is not None and start_time(k) == started:
            try:
                os.kill(k, signal.SIGKILL)
                print(f"  {label}: killed leftover child pid {k}")
            except ProcessLookupError:
                pass


def listening(port: int) -> bool:
    want = f"{socket.inet_aton(HOST)[::-1].hex().upper()}:{port:04X}"
    try:
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            f = line.split()
            if f[1] == want and f[3] == "0A":
                return True
        return False
    except OSError:
        with socket.socket() as s:
            return s.connect_ex((HOST, port)) == 0


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
            return True
        except OSError:
            return False


def sh(cmd: list[str]) -> str:
    r = subprocess.run(cmd, capture_output=True, text=True)
    return (r.stdout + r.stderr).strip()


def deb_version(pkg: str) -> str:
    return sh(["dpkg-query", "-W", "-f", "${Version}", pkg])


DEBIAN_MAJOR = (Path("/etc/debian_version").read_text().split(".")[0].strip()
                if Path("/etc/debian_version").exists() else "?")


# --------------------------------------------------------------------------
# servers
# --------------------------------------------------------------------------
@dataclass
class LogFile:
    label: str          # e.g. "error.log" - goes into the logs manifest
    path: Path
    kind: str           # "error" | "access"


class Server:
    name = ""
    package = ""
    base_port = 0
    no_dns_reason = ""          # non-empty: `dns` is skipped for this server
    log_settle = 0.8            # seconds to wait at least for log lines after a response

    def __init__(self, tmp: Path) -> None:
        self.dir = tmp / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)
        self.procs: list[tuple[subprocess.Popen, str]] = []

    # -- ports
    def port(self, s: Scenario) -> int:
        s = SCEN[s.same_port_as] if s.same_port_as else s
        return self.base_port + SCENARIOS.index(s)

    def endpoints(self) -> list[Scenario]:
        """Scenarios that need their own proxy endpoint (listen port + upstream definition)."""
        return [s for s in SCENARIOS if not s.same_port_as
                and not (s.name == "dns" and self.no_dns_reason)]

    def upstream_addr(self, s: Scenario) -> str:
        return f"{HOST}:{upstream_port(s)}"

    def request_target(self, s: Scenario) -> tuple[str, str | None]:
        """(request target, Host header or None for the proxy's own address)."""
        return "/some/path?x=1", None

    # -- to implement
    def version(self) -> str: ...
    def write_config(self) -> None: ...
    def command(self) -> list[str]: ...
    def commands(self) -> list[list[str]]:
        return [self.command()]
    def logs(self) -> list[LogFile]: ...
    def env(self) -> dict[str, str]:
        return dict(os.environ)
    def after_start(self) -> None:
        pass

    # -- lifecycle
    def start(self, resolv: Path, use_unshare: bool) -> None:
        for s in self.endpoints():
            if not port_free(self.port(s)):
                raise SystemExit(f"{self.name}: port {self.port(s)} is busy (leftover process?)")
        self.write_config()
        for cmd in self.commands():
            if use_unshare:       # private mount namespace with a loopback-only resolv.conf
                cmd = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                       'mount --bind "$0" /etc/resolv.conf && exec "$@"', str(resolv), *cmd]
            out = open(self.dir / "stdout.txt", "ab")      # append: several processes may share them
            err = open(self.dir / "stderr.txt", "ab")
            p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                 env=self.env(), cwd=self.dir)
            self.procs.append((p, self.name))
            print(f"  started {self.name} pid {p.pid}")
        deadline = time.monotonic() + 30
        while not all(listening(self.port(s)) for s in self.endpoints()):
            dead = [p for p, _ in self.procs if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{self.name} pid {dead[0].pid} exited with {dead[0].returncode}:\n"
                                   + (self.dir / "stderr.txt").read_text(errors="replace")[-3000:]
                                   + (self.dir / "stdout.txt").read_text(errors="replace")[-3000:])
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not listen on all ports within 30 s")
            time.sleep(0.1)
        self.after_start()
        time.sleep(1.5)       # let start-up log lines (and e.g. first DNS resolutions) settle

    def spawn_aux(self, cmd: list[str], label: str, stdout: Path | None = None) -> None:
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL
        p = subprocess.Popen(cmd, stdout=out, stderr=open(self.dir / f"{label}.stderr", "wb"),
                             stdin=subprocess.DEVNULL, cwd=self.dir)
        self.procs.append((p, label))
        print(f"  started {label} pid {p.pid}")

    def stop(self) -> None:
        for p, label in reversed(self.procs):
            stop_pid(p, label)
            print(f"  stopped {label} pid {p.pid} (exit {p.returncode})")
        self.procs.clear()


class Nginx(Server):
    name, package, base_port = "nginx", "nginx", 18200

    def version(self) -> str:
        v = sh(["nginx", "-v"]).split("version:")[-1].strip()
        return f"{v} (Debian {DEBIAN_MAJOR}, package nginx {deb_version('nginx')})"

    def write_config(self) -> None:
        d = self.dir
        servers = []
        for s in self.endpoints():
            if s.name == "dns":
                loc = (f"            resolver {HOST}:{DNS_PORT} ipv6=off;\n"
                       f"            resolver_timeout {PROXY_TIMEOUT}s;\n"
                       f"            set $upstream_host {DNS_NAME};\n"
                       f"            proxy_pass http://$upstream_host;\n")
            else:
                loc = f"            proxy_pass http://{self.upstream_addr(s)};\n"
            servers.append(f"    server {{  # {s.name}\n        listen {HOST}:{self.port(s)};\n"
                           f"        location / {{\n{loc}        }}\n    }}\n")
        (d / "nginx.conf").write_text(f"""\
daemon off;
master_process on;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log combined;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy_temp;
    fastcgi_temp_path {d}/fastcgi_temp;
    uwsgi_temp_path {d}/uwsgi_temp;
    scgi_temp_path {d}/scgi_temp;
    proxy_connect_timeout {PROXY_TIMEOUT}s;
    proxy_send_timeout {PROXY_TIMEOUT}s;
    proxy_read_timeout {PROXY_TIMEOUT}s;
{''.join(servers)}}}
""")

    def command(self) -> list[str]:
        return ["nginx", "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
                "-e", str(self.dir / "error.log")]

    def logs(self) -> list[LogFile]:
        return [LogFile("error.log", self.dir / "error.log", "error"),
                LogFile("access.log", self.dir / "access.log", "access")]


class Apache(Server):
    name, package, base_port = "apache", "apache2", 18300

    def version(self) -> str:
        v = sh(["apache2", "-v"]).splitlines()[0].split("version:")[-1].strip()
        return f"{v.replace(' (Debian)', '')} (Debian {DEBIAN_MAJOR}, package apache2 {deb_version('apache2')})"

    def write_config(self) -> None:
        d = self.dir
        mods = "/usr/lib/apache2/modules"
        vhosts = []
        for s in self.endpoints():
            target = f"http://{DNS_NAME}/" if s.name == "dns" else f"http://{self.upstream_addr(s)}/"
            vhosts.append(f"""\
Listen {HOST}:{self.port(s)}
<VirtualHost {HOST}:{self.port(s)}>
    # {s.name}
    ProxyPass "/" "{target}" connectiontimeout={PROXY_TIMEOUT} timeout={PROXY_TIMEOUT}
    ProxyPassReverse "/" "{target}"
</VirtualHost>
""")
        (d / "apache2.conf").write_text(f"""\
ServerRoot "{d}"
ServerName localhost
PidFile {d}/apache2.pid
DefaultRuntimeDir {d}
Mutex file:{d} default
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule proxy_module {mods}/mod_proxy.so
LoadModule proxy_http_module {mods}/mod_proxy_http.so
User www-data
Group www-data
StartServers 1
ServerLimit 1
ThreadsPerChild 25
MaxRequestWorkers 25
Timeout 30
ProxyTimeout {PROXY_TIMEOUT}
ErrorLog {d}/error.log
LogLevel warn
LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{{Referer}}i\\" \\"%{{User-Agent}}i\\"" combined
CustomLog {d}/access.log combined
{''.join(vhosts)}""")

    def command(self) -> list[str]:
        return ["apache2", "-f", str(self.dir / "apache2.conf"), "-DFOREGROUND"]

    def logs(self) -> list[LogFile]:
        return [LogFile("error.log", self.dir / "error.log", "error"),
                LogFile("access.log", self.dir / "access.log", "access")]


class Haproxy(Server):
    name, package, base_port = "haproxy", "haproxy", 18400

    def version(self) -> str:
        v = sh(["haproxy", "-v"]).splitlines()[0].split()[2]
        return f"HAProxy {v} (Debian {DEBIAN_MAJOR}, package haproxy {deb_version('haproxy')})"

    def write_config(self) -> None:
        blocks = []
        for s in self.endpoints():
            if s.name == "dns":
                server = f"server app {DNS_NAME}:80 resolvers localdns init-addr none resolve-prefer ipv4"
            else:
                server = f"server app {self.upstream_addr(s)}"
            blocks.append(f"""\
frontend fe_{s.name}
    bind {HOST}:{self.port(s)}
    default_backend be_{s.name}

backend be_{s.name}
    {server}

""")
        (self.dir / "haproxy.cfg").write_text(f"""\
global
    log stdout format raw local0
    maxconn 256

defaults
    mode http
    log global
    option httplog
    timeout connect {PROXY_TIMEOUT}s
    timeout server {PROXY_TIMEOUT}s
    timeout client 30s

resolvers localdns
    nameserver stub {HOST}:{DNS_PORT}
    resolve_retries 2
    timeout resolve 1s
    timeout retry 1s

{''.join(blocks)}""")

    def command(self) -> list[str]:
        return ["haproxy", "-db", "-f", str(self.dir / "haproxy.cfg")]

    def logs(self) -> list[LogFile]:
        # `log stdout format raw` + `option httplog`: one stream, the traffic log
        return [LogFile("stdout (log stdout format raw local0; option httplog)",
                        self.dir / "stdout.txt", "access")]


class Varnish(Server):
    name, package, base_port = "varnish", "varnish", 18500
    no_dns_reason = ("backend .host is resolved once when the VCL is compiled (an unresolvable "
                     "name makes the VCL fail to load); there is no request-time resolution")

    def version(self) -> str:
        v = re.sub(r"\s+", " ", sh(["varnishd", "-V"]).splitlines()[0]).strip()
        m = re.search(r"(varnish-\S+) revision (\w{7})", v)
        v = f"{m.group(1)} revision {m.group(2)}" if m else v
        return f"{v} (Debian {DEBIAN_MAJOR}, package varnish {deb_version('varnish')})"

    def write_config(self) -> None:
        backends, ifs = [], []
        for i, s in enumerate(self.endpoints()):
            backends.append(f'backend b_{s.name} {{ .host = "{HOST}"; .port = "{upstream_port(s)}"; }}\n')
            ifs.append(f'    {"if" if i == 0 else "} elsif"} (local.socket == "{s.name}") {{\n'
                       f'        set req.backend_hint = b_{s.name};\n')
        (self.dir / "default.vcl").write_text(
            "vcl 4.1;\n\n" + "".join(backends) + "\nsub vcl_recv {\n" + "".join(ifs) + "    }\n}\n")

    def command(self) -> list[str]:
        cmd = ["varnishd", "-F", "-n", str(self.dir / "work"), "-f", str(self.dir / "default.vcl"),
               "-T", "none", "-s", "malloc,64m",
               "-p", f"connect_timeout={PROXY_TIMEOUT}", "-p", f"first_byte_timeout={PROXY_TIMEOUT}",
               "-p", f"between_bytes_timeout={PROXY_TIMEOUT}",
               "-p", "thread_pools=1", "-p", "thread_pool_min=10"]
        for s in self.endpoints():
            cmd += ["-a", f"{s.name}={HOST}:{self.port(s)}"]
        return cmd

    def after_start(self) -> None:
        work = str(self.dir / "work")
        # "error log": FetchError/Error records as varnishlog prints them (raw grouping, one per line)
        self.spawn_aux(["varnishlog", "-n", work, "-g", "raw", "-u", "-i", "FetchError,Error"],
                       "varnishlog", stdout=self.dir / "varnishlog.txt")
        # access log: varnishncsa, default (NCSA combined) format
        self.spawn_aux(["varnishncsa", "-n", work, "-w", str(self.dir / "varnishncsa.txt")],
                       "varnishncsa")
        time.sleep(1.0)

    def logs(self) -> list[LogFile]:
        return [LogFile("varnishlog -g raw -i FetchError,Error", self.dir / "varnishlog.txt", "error"),
                LogFile("varnishncsa", self.dir / "varnishncsa.txt", "access")]


class Squid(Server):
    name, package, base_port = "squid", "squid", 18600

    def version(self) -> str:
        v = sh(["squid", "-v"]).splitlines()[0].split("Version")[-1].strip()
        return f"squid/{v} (Debian {DEBIAN_MAJOR}, package squid {deb_version('squid')})"

    def write_config(self) -> None:
        d = self.dir
        parts = []
        for s in self.endpoints():
            n = s.name
            if n == "dns":
                # accelerator without cache_peer: squid resolves defaultsite itself, per request
                parts.append(f"http_port {HOST}:{self.port(s)} accel defaultsite={DNS_NAME} no-vhost name=p_{n}\n"
                             f"acl a_{n} myportname p_{n}\n"
                             f"always_direct allow a_{n}\n"
                             f"never_direct deny a_{n}\n\n")
                continue
            parts.append(f"http_port {HOST}:{self.port(s)} accel defaultsite={HOST} no-vhost name=p_{n}\n"
                         f"cache_peer {HOST} parent {upstream_port(s)} 0 no-query no-digest "
                         f"originserver name=u_{n}\n"
                         f"acl a_{n} myportname p_{n}\n"
                         f"cache_peer_access u_{n} allow a_{n}\n"
                         f"cache_peer_access u_{n} deny all\n\n")
        (d / "squid.conf").write_text(f"""\
# reverse proxy (accelerator) mode, one http_port + cache_peer per scenario
{''.join(parts)}never_direct allow all
http_access allow all
cache deny all
cache_mem 8 MB
visible_hostname localhost
dns_nameservers {HOST}
pid_filename {d}/squid.pid
cache_log {d}/cache.log
access_log stdio:{d}/access.log squid
cache_store_log none
coredump_dir {d}
netdb_filename none
icp_port 0
htcp_port 0
pinger_enable off
logfile_rotate 0
shutdown_lifetime 1 seconds
connect_timeout {PROXY_TIMEOUT} seconds
peer_connect_timeout {PROXY_TIMEOUT} seconds
read_timeout {PROXY_TIMEOUT} seconds
request_timeout 30 seconds
cache_effective_user proxy
""")
        shutil.chown(d, "proxy", "proxy")

    def command(self) -> list[str]:
        return ["squid", "-N", "-f", str(self.dir / "squid.conf")]

    def logs(self) -> list[LogFile]:
        return [LogFile("cache.log", self.dir / "cache.log", "error"),
                LogFile("access.log", self.dir / "access.log", "access")]


class Caddy(Server):
    name, package, base_port = "caddy", "caddy", 18700

    def version(self) -> str:
        return f"Caddy v{sh(['caddy', 'version']).split()[0].lstrip('v')} " \
               f"(Debian {DEBIAN_MAJOR}, package caddy {deb_version('caddy')})"

    def write_config(self) -> None:
        d = self.dir
        transport = (f"\t\ttransport http {{\n\t\t\tdial_timeout {PROXY_TIMEOUT}s\n"
                     f"\t\t\tresponse_header_timeout {PROXY_TIMEOUT}s\n\t\t}}\n")
        sites = []
        for s in self.endpoints():
            if s.name == "dns":
                rp = (f"\treverse_proxy {{\n\t\tdynamic a {DNS_NAME} 80 {{\n"
                      f"\t\t\tresolvers {HOST}:{DNS_PORT}\n\t\t}}\n{transport}\t}}\n")
            else:
                rp = f"\treverse_proxy {self.upstream_addr(s)} {{\n{transport}\t}}\n"
            sites.append(f"# {s.name}\nhttp://{HOST}:{self.port(s)} {{\n\tbind {HOST}\n"
                         f"\tlog {{\n\t\toutput file {d}/access.log\n\t\tformat json\n\t}}\n{rp}}}\n\n")
        (d / "Caddyfile").write_text(f"""\
{{
\tadmin off
\tauto_https off
\tstorage file_system {d}/data
\tlog {{
\t\toutput file {d}/error.log
\t\tformat json
\t}}
}}

{''.join(sites)}""")

    def command(self) -> list[str]:
        return ["caddy", "run", "--config", str(self.dir / "Caddyfile"), "--adapter", "caddyfile"]

    def env(self) -> dict[str, str]:
        e = dict(os.environ)
        e.update(HOME=str(self.dir), XDG_DATA_HOME=str(self.dir / "data"),
                 XDG_CONFIG_HOME=str(self.dir / "config"))
        return e

    def logs(self) -> list[LogFile]:
        return [LogFile("error.log (default logger)", self.dir / "error.log", "error"),
                LogFile("access.log", self.dir / "access.log", "access")]


DEPS = Path(os.environ.get("GATEWISE_CAPTURE_DEPS", "/var/tmp/gatewise-capture-deps"))


class SpecServer(Server):
    """A server described by a row of servers.SPECS (see servers.py)."""
    spec: servers.Spec
    log_settle = 1.5            # lighttpd and others flush their logs on a 1 s timer

    def port(self, s: Scenario) -> int:
        return self.base_port if self.spec.mode == "forward" else super().port(s)

    def endpoints(self) -> list[Scenario]:
        ends = super().endpoints()
        return ends[:1] if self.spec.mode == "forward" else ends

    def request_target(self, s: Scenario) -> tuple[str, str | None]:
        if self.spec.mode != "forward":
            return super().request_target(s)
        authority = DNS_NAME if s.name == "dns" else self.upstream_addr(s)
        return f"http://{authority}/some/path?x=1", authority

    def ctx(self, end: servers.Endpoint | None = None) -> servers.Ctx:
        if self.spec.mode == "forward":
            ends = [servers.Endpoint("*", self.base_port, HOST, 0)]
        else:
            ends = [servers.Endpoint(s.name, self.port(s), DNS_NAME if s.name == "dns" else HOST,
                                     80 if s.name == "dns" else upstream_port(s))
                    for s in self.endpoints()]
        return servers.Ctx(self.dir, HOST, PROXY_TIMEOUT, DNS_NAME, DNS_PORT, ends,
                           DEPS / "venv", DEPS / "node", end)

    def fill(self, text: str) -> str:
        return (text.replace("{d}", str(self.dir)).replace("{venv}", str(DEPS / "venv"))
                .replace("{node}", str(DEPS / "node")))

    def version(self) -> str:
        cmd, rx = self.spec.version
        out = sh([self.fill(x) for x in cmd])
        m = re.search(rx, out)
        product = m.group(1) if m else out.splitlines()[0] if out else "?"
        kind, _, pkg = self.spec.origin.partition(":")
        if kind == "apt":
            return f"{product} (Debian {DEBIAN_MAJOR}, package {pkg} {deb_version(pkg)})"
        if kind == "pip":
            name = re.split(r"[=<>]", pkg)[0]
            py = str(DEPS / "venv/bin/python")
            dist = sh([py, "-c", "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))", name])
            return f"{name} {dist} ({product}; PyPI, Python {sh([py, '-V']).split()[-1]})"
        name = pkg.rsplit("@", 1)[0]
        return f"{name} {product} (npm, Node.js {sh(['node', '--version'])})"

    def write_config(self) -> None:
        ctxs = [self.ctx(e) for e in self.ctx().ends] if self.spec.per_endpoint else [self.ctx()]
        for c in ctxs:
            for fname, text in self.spec.files(c).items():
                f = self.dir / fname
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(text)
        if self.spec.owner:
            for p in [self.dir, *self.dir.rglob("*")]:
                shutil.chown(p, self.spec.owner)

    def env(self) -> dict[str, str]:
        e = dict(os.environ, GATEWISE_NODE_DEPS=str(DEPS / "node"))
        e.update({k: self.fill(v) for k, v in self.spec.env.items()})
        return e

    def commands(self) -> list[list[str]]:
        if self.spec.per_endpoint:
            return [self.spec.command(self.ctx(e)) for e in self.ctx().ends]
        return [self.spec.command(self.ctx())]

    def logs(self) -> list[LogFile]:
        return [LogFile(label, self.dir / fname, kind) for label, fname, kind in self.spec.logs]


def spec_server(spec: servers.Spec) -> type[SpecServer]:
    return type(f"Spec_{spec.name}", (SpecServer,), {
        "spec": spec, "name": spec.name, "package": spec.origin, "base_port": spec.base_port,
        "no_dns_reason": spec.no_dns_reason, "log_settle": spec.log_settle})


SERVERS = [Nginx, Apache, Haproxy, Varnish, Squid, Caddy] + [spec_server(x) for x in servers.SPECS]


# --------------------------------------------------------------------------
# log tapping
# --------------------------------------------------------------------------
def size(p: Path) -> int:
    try:
        return p.stat().st_size
    except FileNotFoundError:
        return 0


def wait_logs_settle(logs: list[LogFile], min_wait=0.8, quiet=0.5, max_wait=5.0) -> None:
    t0 = time.monotonic()
    last = [size(lf.path) for lf in logs]
    last_change = t0
    while True:
        time.sleep(0.1)
        now = time.monotonic()
        cur = [size(lf.path) for lf in logs]
        if cur != last:
            last, last_change = cur, now
        if now - t0 >= min_wait and now - last_change >= quiet:
            return
        if now - t0 >= max_wait:
            return


def read_from(p: Path, offset: int) -> bytes:
    try:
        with open(p, "rb") as f:
            f.seek(offset)
            return f.read()
    except FileNotFoundError:
        return b""


# --------------------------------------------------------------------------
# manifests (merge: keep foreign tables and keys we do not own)
# --------------------------------------------------------------------------
OWNED_KEYS = {"source", "server", "upstream", "captured", "request_accept", "ended", "elapsed_ms",
              "response_bytes", "request_target",
              "error_file", "error_lines", "access_file", "access_lines"}


def toml_str(v) -> str:
    if isinstance(v, int):
        return str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_tables(text: str) -> list[tuple[str | None, list[str]]]:
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        m = re.match(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if m:
            blocks.append((m.group(1).strip().strip('"'), [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def write_manifest(path: Path, tables: dict[str, dict]) -> None:
    old = path.read_text() if path.exists() else ""
    blocks = split_tables(old)
    old_by_name = {n: lines for n, lines in blocks if n}
    out = ["# Generated by scripts/capture-fixtures/capture.py for source = \"captured\" tables;",
           "# other tables and extra keys (e.g. expect_*) are preserved on rerun.", ""]
    for name, kv in tables.items():
        out.append(f"[{name}]")
        out += [f"{k} = {toml_str(v)}" for k, v in kv.items()]
        for line in old_by_name.get(name, [])[1:]:       # foreign keys of this table
            key = line.split("=", 1)[0].strip()
            if "=" in line and key not in OWNED_KEYS:
                out.append(line)
        out.append("")
    for name, lines in blocks:                          # foreign tables, verbatim
        if name and name not in tables:
            out += [line for line in lines]
            if lines and lines[-1].strip():
                out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    tomllib.loads(text)                                 # must stay valid TOML
    path.write_text(text)


def load_manifest(path: Path) -> dict:
    return tomllib.loads(path.read_text()) if path.exists() else {}


# --------------------------------------------------------------------------
# comparing responses ("can these be told apart from the response alone?")
# --------------------------------------------------------------------------
# content-length is masked because a Varnish XID of another length changes it; the body is compared
VOLATILE_HEADERS = {"date", "x-varnish", "age", "expires", "last-modified", "content-length"}
RFC1123 = re.compile(rb"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")
XID = re.compile(rb"(XID: )\d+")


def comparable(raw: bytes) -> bytes:
    """Response with per-request values masked: Date/X-Varnish/Age/Content-Length/...
    header values, RFC 1123 timestamps and Varnish XIDs in the body. Everything else
    (status line, header names and order, other values, body) must match."""
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        return RFC1123.sub(b"<date>", raw)
    lines = raw[:end].split(b"\r\n")
    out = [lines[0]]
    for line in lines[1:]:
        k = line.split(b":", 1)[0].strip().lower().decode("latin-1")
        out.append(k.encode() + b": <masked>" if k in VOLATILE_HEADERS else line)
    body = XID.sub(rb"\1<xid>", RFC1123.sub(b"<date>", raw[end + 4:]))
    return b"\r\n".join(out) + b"\r\n\r\n" + body


def status_of(raw: bytes) -> str:
    if not raw:
        return "(no bytes)"
    first = raw.split(b"\r\n", 1)[0]
    m = re.match(rb"HTTP/\d\.\d (\d{3})", first)
    return m.group(1).decode() if m else "non-HTTP: " + repr(first[:30])[2:-1]


# --------------------------------------------------------------------------
# README generation
# --------------------------------------------------------------------------
def readme_tables() -> str:
    names = [c.name for c in SERVERS]
    resp = {n: FIXTURES / "responses" / n for n in names}
    man = {n: load_manifest(resp[n] / "manifest.toml") for n in names}
    lines = ["### Status per server and scenario", "",
             "Status code of the captured response; `ended` is how the proxy's connection ended "
             "(`complete`: full message; `eof`: proxy closed the connection before/without a "
             f"complete message; `reset`: RST; `idle`: incomplete message, then nothing for "
             f"{IDLE_TIMEOUT:.0f} s with the connection left open; `timeout`: nothing within "
             f"{CLIENT_TIMEOUT:.0f} s). Durations are shown when >= 1.5 s. `—`: skipped (see below).", "",
             "| scenario | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for s in SCENARIOS:
        row = [f"`{s.name}`"]
        for n in names:
            f = resp[n] / f"{s.name}.http"
            m = man[n].get(s.name, {})
            if m.get("source") == "captured" and m.get("response_bytes") == 0:
                cell = f"no response ({m.get('ended')})"
            elif f.exists() and m.get("source") == "captured":
                cell = status_of(f.read_bytes())
                if m.get("ended") and m["ended"] != "complete":
                    cell += f" ({m['ended']})"
                if m.get("elapsed_ms", 0) >= 1500 and m.get("ended") in ("complete", "eof"):
                    cell += f" {m['elapsed_ms'] / 1000:.1f}s"
            elif s.name == "refused_json" and (resp[n] / "refused.http").exists():
                cell = "same as refused"
            else:
                cell = "—"
            row.append(cell)
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "### Scenarios that cannot be told apart from the response alone", "",
              "Groups of scenarios whose responses are identical on the same server once the "
              "per-request values are masked (values of Date, X-Varnish, Age, Content-Length; "
              "RFC 1123 timestamps and Varnish XIDs in the body). Within a group, only the log lines "
              "tell the causes apart. Scenarios not listed have a response of their own.", "",
              "| server | identical responses (status: scenarios) |",
              "|---|---|"]
    for n in names:
        files = {s.name: resp[n] / f"{s.name}.http" for s in SCENARIOS
                 if (resp[n] / f"{s.name}.http").exists()
                 and man[n].get(s.name, {}).get("source") == "captured"}
        groups: dict[bytes, list[str]] = {}
        for sn, f in files.items():
            groups.setdefault(comparable(f.read_bytes()), []).append(sn)
        g = [v for v in groups.values() if len(v) > 1]
        cell = "; ".join(f"**{status_of(files[v[0]].read_bytes())}**: " + ", ".join(f"`{x}`" for x in v)
                         for v in g) or "none"
        lines.append(f"| {n} | {cell} |")
    lines += ["", "### Servers of the spec table (servers.py)", "",
              "| server | from | mode | configured with |", "|---|---|---|---|"]
    for spec in servers.SPECS:
        kind, _, pkg = spec.origin.partition(":")
        where = {"apt": "Debian", "pip": "PyPI", "npm": "npm"}.get(kind, kind)
        extra = "".join(f", {o.partition(':')[2]}" for o in spec.extra_origins)
        mode = spec.mode + (", one process per scenario" if spec.per_endpoint else "")
        lines.append(f"| {spec.name} | {where} `{pkg}`{extra} | {mode} | {spec.notes} |")
    skipped = []
    for c in SERVERS:
        if c.no_dns_reason:
            skipped.append(f"- **{c.name}** `dns`: {c.no_dns_reason}.")
    lines += ["", "### Skipped", ""] + (skipped or ["- nothing"])
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- BEGIN GENERATED RESULTS -->", "<!-- END GENERATED RESULTS -->"


def update_readme() -> None:
    text = README.read_text() if README.exists() else f"# capture-fixtures\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1] if END in rest else ""
    README.write_text(head + BEGIN + "\n" + readme_tables() + END + tail)


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
def ensure_packages(wanted: list[type[Server]]) -> None:
    origins = [o for c in wanted if issubclass(c, SpecServer)
               for o in (c.spec.origin, *c.spec.extra_origins)]
    pip = [o.split(":", 1)[1] for o in origins if o.startswith("pip:")]
    npm = [o.split(":", 1)[1] for o in origins if o.startswith("npm:")]
    if pip:
        if not (DEPS / "venv/bin/python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(DEPS / "venv")], check=True)
        subprocess.run([str(DEPS / "venv/bin/pip"), "install", "-q", *pip], check=True)
    if npm:
        (DEPS / "node").mkdir(parents=True, exist_ok=True)
        if not (DEPS / "node/package.json").exists():
            (DEPS / "node/package.json").write_text('{"name": "capture-deps", "private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(DEPS / "node"), *npm],
                       check=True)
    apt = [c.package for c in wanted if not issubclass(c, SpecServer)]
    apt += [o.split(":", 1)[1] for o in origins if o.startswith("apt:")]
    missing = [p for p in apt
               if "install ok installed" not in sh(["dpkg-query", "-W", "-f", "${Status}", p])]
    if not missing:
        print("packages: all installed")
        return
    print(f"packages: installing {' '.join(missing)}")
    prc = Path("/usr/sbin/policy-rc.d")
    created = not prc.exists()
    if created:                    # keep the packages' init scripts from starting daemons
        prc.write_text("#!/bin/sh\nexit 101\n")
        prc.chmod(0o755)
    try:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", *missing], check=True, env=env)
    finally:
        if created:
            prc.unlink()


def unshare_works(resolv: Path) -> bool:
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                        'mount --bind "$0" /etc/resolv.conf && cat /etc/resolv.conf', str(resolv)],
                       capture_output=True, text=True)
    return r.returncode == 0 and "127.0.0.1" in r.stdout


NL = b"\n"


def capture_server(srv: Server, scenarios: list[Scenario], today: str) -> None:
    version = srv.version()
    resp_dir = FIXTURES / "responses" / srv.name
    log_dir = FIXTURES / "logs" / srv.name
    resp_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    logs = srv.logs()
    resp_tables: dict[str, dict] = {}
    log_tables: dict[str, dict] = {}
    results: dict[str, Exchange] = {}
    not_stored: set[str] = set()
    for s in scenarios:
        if s.name == "dns" and srv.no_dns_reason:
            print(f"  {s.name:14s} skipped: {srv.no_dns_reason}")
            continue
        offsets = [size(lf.path) for lf in logs]
        ex = http_get(srv.port(s), s.accept, *srv.request_target(s))
        wait_logs_settle(logs, min_wait=srv.log_settle)
        chunks = [read_from(lf.path, off) for lf, off in zip(logs, offsets)]
        results[s.name] = ex
        print(f"  {s.name:14s} {status_of(ex.raw):>4s} {ex.ended:8s} {ex.elapsed_ms:6d} ms "
              f"{len(ex.raw):6d} B  log lines: "
              + ", ".join(f"{lf.label.split()[0]}={c.count(NL)}" for lf, c in zip(logs, chunks)))
        if s.name == "refused_json" and "refused" in results and \
                comparable(ex.raw) == comparable(results["refused"].raw):
            print("  refused_json   same answer as refused (masked) -> not stored")
            not_stored.add(s.name)
            for p in (resp_dir / "refused_json.http", log_dir / "refused_json.log"):
                p.unlink(missing_ok=True)
            continue
        if ex.raw:
            (resp_dir / f"{s.name}.http").write_bytes(ex.raw)
        else:                     # no byte came back: nothing to store but the manifest row
            (resp_dir / f"{s.name}.http").unlink(missing_ok=True)
        err = [c for lf, c in zip(logs, chunks) if lf.kind == "error"]
        acc = [c for lf, c in zip(logs, chunks) if lf.kind == "access"]
        if any(err + acc):
            (log_dir / f"{s.name}.log").write_bytes(b"".join(err + acc))
        else:                     # the server wrote no line: the manifest row says 0 and 0
            (log_dir / f"{s.name}.log").unlink(missing_ok=True)
        common = {"source": "captured", "server": version, "upstream": s.upstream, "captured": today,
                  "request_accept": s.accept}
        if srv.request_target(s)[1]:                      # forward proxy: absolute-form target
            common["request_target"] = srv.request_target(s)[0]
        resp_tables[s.name] = {**common, "ended": ex.ended, "elapsed_ms": ex.elapsed_ms,
                               "response_bytes": len(ex.raw)}
        elf = [lf for lf in logs if lf.kind == "error"]
        alf = [lf for lf in logs if lf.kind == "access"]
        log_tables[s.name] = {**common,
                              "error_file": elf[0].label if elf else "",
                              "error_lines": sum(c.count(b"\n") for c in err),
                              "access_file": alf[0].label if alf else "",
                              "access_lines": sum(c.count(b"\n") for c in acc)}
    # keep tables of scenarios not run this time (partial runs) in scenario order
    for d, new in ((resp_dir, resp_tables), (log_dir, log_tables)):
        old = load_manifest(d / "manifest.toml")
        merged = {}
        for s in SCENARIOS:
            if s.name in new:
                merged[s.name] = new[s.name]
            elif old.get(s.name, {}).get("source") == "captured" and s.name not in not_stored:
                merged[s.name] = {k: v for k, v in old[s.name].items() if k in OWNED_KEYS}
        write_manifest(d / "manifest.toml", merged)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--servers", default=",".join(c.name for c in SERVERS))
    ap.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS))
    ap.add_argument("--keep-tmp", action="store_true", help="keep configs and full logs in the temp dir")
    ap.add_argument("--no-install", action="store_true")
    ap.add_argument("--readme-only", action="store_true", help="only regenerate the README tables")
    args = ap.parse_args()
    if args.readme_only:
        update_readme()
        return 0
    if os.geteuid() != 0:
        print("run as root (apt-get, port 53, unshare, dropping privileges)", file=sys.stderr)
        return 2
    wanted = [c for c in SERVERS if c.name in args.servers.split(",")]
    scenarios = [s for s in SCENARIOS if s.name in args.scenarios.split(",")]
    if "refused_again" in args.scenarios.split(",") and "refused" not in args.scenarios.split(","):
        print("refused_again needs refused; adding it")
        scenarios.insert(0, SCEN["refused"])
    if not args.no_install:
        ensure_packages(wanted)
    today = datetime.date.today().isoformat()

    tmp = Path(tempfile.mkdtemp(prefix="gatewise-capture-"))
    os.chmod(tmp, 0o755)
    resolv = tmp / "resolv.conf"
    resolv.write_text(f"nameserver {HOST}\noptions attempts:1 timeout:2\n")
    use_unshare = unshare_works(resolv)
    if not use_unshare:
        print("WARNING: unshare/mount not available: servers use the system resolver; "
              "skipping dns for apache (glibc resolver)")
        Apache.no_dns_reason = "no private mount namespace to point glibc at the loopback DNS stub"

    t_start = time.monotonic()
    ups = Upstreams()
    dns = DnsStub()
    running: list[Server] = []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    try:
        ups.start()
        dns.start()
        for cls in wanted:
            srv = cls(tmp)
            print(f"\n== {srv.name}: {srv.version()}")
            running.append(srv)
            ups.open_placeholder()
            try:
                srv.start(resolv, use_unshare)
            finally:
                ups.close_placeholder()
            try:
                capture_server(srv, scenarios, today)
            finally:
                srv.stop()
                running.remove(srv)
    finally:
        for srv in running:
            srv.stop()
        ups.shutdown()
        dns.shutdown()
        print(f"\nDNS stub answered NXDOMAIN to: {sorted(set(dns.queries)) or 'nothing'}")
        print(f"upstream connections accepted: {dict(sorted(ups.seen.items()))}")
        if args.keep_tmp:
            print(f"temp dir kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    update_readme()
    print(f"\ndone in {time.monotonic() - t_start:.0f} s; fixtures under {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
