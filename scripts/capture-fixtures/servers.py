"""The table of servers captured by `capture.py` through one generic runner (`SpecServer`).

Each row says where the server comes from (a Debian package, a PyPI package
installed into a private venv, an npm package installed into a private folder),
how its version is read, which files to write into its temp dir, the command
that starts it in the foreground, and which files are its logs. Rows are data
plus small template functions; the runner in capture.py does the rest (ports,
start/stop by PID, log offsets, manifests).

`Ctx` is what a template sees:
    d          the server's temp dir (a pathlib.Path)
    host       "127.0.0.1"
    timeout    the proxy timeout in seconds (PROXY_TIMEOUT)
    dns_name   the name that does not resolve
    dns_port   the DNS stub's port (53)
    ends       [Endpoint(scenario, port, upstream_host, upstream_port)] - one per scenario
               that needs its own proxy endpoint (reverse proxies); for a forward
               proxy one Endpoint with scenario "*" (the proxy's only port)
    end        the endpoint of this process when the row is `per_endpoint`
    venv, node the private PyPI venv and npm folder (pathlib.Path)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Endpoint:
    scenario: str
    port: int
    up_host: str            # "127.0.0.1", or the name that does not resolve for `dns`
    up_port: int            # 80 for `dns`

    @property
    def up(self) -> str:
        return f"{self.up_host}:{self.up_port}"


@dataclass
class Ctx:
    d: Path
    host: str
    timeout: int
    dns_name: str
    dns_port: int
    ends: list[Endpoint]
    venv: Path
    node: Path
    end: Endpoint | None = None


@dataclass(frozen=True)
class Spec:
    name: str                               # fixture folder: tests/fixtures/{responses,logs}/<name>
    origin: str                             # "apt:<pkg>" | "pip:<req>" | "npm:<pkg>@<version>"
    base_port: int
    version: tuple[list[str], str]          # command printing the version, regex with one group
    files: Callable[[Ctx], dict[str, str]]  # file name (in d) -> text
    command: Callable[[Ctx], list[str]]
    logs: list[tuple[str, str, str]]        # (label, file name in d, "error" | "access")
    mode: str = "reverse"                   # "reverse" | "forward" (absolute-form request target)
    per_endpoint: bool = False              # one process per endpoint (ctx.end set)
    no_dns_reason: str = ""
    notes: str = ""                         # how it is configured (README table)
    env: dict[str, str] = field(default_factory=dict)
    owner: str = ""                         # chown the temp dir to this user (servers that drop root)
    extra_origins: tuple[str, ...] = ()     # further packages the row needs (same syntax as origin)
    log_settle: float = 1.5                 # seconds to wait at least for log lines after a response


def _lines(*xs: str) -> str:
    return "\n".join(xs) + "\n"


# --------------------------------------------------------------------------
# Debian packages
# --------------------------------------------------------------------------
def lighttpd_conf(c: Ctx) -> dict[str, str]:
    blocks = []
    for e in c.ends:
        blocks.append(
            f'# {e.scenario}\n$SERVER["socket"] == "{c.host}:{e.port}" {{\n'
            f'    proxy.server = ( "" => ( ( "host" => "{e.up_host}", "port" => {e.up_port},\n'
            f'        "connect-timeout" => {c.timeout}, "read-timeout" => {c.timeout} ) ) )\n}}\n')
    first = c.ends[0].port
    return {"lighttpd.conf": _lines(
        'server.modules = ( "mod_proxy", "mod_accesslog" )',
        f'server.document-root = "{c.d}"',
        f'server.bind = "{c.host}"',
        f"server.port = {first}",
        f'server.pid-file = "{c.d}/lighttpd.pid"',
        f'server.errorlog = "{c.d}/error.log"',
        f'accesslog.filename = "{c.d}/access.log"',
        'server.username = "www-data"',
        'server.groupname = "www-data"',
        *blocks)}


def h2o_conf(c: Ctx) -> dict[str, str]:
    hosts = []
    for e in c.ends:
        hosts.append(
            f'  "{c.host}:{e.port}":   # {e.scenario}\n'
            f"    listen:\n      host: {c.host}\n      port: {e.port}\n"
            f'    paths:\n      "/":\n        proxy.reverse.url: "http://{e.up}/"\n')
    return {"h2o.conf": _lines(
        f"pid-file: {c.d}/h2o.pid",
        f"error-log: {c.d}/error.log",
        f"access-log: {c.d}/access.log",
        f"proxy.timeout.io: {c.timeout * 1000}",
        "user: www-data",
        "hosts:",
        *hosts)}


def nghttpx_conf(c: Ctx) -> dict[str, str]:
    e = c.end
    assert e is not None
    dns = ";dns" if e.scenario == "dns" else ""
    return {f"nghttpx-{e.scenario}.conf": _lines(
        f"frontend={c.host},{e.port};no-tls",
        f"backend={e.up_host},{e.up_port};;proto=http/1.1{dns}",
        "workers=1",
        f"backend-connect-timeout={c.timeout}s",
        f"backend-read-timeout={c.timeout}s",
        f"errorlog-file={c.d}/error.log",
        f"accesslog-file={c.d}/access.log",
        f"pid-file={c.d}/nghttpx-{e.scenario}.pid",
        "user=www-data")}


def trafficserver_conf(c: Ctx) -> dict[str, str]:
    ports = " ".join(str(e.port) for e in c.ends)
    remap = "".join(f"map http://{c.host}:{e.port}/ http://{e.up}/\n" for e in c.ends)
    return {
        "etc/records.config": _lines(
            f"CONFIG proxy.config.http.server_ports STRING {ports.replace(' ', ':ipv4 ')}:ipv4",
            f"CONFIG proxy.local.incoming_ip_to_bind STRING {c.host}",
            f"CONFIG proxy.config.log.logfile_dir STRING {c.d}/log",
            f"CONFIG proxy.config.local_state_dir STRING {c.d}/run",
            f"CONFIG proxy.config.bin_path STRING /usr/bin",
            "CONFIG proxy.config.admin.user_id STRING #-1",
            f"CONFIG proxy.config.http.connect_attempts_timeout INT {c.timeout}",
            f"CONFIG proxy.config.http.transaction_no_activity_timeout_out INT {c.timeout}",
            "CONFIG proxy.config.http.connect_attempts_max_retries INT 0",
            "CONFIG proxy.config.http.cache.http INT 0",
            "CONFIG proxy.config.log.max_secs_per_buffer INT 1",
            "CONFIG proxy.config.log.periodic_tasks_interval INT 1",
            "CONFIG proxy.config.reverse_proxy.enabled INT 1",
            "CONFIG proxy.config.url_remap.remap_required INT 1",
            f"CONFIG proxy.config.dns.nameservers STRING {c.host}:{c.dns_port}",
            "CONFIG proxy.config.dns.resolv_conf STRING NULL",
            "CONFIG proxy.config.hostdb.lookup_timeout INT 2",
            "CONFIG proxy.config.diags.debug.enabled INT 0",
            "CONFIG proxy.config.diags.output.diag STRING L",
            "CONFIG proxy.config.diags.output.note STRING L",
            "CONFIG proxy.config.diags.output.warning STRING L",
            "CONFIG proxy.config.diags.output.error STRING L",
            "CONFIG proxy.config.diags.output.status STRING L",
            "CONFIG proxy.config.task_threads INT 1",
            "CONFIG proxy.config.exec_thread.autoconfig INT 0",
            "CONFIG proxy.config.exec_thread.limit INT 1",
            "CONFIG proxy.config.cache.ram_cache.size INT 1048576"),
        "etc/remap.config": remap,
        "etc/storage.config": f"{c.d}/cache 16M\n",
        "etc/ip_allow.yaml": _lines(
            "ip_allow:",
            "  - apply: in", "    ip_addrs: 127.0.0.1", "    action: allow",
            "    methods: ALL"),
        "etc/logging.yaml": _lines(
            "logging:",
            "  logs:",
            "    - filename: squid",
            "      format: squid",
            "      mode: ascii",
            "  formats:",
            "    - name: squid",
            "      format: '%<cqtq> %<ttms> %<chi> %<crc>/%<pssc> %<psql> %<cqhm> %<cquc> %<caun> "
            "%<phr>/%<shn> %<psct>'"),
        "run/.keep": "", "log/.keep": "", "cache/.keep": "",
        "etc/plugin.config": "",
        "etc/sni.yaml": "",
        "etc/cache.config": "",
        "etc/hosting.config": "",
        "etc/parent.config": "",
        "etc/volume.config": "",
        "etc/splitdns.config": "",
        "etc/ssl_multicert.config": "",
        "etc/strategies.yaml": "",
        "etc/socks.config": "",
    }


def tinyproxy_conf(c: Ctx) -> dict[str, str]:
    return {"tinyproxy.conf": _lines(
        # the Debian package's defaults, with our port, files and timeout
        "User nobody", "Group nogroup",
        f"Port {c.ends[0].port}",
        f"Listen {c.host}",
        f"Timeout {c.timeout}",
        'DefaultErrorFile "/usr/share/tinyproxy/default.html"',
        'StatFile "/usr/share/tinyproxy/stats.html"',
        f'LogFile "{c.d}/tinyproxy.log"',
        "LogLevel Info",
        f'PidFile "{c.d}/tinyproxy.pid"',
        "MaxClients 100",
        "Allow 127.0.0.1",
        'ViaProxyName "tinyproxy"')}


def privoxy_conf(c: Ctx) -> dict[str, str]:
    return {"privoxy.conf": _lines(
        # the Debian package's config, with the debug levels its comments recommend
        "confdir /etc/privoxy",
        f"logdir {c.d}",
        "logfile privoxy.log",
        "actionsfile match-all.action", "actionsfile default.action", "actionsfile user.action",
        "filterfile default.filter", "filterfile user.filter",
        "debug 1", "debug 1024", "debug 4096", "debug 8192",
        f"listen-address {c.host}:{c.ends[0].port}",
        "toggle 1", "enable-remote-toggle 0", "enable-remote-http-toggle 0",
        "enable-edit-actions 0", "enforce-blocks 0", "buffer-limit 4096",
        "forwarded-connect-retries 0", "accept-intercepted-requests 0",
        "keep-alive-timeout 5", "tolerate-pipelining 1",
        f"socket-timeout {c.timeout}")}


def ziproxy_conf(c: Ctx) -> dict[str, str]:
    return {"ziproxy.conf": _lines(
        f"Port = {c.ends[0].port}",
        f'Address = "{c.host}"',
        f'ErrorLog = "{c.d}/error.log"',
        f'AccessLog = "{c.d}/access.log"',
        f"ConnTimeout = {c.timeout}",
        "UseContentLength = false")}


# --------------------------------------------------------------------------
# PyPI packages (in a private venv)
# --------------------------------------------------------------------------
def mitmdump_cmd(c: Ctx) -> list[str]:
    return [str(c.venv / "bin" / "mitmdump"), "--set", f"confdir={c.d}/mitm",
            "--listen-host", c.host, "--listen-port", str(c.ends[0].port),
            "--set", "termlog_verbosity=info", "--set", "flow_detail=1"]


def proxypy_cmd(c: Ctx) -> list[str]:
    return [str(c.venv / "bin" / "proxy"), "--hostname", c.host, "--port", str(c.ends[0].port),
            "--num-workers", "1", "--num-acceptors", "1", "--timeout", str(c.timeout),
            "--log-file", str(c.d / "proxy.log"), "--log-level", "INFO",
            "--pid-file", str(c.d / "proxy.pid")]


# --------------------------------------------------------------------------
# npm packages (in a private folder); the apps are in node/ beside this file
# --------------------------------------------------------------------------
def node_app(app: str) -> Callable[[Ctx], list[str]]:
    def cmd(c: Ctx) -> list[str]:
        assert c.end is not None
        return ["node", str(HERE / "node" / app), str(c.end.port), f"http://{c.end.up}",
                str(c.timeout * 1000)]
    return cmd


def no_files(_c: Ctx) -> dict[str, str]:
    return {}


def npm_version(pkg: str) -> tuple[list[str], str]:
    return (["node", "-p", f"require('{{node}}/node_modules/{pkg}/package.json').version"], r"(\S+)")


SPECS: list[Spec] = [
    Spec("lighttpd", "apt:lighttpd", 18800, (["lighttpd", "-v"], r"(lighttpd/\S+)"), lighttpd_conf,
         lambda c: ["lighttpd", "-D", "-f", str(c.d / "lighttpd.conf")],
         [("error.log", "error.log", "error"), ("access.log", "access.log", "access")],
         no_dns_reason="mod_proxy takes an IP address (a host name is resolved once at start-up)",
         notes="mod_proxy `proxy.server` per `$SERVER[\"socket\"]`, `connect-timeout`/`read-timeout` 2; "
               "`server.errorlog`; `accesslog.filename` (default format)",
         owner="www-data"),
    Spec("h2o", "apt:h2o", 18900, (["h2o", "-v"], r"h2o version (\S+)"), h2o_conf,
         lambda c: ["h2o", "-m", "master", "-c", str(c.d / "h2o.conf")],
         [("error-log", "error.log", "error"), ("access-log", "access.log", "access")],
         notes="`proxy.reverse.url` per host, `proxy.timeout.io: 2000`; `error-log`; `access-log` "
               "(default format)", owner="www-data"),
    Spec("nghttpx", "apt:nghttp2-proxy", 19000, (["nghttpx", "-v"], r"(nghttpx nghttp2/\S+)"), nghttpx_conf,
         lambda c: ["nghttpx", f"--conf={c.d}/nghttpx-{c.end.scenario}.conf"],   # type: ignore[union-attr]
         [("errorlog-file", "error.log", "error"), ("accesslog-file", "access.log", "access")],
         per_endpoint=True,
         notes="`frontend=…;no-tls`, `backend=…;;proto=http/1.1`, `;dns` for "
               "`dns`, `backend-connect-timeout`/`backend-read-timeout` 2s; `errorlog-file`; "
               "`accesslog-file` (default format)", owner="www-data"),
    Spec("trafficserver", "apt:trafficserver", 19100, (["traffic_server", "--version"], r"(Traffic Server \S+)"), trafficserver_conf,
         lambda c: ["traffic_server"],
         [("diags.log", "log/diags.log", "error"), ("error.log", "log/error.log", "error"),
          ("squid.log", "log/squid.log", "access")],
         env={"PROXY_CONFIG_CONFIG_DIR": "{d}/etc"},
         notes="`remap.config` map per port, `connect_attempts_timeout` 2, "
               "`transaction_no_activity_timeout_out` 2, no retries, cache off; `diags.log`, "
               "`error.log`; `squid.log` (ATS's squid format, ASCII), `max_secs_per_buffer 1`",
         owner="trafficserver", log_settle=6.0),
    Spec("tinyproxy", "apt:tinyproxy", 19200, (["tinyproxy", "-v"], r"(tinyproxy \S+)"), tinyproxy_conf,
         lambda c: ["tinyproxy", "-d", "-c", str(c.d / "tinyproxy.conf")],
         [("LogFile", "tinyproxy.log", "error")], mode="forward",
         notes="forward proxy, the Debian package's settings with `Timeout 2`; `LogFile`, `LogLevel Info`",
         owner="nobody"),
    Spec("privoxy", "apt:privoxy", 19300, (["privoxy", "--version"], r"(Privoxy version \S+)"), privoxy_conf,
         lambda c: ["privoxy", "--no-daemon", str(c.d / "privoxy.conf")],
         [("stderr (--no-daemon logs there)", "stderr.txt", "error")], mode="forward",
         notes="forward proxy, the Debian package's config with `debug 1 1024 4096 8192` and "
               "`socket-timeout 2`; `--no-daemon` writes the log to stderr"),
    Spec("mitmproxy", "pip:mitmproxy==11.0.2", 19400,
         (["{venv}/bin/mitmdump", "--version"], r"(Mitmproxy: \S+)"), lambda c: {}, mitmdump_cmd,
         [("mitmdump stdout", "stdout.txt", "error")], mode="forward",
         notes="`mitmdump` as a forward proxy (its default, regular mode; no upstream timeout exists), "
               "`flow_detail=1`; its stdout",
         env={"HOME": "{d}"}),
    Spec("proxy_py", "pip:proxy.py==2.4.10", 19500, (["{venv}/bin/proxy", "--version"], r"(\S+)"), no_files, proxypy_cmd,
         [("--log-file", "proxy.log", "error")], mode="forward",
         notes="forward proxy, `--timeout 2`, `--log-level INFO`; `--log-file`"),
    Spec("http_proxy", "npm:http-proxy@1.18.1", 19600, npm_version("http-proxy"), no_files,
         node_app("http-proxy.mjs"), [("stderr", "stderr.txt", "error"), ("stdout", "stdout.txt", "access")],
         per_endpoint=True,
         notes="`httpProxy.createProxyServer({target, proxyTimeout: 2000}).listen(port)` (its README's "
               "first example) without an `error` listener: an upstream error crashes the process"),
    Spec("http_proxy_middleware", "npm:http-proxy-middleware@4.2.1", 19700,
         npm_version("http-proxy-middleware"), no_files, node_app("http-proxy-middleware.mjs"),
         [("stderr", "stderr.txt", "error"), ("stdout", "stdout.txt", "access")],
         per_endpoint=True, extra_origins=("npm:express@5.3.0",),
         notes="express 5 + `createProxyMiddleware({target, changeOrigin: true, proxyTimeout: 2000, "
               "logger: console})`"),
    Spec("express_http_proxy", "npm:express-http-proxy@2.1.2", 19800,
         npm_version("express-http-proxy"), no_files, node_app("express-http-proxy.mjs"),
         [("stderr", "stderr.txt", "error"), ("stdout", "stdout.txt", "access")],
         per_endpoint=True, extra_origins=("npm:express@5.3.0",),
         notes="express 5 + `proxy(target, {timeout: 2000})`, express's default error handler"),
    Spec("fastify_http_proxy", "npm:@fastify/http-proxy@11.6.3", 19900,
         npm_version("@fastify/http-proxy"), no_files, node_app("fastify-http-proxy.mjs"),
         [("stdout (pino)", "stdout.txt", "error")],
         per_endpoint=True, extra_origins=("npm:fastify@5.12.8",),
         notes="fastify 5 (`logger: true`) + `@fastify/http-proxy` `{upstream, http: {requestOptions: "
               "{timeout: 2000}}}`"),
    Spec("vite", "npm:vite@8.4.0", 20000, npm_version("vite"), no_files, node_app("vite.mjs"),
         [("stderr", "stderr.txt", "error"), ("stdout", "stdout.txt", "access")],
         per_endpoint=True,
         notes="Vite's dev server (`createServer`) with `server.proxy` `{'/some': {target, changeOrigin: true, "
               "proxyTimeout: 2000}}`; its own logger"),
]
