// Shared by build.rs (which lays out the key table) and `i18n` (which probes it):
// both must hash alike.

/// FNV-1a (64-bit) of a catalog key: the slot of `KEY_SLOTS` where probing starts.
pub(crate) fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
