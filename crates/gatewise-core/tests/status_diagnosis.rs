//! Every row of the status registry yields a consistent diagnosis.

use gatewise_core::{classify, status, Confidence, ErrorType, Layer};

#[test]
fn every_status_row_explains_itself() {
    for row in status::all() {
        let d = classify::status(row.key());
        assert_eq!(d.received_status, Some(row.code), "{}", row.key());
        assert_eq!(d.status, row.code, "{}", row.key());
        assert_eq!(d.sub_status, row.sub, "{}", row.key());
        assert_eq!(d.error_type, row.error_type, "{}", row.key());
        assert_eq!(d.retryable, row.retryable, "{}", row.key());
        assert_eq!(d.retry_after, row.retry_after, "{}", row.key());
        assert_eq!(
            d.layer,
            row.vendor().unwrap_or(Layer::Unknown),
            "{}",
            row.key()
        );
        for alt in row.alternatives {
            assert!(
                d.alternatives.contains(alt) || d.error_type == Some(*alt),
                "{}",
                row.key()
            );
        }
        assert_ne!(
            d.confidence,
            Confidence::High,
            "a status alone is never certain"
        );
        assert_eq!(d.evidence.len(), 1);
    }
}

#[test]
fn unknown_codes_and_sub_statuses_fall_back() {
    let d = classify::status(status::parse("502.99").unwrap());
    assert_eq!((d.received_status, d.sub_status), (Some(502), None));
    let d = classify::status(status::parse("599").unwrap());
    assert_eq!(d.received_status, Some(599));
    let d = classify::status(status::parse("799").unwrap());
    assert_eq!(d.layer, Layer::Unknown);
    assert_eq!(d.received_status, Some(799));
    assert_eq!(d.sub_status, None);
    let d = classify::status(status::parse("521").unwrap());
    assert_eq!(d.error_type, Some(ErrorType::ConnectionRefused));
    assert_eq!(d.layer, Layer::Cloudflare);
}
