#!/usr/bin/env python3
"""Convert a gongkai site (as written by `examples/gensite.rs`) into a Hugo site.

    python3 bench/to_hugo.py SITE_DIR HUGO_DIR [--force]

The Hugo site gets:

* hugo.toml: baseURL "/", languageCode zh-cn, the title of site.toml, and
  disableKinds = ["taxonomy", "term"], so that Hugo builds the same kinds of
  pages gongkai does (home, sections, pages, sitemap and RSS are kept);
* layouts/: a minimal theme-less set (_default/baseof.html, single.html,
  list.html and index.html) showing title, date, content and, for lists,
  links to the pages;
* content/reports/<slug>/<year>.md per report: Hugo front matter (title,
  date = published, agency and year as params) and the report's narrative
  with the three statistics tables written as GFM pipe tables (same numbers,
  official labels), each table placed right under its own section heading
  (二, 三, 四), i.e. after section 一 and before the table's notes;
* content/reports/_index.md, one _index.md per agency folder (title = the
  agency's name), and every ordinary page (e.g. guide.md) as it is.

Only the Python standard library is used: the front matter of content files
is block-style YAML of a small subset (scalars, nested maps by indentation,
flow lists [..] and flow maps {..}, comments, null/~), parsed here. A file
outside that subset is parsed with PyYAML when it is installed, else it is
reported as an error.
"""

import argparse
import os
import re
import shutil
import sys
import time

# ---------------------------------------------------------------------------
# Official labels (docs/report-format.md, section 1; src/report/labels.rs)

TABLE_2 = "二、主动公开政府信息情况"
TABLE_3 = "三、收到和处理政府信息公开申请情况"
TABLE_4 = "四、政府信息公开行政复议、行政诉讼情况"

REQUEST_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
# Header cells of table 三's number columns, with the block they sit in.
REQUEST_HEADERS = [
    "自然人",
    "法人或其他组织：商业企业",
    "法人或其他组织：科研机构",
    "法人或其他组织：社会公益组织",
    "法人或其他组织：法律服务机构",
    "法人或其他组织：其他",
    "总计",
]
REQUEST_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

GROUP_LABELS = {
    "denied": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}

RESULTS = "三、本年度办理结果"

# (group or None, key, label) for the 25 number rows of table 三 (gov-2021).
REQUEST_ROWS = [
    (None, "new", "一、本年新收政府信息公开申请数量"),
    (None, "carried_over", "二、上年结转政府信息公开申请数量"),
    (None, "granted", RESULTS + "（一）予以公开"),
    (None, "partial", RESULTS + "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied", "state_secret", "1.属于国家秘密"),
    ("denied", "law_prohibited", "2.其他法律行政法规禁止公开"),
    ("denied", "security_stability", "3.危及“三安全一稳定”"),
    ("denied", "third_party", "4.保护第三方合法权益"),
    ("denied", "internal_affairs", "5.属于三类内部事务信息"),
    ("denied", "deliberative", "6.属于四类过程性信息"),
    ("denied", "enforcement_case", "7.属于行政执法案卷"),
    ("denied", "query_matter", "8.属于行政查询事项"),
    ("unavailable", "not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable", "needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable", "unclear", "3.补正后申请内容仍不明确"),
    ("not_processed", "complaint", "1.信访举报投诉类申请"),
    ("not_processed", "duplicate", "2.重复申请"),
    ("not_processed", "publication", "3.要求提供公开出版物"),
    ("not_processed", "excessive", "4.无正当理由大量反复申请"),
    ("not_processed", "confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other", "no_correction",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other", "unpaid_fee",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "other", "3.其他"),
    (None, "total", RESULTS + "（七）总计"),
    (None, "carried_forward", "四、结转下年度继续办理"),
]

APPEAL_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
APPEAL_BLOCKS = [
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_review", "行政诉讼（复议后起诉）"),
]

# ---------------------------------------------------------------------------
# A small YAML subset parser for front matter


class YamlSubsetError(Exception):
    pass


_PLAIN_INT = re.compile(r"^[+-]?[0-9]+$")
_PLAIN_FLOAT = re.compile(r"^[+-]?[0-9]+\.[0-9]+$")


def _scalar(text):
    """A scalar as a Python value. Numbers stay strings (kept exactly as
    written, so 96171.6 is not reformatted); null and ~ become None."""
    text = text.strip()
    if text in ("", "null", "~", "Null", "NULL"):
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        inner = text[1:-1]
        if text[0] == '"':
            if "\\" in inner:
                raise YamlSubsetError("escape sequence in double-quoted string")
            return inner
        return inner.replace("''", "'")
    if text[0] in "[{&*!|>%@`":
        raise YamlSubsetError("unsupported scalar %r" % text)
    return text


def _strip_comment(line):
    """Drops a ` #` comment outside quotes."""
    if "#" not in line:
        return line
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _split_flow(inner):
    """Splits the inside of [..] or {..} on commas (no nesting in our subset)."""
    if any(c in inner for c in "[]{}\"'"):
        raise YamlSubsetError("nested or quoted flow collection")
    inner = inner.strip()
    if not inner:
        return []
    return [part.strip() for part in inner.split(",")]


def _value(text):
    text = text.strip()
    if text.startswith("["):
        if not text.endswith("]"):
            raise YamlSubsetError("unterminated flow list")
        return [_scalar(p) for p in _split_flow(text[1:-1])]
    if text.startswith("{"):
        if not text.endswith("}"):
            raise YamlSubsetError("unterminated flow map")
        out = {}
        for part in _split_flow(text[1:-1]):
            key, sep, val = part.partition(":")
            if not sep:
                raise YamlSubsetError("flow map entry without ':'")
            out[key.strip()] = _scalar(val)
        return out
    return _scalar(text)


def parse_yaml_subset(text):
    """Parses block-style YAML maps (indentation nesting), the subset that
    content files use. Raises YamlSubsetError outside that subset."""
    root = {}
    # Stack of (indent, dict); the dict at the top receives keys at its indent.
    stack = [(-1, root)]
    pending = None  # (indent of parent key, dict) awaiting a nested block
    for raw in text.split("\n"):
        line = _strip_comment(raw).rstrip()
        if not line.strip():
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise YamlSubsetError("tab indentation")
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if body.startswith("- ") or body == "-":
            raise YamlSubsetError("block sequence")
        if pending is not None:
            if indent > pending[0]:
                stack.append((indent, pending[1]))
            pending = None
        while indent < stack[-1][0]:
            stack.pop()
        if indent != stack[-1][0] and stack[-1][0] != -1:
            raise YamlSubsetError("bad indentation: %r" % raw)
        if stack[-1][0] == -1:
            stack[-1] = (indent, root)
        key, sep, rest = body.partition(":")
        if not sep or (rest and rest[0] not in " "):
            raise YamlSubsetError("not a 'key: value' line: %r" % raw)
        key = key.strip()
        if len(key) >= 2 and key[0] == key[-1] and key[0] in "\"'":
            key = key[1:-1]
        target = stack[-1][1]
        if rest.strip():
            target[key] = _value(rest)
        else:
            child = {}
            target[key] = child
            pending = (indent, child)
    # An empty nested block (`key:` then nothing) means null.
    return _nulls_for_empty(root)


def _nulls_for_empty(node):
    for k, v in list(node.items()):
        if isinstance(v, dict):
            node[k] = _nulls_for_empty(v) if v else None
    return node


_pyyaml = None


def parse_front_matter(text, path):
    try:
        return parse_yaml_subset(text)
    except YamlSubsetError as err:
        global _pyyaml
        if _pyyaml is None:
            try:
                import yaml  # noqa: F401  (only for files outside the subset)

                _pyyaml = yaml
            except ImportError:
                sys.exit(
                    "to_hugo: %s: front matter outside the YAML subset this script reads (%s); "
                    "install PyYAML (python3 -m pip install pyyaml) to read it" % (path, err)
                )
        try:
            data = _pyyaml.safe_load(text) or {}
        except _pyyaml.YAMLError as yerr:
            sys.exit("to_hugo: %s: bad front matter: %s" % (path, yerr))
        return _stringify(data)


def _stringify(node):
    """PyYAML values in the shape of parse_yaml_subset's (numbers as strings)."""
    if isinstance(node, dict):
        return {str(k): _stringify(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_stringify(v) for v in node]
    if node is None or isinstance(node, str):
        return node
    if isinstance(node, bool):
        return "true" if node else "false"
    return str(node)


def split_front_matter(text):
    """(yaml text, body) of a Markdown file; (None, text) without front matter."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---", 3)
    while end != -1:
        after = end + 4
        if after == len(text) or text[after] == "\n":
            return text[4 : end + 1], text[after + 1 :]
        end = text.find("\n---", after)
    return None, text


# ---------------------------------------------------------------------------
# Tables as GFM pipe tables


def _cell(value):
    if value is None:
        return ""
    return str(value).replace("|", "\\|")


def _num(value):
    """A count for adding up totals; blank (None) counts as 0."""
    if value is None:
        return 0
    try:
        return int(value)
    except ValueError:
        return float(value)


def _row(cells):
    return "| " + " | ".join(cells) + " |\n"


def _with_total(row, width):
    """A row of width-1 or width numbers; a missing total is computed."""
    if row is None:
        return [None] * width
    row = list(row)
    if len(row) == width - 1:
        row.append(str(sum(_num(v) for v in row)))
    return row


def table_2(proactive):
    p = proactive or {}
    out = []
    sep = _row(["---"] * 4)
    out.append(_row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]))
    out.append(sep)
    out.append(_row(["**第二十条第（一）项**", "", "", ""]))
    for key, label in (("rules", "规章"), ("normative_docs", "行政规范性文件")):
        d = p.get(key) or {}
        out.append(_row([label] + [_cell(d.get(k, "0")) for k in ("issued", "repealed", "in_force")]))
    out.append(_row(["**第二十条第（五）项**", "**本年处理决定数量**", "", ""]))
    out.append(_row(["行政许可", _cell(p.get("licensing", "0")), "", ""]))
    out.append(_row(["**第二十条第（六）项**", "**本年处理决定数量**", "", ""]))
    out.append(_row(["行政处罚", _cell(p.get("penalty", "0")), "", ""]))
    out.append(_row(["行政强制", _cell(p.get("coercion", "0")), "", ""]))
    out.append(_row(["**第二十条第（八）项**", "**本年收费金额（单位：万元）**", "", ""]))
    out.append(_row(["行政事业性收费", _cell(p.get("fees", "0")), "", ""]))
    return "".join(out)


def table_3(requests):
    q = requests or {}
    out = [_row([REQUEST_CORNER] + REQUEST_HEADERS), _row(["---"] + ["---:"] * 7)]
    zeros = ["0"] * 7
    for group, key, label in REQUEST_ROWS:
        if group is None:
            row = q.get(key)
            if row is None and key == "total":
                row = _results_total(q)
        else:
            row = (q.get(group) or {}).get(key)
            label = RESULTS + GROUP_LABELS[group] + " " + label
        row = _with_total(row, 7) if row is not None else zeros
        out.append(_row([label] + [_cell(v) for v in row]))
    return "".join(out)


def _results_total(q):
    sums = [0] * 7
    for group, key, _ in REQUEST_ROWS[2:-2]:
        row = q.get(key) if group is None else (q.get(group) or {}).get(key)
        if row is not None:
            for i, v in enumerate(_with_total(row, 7)):
                sums[i] += _num(v)
    return [str(v) for v in sums]


def table_4(appeals):
    a = appeals or {}
    header = []
    numbers = []
    for key, block in APPEAL_BLOCKS:
        header.extend(block + "：" + col for col in APPEAL_COLUMNS)
        row = a.get(key)
        row = _with_total(row, 5) if row is not None else ["0"] * 5
        numbers.extend(_cell(v) for v in row)
    return _row(header) + _row(["---:"] * 15) + _row(numbers)


# ---------------------------------------------------------------------------
# Report body: tables under their section headings


_SECTION = re.compile(r"^##[ \t]+([一二三四五六])")
NUMERALS = "一二三四五六"


def body_with_tables(body, report):
    tables = {
        "二": (TABLE_2, table_2(report.get("proactive"))),
        "三": (TABLE_3, table_3(report.get("requests"))),
        "四": (TABLE_4, table_4(report.get("appeals"))),
    }
    lines = body.split("\n")
    out = []
    placed = set()

    def place_missing_before(numeral):
        # Tables whose heading is missing go before the next later section.
        for n in "二三四":
            if n not in placed and NUMERALS.index(n) < NUMERALS.index(numeral):
                heading, table = tables[n]
                out.append("## " + heading + "\n\n" + table)
                placed.add(n)

    for line in lines:
        m = _SECTION.match(line)
        if m:
            numeral = m.group(1)
            if numeral != "一":
                place_missing_before(numeral)
            out.append(line)
            if numeral in tables and numeral not in placed:
                out.append("\n" + tables[numeral][1].rstrip("\n"))
                placed.add(numeral)
            continue
        out.append(line)
    text = "\n".join(out)
    missing = [n for n in "二三四" if n not in placed]
    if missing:
        text = text.rstrip("\n") + "\n\n" + "\n".join(
            "## " + tables[n][0] + "\n\n" + tables[n][1] for n in missing
        )
    return text


# ---------------------------------------------------------------------------
# Output


def _q(text):
    """A YAML double-quoted string."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


HUGO_TOML = """baseURL = "/"
languageCode = "zh-cn"
title = {title}
disableKinds = ["taxonomy", "term"]
# Chinese text has no spaces between words: count words by characters.
hasCJKLanguage = true
# One feed of the 50 latest pages, as gongkai writes (atom.xml, 50 entries):
# without these Hugo writes an RSS file per section (2,000 for 10,000
# reports) and puts every page into the home feed.
rssLimit = 50

[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]

[markup.goldmark.renderer]
unsafe = false
"""


BASEOF = """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" -}}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ $.Site.Title }}">
{{ end -}}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.agency }}<p class="agency">{{ . }}</p>{{ end }}
{{ if not .Date.IsZero }}<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>{{ end }}
{{ .Content }}
</article>
{{ end }}
"""

LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if not .Date.IsZero }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>{{ end }}</li>
{{ end }}
</ul>
{{ end }}
"""

INDEX = """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Content }}
<ul>
{{ range .Site.Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>
{{ end }}
{{ range .Site.RegularPages.ByDate.Reverse | first 20 }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
{{ end }}
"""


def read_site_title(site_dir):
    path = os.path.join(site_dir, "site.toml")
    if not os.path.isfile(path):
        sys.exit("to_hugo: %s not found: not a gongkai site" % path)
    try:
        import tomllib  # Python 3.11+

        with open(path, "rb") as f:
            return str(tomllib.load(f).get("title", "gongkai"))
    except ImportError:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r'^\s*title\s*=\s*"([^"\\]*)"', line)
                if m:
                    return m.group(1)
    return "gongkai"


def write(path, text, stats):
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    stats[0] += 1
    stats[1] += len(data)


def convert(site_dir, out_dir):
    started = time.monotonic()
    content_dir = os.path.join(site_dir, "content")
    if not os.path.isdir(content_dir):
        sys.exit("to_hugo: %s has no content/ folder" % site_dir)
    stats = [0, 0]  # files, bytes
    title = read_site_title(site_dir)

    os.makedirs(os.path.join(out_dir, "content"), exist_ok=True)
    write(os.path.join(out_dir, "hugo.toml"), HUGO_TOML.format(title=_q(title)), stats)
    layouts = os.path.join(out_dir, "layouts")
    os.makedirs(os.path.join(layouts, "_default"), exist_ok=True)
    write(os.path.join(layouts, "_default", "baseof.html"), BASEOF, stats)
    write(os.path.join(layouts, "_default", "single.html"), SINGLE, stats)
    write(os.path.join(layouts, "_default", "list.html"), LIST, stats)
    write(os.path.join(layouts, "index.html"), INDEX, stats)

    reports = 0
    agencies = {}  # slug -> name
    made_dirs = set()
    for dirpath, dirnames, filenames in os.walk(content_dir):
        dirnames.sort()
        for name in sorted(filenames):
            src = os.path.join(dirpath, name)
            rel = os.path.relpath(src, content_dir)
            if not name.endswith(".md"):
                continue  # assets are not part of the benchmark's sites
            try:
                with open(src, encoding="utf-8-sig") as f:
                    text = f.read()
            except UnicodeDecodeError:
                sys.exit("to_hugo: %s is not UTF-8" % src)
            yaml_text, body = split_front_matter(text)
            meta = parse_front_matter(yaml_text, src) if yaml_text is not None else {}
            if "format" not in meta:
                # An ordinary page: Hugo reads its front matter as it is.
                dst = os.path.join(out_dir, "content", rel)
                parent = os.path.dirname(dst)
                if parent not in made_dirs:
                    os.makedirs(parent, exist_ok=True)
                    made_dirs.add(parent)
                write(dst, text, stats)
                continue
            slug = meta.get("agency_slug") or "unknown"
            year = meta.get("year") or "0"
            agency = meta.get("agency") or slug
            agencies.setdefault(slug, agency)
            fm = [
                "---",
                "title: " + _q(meta.get("title") or "%s%s年政府信息公开工作年度报告" % (agency, year)),
                "date: " + str(meta.get("published") or ""),
                "agency: " + _q(agency),
                "year: " + str(year),
            ]
            if meta.get("draft") == "true":
                fm.append("draft: true")
            fm.append("---\n")
            if meta.get("format") == "freeform":
                hugo_body = body
            else:
                hugo_body = body_with_tables(body, meta)
            dst_dir = os.path.join(out_dir, "content", "reports", slug)
            if dst_dir not in made_dirs:
                os.makedirs(dst_dir, exist_ok=True)
                made_dirs.add(dst_dir)
            write(os.path.join(dst_dir, "%s.md" % year), "\n".join(fm) + hugo_body, stats)
            reports += 1

    reports_dir = os.path.join(out_dir, "content", "reports")
    os.makedirs(reports_dir, exist_ok=True)
    write(os.path.join(reports_dir, "_index.md"), "---\ntitle: 政府信息公开工作年度报告\n---\n", stats)
    for slug, agency in agencies.items():
        write(os.path.join(reports_dir, slug, "_index.md"), "---\ntitle: %s\n---\n" % _q(agency), stats)

    print(
        "to_hugo: %d reports, %d agencies -> %d files, %.1f MB in %.2f s -> %s"
        % (reports, len(agencies), stats[0], stats[1] / 1e6, time.monotonic() - started, out_dir),
        file=sys.stderr,
    )


def main():
    ap = argparse.ArgumentParser(description="Convert a gongkai site into a Hugo site (for bench/build-vs-hugo.sh)")
    ap.add_argument("site", help="the gongkai site (with site.toml and content/)")
    ap.add_argument("out", help="the Hugo site folder to write")
    ap.add_argument("--force", action="store_true", help="empty OUT first if it is not empty")
    args = ap.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        if not args.force:
            sys.exit("to_hugo: %s is not empty; pass --force to replace it" % args.out)
        shutil.rmtree(args.out)
    convert(args.site, args.out)


if __name__ == "__main__":
    main()
