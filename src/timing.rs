//! Phase timings on stderr when `GONGKAI_TIMINGS` is set (for benchmarks):
//! a [`Timer`] prints the wall time since its start or its last lap. At the
//! bottom of the crate: every stage may time itself, and it imports nothing.

use std::cell::Cell;
use std::time::Instant;

/// Prints `timing: <phase>: <seconds>` at each [`lap`](Timer::lap) when
/// `GONGKAI_TIMINGS` is set, and nothing otherwise.
pub(crate) struct Timer {
    on: bool,
    last: Cell<Instant>,
}

impl Timer {
    pub(crate) fn start() -> Timer {
        Timer {
            on: enabled(),
            last: Cell::new(Instant::now()),
        }
    }

    pub(crate) fn lap(&self, what: &str) {
        if self.on {
            let now = Instant::now();
            eprintln!("timing: {what}: {:.3}s", (now - self.last.get()).as_secs_f64());
            self.last.set(now);
        }
    }
}

/// Whether timings were asked for (`GONGKAI_TIMINGS` set).
pub(crate) fn enabled() -> bool {
    std::env::var_os("GONGKAI_TIMINGS").is_some()
}
