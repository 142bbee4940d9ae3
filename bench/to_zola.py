#!/usr/bin/env python3
"""Convert a gongkai site (as written by `examples/gensite.rs`) into a Zola site.

    python3 bench/to_zola.py SITE_DIR ZOLA_DIR [--force]

The Zola site mirrors what bench/to_hugo.py writes for Hugo, so that the two
tools do the same work:

* config.toml: base_url "/", default_language zh, the title of site.toml,
  one Atom feed of the 50 latest pages at the root (gongkai writes atom.xml
  with 50 entries), no taxonomies, no search index, no syntax highlighting;
* templates/: a minimal theme-less set (base.html, index.html,
  section.html, page.html) showing title, date, content and, for lists,
  links to the pages;
* content/reports/<slug>/<year>.md per report, with TOML front matter
  (title, date = published, draft, and agency and year under [extra]) and
  the same body as for Hugo: the narrative with the three statistics tables
  as GFM pipe tables under their own section headings;
* content/_index.md, content/reports/_index.md and one _index.md per agency
  folder (title = the agency's name, pages sorted by date), and every
  ordinary page (e.g. guide.md) with its front matter turned into TOML.

The front-matter parsing and the tables are bench/to_hugo.py's (imported),
so both converters give the tools the same text.
"""

import argparse
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import to_hugo  # noqa: E402  (the shared parser and table writer)

CONFIG_TOML = """base_url = "/"
title = {title}
default_language = "zh"
compile_sass = false
build_search_index = false
generate_feeds = true
feed_filenames = ["atom.xml"]
feed_limit = 50
taxonomies = []

[markdown]
render_emoji = false
external_links_target_blank = false
# Reports have no code blocks: no [markdown.highlighting] table, so no
# highlighting (Zola 0.22's default).
"""

BASE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<link rel="alternate" type="application/atom+xml" href="{{ get_url(path="atom.xml", trailing_slash=false) }}" title="{{ config.title }}">
</head>
<body>
<header><a href="{{ config.base_url | safe }}">{{ config.title }}</a></header>
<main>
{% block main %}{% endblock main %}
</main>
</body>
</html>
"""

PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} - {{ config.title }}{% endblock title %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
{% if page.extra.agency %}<p class="agency">{{ page.extra.agency }}</p>{% endif %}
{% if page.date %}<p><time datetime="{{ page.date | date(format="%Y-%m-%d") }}">{{ page.date | date(format="%Y-%m-%d") }}</time></p>{% endif %}
{{ page.content | safe }}
</article>
{% endblock main %}
"""

SECTION = """{% extends "base.html" %}
{% block title %}{{ section.title }} - {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for p in section.subsections %}{% set s = get_section(path=p, metadata_only=true) %}
<li><a href="{{ s.permalink | safe }}">{{ s.title }}</a></li>
{% endfor %}
{% for page in section.pages %}
<li><a href="{{ page.permalink | safe }}">{{ page.title }}</a>{% if page.date %} <time datetime="{{ page.date | date(format="%Y-%m-%d") }}">{{ page.date | date(format="%Y-%m-%d") }}</time>{% endif %}</li>
{% endfor %}
</ul>
{% endblock main %}
"""

INDEX = """{% extends "base.html" %}
{% block main %}
<h1>{{ config.title }}</h1>
{{ section.content | safe }}
<ul>
{% for p in section.subsections %}{% set s = get_section(path=p, metadata_only=true) %}
<li><a href="{{ s.permalink | safe }}">{{ s.title }}</a></li>
{% endfor %}
{% for page in section.pages %}
<li><a href="{{ page.permalink | safe }}">{{ page.title }}</a></li>
{% endfor %}
</ul>
{% endblock main %}
"""


def _toml_str(text):
    """A TOML basic string."""
    out = ['"']
    for ch in str(text):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _date(value):
    """A TOML local date from YYYY-MM-DD, or None."""
    text = str(value or "").strip().strip('"')
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return text
    return None


def front_matter(fields, extra):
    lines = ["+++"]
    for key, value in fields:
        lines.append("%s = %s" % (key, value))
    if extra:
        lines.append("[extra]")
        for key, value in extra:
            lines.append("%s = %s" % (key, value))
    lines.append("+++\n")
    return "\n".join(lines)


def convert(site_dir, out_dir):
    started = time.monotonic()
    content_dir = os.path.join(site_dir, "content")
    if not os.path.isdir(content_dir):
        sys.exit("to_zola: %s has no content/ folder" % site_dir)
    stats = [0, 0]  # files, bytes
    write = to_hugo.write
    title = to_hugo.read_site_title(site_dir)

    os.makedirs(os.path.join(out_dir, "content"), exist_ok=True)
    write(os.path.join(out_dir, "config.toml"), CONFIG_TOML.format(title=_toml_str(title)), stats)
    templates = os.path.join(out_dir, "templates")
    os.makedirs(templates, exist_ok=True)
    for name, text in (("base.html", BASE), ("page.html", PAGE), ("section.html", SECTION), ("index.html", INDEX)):
        write(os.path.join(templates, name), text, stats)

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
                sys.exit("to_zola: %s is not UTF-8" % src)
            yaml_text, body = to_hugo.split_front_matter(text)
            meta = to_hugo.parse_front_matter(yaml_text, src) if yaml_text is not None else {}
            if "format" not in meta:
                # An ordinary page: its title (and date) in TOML, the rest under [extra].
                fields = [("title", _toml_str(meta.get("title") or os.path.splitext(name)[0]))]
                date = _date(meta.get("date"))
                if date:
                    fields.append(("date", date))
                dst = os.path.join(out_dir, "content", rel)
                parent = os.path.dirname(dst)
                if parent not in made_dirs:
                    os.makedirs(parent, exist_ok=True)
                    made_dirs.add(parent)
                write(dst, front_matter(fields, []) + body, stats)
                continue
            slug = meta.get("agency_slug") or "unknown"
            year = str(meta.get("year") or "0")
            agency = meta.get("agency") or slug
            agencies.setdefault(slug, agency)
            fields = [("title", _toml_str(meta.get("title") or "%s%s年政府信息公开工作年度报告" % (agency, year)))]
            date = _date(meta.get("published"))
            if date:
                fields.append(("date", date))
            if meta.get("draft") == "true":
                fields.append(("draft", "true"))
            extra = [("agency", _toml_str(agency)), ("year", year if year.isdigit() else _toml_str(year))]
            if meta.get("format") == "freeform":
                zola_body = body
            else:
                zola_body = to_hugo.body_with_tables(body, meta)
            dst_dir = os.path.join(out_dir, "content", "reports", slug)
            if dst_dir not in made_dirs:
                os.makedirs(dst_dir, exist_ok=True)
                made_dirs.add(dst_dir)
            write(os.path.join(dst_dir, "%s.md" % year), front_matter(fields, extra) + zola_body, stats)
            reports += 1

    write(os.path.join(out_dir, "content", "_index.md"), front_matter([("title", _toml_str(title))], []), stats)
    reports_dir = os.path.join(out_dir, "content", "reports")
    os.makedirs(reports_dir, exist_ok=True)
    section = [("title", _toml_str("政府信息公开工作年度报告")), ("sort_by", '"date"')]
    write(os.path.join(reports_dir, "_index.md"), front_matter(section, []), stats)
    for slug, agency in agencies.items():
        section = [("title", _toml_str(agency)), ("sort_by", '"date"')]
        write(os.path.join(reports_dir, slug, "_index.md"), front_matter(section, []), stats)

    print(
        "to_zola: %d reports, %d agencies -> %d files, %.1f MB in %.2f s -> %s"
        % (reports, len(agencies), stats[0], stats[1] / 1e6, time.monotonic() - started, out_dir),
        file=sys.stderr,
    )


def main():
    ap = argparse.ArgumentParser(description="Convert a gongkai site into a Zola site (for bench/build-vs-hugo.sh)")
    ap.add_argument("site", help="the gongkai site (with site.toml and content/)")
    ap.add_argument("out", help="the Zola site folder to write")
    ap.add_argument("--force", action="store_true", help="empty OUT first if it is not empty")
    args = ap.parse_args()
    if os.path.exists(args.out) and os.listdir(args.out):
        if not args.force:
            sys.exit("to_zola: %s is not empty; pass --force to replace it" % args.out)
        shutil.rmtree(args.out)
    convert(args.site, args.out)


if __name__ == "__main__":
    main()
