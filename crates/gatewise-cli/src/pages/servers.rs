//! One row per web server: its layer, its documentation, and the files
//! that plug the exported pages into it. Adding a server is one row and
//! one snippet function.
//!
//! Language choice, where the server can make it, follows the *first*
//! language of `Accept-Language` (nginx `map`, Caddy `map`), or the
//! server's own negotiation (Apache type maps). HAProxy's `errorfile` and
//! IIS's `httpErrors` serve one language (`--lang`, English by default).
//!
//! # Example
//! ```
//! use gatewise_cli::pages::servers::{lang_regex, Server};
//! use gatewise_core::Lang;
//! let fr = Lang::from_tag("fr").unwrap();
//! assert_eq!(lang_regex(fr), r"^(?:fr(?:[-_][^,;]*)?)\s*(?:[,;]|$)");
//! assert_eq!(Server::from_name("haproxy"), Some(Server::Haproxy));
//! ```

use std::fmt::Write as _;

use gatewise_core::{Lang, Layer};

use super::PAGE_STATUSES;

/// The servers `gatewise pages` writes configuration for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Server {
    /// nginx: `error_page`, an internal location, a `map` on Accept-Language.
    Nginx,
    /// Apache httpd 2.4: `ErrorDocument` and type maps (mod_negotiation).
    Apache,
    /// Caddy 2: `handle_errors` with `rewrite` and `file_server`.
    Caddy,
    /// HAProxy: `errorfile` with full raw HTTP responses.
    Haproxy,
    /// Microsoft IIS: `web.config` `<httpErrors>`.
    Iis,
}

impl Server {
    /// Looks a server up by its name.
    pub fn from_name(name: &str) -> Option<Server> {
        SERVERS.iter().find(|r| r.name == name).map(|r| r.server)
    }
}

/// What snippets are filled with.
#[derive(Debug, Clone)]
pub struct SnippetContext {
    /// Where the exported directory lives on the server.
    pub root: String,
    /// The language for one-language servers.
    pub lang: Lang,
}

/// A generated file: name relative to the output directory, content, kind.
pub type File = (String, String, &'static str);

/// One server.
#[derive(Debug, Clone, Copy)]
pub struct ServerRow {
    /// The server.
    pub server: Server,
    /// Its name on the command line.
    pub name: &'static str,
    /// The layer that generates the pages (shown on them).
    pub layer: Layer,
    /// The documentation the snippet follows.
    pub doc: &'static str,
    /// How to use the files.
    pub how_to: &'static str,
    /// The files to write.
    pub files: fn(&SnippetContext) -> Vec<File>,
}

/// The servers.
pub const SERVERS: &[ServerRow] = &[
    ServerRow {
        server: Server::Nginx,
        name: "nginx",
        layer: Layer::Nginx,
        doc: "https://nginx.org/en/docs/http/ngx_http_core_module.html#error_page, https://nginx.org/en/docs/http/ngx_http_map_module.html",
        how_to: "nginx: include gatewise-nginx-http.conf in the http {} block and gatewise-nginx-server.conf in each server {} block, then nginx -t && nginx -s reload.",
        files: nginx,
    },
    ServerRow {
        server: Server::Apache,
        name: "apache",
        layer: Layer::Apache,
        doc: "https://httpd.apache.org/docs/2.4/mod/core.html#errordocument, https://httpd.apache.org/docs/2.4/mod/mod_negotiation.html#typemaps",
        how_to: "Apache: Include gatewise-apache.conf in the server config or a <VirtualHost> (needs mod_alias and mod_negotiation), then apachectl configtest && apachectl graceful.",
        files: apache,
    },
    ServerRow {
        server: Server::Caddy,
        name: "caddy",
        layer: Layer::Caddy,
        doc: "https://caddyserver.com/docs/caddyfile/directives/handle_errors, https://caddyserver.com/docs/caddyfile/directives/map",
        how_to: "Caddy: import gatewise.caddy inside the site block, then caddy validate && caddy reload.",
        files: caddy,
    },
    ServerRow {
        server: Server::Haproxy,
        name: "haproxy",
        layer: Layer::Haproxy,
        doc: "https://docs.haproxy.org/2.8/configuration.html#4-errorfile",
        how_to: "HAProxy: copy the errorfile lines of gatewise-haproxy.cfg into a defaults, frontend or backend section, then haproxy -c -f haproxy.cfg && systemctl reload haproxy.",
        files: haproxy,
    },
    ServerRow {
        server: Server::Iis,
        name: "iis",
        layer: Layer::Iis,
        doc: "https://learn.microsoft.com/en-us/iis/configuration/system.webserver/httperrors/",
        how_to: "IIS: copy the gatewise folder into the site's root and merge web.config's <httpErrors> into the site's web.config.",
        files: iis,
    },
];

/// The row of `server` (every server has one: a test checks).
pub fn row(server: Server) -> Option<&'static ServerRow> {
    SERVERS.iter().find(|r| r.server == server)
}

/// The tags `lang` answers for: its own, then its aliases (the core's one
/// alias table, `catalogs/languages.toml`: `pt` for `pt-BR`, `zh` for `zh-Hans`).
pub fn accepted_tags(lang: Lang) -> Vec<&'static str> {
    let mut tags = vec![lang.tag()];
    tags.extend_from_slice(lang.aliases());
    tags
}

/// A regular expression (PCRE and RE2) matching an `Accept-Language` value
/// whose *first* language is `lang`, to be used case-insensitively. Each tag
/// of [`accepted_tags`] also matches its longer forms (`fr` matches `fr-CA`,
/// the alias `pt` matches `pt-PT`), as the core's lookup
/// ([`gatewise_core::render::negotiate::lookup_tag`]) removes subtags from
/// the end; a test checks that the two agree.
pub fn lang_regex(lang: Lang) -> String {
    let alts: Vec<String> = accepted_tags(lang)
        .iter()
        .map(|t| format!("{}(?:[-_][^,;]*)?", t.to_ascii_lowercase()))
        .collect();
    format!(r"^(?:{})\s*(?:[,;]|$)", alts.join("|"))
}

fn header(out: &mut String, comment: &str, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "{comment} {line}");
    }
}

const BANNER: &str = "gatewise: informative error pages (generated by `gatewise pages`; regenerate rather than edit).";

fn nginx(ctx: &SnippetContext) -> Vec<File> {
    let mut http = String::new();
    header(&mut http, "#", &format!("{BANNER}\nInclude in the http {{}} block. Picks the page language from the first language of Accept-Language."));
    let _ = writeln!(
        http,
        "map $http_accept_language $gatewise_lang {{\n    default en;"
    );
    for lang in Lang::all().filter(|l| *l != Lang::EN) {
        let _ = writeln!(http, "    \"~*{}\" {};", lang_regex(lang), lang.tag());
    }
    let _ = writeln!(http, "}}");
    let mut server = String::new();
    header(&mut server, "#", &format!("{BANNER}\nInclude in each server {{}} block (needs gatewise-nginx-http.conf in http {{}})."));
    for &code in PAGE_STATUSES {
        let _ = writeln!(
            server,
            "error_page {code} /gatewise/$gatewise_lang/{code}.html;"
        );
    }
    let _ = writeln!(
        server,
        "location ^~ /gatewise/ {{\n    internal;\n    root {};\n    charset utf-8;\n    add_header Cache-Control \"no-store\" always;\n}}",
        ctx.root
    );
    vec![
        ("gatewise-nginx-http.conf".into(), http, "snippet"),
        ("gatewise-nginx-server.conf".into(), server, "snippet"),
    ]
}

fn apache(ctx: &SnippetContext) -> Vec<File> {
    let mut files = Vec::new();
    for &code in PAGE_STATUSES {
        let mut map = format!("URI: {code}\n\n");
        for lang in Lang::all() {
            let _ = write!(
                map,
                "URI: {}/{code}.html\nContent-type: text/html; charset=utf-8\nContent-language: {}\n\n",
                lang.tag(),
                accepted_tags(lang).join(", ")
            );
        }
        files.push((format!("gatewise/{code}.var"), map, "type_map"));
    }
    let mut conf = String::new();
    header(&mut conf, "#", &format!("{BANNER}\nInclude in the server config or a <VirtualHost>. Needs mod_alias and mod_negotiation.\nWith ProxyPass, keep /gatewise/ local: the ProxyPass line below must come before the others."));
    let _ = writeln!(
        conf,
        "<IfModule mod_proxy.c>\n    ProxyPass /gatewise/ !\n</IfModule>"
    );
    let _ = writeln!(conf, "Alias /gatewise/ \"{}/gatewise/\"", ctx.root);
    let _ = writeln!(
        conf,
        "<Directory \"{}/gatewise\">\n    Options -Indexes\n    AllowOverride None\n    Require all granted\n    AddHandler type-map .var\n    LanguagePriority en\n    ForceLanguagePriority Prefer Fallback\n    <IfModule mod_headers.c>\n        Header always set Cache-Control \"no-store\"\n    </IfModule>\n</Directory>",
        ctx.root
    );
    for &code in PAGE_STATUSES {
        let _ = writeln!(conf, "ErrorDocument {code} /gatewise/{code}.var");
    }
    files.push(("gatewise-apache.conf".into(), conf, "snippet"));
    files
}

fn caddy(ctx: &SnippetContext) -> Vec<File> {
    let mut c = String::new();
    header(
        &mut c,
        "#",
        &format!(
            "{BANNER}\nImport inside a site block: import {}/gatewise.caddy",
            ctx.root
        ),
    );
    let codes: Vec<String> = PAGE_STATUSES.iter().map(|c| c.to_string()).collect();
    // A matcher rather than `handle_errors 500 502 …` (Caddy 2.8+), so that Caddy 2.6 reads it too.
    let _ = writeln!(
        c,
        "handle_errors {{\n\t@gatewise expression `{{err.status_code}} in [{}]`",
        codes.join(", ")
    );
    let _ = writeln!(c, "\thandle @gatewise {{");
    let _ = writeln!(
        c,
        "\t\tmap {{http.request.header.Accept-Language}} {{gatewise_lang}} {{"
    );
    for lang in Lang::all().filter(|l| *l != Lang::EN) {
        let _ = writeln!(c, "\t\t\t`~(?i){}` {}", lang_regex(lang), lang.tag());
    }
    let _ = writeln!(c, "\t\t\tdefault en\n\t\t}}");
    let _ = writeln!(c, "\t\troot * {}", ctx.root);
    let _ = writeln!(
        c,
        "\t\trewrite * /gatewise/{{gatewise_lang}}/{{err.status_code}}.html"
    );
    let _ = writeln!(c, "\t\theader Cache-Control no-store");
    let _ = writeln!(
        c,
        "\t\tfile_server {{\n\t\t\tstatus {{err.status_code}}\n\t\t}}\n\t}}\n}}"
    );
    vec![("gatewise.caddy".into(), c, "snippet")]
}

fn haproxy(ctx: &SnippetContext) -> Vec<File> {
    let mut c = String::new();
    header(&mut c, "#", &format!("{BANNER}\nPut these lines in a defaults, frontend or backend section (mode http).\nHAProxy serves one language here ({}); the other languages are in haproxy/<lang>/.\nEach file must fit in tune.bufsize (16384 bytes by default): `gatewise pages` checks.", ctx.lang.tag()));
    for &code in PAGE_STATUSES {
        let _ = writeln!(
            c,
            "errorfile {code} {}/haproxy/{}/{code}.http",
            ctx.root,
            ctx.lang.tag()
        );
    }
    vec![("gatewise-haproxy.cfg".into(), c, "snippet")]
}

fn iis(ctx: &SnippetContext) -> Vec<File> {
    let mut c = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(c, "<!-- {BANNER} -->");
    let _ = writeln!(c, "<!-- Copy the gatewise folder into the site's root; pages in {} (other languages: gatewise\\<lang>\\). -->", ctx.lang.tag());
    let _ = writeln!(c, "<configuration>\n  <system.webServer>\n    <httpErrors errorMode=\"Custom\" existingResponse=\"Replace\">");
    for &code in PAGE_STATUSES {
        let _ = writeln!(
            c,
            "      <remove statusCode=\"{code}\" subStatusCode=\"-1\" />"
        );
        let _ = writeln!(
            c,
            "      <error statusCode=\"{code}\" path=\"gatewise\\{}\\{code}.html\" responseMode=\"File\" />",
            ctx.lang.tag()
        );
    }
    let _ = writeln!(
        c,
        "    </httpErrors>\n  </system.webServer>\n</configuration>"
    );
    vec![("web.config".into(), c, "snippet")]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn every_server_has_one_row_and_a_snippet() {
        for s in <Server as clap::ValueEnum>::value_variants() {
            let rows: Vec<_> = SERVERS.iter().filter(|r| r.server == *s).collect();
            assert_eq!(rows.len(), 1, "{s:?}");
            let ctx = SnippetContext {
                root: "/srv/x".into(),
                lang: Lang::EN,
            };
            let files = (rows[0].files)(&ctx);
            assert!(files.iter().any(|(_, _, k)| *k == "snippet"), "{s:?}");
            assert_eq!(Server::from_name(rows[0].name), Some(*s));
        }
    }

    #[test]
    fn the_snippets_pick_the_language_the_core_negotiates() {
        let zh = Lang::from_tag("zh-Hans").unwrap();
        assert_eq!(
            lang_regex(zh),
            r"^(?:zh-hans(?:[-_][^,;]*)?|zh(?:[-_][^,;]*)?|cmn(?:[-_][^,;]*)?)\s*(?:[,;]|$)"
        );
        // The servers try the regexes in this order (nginx's map, Caddy's map), English last.
        let regexes: Vec<(Lang, regex_lite::Regex)> = Lang::all()
            .filter(|l| *l != Lang::EN)
            .map(|l| {
                let re = regex_lite::RegexBuilder::new(&lang_regex(l))
                    .case_insensitive(true)
                    .build()
                    .unwrap();
                (l, re)
            })
            .collect();
        let tags = [
            "fr",
            "fr-CA",
            "FR_ca",
            "de-DE-1996",
            "es-419",
            "pt",
            "pt-BR",
            "pt-PT",
            "pt-AO",
            "ja-JP",
            "zh",
            "zh-CN",
            "zh-TW",
            "zh-Hant-HK",
            "zh-Hans-SG",
            "cmn",
            "ar-EG",
            "en",
            "en-GB",
            "ko",
            "ptx",
            "zhuang",
            "frr",
            "ara",
        ];
        for tag in tags {
            let header = format!("{tag},en;q=0.5");
            let by_snippet = regexes
                .iter()
                .find(|(_, re)| re.is_match(&header))
                .map_or(Lang::EN, |(l, _)| *l);
            let by_core = gatewise_core::render::negotiate::lookup_tag(tag).unwrap_or(Lang::EN);
            assert_eq!(by_snippet, by_core, "{tag}");
        }
    }
}
