//! A one-line spinner on stderr while a probe step waits, drawn only when
//! stderr is a terminal (so pipes, files and tests see nothing).
//!
//! # Example
//! ```
//! use gatewise_cli::ticker::Ticker;
//! let t = Ticker::start("DNS lookup", false); // disabled: draws nothing
//! drop(t); // stops and clears the line
//! ```

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The spinner frames.
const FRAMES: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// A running spinner; dropping it stops it and clears its line.
#[derive(Debug)]
pub struct Ticker {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts a spinner labelled `label` if `enabled` and stderr is a terminal.
    pub fn start(label: &str, enabled: bool) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        if !enabled || !std::io::stderr().is_terminal() {
            return Ticker { stop, handle: None };
        }
        let flag = Arc::clone(&stop);
        let label = label.to_owned();
        let handle = std::thread::Builder::new()
            .name("ticker".into())
            .spawn(move || {
                let start = Instant::now();
                let mut i = 0usize;
                while !flag.load(Ordering::Relaxed) {
                    let frame = FRAMES.get(i % FRAMES.len()).copied().unwrap_or("-");
                    let mut err = std::io::stderr().lock();
                    let _ = write!(
                        err,
                        "\r{frame} {label}… {:.1} s\x1b[K",
                        start.elapsed().as_secs_f64()
                    );
                    let _ = err.flush();
                    drop(err);
                    i = i.wrapping_add(1);
                    std::thread::sleep(Duration::from_millis(80));
                }
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K");
                let _ = err.flush();
            })
            .ok();
        Ticker { stop, handle }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
