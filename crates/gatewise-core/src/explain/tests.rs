use super::*;
use crate::ErrorType;

#[test]
fn placeholder() {
    assert_eq!(explain("524").unwrap().kind, InputKind::Status);
}
