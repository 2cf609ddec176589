//! The HTML error page: one self-contained document, modelled on
//! Chromium's net-error page.
//!
//! No external requests of any kind (the origin is down, a CDN may be too):
//! inline `<style>` only, no fonts, no images, no script unless the caller
//! asks for the live-checks script. `lang`/`dir` on the root, `color-scheme`
//! light and dark, direction-neutral CSS (logical properties), visible
//! `:focus-visible`, readable without JavaScript.
//!
//! Order: the site's name (its logo text), the path picture (you → gateway
//! → site's server, the failing link marked, see [`svg`]), the plain
//! headline and the status sent, the visitor's explanation and advice, the
//! request id and time, then the owner's and developer's details folded in
//! `<details>`: the machine-readable code (`502 · connection_refused`), the
//! diagnosis, the likely causes, and what to do, aimed at the component
//! that failed. Raw upstream text (evidence,
//! `detail`, the Proxy-Status chain) appears only with
//! [`PageContext::owner_details`]. Every text comes from the catalogs;
//! every reflected value is cleaned and escaped by [`crate::render::escape`].
//!
//! # Example
//! ```
//! use gatewise_core::{render, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionTimeout, Layer::Cloudflare);
//! let mut ctx = render::PageContext::new(Lang::from_tag("ar").unwrap());
//! ctx.request_id = Some("8a1b2c3d4e5f6a7b-AMS".into());
//! let page = render::html(&d, &ctx);
//! assert!(page.starts_with("<!doctype html>"));
//! assert!(page.contains(r#"<html lang="ar" dir="rtl">"#));
//! assert!(page.contains("8a1b2c3d4e5f6a7b-AMS"));
//! assert_eq!(page.matches("<h1>").count(), 1);
//! ```

use crate::checks::PageFacts;
use crate::i18n::{self, Lang};
use crate::render::escape::{
    self, clean, clean_opt, escape, escape_into, LONG, MAX_ITEMS, SHORT, URL,
};
use crate::render::svg;
use crate::render::words::{self, layer_name, t, type_title, Advice, Words};
use crate::render::PageContext;
use crate::Diagnosis;

/// The page's only style sheet. Light and dark schemes with contrast ≥ 4.5:1
/// for text (`--mut` on `--bg`: 6.0:1 light, 8.9:1 dark; on `--box`: 5.5:1
/// and 6.9:1; links 6.4:1 and 7.6:1), logical properties only, so the same
/// rules serve `dir="rtl"`. The picture's labels are HTML at the page's
/// font size: they never shrink with the drawing.
const CSS: &str = "\
:root{color-scheme:light dark;--bg:#fff;--fg:#202124;--mut:#5f6368;--ln:#dadce0;--box:#f1f3f4;\
--bad:#c5221f;--ok:#137333;--a:#0b57d0}\
@media(prefers-color-scheme:dark){:root{--bg:#202124;--fg:#e8eaed;--mut:#bdc1c6;--ln:#5f6368;\
--box:#303134;--bad:#f28b82;--ok:#81c995;--a:#8ab4f8}}\
*{box-sizing:border-box}\
body{margin:0;background:var(--bg);color:var(--fg);text-align:start;\
font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif}\
header,main,footer{max-inline-size:42rem;margin-inline:auto;padding-inline:1.25rem}\
header{padding-block-start:1.25rem;display:flex;align-items:center;gap:.6rem;font-weight:700;font-size:1.1rem;\
overflow-wrap:anywhere}\
.logo{flex:none;display:inline-grid;place-items:center;inline-size:2rem;block-size:2rem;border-radius:.5rem;\
background:var(--fg);color:var(--bg)}\
main{padding-block:1.25rem 1rem}\
h1{font-size:1.75rem;line-height:1.25;margin-block:0 .35rem}\
h2{font-size:1.15rem;margin-block:1.75rem .5rem}\
p,ul,dl{margin-block:0 1rem}\
ul{padding-inline-start:1.25rem}\
li{margin-block-end:.35rem}\
a{color:var(--a)}\
:focus-visible{outline:3px solid var(--a);outline-offset:2px;border-radius:2px}\
.status{color:var(--mut);margin-block-end:1rem}\
.go{display:inline-block;padding:.5rem 1.25rem;border-radius:4px;background:var(--a);color:var(--bg);\
text-decoration:none;font-weight:600}\
.path{margin:0 0 1.5rem;padding:1rem .5rem;border-radius:.75rem;background:var(--box)}\
.path svg{display:block;inline-size:100%;max-inline-size:30rem;block-size:auto;margin-inline:auto}\
.nodes{display:grid;grid-template-columns:repeat(3,1fr);max-inline-size:30rem;margin:.35rem auto 0;padding:0;\
list-style:none;text-align:center;line-height:1.3}\
.nodes li{margin:0;padding-inline:.25rem;min-inline-size:0;overflow-wrap:anywhere}\
.nodes b,.nodes span{display:block}\
.nodes span{color:var(--mut);font-size:.9rem}\
.path figcaption{margin:.75rem .5rem 0;text-align:center;font-weight:600}\
.k{stroke:var(--ln);stroke-width:4}\
.ok{stroke:var(--ok)}\
.k.bad{stroke:var(--bad);stroke-dasharray:10 8}\
.n{fill:var(--bg);stroke:var(--mut);stroke-width:2}\
.n.bad{stroke:var(--bad);stroke-width:4}\
.ic{fill:none;stroke:var(--fg);stroke-width:2;stroke-linejoin:round;stroke-linecap:round}\
.x circle{fill:var(--bg);stroke:var(--bad);stroke-width:2.5}\
.x path{stroke:var(--bad);stroke-width:2.5;stroke-linecap:round}\
footer,dt{color:var(--mut)}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}\
dd{margin:0;min-inline-size:0;overflow-wrap:anywhere}\
details{border-block-start:1px solid var(--ln);margin-block-start:1.5rem;padding-block-start:1rem}\
summary{cursor:pointer;font-weight:600}\
code{font:.9em ui-monospace,Menlo,Consolas,monospace;background:var(--box);border-radius:4px;\
padding:.1em .3em;overflow-wrap:anywhere;direction:ltr;unicode-bidi:isolate}\
:lang(ja){text-autospace:normal}\
li code{display:block;inline-size:fit-content;margin-block-start:.25rem}\
footer{font-size:.9rem;border-block-start:1px solid var(--ln);padding-block:1rem 2rem}";

/// A page being written: static markup goes in as is, values through [`escape`].
struct Page {
    s: String,
    lang: Lang,
}

impl Page {
    /// Static markup.
    fn raw(&mut self, s: &str) {
        self.s.push_str(s);
    }

    /// Text, escaped.
    fn text(&mut self, s: &str) {
        escape_into(&mut self.s, s);
    }

    /// `<tag>text</tag>` (tag may carry attributes).
    fn el(&mut self, tag: &str, text: &str) {
        let name = tag.split(' ').next().unwrap_or(tag);
        self.s.push('<');
        self.s.push_str(tag);
        self.s.push('>');
        self.text(text);
        self.s.push_str("</");
        self.s.push_str(name);
        self.s.push('>');
    }

    /// A catalog text whose placeholders are filled with markup (already escaped).
    fn tpl(&mut self, key: &str, html_args: &[(&str, &str)]) {
        let template = escape(i18n::message(self.lang, key).unwrap_or(key));
        self.raw(&i18n::fill(&template, html_args));
    }

    /// One `<dt>`/`<dd>` row whose value is markup.
    fn row_html(&mut self, label_key: &str, value_html: &str) {
        self.raw("<dt>");
        self.text(&t(self.lang, label_key));
        self.raw("</dt><dd>");
        self.raw(value_html);
        self.raw("</dd>");
    }

    /// One `<dt>`/`<dd>` row whose value is text.
    fn row(&mut self, label_key: &str, value: &str) {
        self.row_html(label_key, &escape(value));
    }

    /// A list of advice, commands in `<code>`.
    fn advice(&mut self, items: &[Advice]) {
        if items.is_empty() {
            return;
        }
        self.raw("<ul>");
        for a in items {
            self.raw("<li>");
            self.text(&a.text);
            if let Some(c) = &a.command {
                self.el("code", c);
            }
            self.raw("</li>");
        }
        self.raw("</ul>");
    }
}

/// `<code>value</code>`, escaped.
fn code(value: &str) -> String {
    format!("<code>{}</code>", escape(value))
}

/// A failure type as its title (when the taxonomy has one) and `<code>token</code>`,
/// in the language's order and punctuation (`page.join.titled_token`).
fn titled_code(e: crate::ErrorType, lang: Lang) -> String {
    match type_title(e, lang) {
        Some(title) => i18n::fill(
            &escape(i18n::message(lang, "page.join.titled_token").unwrap_or("{title} {token}")),
            &[("title", &escape(&title)), ("token", &code(e.name()))],
        ),
        None => code(e.name()),
    }
}

/// A link if `url` is http(s), else the text; the text shown is `label` or the URL.
fn link(url: &str, label: Option<&str>) -> String {
    let shown = clean(label.unwrap_or(url), URL);
    match escape::http_url(url) {
        Some(href) => format!(r#"<a href="{}">{}</a>"#, escape(href), escape(&shown)),
        None => escape(&shown),
    }
}

/// The contact: a `mailto:` link for a plain mail address, a link for an
/// http(s) URL, text otherwise.
fn contact(value: &str) -> String {
    let shown = clean(value, SHORT);
    match escape::mailto(value) {
        Some(href) => format!(r#"<a href="{}">{}</a>"#, escape(&href), escape(&shown)),
        None => link(value, Some(&shown)),
    }
}

/// The site's name for the header: the configured name, else the host of
/// the request's URL.
fn site_label(ctx: &PageContext) -> Option<String> {
    clean_opt(ctx.site_name.as_deref(), SHORT).or_else(|| {
        crate::advice::Address::from_url(ctx.url.as_deref().unwrap_or(""))
            .host
            .map(|h| clean(&h, SHORT))
    })
}

/// The name shown under the gateway in the picture: the layer that wrote
/// the error, when it is a gateway and known.
fn gateway_label(d: &Diagnosis, lang: Lang) -> Option<String> {
    (crate::advice::is_gateway(d.layer) && d.layer != crate::Layer::Unknown)
        .then(|| layer_name(d, lang))
}

/// Renders the page (see the module docs).
pub(crate) fn render(d: &Diagnosis, ctx: &PageContext) -> String {
    let lang = ctx.lang;
    let w = Words::new(d, ctx);
    let mut p = Page {
        s: String::with_capacity(16 * 1024),
        lang,
    };
    let site = clean_opt(ctx.site_name.as_deref(), SHORT);
    let label = site_label(ctx);

    // Head.
    p.raw(r#"<!doctype html><html lang=""#);
    p.raw(lang.tag());
    p.raw(r#"" dir=""#);
    p.raw(lang.dir());
    p.raw(r#""><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">"#);
    p.raw(r#"<meta name="color-scheme" content="light dark"><meta name="robots" content="noindex"><title>"#);
    let status = d.status.to_string();
    let doc_title = match &label {
        Some(s) => i18n::format(
            lang,
            "page.doc_title_site",
            &[("status", &status), ("title", &w.title), ("site", s)],
        ),
        None => i18n::format(
            lang,
            "page.doc_title",
            &[("status", &status), ("title", &w.title)],
        ),
    };
    p.text(&doc_title);
    p.raw("</title><style>");
    p.raw(CSS);
    p.raw("</style></head><body>");
    // The site's name as its logo: a monogram and the name (no image can load).
    if let Some(s) = &label {
        p.raw(r#"<header><span class="logo" aria-hidden="true">"#);
        p.text(
            &s.chars()
                .next()
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default(),
        );
        p.raw("</span><span>");
        p.text(s);
        p.raw("</span></header>");
    }

    // For the visitor, first: where it broke, in a picture, then in words.
    // With the live-checks script, <main> carries what the script needs
    // (see crate::checks::PageFacts).
    match ctx.checks_script.as_deref().and_then(escape::script_src) {
        Some(_) => {
            p.raw(r#"<main data-gatewise-config=""#);
            p.text(&PageFacts::new(d, ctx).to_json());
            p.raw("\">");
        }
        None => p.raw("<main>"),
    }
    let host = crate::advice::Address::from_url(ctx.url.as_deref().unwrap_or("")).host;
    p.raw(&svg::figure(
        d,
        lang,
        gateway_label(d, lang).as_deref(),
        host.map(|h| clean(&h, SHORT)).as_deref(),
    ));
    p.el("h1", &w.title);
    if let Some(line) = &w.status_line {
        p.el(r#"p class="status""#, line);
    }
    p.el("p", &w.visitor);
    p.raw(r#"<section id="gw-visitor">"#);
    p.el("h2", &t(lang, "page.heading.visitor"));
    p.raw("<ul>");
    for a in &w.visitor_advice {
        p.el("li", a);
    }
    p.raw("</ul>");
    if let Some(url) = ctx
        .url
        .as_deref()
        .and_then(escape::http_url)
        .filter(|_| d.retryable)
    {
        p.raw(r#"<p><a class="go" href=""#);
        p.text(url);
        p.raw(r#"">"#);
        p.text(&t(lang, "page.action.retry"));
        p.raw("</a></p>");
    }
    p.raw("</section>");

    // What to quote.
    let id = clean_opt(ctx.request_id.as_deref(), SHORT);
    let time = clean_opt(ctx.time.as_deref(), SHORT);
    let url = clean_opt(ctx.url.as_deref(), URL);
    if id.is_some() || time.is_some() || url.is_some() {
        p.el("p", &t(lang, "page.ids.hint"));
        p.raw("<dl>");
        if let Some(id) = &id {
            p.row_html("page.label.request_id", &code(id));
        }
        if let Some(time) = &time {
            p.row("page.label.time", time);
        }
        if let Some(url) = &url {
            p.row("page.label.url", url);
        }
        p.raw("</dl>");
    }

    details(&mut p, d, ctx, &w);
    p.raw("</main>");
    footer(&mut p, ctx, site.as_deref());

    if let Some(src) = ctx.checks_script.as_deref().and_then(escape::script_src) {
        p.raw(r#"<script src=""#);
        p.text(src);
        p.raw("\"");
        if let Some(n) = ctx
            .script_nonce
            .as_deref()
            .map(|n| clean(n, SHORT))
            .filter(|n| !n.is_empty())
        {
            p.raw(r#" nonce=""#);
            p.text(&n);
            p.raw("\"");
        }
        p.raw(" defer></script>");
    }
    p.raw("</body></html>\n");
    p.s
}

/// The owner's and developer's details, folded.
fn details(p: &mut Page, d: &Diagnosis, ctx: &PageContext, w: &Words) {
    let lang = p.lang;
    p.raw(if ctx.owner_details {
        "<details open><summary>"
    } else {
        "<details><summary>"
    });
    p.text(&t(lang, "page.heading.details"));
    p.raw("</summary>");

    p.el("h2", &t(lang, "page.heading.diagnosis"));
    p.raw("<dl>");
    p.row_html(
        "page.label.code",
        &format!(r#"<code class="code">{}</code>"#, escape(&w.code)),
    );
    p.row_html("page.label.status", &code(&d.status.to_string()));
    if let Some(e) = d.error_type {
        p.row_html("page.label.error_type", &titled_code(e, lang));
    }
    p.row("page.label.segment", &words::segment_name(d.segment, lang));
    if let Some(h) = d.hop {
        p.row("page.label.hop", &words::hop_name(h, lang));
    }
    p.row("page.label.layer", &layer_name(d, lang));
    if let Some(r) = d.received_status {
        let shown = match d.sub_status {
            Some(sub) => format!("{r}.{sub}"),
            None => r.to_string(),
        };
        p.row_html("page.label.received_status", &code(&shown));
    }
    if let Some(v) = d.vendor_code.as_deref().map(|v| clean(v, SHORT)) {
        p.row_html("page.label.vendor_code", &code(&v));
    }
    p.row(
        "page.label.temporary",
        &t(
            lang,
            if d.retryable {
                "page.value.yes"
            } else {
                "page.value.no"
            },
        ),
    );
    if let Some(s) = d.retry_after {
        p.row(
            "page.label.retry_after",
            &i18n::format(lang, "page.value.seconds", &[("seconds", &s.to_string())]),
        );
    }
    p.row(
        "page.label.reached",
        &t(lang, &format!("page.reached.{}", d.reached.name())),
    );
    p.row(
        "page.label.confidence",
        &t(lang, &format!("confidence.{}", d.confidence.name())),
    );
    if !d.alternatives.is_empty() {
        let alts: Vec<String> = d
            .alternatives
            .iter()
            .take(MAX_ITEMS)
            .map(|a| titled_code(*a, lang))
            .collect();
        p.row_html(
            "page.label.alternatives",
            &alts.join(&escape(&t(lang, "page.list_separator"))),
        );
    }
    p.raw("</dl>");
    if !w.causes.is_empty() {
        p.el("h2", &t(lang, "page.heading.causes"));
        p.raw("<ul>");
        for c in &w.causes {
            p.el("li", c);
        }
        p.raw("</ul>");
    }
    if let Some(note) = &w.note {
        p.el("p", note);
    }

    p.el("h2", &t(lang, "page.heading.owner"));
    if let Some(o) = &w.owner {
        p.el("p", o);
    }
    p.advice(&w.owner_advice);
    let logs = words::gateway_logs(d, ctx);
    if !logs.is_empty() {
        let list: Vec<String> = logs.iter().map(|l| code(l)).collect();
        let name = escape(&layer_name(d, lang));
        p.raw("<p>");
        p.tpl(
            "page.owner.logs",
            &[
                ("layer", &name),
                ("logs", &list.join(&escape(&t(lang, "page.list_separator")))),
            ],
        );
        p.raw("</p>");
    }
    if let Some(href) = ctx.explainer.as_deref().and_then(escape::script_src) {
        let link = format!(r#"<a href="{0}">{0}</a>"#, escape(href));
        p.raw("<p>");
        p.tpl("page.owner.explainer", &[("link", &link)]);
        p.raw("</p>");
    }

    if w.developer.is_some() || !w.developer_advice.is_empty() {
        p.el("h2", &t(lang, "page.heading.developer"));
        if let Some(dev) = &w.developer {
            p.el("p", dev);
        }
        p.advice(&w.developer_advice);
    }

    if ctx.owner_details {
        evidence(p, d);
    }
    p.raw("</details>");
}

/// Raw upstream facts: only for the site owner.
fn evidence(p: &mut Page, d: &Diagnosis) {
    let lang = p.lang;
    let header = crate::proxy_status::header_value(d, "gatewise");
    if d.detail.is_none() && d.evidence.is_empty() && d.chain.is_empty() && header.is_empty() {
        return;
    }
    p.el("h2", &t(lang, "page.heading.evidence"));
    if let Some(detail) = &d.detail {
        p.raw("<p>");
        p.tpl(
            "page.owner.detail",
            &[("detail", &code(&clean(detail, LONG)))],
        );
        p.raw("</p>");
    }
    if !d.evidence.is_empty() {
        p.raw("<ul>");
        for e in d.evidence.iter().take(MAX_ITEMS) {
            p.raw("<li>");
            let source = escape(&t(lang, &format!("page.source.{}", e.source.name())));
            p.tpl(
                "page.join.evidence",
                &[("source", &source), ("fact", &code(&clean(&e.fact, LONG)))],
            );
            p.raw("</li>");
        }
        p.raw("</ul>");
    }
    if !header.is_empty() {
        p.raw("<p>");
        p.raw(&code(&clean(&format!("Proxy-Status: {header}"), LONG)));
        p.raw("</p>");
    } else if !d.chain.is_empty() {
        p.raw("<ul>");
        for c in d.chain.iter().take(MAX_ITEMS) {
            let mut fact = clean(&c.proxy, SHORT);
            for v in [&c.error, &c.next_hop, &c.details].into_iter().flatten() {
                fact.push(' ');
                fact.push_str(&clean(v, SHORT));
            }
            p.el("li", &fact);
        }
        p.raw("</ul>");
    }
}

/// Branding and contact.
fn footer(p: &mut Page, ctx: &PageContext, site: Option<&str>) {
    let lang = p.lang;
    p.raw("<footer>");
    let contact_html = ctx
        .contact
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .map(contact);
    let status_html = ctx
        .status_page
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            link(
                s,
                escape::http_url(s)
                    .map(|_| t(lang, "page.footer.status_page"))
                    .as_deref(),
            )
        });
    if let Some(c) = contact_html {
        p.raw("<p>");
        match site {
            Some(s) => p.tpl(
                "page.footer.contact_site",
                &[("site", &escape(s)), ("contact", &c)],
            ),
            None => p.tpl("page.footer.contact", &[("contact", &c)]),
        }
        p.raw("</p>");
    }
    if let Some(s) = status_html {
        p.raw("<p>");
        p.tpl("page.footer.status", &[("link", &s)]);
        p.raw("</p>");
    }
    p.el("p", &t(lang, "page.footer.by"));
    p.raw("</footer>");
}
