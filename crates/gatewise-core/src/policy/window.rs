//! A sliding time window of two counters, split into ten slots, shared by
//! the retry budget (deposits, withdrawals) and the circuit breaker
//! (successes, failures). Serializes compactly as `[[epoch, a, b], …]`.

use serde::{Deserialize, Serialize};

/// Number of slots the window is split into.
pub(crate) const SLOTS: u64 = 10;

/// Which of the two counters to bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counter {
    A,
    B,
}

/// Ten slots of `(epoch, a, b)`: `epoch` is `now_ms / slot_ms` when the slot was last reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub(crate) struct Window {
    slots: [(u64, u32, u32); SLOTS as usize],
}

impl Window {
    /// The length of one slot for a window of `window_ms` (at least 1 ms).
    fn slot_ms(window_ms: u64) -> u64 {
        window_ms.checked_div(SLOTS).unwrap_or(0).max(1)
    }

    /// Adds one to counter `which` at `now_ms`.
    pub(crate) fn bump(&mut self, window_ms: u64, now_ms: u64, which: Counter) {
        let epoch = now_ms.checked_div(Self::slot_ms(window_ms)).unwrap_or(0);
        let index = usize::try_from(epoch % SLOTS).unwrap_or(0);
        let [first, rest @ ..] = &mut self.slots;
        let slot = match index.checked_sub(1) {
            Some(i) => rest.get_mut(i).unwrap_or(first),
            None => first,
        };
        if slot.0 != epoch {
            *slot = (epoch, 0, 0);
        }
        match which {
            Counter::A => slot.1 = slot.1.saturating_add(1),
            Counter::B => slot.2 = slot.2.saturating_add(1),
        }
    }

    /// The sums of both counters over the slots still inside the window at `now_ms`.
    pub(crate) fn totals(&self, window_ms: u64, now_ms: u64) -> (u64, u64) {
        let current = now_ms.checked_div(Self::slot_ms(window_ms)).unwrap_or(0);
        let oldest = current.saturating_sub(SLOTS - 1);
        self.slots
            .iter()
            .filter(|(epoch, _, _)| (oldest..=current).contains(epoch))
            .fold((0, 0), |(a, b), &(_, sa, sb)| {
                (
                    a.saturating_add(u64::from(sa)),
                    b.saturating_add(u64::from(sb)),
                )
            })
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        *self = Window::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_slide_out_after_the_window() {
        let mut w = Window::default();
        // 1000 ms window: ten slots of 100 ms.
        w.bump(1000, 0, Counter::A);
        w.bump(1000, 99, Counter::B);
        w.bump(1000, 150, Counter::A);
        assert_eq!(w.totals(1000, 150), (2, 1));
        assert_eq!(w.totals(1000, 999), (2, 1));
        assert_eq!(w.totals(1000, 1000), (1, 0));
        assert_eq!(w.totals(1000, 1100), (0, 0));
        // Reusing slot 0 one window later resets it.
        w.bump(1000, 1000, Counter::B);
        assert_eq!(w.totals(1000, 1000), (1, 1));
        w.clear();
        assert_eq!(w.totals(1000, 1000), (0, 0));
    }

    #[test]
    fn zero_window_and_huge_clock_do_not_panic() {
        let mut w = Window::default();
        w.bump(0, u64::MAX, Counter::A);
        assert_eq!(w.totals(0, u64::MAX), (1, 0));
        let json = serde_json::to_string(&w).unwrap_or_default();
        // u64::MAX % 10 == 5: the sixth slot.
        let sixth = json.split("],[").nth(5).unwrap_or_default();
        assert_eq!(sixth, "18446744073709551615,1,0", "{json}");
    }
}
