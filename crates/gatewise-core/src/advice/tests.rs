use super::*;
use crate::{Confidence, Evidence, EvidenceSource, Layer};
use Audience::{Developer as Dev, Owner, Visitor};

fn ids(d: &Diagnosis, a: Audience) -> Vec<&'static str> {
    remedies(d, a).iter().map(|r| r.id).collect()
}

fn commands(d: &Diagnosis, facts: &Facts) -> Vec<String> {
    Audience::ALL
        .iter()
        .flat_map(|a| advise(d, *a, facts))
        .filter_map(|a| a.command)
        .collect()
}

/// The programs a command line runs (the first word of each part of a pipeline).
fn programs(c: &str) -> Vec<&str> {
    c.split(['|', ';', '&'])
        .filter_map(|p| p.split_whitespace().next())
        .collect()
}

/// Diagnoses of every type, in every segment it can be placed in, reported
/// by every layer, with and without an alternative.
fn every_diagnosis() -> Vec<Diagnosis> {
    let mut out = Vec::new();
    for t in ErrorType::ALL {
        for layer in Layer::ALL {
            for segment in Segment::ALL {
                let mut d = Diagnosis::for_type(*t, *layer);
                d.segment = *segment;
                out.push(d.clone());
                let alt = if *t == ErrorType::ConnectionRefused {
                    ErrorType::ConnectionTimeout
                } else {
                    ErrorType::ConnectionRefused
                };
                out.push(d.with_alternative(alt).with_confidence(Confidence::Low));
            }
        }
    }
    for layer in Layer::ALL {
        for status in [500, 502, 503, 504] {
            out.push(Diagnosis::for_status(status, *layer));
        }
    }
    out
}

#[test]
fn every_row_names_known_remedies_of_its_audience() {
    for row in ADVICE {
        for a in Audience::ALL {
            for id in row.ids(*a) {
                let rem = remedy(id);
                assert!(rem.is_some(), "{:?} names unknown remedy {id}", row.when);
                assert_eq!(rem.map(|r| r.audience), Some(*a), "{:?}: {id}", row.when);
            }
            assert!(row.ids(*a).len() <= MAX_PER_AUDIENCE, "{:?} {a}", row.when);
        }
    }
}

#[test]
fn rows_and_ids_are_unique() {
    for (i, row) in ADVICE.iter().enumerate() {
        assert!(
            !ADVICE.iter().skip(i + 1).any(|o| o.when == row.when),
            "{:?} twice",
            row.when
        );
    }
    let mut ids: Vec<_> = REMEDIES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate remedy id");
}

#[test]
fn every_error_type_has_its_own_remedies_for_every_audience() {
    for t in ErrorType::ALL {
        assert!(row_for(When::Type(*t)).is_some(), "{t} has no advice row");
        for a in Audience::ALL {
            let got = remedies_for_type(Some(*t), *a);
            assert!(!got.is_empty(), "{t} has nothing for {a}");
            assert!(got.iter().all(|r| r.audience == *a));
        }
    }
    for a in Audience::ALL {
        assert!(!remedies_for_type(None, *a).is_empty());
    }
}

#[test]
fn every_remedy_is_reachable_documented_and_sourced() {
    for rem in REMEDIES {
        let used = ADVICE
            .iter()
            .any(|row| row.ids(rem.audience).contains(&rem.id));
        assert!(used, "remedy {} is in no row", rem.id);
        assert!(!rem.source.is_empty(), "remedy {} has no source", rem.id);
        for lang in Lang::all() {
            let text = crate::i18n::message(lang, &rem.text_key());
            assert!(
                text.is_some_and(|t| t.chars().count() > 8 && !t.contains('{')),
                "remedy.{} missing or has placeholders in {lang}",
                rem.id
            );
        }
        for c in rem.commands {
            assert!(!c.template.contains('<'), "{}: {}", rem.id, c.template);
        }
        if rem.audience == Visitor {
            assert!(
                rem.commands.is_empty(),
                "{} gives a visitor a command",
                rem.id
            );
        }
    }
}

#[test]
fn seed_remedies_and_tools_are_present() {
    for id in [
        "refresh_page",
        "try_again_later",
        "clear_browser_cache",
        "try_other_browser",
        "restart_device_router",
        "check_other_sites",
        "contact_isp",
        "contact_site",
        "check_upstream_running",
        "read_gateway_log",
        "review_resource_usage",
        "check_dns_settings",
        "check_dns_server",
        "update_software",
        "reconfigure_firewall",
        "review_recent_deploys",
        "check_load_balancer",
        "check_backend_health",
        "contact_hosting_provider",
        "drill_through_to_origin",
        "request_url_verbose",
        "ping_host",
        "traceroute_host",
        "check_dependencies",
        "optimize_code",
        "scale_capacity",
        "add_timeouts_and_retries",
        "handle_gateway_errors",
        "use_alternative_upstream",
    ] {
        assert!(
            remedy(id).is_some_and(|r| r.source.starts_with("seed ")),
            "{id} should cite its seed"
        );
    }
    let templates: Vec<&str> = REMEDIES
        .iter()
        .flat_map(|r| r.commands.iter().map(|c| c.template))
        .collect();
    for t in [
        "curl -v {url}",
        "dig +short {upstream_host}",
        "ping -c 4 {upstream_host}",
        "traceroute {upstream_host}",
        "ss -ltnp 'sport = :{upstream_port}'",
        "tail -n 50 {log}",
        "openssl s_client -connect {upstream_host}:{upstream_port} -servername {upstream_host}",
    ] {
        assert!(templates.contains(&t), "missing command {t}");
    }
}

/// Issue 14, items 2 and 3: over every type × segment × layer × audience,
/// at most five remedies, and no command with a placeholder — filled from
/// nothing, from a URL, or from a log line.
#[test]
fn at_most_five_and_no_placeholder_anywhere() {
    let facts_sets = |d: &Diagnosis| {
        [
            Facts::default(),
            Facts::gather(d, Some("https://shop.example:8443/cart?x=1")),
            Facts::gather_on(d, Some("http://127.0.0.1:3000/"), Some(Platform::Linux)),
        ]
    };
    let mut checked = 0usize;
    for d in every_diagnosis() {
        for a in Audience::ALL {
            let r = remedies(&d, *a);
            assert!(
                r.len() <= MAX_PER_AUDIENCE,
                "{:?}/{a}: {}",
                d.error_type,
                r.len()
            );
            assert!(
                !r.is_empty() || *a == Owner,
                "{:?}/{}/{a}",
                d.error_type,
                d.layer
            );
        }
        for f in facts_sets(&d) {
            for c in commands(&d, &f) {
                assert!(!has_placeholder(&c) && !c.contains('<'), "{c}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} commands checked");
}

/// Issue 14, item 3: advice is aimed at the component that failed and at
/// the platform of the layer.
#[test]
fn aimed_at_the_failing_component_and_platform() {
    for d in every_diagnosis() {
        let f = Facts::gather(&d, Some("https://shop.example/"));
        let cmds = commands(&d, &f);
        let owner = ids(&d, Owner);
        if failing_component(&d) == Some(Component::Behind) {
            assert!(
                !owner.contains(&"restart_gateway") && !owner.contains(&"check_gateway_running"),
                "{:?} by {}: the gateway did not fail",
                d.error_type,
                d.layer
            );
        }
        if d.segment == Segment::Client {
            assert!(
                !remedies(&d, Owner)
                    .iter()
                    .any(|r| r.component == Component::Behind),
                "{:?}: the visitor's side failed",
                d.error_type
            );
        }
        if is_client_runtime(d.layer) {
            assert!(
                !remedies(&d, Owner)
                    .iter()
                    .any(|r| r.component == Component::Reporter),
                "{}: no gateway is known",
                d.layer
            );
        }
        if d.layer == Layer::Iis {
            for c in &cmds {
                for unix in [
                    "systemctl",
                    "journalctl",
                    "ss",
                    "dig",
                    "tail",
                    "nft",
                    "sudo",
                    "certbot",
                ] {
                    assert!(!programs(c).contains(&unix), "IIS gets {c}");
                }
            }
        }
        if layer_platform(d.layer).own == Some(Platform::Hosted) {
            for c in &cmds {
                for server in ["systemctl", "journalctl", "tail", "sudo"] {
                    assert!(!programs(c).contains(&server), "{} gets {c}", d.layer);
                }
            }
        }
        if matches!(d.layer, Layer::Workerd | Layer::Gatewise)
            && failing_component(&d) == Some(Component::Behind)
        {
            assert!(
                !cmds.iter().any(|c| c.contains("wrangler")),
                "{:?}: the origin failed, not the worker",
                d.error_type
            );
        }
        assert!(
            !cmds
                .iter()
                .any(|c| c.contains("LogFiles") && c.starts_with("tail")),
            "a folder is tailed"
        );
    }
}

fn nginx_refused() -> Diagnosis {
    let line = r#"2026/11/21 06:12:01 [error] 1#1: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET /cart HTTP/1.1", upstream: "http://127.0.0.1:9/cart", host: "shop.example""#;
    crate::explain::explain(line)
        .map(|e| e.diagnosis)
        .unwrap_or_else(|_| Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx))
}

#[test]
fn the_server_behind_nginx_refused() {
    let d = nginx_refused();
    assert_eq!(d.layer, Layer::Nginx);
    let f = Facts::gather(&d, Some("https://shop.example/cart"));
    let owner = advise(&d, Owner, &f);
    let got: Vec<(&str, Option<&str>)> = owner
        .iter()
        .map(|a| (a.remedy.id, a.command.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("check_upstream_running", None),
            ("check_listening_port", Some("ss -ltnp 'sport = :9'")),
            ("check_upstream_address", None),
            (
                "read_gateway_log",
                Some("tail -n 50 /var/log/nginx/error.log")
            ),
            ("restart_upstream", None),
        ]
    );
    // Without the log line, nothing says where the upstream is: no ss.
    let bare = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx);
    let cmds = commands(&bare, &Facts::gather(&bare, None));
    assert_eq!(cmds, ["tail -n 50 /var/log/nginx/error.log"]);
}

#[test]
fn php_fpm_behind_nginx_is_named_by_its_socket() {
    let line = r#"2026/11/21 06:12:01 [crit] 1#1: *1 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 127.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example""#;
    let Ok(e) = crate::explain::explain(line) else {
        panic!("not recognised")
    };
    let f = Facts::gather(&e.diagnosis, None);
    assert_eq!(f.behind_layer, Some(Layer::PhpFpm));
    let cmds = commands(&e.diagnosis, &f);
    assert!(
        cmds.iter().any(|c| c == "systemctl status php*-fpm"),
        "{cmds:?}"
    );
}

#[test]
fn the_origin_reset_the_worker() {
    let d = Diagnosis::for_type(ErrorType::ConnectionTerminated, Layer::Workerd);
    let owner = ids(&d, Owner);
    assert!(!owner.contains(&"read_gateway_log"), "{owner:?}");
    assert!(owner.contains(&"read_upstream_log"));
    assert!(commands(&d, &Facts::gather(&d, Some("https://shop.example/"))).is_empty());
    // The worker itself misconfigured: its log is the place.
    let conf = Diagnosis::for_type(ErrorType::ProxyConfigurationError, Layer::Gatewise);
    let cmds = commands(&conf, &Facts::gather(&conf, None));
    assert_eq!(
        cmds,
        [
            "git log --oneline --since \"2 days ago\"",
            "npx wrangler tail"
        ]
    );
}

#[test]
fn iis_gets_powershell_and_its_log_folder() {
    let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Iis);
    let f = Facts::gather(&d, Some("https://shop.example/"));
    let owner = advise(&d, Owner, &f);
    let by_id = |id: &str| {
        owner
            .iter()
            .find(|a| a.remedy.id == id)
            .and_then(|a| a.command.clone())
    };
    assert_eq!(
        by_id("check_upstream_running").as_deref(),
        Some("Get-IISAppPool")
    );
    assert_eq!(
        by_id("read_gateway_log").as_deref(),
        Some("Get-ChildItem 'C:\\inetpub\\logs\\LogFiles' -Recurse -Filter *.log | Sort-Object LastWriteTime | Select-Object -Last 1 | Get-Content -Tail 50")
    );
    let dns = Diagnosis::for_type(ErrorType::DnsError, Layer::Iis);
    let mut f = Facts::gather(&dns, None);
    f.upstream = Address::from_url("http://backend.internal:8080/");
    let cmds = commands(&dns, &f);
    assert!(
        cmds.contains(&"Resolve-DnsName backend.internal".to_owned()),
        "{cmds:?}"
    );
}

#[test]
fn platforms_behind_heroku_and_the_cli() {
    let h = Diagnosis::for_type(ErrorType::HttpResponseTimeout, Layer::Heroku);
    let cmds = commands(&h, &Facts::gather(&h, None));
    assert!(cmds.contains(&"heroku logs --tail".to_owned()), "{cmds:?}");
    assert!(!cmds.iter().any(|c| c.contains("systemctl")));
    // The CLI probing a local port on a Mac.
    let mut d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::RustIo);
    d.evidence
        .push(Evidence::new(EvidenceSource::Probe, "probe", None));
    let f = Facts::gather_on(&d, Some("http://127.0.0.1:3000/"), Some(Platform::MacOs));
    let cmds = commands(&d, &f);
    assert!(
        cmds.contains(&"lsof -nP -iTCP:3000 -sTCP:LISTEN".to_owned()),
        "{cmds:?}"
    );
    // A remote site: its machine is unknown, so no command about it.
    let f = Facts::gather_on(&d, Some("https://shop.example/"), Some(Platform::Linux));
    assert!(!commands(&d, &f).iter().any(|c| c.starts_with("ss ")));
}

#[test]
fn advice_follows_the_diagnosis() {
    let d = Diagnosis::for_type(ErrorType::ConnectionRefused, Layer::Nginx)
        .with_alternative(ErrorType::ConnectionTerminated);
    let owner = ids(&d, Owner);
    assert_eq!(owner.first(), Some(&"check_upstream_running"));
    let visitor = ids(&d, Visitor);
    assert!(
        visitor.contains(&"avoid_resubmitting"),
        "alternatives add theirs"
    );
    assert_eq!(
        visitor.iter().filter(|id| **id == "contact_site").count(),
        1
    );
    // A best guess among several types: every type gets a say early.
    let guess = d.clone().with_confidence(Confidence::Low);
    let owner = ids(&guess, Owner);
    assert_eq!(owner.get(1), Some(&"read_upstream_log"), "{owner:?}");

    let mut client = Diagnosis::for_type(ErrorType::DnsError, Layer::Browser);
    client.segment = Segment::Client;
    let v = ids(&client, Visitor);
    assert_eq!(v.first(), Some(&"check_other_sites"));
    assert_eq!(v.get(1), Some(&"check_address"));

    let origin = Diagnosis::for_status(500, Layer::OriginApp);
    assert_eq!(ids(&origin, Owner).first(), Some(&"read_upstream_log"));

    let mut hop_only = Diagnosis::for_status(502, Layer::Unknown);
    hop_only.hop = Some(crate::Hop::Tls);
    assert_eq!(ids(&hop_only, Owner), ["inspect_certificate"]);
    assert_eq!(ids(&hop_only, Dev), ["verify_tls_properly"]);
}

#[test]
fn log_locations() {
    assert_eq!(log_location("/var/log/nginx/error.log"), LogLocation::File);
    assert_eq!(log_location("/var/log/httpd/error_log"), LogLocation::File);
    assert_eq!(
        log_location("C:\\inetpub\\logs\\LogFiles"),
        LogLocation::Folder
    );
    assert_eq!(log_location("heroku logs --tail"), LogLocation::Command);
    assert_eq!(
        log_location("Cloudflare dashboard → Analytics → Traffic"),
        LogLocation::Place
    );
}

#[test]
fn values_are_quoted_and_commands_whole() {
    assert_eq!(shell_word("shop.example", false), "shop.example");
    assert_eq!(shell_word("a;rm -rf /", false), "'a;rm -rf /'");
    assert_eq!(shell_word("it's", false), "'it'\\''s'");
    assert_eq!(shell_word("it's", true), "'it''s'");
    assert_eq!(shell_word("[::1]", false), "'[::1]'");
    assert_eq!(shell_word("", false), "''");
    let args = [("host", "a;b".to_owned())];
    assert_eq!(
        fill("ping {host}", &args, false).as_deref(),
        Some("ping 'a;b'")
    );
    assert_eq!(fill("ping {port}", &args, false), None);
    assert!(has_placeholder("x {upstream_port}"));
    assert!(!has_placeholder("Where-Object { $_ }"));
}
