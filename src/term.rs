//! Printing that survives a reader going away: everything the commands print
//! goes through [`out!`](crate::out) and [`eout!`](crate::eout) (and their
//! `…ln!` forms). A reader that went away (`gongkai check | head`) stops the
//! printing and nothing else, where `println!` would panic; [`finish`] turns
//! any other failure to write stdout into the exit status. At the bottom of
//! the crate: any stage may print.

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::exit;

/// Like `print!`, to stdout, through [`write_out`](crate::term::write_out):
/// a closed stdout is not an error.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::term::write_out(format_args!($($arg)*)) };
}

/// Like `println!`, to stdout; see [`out!`](crate::out).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::term::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Like `eprint!`, to stderr, through [`write_err`](crate::term::write_err):
/// a closed stderr is not an error.
#[macro_export]
macro_rules! eout {
    ($($arg:tt)*) => { $crate::term::write_err(format_args!($($arg)*)) };
}

/// Like `eprintln!`, to stderr; see [`eout!`](crate::eout).
#[macro_export]
macro_rules! eoutln {
    ($($arg:tt)*) => { $crate::term::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Set when stdout (or stderr) turned out to be closed or failing: nothing
/// more is written to it.
static STDOUT_DONE: AtomicBool = AtomicBool::new(false);
static STDERR_DONE: AtomicBool = AtomicBool::new(false);
/// Set when writing to stdout failed for another reason than a reader
/// that went away (a full disk): the output is incomplete, see [`finish`].
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Writes to stdout. A reader that went away (a broken pipe) ends the
/// printing quietly: the command goes on and keeps its exit status. Any
/// other failure also ends the printing, and [`finish`] reports it.
pub fn write_out(args: fmt::Arguments) {
    if STDOUT_DONE.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        STDOUT_DONE.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let mut failed = STDOUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert_with(|| e.to_string());
        }
    }
}

/// Writes to stderr; a stderr that cannot be written (a closed pipe) ends
/// the writing quietly: there is nowhere left to say anything.
pub fn write_err(args: fmt::Arguments) {
    if STDERR_DONE.load(Ordering::Relaxed) {
        return;
    }
    if std::io::stderr().lock().write_fmt(args).is_err() {
        STDERR_DONE.store(true, Ordering::Relaxed);
    }
}

/// The exit status of a command that returned `code`, once its output is
/// flushed: at least [`exit::FAILURE`] when stdout could not be written
/// (other than by its reader going away, which changes nothing).
pub fn finish(code: u8) -> u8 {
    if !STDOUT_DONE.load(Ordering::Relaxed) {
        if let Err(e) = std::io::stdout().lock().flush() {
            STDOUT_DONE.store(true, Ordering::Relaxed);
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                let mut failed = STDOUT_FAILED.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert_with(|| e.to_string());
            }
        }
    }
    let failed = STDOUT_FAILED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    match failed {
        Some(e) => {
            eoutln!(
                "{}",
                t!(
                    "cli.labelled",
                    label = t!("common.error"),
                    message = t!("error.stdout", error = e)
                )
            );
            code.max(exit::FAILURE)
        }
        None => code,
    }
}
