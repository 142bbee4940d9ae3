#!/usr/bin/env python3
"""Import speed: `gongkai import DIR` on N reports of mixed shapes.

    python3 bench/import_speed.py [N] [--runs R] [--gongkai PATH] [--keep]

Makes N report files (default 1,000) in a temp folder from the importer's
fixtures: the text shapes of tests/fixtures/import/ and import-shapes/, the
real reports of tests/fixtures/import-real/ (text, Markdown, HTML, and each
PDF once), cycling through them. Every copy of a text or HTML source gets an
agency of its own (a two-character prefix, different for every file, put
before every agency name the fixtures use), so each imports to its own file and nothing is skipped as a
duplicate. Then times `gongkai import DIR --out OUT --format json` R times
(default 3; a fresh OUT each time) and prints the median wall time, the
files per second, and how many files were imported, written as drafts or
refused (the refusals are the fixtures that must be refused).

The binary is target/release/gongkai (built with `cargo build --release`
when missing), or --gongkai PATH.
"""

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures")

# Agency names the generated fixtures use (the real ones come from expected.yaml).
NAMES = ["示例县交通运输局", "示例县财政局", "示例市生态环境局", "示例县人民政府", "示例县教育局", "绥滨县忠仁镇人民政府"]
PREFIX = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳未申酉戌亥东南西北春夏秋金木水火土山川江河湖梅兰竹菊松柏桃李杏"  # distinct readings


def sources():
    out = []
    for p in sorted(glob.glob(os.path.join(FIX, "import", "*.txt"))):
        if "not-a-report" not in p:
            out.append(p)
    out += sorted(glob.glob(os.path.join(FIX, "import-shapes", "*.txt")))
    out += sorted(glob.glob(os.path.join(FIX, "import-shapes", "*.md")))
    names = list(NAMES)
    for d in sorted(glob.glob(os.path.join(FIX, "import-real", "*"))):
        exp = os.path.join(d, "expected.yaml")
        if os.path.exists(exp):
            for line in open(exp, encoding="utf-8"):
                if line.startswith("agency:"):
                    names.append(line.split(":", 1)[1].strip().strip('"'))
        out += sorted(glob.glob(os.path.join(d, "source.*")))
    # Longest first, so a name inside another is not replaced in pieces.
    names = sorted(set(n for n in names if n), key=len, reverse=True)
    return out, names


def decode(data):
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    return None, None


def make(n, folder):
    srcs, names = sources()
    texts = [s for s in srcs if not s.endswith((".pdf", ".docx"))]
    binaries = [s for s in srcs if s.endswith((".pdf", ".docx"))]
    made = 0
    for b in binaries:
        if made >= n:
            break
        shutil.copy(b, os.path.join(folder, "%04d-%s" % (made, os.path.basename(os.path.dirname(b)) + os.path.splitext(b)[1])))
        made += 1
    i = 0
    while made < n:
        src = texts[i % len(texts)]
        k = i
        prefix = PREFIX[k % len(PREFIX)] + PREFIX[(k // len(PREFIX)) % len(PREFIX)]
        text, enc = decode(open(src, "rb").read())
        if text is None:
            i += 1
            continue
        # Every agency name gets the prefix: one agency per copy.
        for name in names:
            text = text.replace(name, "\0%d\0" % names.index(name))
        for j, name in enumerate(names):
            text = text.replace("\0%d\0" % j, prefix + name)
        ext = os.path.splitext(src)[1]
        with open(os.path.join(folder, "%04d%s" % (made, ext)), "wb") as f:
            f.write(text.encode(enc if enc != "utf-8-sig" else "utf-8"))
        made += 1
        i += 1
    return made


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gongkai", default=os.path.join(ROOT, "target", "release", "gongkai"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.gongkai):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="gongkai-import-speed.")
    try:
        src = os.path.join(work, "in")
        os.makedirs(src)
        made = make(args.n, src)
        times = []
        result = None
        for r in range(args.runs):
            out = os.path.join(work, "out%d" % r)
            subprocess.run(["sync"])
            t = time.monotonic()
            p = subprocess.run([args.gongkai, "import", src, "--out", out, "--format", "json"],
                               capture_output=True, text=True)
            times.append(time.monotonic() - t)
            if p.returncode not in (0, 1):
                sys.exit("import failed (%d): %s" % (p.returncode, p.stderr[-2000:]))
            result = p.stdout
        statuses = {}
        try:
            data = json.loads(result)
            files = data["files"] if isinstance(data, dict) and "files" in data else data
            for f in files:
                statuses[f.get("status")] = statuses.get(f.get("status"), 0) + 1
        except (ValueError, TypeError, KeyError, AttributeError):
            statuses = {"unparsed json": 1}
        med = statistics.median(times)
        print("import of %d files (mixed shapes): median wall %.2f s over %d runs (min %.2f, max %.2f), %.0f files/s; %s; %d cores"
              % (made, med, len(times), min(times), max(times), made / med,
                 ", ".join("%s %d" % kv for kv in sorted(statuses.items())), os.cpu_count()))
        print("target: 1,000 reports in under 10 s: %s" % ("PASS" if med * 1000 / made < 10 else "FAIL"))
    finally:
        if args.keep:
            print("kept %s" % work, file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
