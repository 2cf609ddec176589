//! `policy::retry_after::{parse, parse_detailed}` against several clocks, and
//! the two writers read back.
#![no_main]

use gatewise_core::policy::retry_after::{self, Form, MAX_DELAY_SECS};
use libfuzzer_sys::fuzz_target;

const LAST_HTTP_DATE: u64 = 253_402_300_799;

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    for now in [0, 1_445_412_480, LAST_HTTP_DATE, u64::MAX] {
        let simple = retry_after::parse(&value, now);
        let detailed = retry_after::parse_detailed(&value, now);
        assert_eq!(simple, detailed.ok().map(|r| r.secs));
        if let Ok(r) = detailed {
            assert!(r.secs <= MAX_DELAY_SECS);
            if r.form == Form::DelaySeconds {
                assert_eq!(
                    retry_after::parse(&retry_after::format_delta(r.secs), now),
                    Some(r.secs)
                );
            }
        }
    }
    // The writers, with a clock and a delay taken from the bytes.
    let mut b = [0u8; 12];
    for (d, s) in b.iter_mut().zip(data) {
        *d = *s;
    }
    let now = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        % (LAST_HTTP_DATE + 10);
    let secs = u32::from_le_bytes([b[8], b[9], b[10], b[11]]) % (MAX_DELAY_SECS + 1);
    let date = retry_after::format_date(now, secs);
    let back = retry_after::parse(&date, now).expect("own date parses");
    if now + u64::from(secs) <= LAST_HTTP_DATE {
        assert_eq!(back, secs, "{date}");
    }
});
