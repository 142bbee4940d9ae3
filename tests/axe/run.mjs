// Accessibility check of a built portal: axe-core run in a headless
// chromium (Debian's, driven by playwright-core) over the main kinds of
// page, each at a desktop width (1280 px) and a phone width (390 px).
// Prints every violation with the elements it concerns and exits 1 on any
// (2 when the site or the browser cannot be found).
//
//   node run.mjs [SITE_DIR]        (default: ../../public)
//
// Environment: CHROMIUM (path of the browser; default /usr/bin/chromium or
// chromium on PATH), AXE_PAGES (comma-separated paths to check instead of
// the default list).
//
// The site is served by a small static server written here (node's http
// module: a dependency for ~30 lines is not worth it) at the root of
// 127.0.0.1 on a free port, because 404.html uses the site's `base_url`
// ("/" in the demo) and the search page fetches its index.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const site = path.resolve(process.argv[2] ?? path.join(here, "..", "..", "public"));
if (!existsSync(path.join(site, "index.html"))) {
  console.error(`axe: no built site at ${site} (run \`gongkai build -o DIR\` and pass DIR)`);
  process.exit(2);
}

const DEFAULT_PAGES = [
  "/", // home
  "/reports/zhongren/2023/", // a report (the real one)
  "/reports/shili-shi/2025/", // a report with a change table and notes
  "/years/2023/", // a year, with its charts and aggregate tables
  "/agencies/zhongren/", // an agency
  "/agencies/", // the directory
  "/compare/", // compare (its script builds the picker)
  "/search/", // search, empty
  "/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE", // search with results (行政复议)
  "/years/", // the folder index pages
  "/reports/",
  "/reports/zhongren/",
  "/data/",
  "/compliance/", // the supervisor's dashboard (issue 14)
  "/rollup/shili-shi/2025/", // a roll-up (the demo roster), a missing agency listed
  "/no-such-page/", // 404
];
const pages = process.env.AXE_PAGES ? process.env.AXE_PAGES.split(",") : DEFAULT_PAGES;
const WIDTHS = [1280, 390];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

// Serves files under `site`; a folder serves its index.html; anything else
// is 404.html with status 404, as a static host configured for the portal.
async function serve(req, res) {
  let rel;
  try {
    rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  } catch {
    rel = "/";
  }
  let file = path.join(site, path.normalize(rel));
  if (!file.startsWith(site)) file = site; // no way out of the site
  let status = 200;
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
    await stat(file);
  } catch {
    file = path.join(site, "404.html");
    status = 404;
  }
  try {
    const body = await readFile(file);
    res.writeHead(status, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
}

function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (existsSync(p)) return p;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();
  } catch {
    return null;
  }
}

const executablePath = findChromium();
if (!executablePath) {
  console.error("axe: no chromium found (apt-get install -y chromium, or set CHROMIUM)");
  process.exit(2);
}

const server = createServer((req, res) => {
  serve(req, res).catch(() => res.writeHead(500).end());
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let total = 0;
let failedLoads = 0;
try {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    for (const p of pages) {
      errors.length = 0;
      const resp = await page.goto(origin + p, { waitUntil: "networkidle" });
      const expected = p.startsWith("/no-such-page") ? 404 : 200;
      if (!resp || resp.status() !== expected) {
        console.log(`FAIL ${p} @${width}px: HTTP ${resp ? resp.status() : "no response"}, expected ${expected}`);
        failedLoads++;
        continue;
      }
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        // WCAG 2.1 A/AA and axe's best practices.
        return await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
      });
      const v = result.violations;
      total += v.length;
      if (errors.length) {
        console.log(`FAIL ${p} @${width}px: script error: ${errors.join("; ")}`);
        failedLoads++;
      }
      console.log(`${v.length ? "FAIL" : "ok  "} ${p} @${width}px: ${v.length} violation(s), ${result.passes.length} rules passed`);
      for (const x of v) {
        console.log(`  [${x.impact}] ${x.id}: ${x.help} (${x.helpUrl})`);
        for (const n of x.nodes.slice(0, 5)) {
          console.log(`    ${n.target.join(" ")}`);
          if (n.failureSummary) console.log(`      ${n.failureSummary.replace(/\n/g, "\n      ")}`);
        }
        if (x.nodes.length > 5) console.log(`    … and ${x.nodes.length - 5} more`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

console.log(`axe: ${pages.length} pages x ${WIDTHS.length} widths, ${total} violation(s), ${failedLoads} page(s) failed to load`);
process.exit(total || failedLoads ? 1 : 0);
