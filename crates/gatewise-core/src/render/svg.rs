//! The path picture "you → gateway → site's server", the first thing on
//! the page, in the manner of the three boxes at the top of Cloudflare's
//! error pages.
//!
//! An inline SVG draws three nodes (each a disc with a small icon: a
//! screen, a gateway, a server) joined by two links; the labels are HTML
//! under the drawing, in a three-column grid aligned with the nodes, so they
//! keep the page's font size on a phone instead of shrinking with the
//! drawing. Which element failed comes from [`Diagnosis::segment`] through
//! one table ([`MARKS`]); the failing element is drawn in the failure
//! colour *and* with a non-colour cue (a dashed line or a thick outline, plus
//! a cross in a circle), and the SVG's `<title>` and the caption say in words
//! which link failed and at which step ([`Diagnosis::hop`]). In
//! right-to-left languages the path runs from right to left.
//!
//! The five elements carry ids (`gw-you`, `gw-l1`, `gw-edge`, `gw-l2`,
//! `gw-origin`; the cross `gw-x`; the caption `gw-cap`, the title `gw-path`)
//! so that the live checks script can redraw the path from what it finds
//! ([`crate::checks::VerdictRow::marks`]).
//!
//! # Example
//! ```
//! use gatewise_core::{render, Diagnosis, ErrorType, Lang, Layer};
//! let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
//! let page = render::html(&d, &render::PageContext::new(Lang::EN));
//! assert!(page.contains(r#"<svg role="img""#));
//! assert!(page.contains(r#"class="k bad""#)); // the gateway → server link
//! assert!(page.find("<figure").unwrap() < page.find("<h1>").unwrap()); // the picture comes first
//! ```

use std::fmt::Write as _;

use crate::checks::Mark;
use crate::i18n::{self, Lang};
use crate::render::escape::escape_into;
use crate::render::words::{hop_name, t};
use crate::{Diagnosis, Segment};

/// The five elements of the path, in order: you, link 1, edge, link 2, origin.
type Path = [Mark; 5];

/// How each segment is drawn. Source: the segment definitions in `hop.rs`
/// (client = you → edge, proxy = the edge itself, upstream = edge → origin,
/// origin = the origin answered with an error).
const MARKS: &[(Segment, Path)] = {
    use Mark::{Bad, Ok, Plain};
    &[
        (Segment::Client, [Plain, Bad, Plain, Plain, Plain]),
        (Segment::Proxy, [Plain, Ok, Bad, Plain, Plain]),
        (Segment::Upstream, [Plain, Ok, Plain, Bad, Plain]),
        (Segment::Origin, [Plain, Ok, Plain, Ok, Bad]),
        (Segment::Unknown, [Plain, Plain, Plain, Plain, Plain]),
    ]
};

/// Width of the drawing, in SVG user units (its width in CSS pixels on a
/// wide screen: the drawing is never scaled up).
const W: i32 = 480;
/// The nodes' centres (left to right, at the centres of three equal
/// columns, where the HTML labels are) and their labels.
const NODES: [(i32, &str); 3] = [
    (80, "page.diagram.you"),
    (240, "page.diagram.edge"),
    (400, "page.diagram.origin"),
];
/// The vertical centre of nodes and links.
const CY: i32 = 34;
/// The node radius.
const R: i32 = 26;

/// The icons drawn inside the nodes (relative to the node's centre): a
/// screen on a stand, a gateway (a shield), a server (three stacked units).
const ICONS: [&str; 3] = [
    "M-11-8h22v14h-22zM-4 10h8M0 6v4",
    "M0-12l10 4v6c0 7-4 11-10 14c-6-3-10-7-10-14v-6z",
    "M-10-11h20v6h-20zM-10-3h20v6h-20zM-10 5h20v6h-20z",
];

/// The sentence that says which element of the path failed.
pub(crate) fn segment_sentence(d: &Diagnosis, lang: Lang) -> String {
    t(lang, &format!("page.diagram.failed.{}", d.segment.name()))
}

/// [`segment_sentence`] and the failed step (the SVG's title and caption),
/// joined as the language joins sentences (`page.join.diagram_failure`).
pub(crate) fn failure_sentence(d: &Diagnosis, lang: Lang) -> String {
    let segment = segment_sentence(d, lang);
    match d.hop.filter(|_| d.segment != Segment::Unknown) {
        Some(h) => {
            let step = i18n::format(lang, "page.diagram.step", &[("hop", &hop_name(h, lang))]);
            i18n::format(
                lang,
                "page.join.diagram_failure",
                &[("segment", &segment), ("step", &step)],
            )
        }
        None => segment,
    }
}

/// The picture for `d`: a `<figure>` with the drawing, the labels under
/// its nodes (the site's server with `host`, when known) and the caption.
pub(crate) fn figure(
    d: &Diagnosis,
    lang: Lang,
    gateway: Option<&str>,
    host: Option<&str>,
) -> String {
    let mut o = String::with_capacity(2560);
    o.push_str(r#"<figure class="path">"#);
    o.push_str(&diagram(d, lang));
    o.push_str(r#"<ol class="nodes" aria-hidden="true">"#);
    for (i, (_, label)) in NODES.iter().enumerate() {
        o.push_str("<li><b>");
        escape_into(&mut o, &t(lang, label));
        o.push_str("</b>");
        let detail = match i {
            1 => gateway,
            2 => host,
            _ => None,
        };
        if let Some(detail) = detail {
            o.push_str("<span>");
            escape_into(&mut o, detail);
            o.push_str("</span>");
        }
        o.push_str("</li>");
    }
    o.push_str(r#"</ol><figcaption id="gw-cap">"#);
    escape_into(&mut o, &failure_sentence(d, lang));
    o.push_str("</figcaption></figure>");
    o
}

/// The drawing for `d`, as an `<svg>` element.
pub(crate) fn diagram(d: &Diagnosis, lang: Lang) -> String {
    let marks = MARKS
        .iter()
        .find(|(s, _)| *s == d.segment)
        .map_or([Mark::Plain; 5], |(_, m)| *m);
    let rtl = lang.is_rtl();
    let x = |x: i32| if rtl { W.saturating_sub(x) } else { x };
    let mut o = String::with_capacity(2048);
    let _ = write!(
        o,
        r#"<svg role="img" aria-labelledby="gw-path" viewBox="0 0 {W} {}"><title id="gw-path">"#,
        CY * 2
    );
    escape_into(
        &mut o,
        &i18n::format(
            lang,
            "page.join.diagram_title",
            &[
                ("path", &t(lang, "page.diagram.path")),
                ("failure", &failure_sentence(d, lang)),
            ],
        ),
    );
    o.push_str("</title>");

    let [you, l1, edge, l2, origin] = marks;
    let [(ax, _), (bx, _), (cx, _)] = NODES;
    for (id, mark, from, to) in [("gw-l1", l1, ax, bx), ("gw-l2", l2, bx, cx)] {
        let class = match mark {
            Mark::Ok => "k ok",
            Mark::Bad => "k bad",
            Mark::Plain => "k",
        };
        let _ = write!(
            o,
            r#"<line class="{class}" id="{id}" x1="{}" y1="{CY}" x2="{}" y2="{CY}"/>"#,
            x(from.saturating_add(R)),
            x(to.saturating_sub(R))
        );
    }
    for (((id, mark), (nx, _)), icon) in [("gw-you", you), ("gw-edge", edge), ("gw-origin", origin)]
        .into_iter()
        .zip(NODES)
        .zip(ICONS)
    {
        let class = if mark == Mark::Bad { "n bad" } else { "n" };
        let _ = write!(
            o,
            r#"<circle class="{class}" id="{id}" cx="{}" cy="{CY}" r="{R}"/><path class="ic" transform="translate({} {CY})" d="{icon}"/>"#,
            x(nx),
            x(nx)
        );
    }
    // The failing element: a cross in a circle.
    let centre = [
        (l1, ax.saturating_add(bx) / 2),
        (edge, bx),
        (l2, bx.saturating_add(cx) / 2),
        (origin, cx),
    ]
    .into_iter()
    .find(|(m, _)| *m == Mark::Bad)
    .map(|(_, c)| x(c));
    if let Some(c) = centre {
        let _ = write!(
            o,
            r#"<g class="x" id="gw-x" aria-hidden="true"><circle cx="{c}" cy="{CY}" r="11"/><path d="M{} {}l10 10m0-10l-10 10"/></g>"#,
            c.saturating_sub(5),
            CY - 5
        );
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_segment_has_one_row_with_at_most_one_failure() {
        for s in Segment::ALL {
            let rows: Vec<_> = MARKS.iter().filter(|(seg, _)| seg == s).collect();
            assert_eq!(rows.len(), 1, "{s}");
            let bad = rows
                .iter()
                .flat_map(|(_, m)| m.iter())
                .filter(|m| **m == Mark::Bad)
                .count();
            assert_eq!(bad, usize::from(*s != Segment::Unknown), "{s}");
            assert!(
                i18n::has_key(&format!("page.diagram.failed.{}", s.name())),
                "{s}"
            );
        }
    }

    #[test]
    fn nodes_sit_at_the_centres_of_three_columns() {
        for (i, (x, _)) in NODES.iter().enumerate() {
            let i = i32::try_from(i).unwrap_or(0);
            assert_eq!(*x, W * (2 * i + 1) / 6);
        }
    }
}
