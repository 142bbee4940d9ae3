#!/usr/bin/env bash
# Benchmark: `gongkai build` against Hugo (and Zola, when ZOLA is set) on the
# same N synthetic reports.
#
#   bench/build-vs-hugo.sh [N] [--runs R] [--keep] [--wait-idle[=SECONDS]] [--rev REV]
#
#   N            number of reports (default 10000)
#   --runs R     timed runs per command (default 5), after one warm-up build
#   --keep       keep the temp folder under /tmp (default: removed at the end)
#   --wait-idle  before timing, wait (up to SECONDS, default 900) until no
#                other process uses >= 20% CPU, for a shared machine
#   --after-delete[=FILES]  also time gongkai and Zola (when ZOLA is set)
#                right after a large deletion: before each of these runs,
#                outside the timing, FILES small files (default 50000) are
#                created in a folder beside the outputs, synced and deleted
#                (on ext4 a file creation then scans past the freed inodes);
#                rows "… after deleting FILES files"
#   --rev REV    build gongkai from commit REV (git archive into
#                /tmp/gongkai-bench-src/REV, kept for the next run; target dir
#                /tmp/gongkai-bench-target) instead of the working tree,
#                e.g. while the tree is mid-edit
#
#   ZOLA=PATH    environment: a Zola binary (0.22; not on crates.io, build it
#                from github.com/getzola/zola with `cargo build --release
#                --locked`, see bench/README.md). When set, the reports are
#                also converted for Zola (bench/to_zola.py) and Zola takes its
#                turn in every round; when unset, Zola is skipped with a message.
#
# Steps: installs hugo, hyperfine and /usr/bin/time when missing; builds
# gongkai and the gensite example in release; generates the site (seed 1);
# converts it to a Hugo site with bench/to_hugo.py; builds each site once as
# the warm-up (checking that it succeeds and that Hugo prints no warning or
# error, and counting the files and bytes written); then runs R rounds in
# which gongkai build, hugo, gongkai build of the same site with pages only
# (`[outputs] data = false, search = false`), gongkai check, and gongkai
# build again into the warm-up's output (nothing changed: the no-change
# rebuild) take turns,
# each run timed by
# hyperfine under `/usr/bin/time -v` (peak RSS), with zola after hugo when
# ZOLA is set, each build into a new,
# never-used output folder (after `sync`, outside the timing); the outputs
# are deleted after the last round, not between runs: see README.md.
#
# Prints a Markdown table (wall time, CPU time, peak RSS, files and bytes
# written), the ratio gongkai/hugo (and gongkai/zola) of the median wall times,
# and PASS/FAIL for the targets (gongkai wall <= 1/4 of Hugo's; gongkai peak
# RSS < 300 MiB). Exits 0 whatever the targets say; non-zero when a step or a
# build fails. When the gongkai binary has no `build` command yet, it measures
# Hugo (and `gongkai check`) alone, says so, and exits 3.
set -euo pipefail

N=10000
RUNS=5
KEEP=0
WAIT_IDLE=0
AFTER_DELETE=0
GIT_REV=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) KEEP=1 ;;
        --wait-idle) WAIT_IDLE=900 ;;
        --wait-idle=*) WAIT_IDLE="${1#--wait-idle=}" ;;
        --after-delete) AFTER_DELETE=50000 ;;
        --after-delete=*) AFTER_DELETE="${1#--after-delete=}" ;;
        --rev) GIT_REV="$2"; shift ;;
        --rev=*) GIT_REV="${1#--rev=}" ;;
        --runs) RUNS="$2"; shift ;;
        --runs=*) RUNS="${1#--runs=}" ;;
        -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
        [0-9]*) N="$1" ;;
        *) echo "build-vs-hugo: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$N$RUNS$WAIT_IDLE$AFTER_DELETE" in *[!0-9]*) echo "build-vs-hugo: N and --runs must be numbers" >&2; exit 2 ;; esac
ZOLA="${ZOLA:-}"
if [ -z "$ZOLA" ]; then
    echo "build-vs-hugo: ZOLA is not set: Zola is skipped (set ZOLA=path/to/zola to time it too)" >&2
elif ! "$ZOLA" --version >/dev/null 2>&1; then
    echo "build-vs-hugo: ZOLA=$ZOLA does not run ('$ZOLA --version' fails)" >&2
    exit 2
fi

LOAD_START="$(uptime | sed 's/.*load average: //')"
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
say() { printf '\n== %s\n' "$*" >&2; }

# --------------------------------------------------------------------------
# Tools

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() { # apt_install PACKAGE...: apt-get update only if the install fails
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y -qq "$@" >/dev/null; then
        if [ "$APT_UPDATED" = 0 ]; then
            $SUDO apt-get update -qq >/dev/null
            APT_UPDATED=1
        fi
        $SUDO apt-get install -y -qq "$@" >/dev/null
    fi
}
need=()
command -v hugo >/dev/null || need+=(hugo)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    apt_install "${need[@]}"
fi

# --------------------------------------------------------------------------
# Temp folder

WORK="$(mktemp -d /tmp/gongkai-bench.XXXXXX)"
SITE="$WORK/site"
HUGO_SITE="$WORK/hugo-site"
ZOLA_SITE="$WORK/zola-site"
OUT_ZOLA="$WORK/out-zola"
OUT_GK="$WORK/out-gongkai"   # the warm-up builds' outputs
OUT_HUGO="$WORK/out-hugo"
RUNS_DIR="$WORK/runs"          # the timed builds' outputs, one folder per run
cleanup() {
    rm -rf "$RUNS_DIR"
    if [ "$KEEP" = 1 ]; then
        echo "build-vs-hugo: kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
echo "build-vs-hugo: temp folder $WORK (site: $SITE, hugo site: $HUGO_SITE, outputs: $OUT_GK, $OUT_HUGO)" >&2

# --------------------------------------------------------------------------
# Build gongkai and gensite

if [ -n "$GIT_REV" ]; then
    REV="$(git -C "$ROOT" rev-parse --short "$GIT_REV^{commit}")"
    # One folder per commit, kept: cargo's fingerprints include the source
    # path, so a second run of the same commit does not rebuild it.
    SRC="/tmp/gongkai-bench-src/$REV"
    if [ ! -f "$SRC/Cargo.toml" ]; then
        mkdir -p "$SRC"
        git -C "$ROOT" archive "$GIT_REV" | tar -x -C "$SRC"
    fi
    TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/gongkai-bench-target}"
else
    SRC="$ROOT"
    TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [ -n "$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock themes examples 2>/dev/null)" ]; then
        REV="$REV + uncommitted changes"
    fi
fi
GONGKAI="$TARGET_DIR/release/gongkai"
GENSITE="$TARGET_DIR/release/examples/gensite"
say "cargo build --release (gongkai and the gensite example) in $SRC"
(cd "$SRC" && export CARGO_TARGET_DIR="$TARGET_DIR" &&
    cargo build --release --quiet && cargo build --release --quiet --example gensite)

HAVE_BUILD=1
if ! "$GONGKAI" build --help >/dev/null 2>&1; then
    HAVE_BUILD=0
    echo "build-vs-hugo: '$GONGKAI build --help' fails: gongkai has no build command yet;" \
        "measuring Hugo and 'gongkai check' only" >&2
fi

# Run a copy: a cargo build by someone else during the benchmark must not
# swap the binary between runs.
mkdir -p "$WORK/bin"
cp "$GONGKAI" "$WORK/bin/gongkai"
GONGKAI="$WORK/bin/gongkai"

# --------------------------------------------------------------------------
# Sites

say "gensite: $N reports (seed 1)"
"$GENSITE" --out "$SITE" --reports "$N" --seed 1 --force
say "to_hugo.py"
python3 "$BENCH_DIR/to_hugo.py" "$SITE" "$HUGO_SITE"
if [ -n "$ZOLA" ]; then
    say "to_zola.py"
    python3 "$BENCH_DIR/to_zola.py" "$SITE" "$ZOLA_SITE"
fi
# The same site with the pages only (no open data, no search index): the
# work that matches Hugo's.
SITE_PAGES="$WORK/site-pages"
cp -r "$SITE" "$SITE_PAGES"
printf '\n[outputs]\ndata = false\nsearch = false\n' >>"$SITE_PAGES/site.toml"

# The commands, for an output folder.
gk_cmd() { echo "$GONGKAI build --root $SITE -o $1 --quiet"; }
gkp_cmd() { echo "$GONGKAI build --root $SITE_PAGES -o $1 --quiet"; }
hugo_cmd() { echo "hugo --quiet --source $HUGO_SITE --destination $1"; }
zola_cmd() { echo "$ZOLA --root $ZOLA_SITE build --output-dir $1"; }
CHECK_CMD="$GONGKAI check --root $SITE"

count_files() { find "$1" -type f | wc -l; }
count_bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# --------------------------------------------------------------------------
# Warm-up builds: must succeed (Hugo without warnings); count what they write

say "warm-up builds"
if [ "$HAVE_BUILD" = 1 ]; then
    if ! $(gk_cmd "$OUT_GK") >"$WORK/gongkai-warmup.log" 2>&1; then
        cat "$WORK/gongkai-warmup.log" >&2
        echo "build-vs-hugo: gongkai build failed" >&2
        exit 1
    fi
    if [ -s "$WORK/gongkai-warmup.log" ]; then
        echo "build-vs-hugo: gongkai build printed:" >&2
        head -20 "$WORK/gongkai-warmup.log" >&2
    fi
    GK_FILES=$(count_files "$OUT_GK"); GK_BYTES=$(count_bytes "$OUT_GK")
    if ! $(gkp_cmd "$OUT_GK-pages") >>"$WORK/gongkai-warmup.log" 2>&1; then
        cat "$WORK/gongkai-warmup.log" >&2
        echo "build-vs-hugo: gongkai build (pages only) failed" >&2
        exit 1
    fi
    GKP_FILES=$(count_files "$OUT_GK-pages"); GKP_BYTES=$(count_bytes "$OUT_GK-pages")
fi
# Without --quiet here, so that warnings show in the log.
if ! hugo --source "$HUGO_SITE" --destination "$OUT_HUGO" >"$WORK/hugo-warmup.log" 2>&1; then
    cat "$WORK/hugo-warmup.log" >&2
    echo "build-vs-hugo: hugo build failed" >&2
    exit 1
fi
if grep -qE '^(WARN|ERROR)' "$WORK/hugo-warmup.log"; then
    grep -E '^(WARN|ERROR)' "$WORK/hugo-warmup.log" | head -20 >&2
    echo "build-vs-hugo: hugo printed warnings or errors on the converted site" >&2
    exit 1
fi
HUGO_FILES=$(count_files "$OUT_HUGO"); HUGO_BYTES=$(count_bytes "$OUT_HUGO")
if [ -n "$ZOLA" ]; then
    if ! $(zola_cmd "$OUT_ZOLA") >"$WORK/zola-warmup.log" 2>&1; then
        cat "$WORK/zola-warmup.log" >&2
        echo "build-vs-hugo: zola build failed" >&2
        exit 1
    fi
    if grep -qiE '^(warning|error)' "$WORK/zola-warmup.log"; then
        grep -iE '^(warning|error)' "$WORK/zola-warmup.log" | head -20 >&2
        echo "build-vs-hugo: zola printed warnings or errors on the converted site" >&2
        exit 1
    fi
    ZOLA_FILES=$(count_files "$OUT_ZOLA"); ZOLA_BYTES=$(count_bytes "$OUT_ZOLA")
fi

# --------------------------------------------------------------------------
# Timed runs

# Processes using >= 5% CPU over one second just before timing (other builds).
busy() {
    top -b -n 2 -d 1 2>/dev/null |
        awk '/^top -/ {n++} n == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 >= 5 {printf "%s(%s%%) ", $12, $9}'
}
others_busy() { busy | tr ' ' '\n' | awk -F'[(%]' '$2 + 0 >= 20' | tr '\n' ' '; }
if [ "$WAIT_IDLE" -gt 0 ]; then
    say "waiting up to ${WAIT_IDLE}s for other processes to go quiet (two samples 5 s apart)"
    start=$SECONDS
    while :; do
        others="$(others_busy)"
        if [ -z "$others" ]; then
            sleep 5
            others="$(others_busy)"
            [ -z "$others" ] && break
        fi
        if [ $((SECONDS - start)) -ge "$WAIT_IDLE" ]; then
            echo "build-vs-hugo: still busy after ${WAIT_IDLE}s ($others); timing anyway" >&2
            break
        fi
        sleep 10
    done
    echo "build-vs-hugo: waited $((SECONDS - start)) s" >&2
fi
LOAD_BEFORE="$(uptime | sed 's/.*load average: //')"
BUSY_BEFORE="$(busy)"
[ -n "$BUSY_BEFORE" ] || BUSY_BEFORE="none"

# run_once NAME ROUND CMD: one timed run (hyperfine --runs 1) under
# /usr/bin/time -v, after `sync` (outside the timing) so that no run pays
# for writing back the previous run's dirty pages.
JUNK="$WORK/junk"
# A large deletion just before a run (outside the timing): FILES small files
# in 100 folders, written, synced, deleted.
DELETE_CMD="python3 -c 'import os,sys; d=sys.argv[1]; n=int(sys.argv[2]); [os.makedirs(d+\"/%d\" % i, exist_ok=True) for i in range(100)]; [open(d+\"/%d/%d.html\" % (i % 100, i), \"w\").write(\"x\" * 3000) for i in range(n)]' $JUNK $AFTER_DELETE && sync && rm -rf $JUNK && sync"
run_once() {
    local name="$1" round="$2" cmd="$3" prepare="sync"
    case "$name" in *-del) prepare="$DELETE_CMD" ;; esac
    hyperfine --style basic --runs 1 --warmup 0 \
        --prepare "$prepare" \
        --export-json "$WORK/$name.$round.json" \
        "/usr/bin/time -v -a -o $WORK/$name.time $cmd" >>"$WORK/hyperfine.log" 2>&1 || {
        tail -20 "$WORK/hyperfine.log" >&2
        echo "build-vs-hugo: $name failed in round $round: $cmd" >&2
        exit 1
    }
    printf '  %-8s round %d: %6.3f s\n' "$name" "$round" \
        "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["times"][0])' \
            "$WORK/$name.$round.json")" >&2
}

# The commands take turns (gongkai, hugo, check; R rounds), so that a
# neighbour's load that comes and goes hits both tools alike. Every build
# writes into a folder that has never existed: deleting the last output just
# before the next build would make the next build pay for the deletion (on
# ext4 without a journal, as here, creating a file scans past every inode
# freed in the last minutes, which doubled or tripled gongkai's time).
say "timing $RUNS rounds of:"
mkdir -p "$RUNS_DIR"
if [ "$HAVE_BUILD" = 1 ]; then
    echo "  gongkai: $(gk_cmd "$RUNS_DIR/gongkai.ROUND")" >&2
    echo "  pages:   $(gkp_cmd "$RUNS_DIR/pages.ROUND")" >&2
fi
echo "  hugo:    $(hugo_cmd "$RUNS_DIR/hugo.ROUND")" >&2
if [ -n "$ZOLA" ]; then echo "  zola:    $(zola_cmd "$RUNS_DIR/zola.ROUND")" >&2; fi
echo "  check:   $CHECK_CMD" >&2
if [ "$HAVE_BUILD" = 1 ]; then echo "  rebuild: $(gk_cmd "$OUT_GK") (nothing changed)" >&2; fi
if [ "$AFTER_DELETE" -gt 0 ]; then echo "  after deleting $AFTER_DELETE files: gongkai${ZOLA:+ and zola} again" >&2; fi
rm -f "$WORK"/*.time
BUSY_DURING=""
for round in $(seq 1 "$RUNS"); do
    if [ "$HAVE_BUILD" = 1 ]; then run_once gongkai "$round" "$(gk_cmd "$RUNS_DIR/gongkai.$round")"; fi
    run_once hugo "$round" "$(hugo_cmd "$RUNS_DIR/hugo.$round")"
    if [ -n "$ZOLA" ]; then run_once zola "$round" "$(zola_cmd "$RUNS_DIR/zola.$round")"; fi
    if [ "$HAVE_BUILD" = 1 ]; then run_once pages "$round" "$(gkp_cmd "$RUNS_DIR/pages.$round")"; fi
    run_once check "$round" "$CHECK_CMD"
    if [ "$HAVE_BUILD" = 1 ]; then run_once rebuild "$round" "$(gk_cmd "$OUT_GK")"; fi
    if [ "$AFTER_DELETE" -gt 0 ]; then
        if [ "$HAVE_BUILD" = 1 ]; then run_once gongkai-del "$round" "$(gk_cmd "$RUNS_DIR/gongkai-del.$round")"; fi
        if [ -n "$ZOLA" ]; then run_once zola-del "$round" "$(zola_cmd "$RUNS_DIR/zola-del.$round")"; fi
    fi
    BUSY_DURING="$BUSY_DURING$(busy)"
done
[ -n "$BUSY_DURING" ] || BUSY_DURING="none"

LOAD_AFTER="$(uptime | sed 's/.*load average: //')"
BUSY_AFTER="$(busy)"
[ -n "$BUSY_AFTER" ] || BUSY_AFTER="none"

# --------------------------------------------------------------------------
# Report

export AFTER_DELETE N RUNS HAVE_BUILD WORK REV LOAD_START LOAD_BEFORE LOAD_AFTER BUSY_BEFORE BUSY_DURING BUSY_AFTER
export GK_FILES="${GK_FILES:-0}" GK_BYTES="${GK_BYTES:-0}" HUGO_FILES HUGO_BYTES
export GKP_FILES="${GKP_FILES:-0}" GKP_BYTES="${GKP_BYTES:-0}"
export ZOLA ZOLA_FILES="${ZOLA_FILES:-0}" ZOLA_BYTES="${ZOLA_BYTES:-0}"
HUGO_VERSION="$(hugo version | awk '{print $2}')"
ZOLA_VERSION=""
if [ -n "$ZOLA" ]; then ZOLA_VERSION="$("$ZOLA" --version | awk '{print $2}')"; fi
export ZOLA_VERSION
CORES="$(nproc)"
export HUGO_VERSION CORES
python3 - <<'EOF'
import glob, json, os, re, statistics

e = os.environ
work = e["WORK"]


def stats(name):
    """Median, min and max wall time; median CPU time (user + sys); peak RSS in MiB."""
    times = [json.load(open(f))["results"][0]["times"][0] for f in glob.glob(os.path.join(work, name + ".*.json"))]
    text = open(os.path.join(work, name + ".time")).read()
    rss = [int(m) for m in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)]
    user = [float(m) for m in re.findall(r"User time \(seconds\): ([0-9.]+)", text)]
    system = [float(m) for m in re.findall(r"System time \(seconds\): ([0-9.]+)", text)]
    return {
        "med": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "cpu": statistics.median([u + s for u, s in zip(user, system)]),
        "rss": max(rss) / 1024,
    }


def row(name, st, files=None, size=None):
    f = "—" if files is None else "%d" % files
    s = "—" if size is None else "%.1f" % (size / 1e6)
    return "| %s | %.3f | %.3f | %.3f | %.2f | %.0f | %s | %s |" % (
        name, st["med"], st["min"], st["max"], st["cpu"], st["rss"], f, s)


have = e["HAVE_BUILD"] == "1"
h, c = stats("hugo"), stats("check")
g = stats("gongkai") if have else None
p = stats("pages") if have else None

print()
zola = stats("zola") if e["ZOLA"] else None
print("## gongkai build vs Hugo %s%s: %s reports, %s runs each (after 1 warm-up), taking turns"
      % (e["HUGO_VERSION"], " and Zola " + e["ZOLA_VERSION"] if zola else "", e["N"], e["RUNS"]))
print()
print("| command | median wall (s) | min (s) | max (s) | median CPU user+sys (s) | peak RSS (MiB) "
      "| files written | MB written |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
if have:
    print(row("`gongkai build` (all outputs)", g, int(e["GK_FILES"]), int(e["GK_BYTES"])))
    print(row("`gongkai build` (pages only)", p, int(e["GKP_FILES"]), int(e["GKP_BYTES"])))
else:
    print("| `gongkai build` | not available | | | | | | |")
print(row("`hugo`", h, int(e["HUGO_FILES"]), int(e["HUGO_BYTES"])))
if zola:
    print(row("`zola build`", zola, int(e["ZOLA_FILES"]), int(e["ZOLA_BYTES"])))
print(row("`gongkai check`", c))
r = stats("rebuild") if have else None
if r:
    print(row("`gongkai build` again, nothing changed", r))
dg = stats("gongkai-del") if have and e["AFTER_DELETE"] != "0" else None
dz = stats("zola-del") if zola and e["AFTER_DELETE"] != "0" else None
if dg:
    print(row("`gongkai build` after deleting %s files" % e["AFTER_DELETE"], dg))
if dz:
    print(row("`zola build` after deleting %s files" % e["AFTER_DELETE"], dz))
print()
print("load average (1, 5, 15 min): at start %s; before timing (after the warm-up builds) %s; after timing %s"
      % (e["LOAD_START"], e["LOAD_BEFORE"], e["LOAD_AFTER"]))
print("other processes using >= 5%% CPU (1 s samples): before timing: %s; between rounds: %s; after: %s"
      % (e["BUSY_BEFORE"], e["BUSY_DURING"], e["BUSY_AFTER"]))
print("gongkai revision: %s; %s cores" % (e["REV"], e["CORES"]))
print()
if have:
    for label, st in (("all outputs", g), ("pages only", p)):
        ratio = st["med"] / h["med"]
        print("%s: ratio gongkai/hugo, median wall time: %.3f (hugo takes %.1fx as long); median CPU time: %.3f"
              % (label, ratio, h["med"] / st["med"], st["cpu"] / h["cpu"]))
        print("%s: target wall time gongkai <= 1/4 of hugo: %s (%.3f s vs %.3f s allowed)"
              % (label, "PASS" if ratio <= 0.25 else "FAIL", st["med"], h["med"] / 4))
        print("%s: target peak RSS gongkai < 300 MiB: %s (%.0f MiB)"
              % (label, "PASS" if st["rss"] < 300 else "FAIL", st["rss"]))
        if zola:
            print("%s: ratio gongkai/zola, median wall time: %.3f (zola takes %.1fx as long); median CPU time: %.3f"
                  % (label, st["med"] / zola["med"], zola["med"] / st["med"], st["cpu"] / zola["cpu"]))
    if zola:
        print("target (issue 15) gongkai wall <= 0.35 x zola's, quiet disk: %s (%.3f s vs %.3f s allowed)"
              % ("PASS" if g["med"] <= 0.35 * zola["med"] else "FAIL", g["med"], 0.35 * zola["med"]))
    if dg and dz:
        print("target (issue 15) gongkai wall <= 0.35 x zola's, after a deletion: %s (%.3f s vs %.3f s allowed)"
              % ("PASS" if dg["med"] <= 0.35 * dz["med"] else "FAIL", dg["med"], 0.35 * dz["med"]))
    if r:
        print("target (issue 15) no-change rebuild <= 1/3 of a fresh build: %s (%.3f s vs %.3f s allowed)"
              % ("PASS" if r["med"] <= g["med"] / 3 else "FAIL", r["med"], g["med"] / 3))
    files, size = int(e["GK_FILES"]), int(e["GK_BYTES"])
    print("target (issue 15) at most 25,000 files and 300 MB: %s (%d files, %.1f MB)"
          % ("PASS" if files <= 25000 and size <= 300e6 else "FAIL", files, size / 1e6))
else:
    print("targets: n/a (gongkai has no build command yet)")
if not zola:
    print("zola: skipped (ZOLA is not set)")
EOF

if [ "$HAVE_BUILD" = 0 ]; then exit 3; fi
exit 0
