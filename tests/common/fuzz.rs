//! A small mutation fuzzer that runs on the stable toolchain, for the
//! `#[ignore]`d harnesses in `tests/fuzz_*.rs` (`cargo test --release --
//! --ignored fuzz_`). cargo-fuzz and libFuzzer need a nightly compiler;
//! proptest generates from strategies but does not mutate a corpus of real
//! inputs, which is what finds bugs in parsers of real reports. This loop
//! does: seeds from `tests/fuzz-corpus/<name>/` plus those the harness
//! gives, mutated by byte flips, interesting values, dictionary tokens,
//! splices, deletions and duplications, on every core.
//!
//! - A panic is a failure: the input is saved to `target/fuzz-crashes/`.
//! - A hang is a failure: an input that runs longer than `GONGKAI_FUZZ_HANG_MS`
//!   (default 5,000 ms) is saved and the process aborts.
//! - The budget is `GONGKAI_FUZZ_SECS` seconds (default 3) per harness.
//!
//! Each run prints `fuzz <name>: N inputs, 0 panics, 0 hangs`.
#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs `target` on mutated inputs for the time budget; returns how many ran.
pub fn run(name: &str, mut seeds: Vec<Vec<u8>>, dict: &[&[u8]], target: impl Fn(&[u8]) + Sync) -> u64 {
    let secs: f64 = std::env::var("GONGKAI_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let hang = Duration::from_millis(
        std::env::var("GONGKAI_FUZZ_HANG_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5_000),
    );
    seeds.extend(corpus(name));
    if seeds.is_empty() {
        seeds.push(Vec::new());
    }
    let seeds = Arc::new(seeds);
    let dict: Vec<Vec<u8>> = dict.iter().map(|d| d.to_vec()).collect();
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let total = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    // What each worker is running now, and since when (for the watchdog).
    let current: Vec<Mutex<(Instant, Vec<u8>, bool)>> = (0..threads)
        .map(|_| Mutex::new((Instant::now(), Vec::new(), false)))
        .collect();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let failure: Mutex<Option<String>> = Mutex::new(None);
    std::thread::scope(|s| {
        for (t, slot) in current.iter().enumerate() {
            let (seeds, dict, total, stop, target, failure) = (&seeds, &dict, &total, &stop, &target, &failure);
            s.spawn(move || {
                let mut rng = fastrand::Rng::with_seed(0x5eed ^ (t as u64) ^ seed_salt());
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    if n.is_multiple_of(64) && Instant::now() >= deadline {
                        break;
                    }
                    let input = mutate(&mut rng, seeds, dict);
                    {
                        let mut c = slot.lock().unwrap();
                        c.0 = Instant::now();
                        c.1.clear();
                        c.1.extend_from_slice(&input);
                        c.2 = true;
                    }
                    let outcome = catch_unwind(AssertUnwindSafe(|| target(&input)));
                    slot.lock().unwrap().2 = false;
                    n += 1;
                    if let Err(p) = outcome {
                        let msg = p
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        let saved = save(name, "panic", &input);
                        *failure.lock().unwrap() = Some(format!("panic: {msg} (input saved to {})", saved.display()));
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                total.fetch_add(n, Ordering::Relaxed);
            });
        }
        // The watchdog: a hung input cannot be interrupted, so save it and abort.
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline + hang {
                std::thread::sleep(Duration::from_millis(100));
                for slot in &current {
                    let c = slot.lock().unwrap();
                    if c.2 && c.0.elapsed() > hang {
                        let saved = save(name, "hang", &c.1);
                        eprintln!("fuzz {name}: an input ran over {hang:?}; saved to {}", saved.display());
                        std::process::abort();
                    }
                }
                if current.iter().all(|s| !s.lock().unwrap().2) && Instant::now() >= deadline {
                    break;
                }
            }
        });
    });
    std::panic::set_hook(previous_hook);
    let n = total.load(Ordering::Relaxed);
    if let Some(f) = failure.into_inner().unwrap() {
        panic!("fuzz {name}: {f}");
    }
    eprintln!("fuzz {name}: {n} inputs, 0 panics, 0 hangs");
    record(name, n);
    n
}

fn seed_salt() -> u64 {
    std::env::var("GONGKAI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64)
        })
}

/// The corpus kept in the repository for `name`.
pub fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn save(name: &str, what: &str, input: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let _ = std::fs::create_dir_all(&dir);
    let hash = input.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    });
    let path = dir.join(format!("{name}-{what}-{hash:016x}"));
    let _ = std::fs::write(&path, input);
    path
}

/// Appends the count to `target/fuzz-totals.txt` (summed in the notes).
fn record(name: &str, n: u64) {
    use std::io::Write;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-totals.txt");
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = writeln!(f, "{name} {n}");
    }
}

const INTERESTING: &[&[u8]] = &[
    b"0",
    b"-1",
    b"9223372036854775807",
    b"-9223372036854775808",
    b"18446744073709551616",
    b"99999999999999999999999",
    b"1e308",
    b"0.000001",
    b"\x00",
    b"\x1b[31m",
    b"\r\n",
    b"\t",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe2\x80\xae",
    b"<script>",
    b"\"",
    b"'",
    b"&amp;",
    b"%00",
];

/// One mutated input: a seed (or a splice of two) changed 1-8 times.
pub fn mutate(rng: &mut fastrand::Rng, seeds: &[Vec<u8>], dict: &[Vec<u8>]) -> Vec<u8> {
    let mut v = seeds[rng.usize(..seeds.len())].clone();
    let rounds = 1 + rng.usize(..8);
    for _ in 0..rounds {
        let len = v.len();
        match rng.u8(..10) {
            0 if len > 0 => {
                let i = rng.usize(..len);
                v[i] ^= 1 << rng.u8(..8);
            }
            1 if len > 0 => {
                let i = rng.usize(..len);
                v[i] = rng.u8(..);
            }
            2 => {
                let tok = if !dict.is_empty() && rng.bool() {
                    &dict[rng.usize(..dict.len())][..]
                } else {
                    INTERESTING[rng.usize(..INTERESTING.len())]
                };
                let i = rng.usize(..=len);
                v.splice(i..i, tok.iter().copied());
            }
            3 if len > 0 => {
                let a = rng.usize(..len);
                let b = (a + 1 + rng.usize(..16.min(len - a))).min(len);
                v.drain(a..b);
            }
            4 if len > 0 => {
                let a = rng.usize(..len);
                let b = (a + 1 + rng.usize(..64.min(len - a))).min(len);
                let chunk = v[a..b].to_vec();
                let i = rng.usize(..=v.len());
                v.splice(i..i, chunk);
            }
            5 => {
                let other = &seeds[rng.usize(..seeds.len())];
                if !other.is_empty() {
                    let a = rng.usize(..other.len());
                    let b = (a + 1 + rng.usize(..256.min(other.len() - a))).min(other.len());
                    let i = rng.usize(..=v.len());
                    v.splice(i..i, other[a..b].iter().copied());
                }
            }
            6 if len > 0 => {
                // Replace a run of ASCII digits by an interesting number.
                let i = rng.usize(..len);
                if let Some(start) = (i..len).find(|&j| v[j].is_ascii_digit()) {
                    let end = (start..len).find(|&j| !v[j].is_ascii_digit()).unwrap_or(len);
                    let tok = INTERESTING[rng.usize(..6)];
                    v.splice(start..end, tok.iter().copied());
                }
            }
            7 if len > 1 => {
                // Swap two lines.
                let lines: Vec<&[u8]> = v.split(|&b| b == b'\n').collect();
                if lines.len() > 2 {
                    let (a, b) = (rng.usize(..lines.len()), rng.usize(..lines.len()));
                    let mut ls: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
                    ls.swap(a, b);
                    v = ls.join(&b'\n');
                }
            }
            8 => {
                let n = rng.usize(..8);
                let i = rng.usize(..=len);
                let bytes: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
                v.splice(i..i, bytes);
            }
            _ if len > 0 => {
                let i = rng.usize(..len);
                v.truncate(i.max(len / 2));
            }
            _ => {}
        }
    }
    v
}
