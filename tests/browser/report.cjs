// Opens blcheck HTML reports in headless Chromium (Debian's, driven by
// playwright-core) and prints what it saw as one JSON object; the Rust test
// tests/cli/html.rs makes the assertions.
//
//   node tests/browser/report.cjs TOOLS_DIR REPORT.html INJECTED.html [SCREENSHOT.png]
//
// TOOLS_DIR is .ci/tools, where .ci/install-tools puts playwright-core and
// axe-core. With SCREENSHOT, also writes a screenshot of REPORT's first screen.
"use strict";

const path = require("path");
const { createRequire } = require("module");
const { pathToFileURL, fileURLToPath } = require("url");
const fs = require("fs");

const [tools, reportPath, injectedPath, screenshot] = process.argv.slice(2);
if (!tools || !reportPath || !injectedPath) {
  process.stderr.write("usage: report.cjs TOOLS_DIR REPORT.html INJECTED.html [SCREENSHOT.png]\n");
  process.exit(2);
}
const load = createRequire(path.join(path.resolve(tools), "node_modules", "noop.js"));
const { chromium } = load("playwright-core");
const axePath = load.resolve("axe-core/axe.min.js");

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function open(browser, file) {
  // bypassCSP lets axe-core be injected; the report's own policy is checked
  // on a second page without it (see `csp` below).
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") { problems.push(`${m.type()}: ${m.text()}`); }
  });
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) { problems.push(`request: ${r.url()}`); }
  });
  await page.goto(pathToFileURL(file).href);
  return { context, page, problems };
}

function visibleRows(page) {
  return page.$$eval("table.matrix tbody tr", (rows) =>
    rows.filter((r) => r.checkVisibility()).map((r) => ({
      id: r.querySelector("th .doc").textContent,
      status: r.getAttribute("data-status"),
    })));
}

function visibleRuleColumns(page) {
  return page.$$eval("table.matrix thead th[data-rule]", (ths) =>
    ths.filter((th) => th.checkVisibility()).map((th) => th.getAttribute("data-rule")));
}

async function fixture(browser) {
  const { context, page, problems } = await open(browser, reportPath);
  const out = {};
  out.lang = await page.getAttribute("html", "lang");
  out.title = await page.title();
  out.rows = await page.$$eval("table.matrix tbody tr", (rows) => rows.map((r) => ({
    id: r.querySelector("th .doc").textContent,
    kind: r.closest("table").getAttribute("data-kind"),
    status: r.getAttribute("data-status"),
    cells: r.querySelectorAll("td.cell").length,
    marks: Array.from(r.querySelectorAll("td.cell")).map((td) => td.textContent),
  })));
  out.ruleColumns = await page.$$eval("table.matrix thead th[data-rule]", (ths) =>
    ths.map((th) => ({ rule: th.getAttribute("data-rule"), kind: th.closest("table").getAttribute("data-kind"), scope: th.getAttribute("scope"), title: th.getAttribute("title") })));
  out.cellTitles = await page.$$eval("table.matrix td.cell", (tds) => tds.filter((td) => !td.getAttribute("title")).length);
  out.sections = await page.$$eval("main > section > h2", (hs) => hs.map((h) => h.textContent));
  out.waiverStatuses = await page.$$eval("#waiver-register tbody tr td:nth-child(7) .word", (ws) => ws.map((w) => w.textContent));
  out.evidence = await evidence(page);

  // At 1,280 px the page itself never scrolls sideways; each matrix scrolls
  // in its own box, its header row and document column staying in view.
  await page.setViewportSize({ width: 1280, height: 600 });
  out.pageScrollsSideways = await page.evaluate(() =>
    document.documentElement.scrollWidth > document.documentElement.clientWidth);
  out.sticky = await page.$$eval("div.scroll", (boxes) => boxes.map((box) => {
    box.scrollTop = box.scrollHeight;
    box.scrollLeft = box.scrollWidth;
    const frame = box.getBoundingClientRect();
    const head = box.querySelector("thead th").getBoundingClientRect();
    const rows = box.querySelectorAll("tbody th");
    const last = rows[rows.length - 1].getBoundingClientRect();
    const result = {
      scrolled: box.scrollTop > 0 || box.scrollLeft > 0,
      headerAtTop: Math.abs(head.top - frame.top) <= 2,
      firstColumnAtLeft: Math.abs(last.left - frame.left) <= 2,
    };
    box.scrollTop = 0;
    box.scrollLeft = 0;
    return result;
  }));
  await page.setViewportSize({ width: 1400, height: 900 });

  // Sorting the compliance table by its rate puts the lowest first.
  await page.click("#compliance-rules thead th:nth-child(7) button");
  out.sortedRates = await page.$$eval("#compliance-rules tbody tr td:nth-child(7)", (tds) =>
    tds.map((td) => parseFloat(td.getAttribute("data-value"))));
  out.sortState = await page.getAttribute("#compliance-rules thead th:nth-child(7)", "aria-sort");
  out.filtersShown = await page.isVisible("#filters");
  out.count = await page.textContent("#f-count");

  await page.selectOption("#f-status", "status:fail");
  out.failingOnly = await visibleRows(page);
  out.failingFindingGroups = await page.$$eval("section.group", (gs) =>
    gs.filter((g) => g.checkVisibility()).map((g) => g.getAttribute("data-status")));
  await page.selectOption("#f-status", "status:pass");
  out.passingOnly = await visibleRows(page);
  await page.selectOption("#f-status", "");

  await page.selectOption("#f-policy", "ilp-quality");
  out.policyColumns = await visibleRuleColumns(page);
  out.policyRows = await visibleRows(page);
  await page.selectOption("#f-policy", "");

  await page.fill("#f-search", "1002");
  out.searchRows = await visibleRows(page);
  out.searchFindings = await page.$$eval("li.finding", (items) => items.filter((i) => i.checkVisibility()).length);
  await page.fill("#f-search", "");
  out.allRowsAgain = (await visibleRows(page)).length;

  if (screenshot) {
    await page.screenshot({ path: screenshot, fullPage: false });
  }

  await page.addScriptTag({ path: axePath });
  const axe = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  out.axe = axe;
  // The evidence section on its own, so its result cannot hide in the page's.
  out.evidenceAxe = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run({ include: [["#evidence"]] }, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help }));
  });

  await page.emulateMedia({ media: "print" });
  out.printHidesFilters = !(await page.isVisible("#filters"));
  const pdf = await page.pdf({ format: "A4", landscape: true, preferCSSPageSize: true });
  out.pdfBytes = pdf.length;
  // The test reads the pages back (pdftotext) where it can.
  require("fs").writeFileSync(reportPath + ".pdf", pdf);
  out.pdfPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  out.problems = problems;
  await context.close();
  return out;
}

// The Evidence section: its rows and links. Each link is resolved against
// the page's own address, as a click would; a file: link must name a
// regular file that exists.
async function evidence(page) {
  const found = await page.$$eval("#evidence", (sections) => sections.map((s) => ({
    heading: s.querySelector("h2") ? s.querySelector("h2").textContent : null,
    rows: s.querySelectorAll("tbody tr").length,
    links: Array.from(s.querySelectorAll("a[href]")).map((a) => ({
      text: a.textContent,
      href: a.getAttribute("href"),
      resolved: a.href,
    })),
    unlinked: s.querySelectorAll("tbody td:nth-child(3) em").length,
  })));
  for (const section of found) {
    for (const link of section.links) {
      if (link.resolved.startsWith("file:")) {
        link.file = fileURLToPath(link.resolved);
        let stat = null;
        try { stat = fs.statSync(link.file); } catch (e) { link.error = e.code; }
        link.exists = stat !== null && stat.isFile();
      }
    }
  }
  return found;
}

async function injected(browser) {
  const { context, page, problems } = await open(browser, injectedPath);
  const out = {};
  out.scripts = await page.$$eval("script", (s) => s.length);
  out.ran = await page.evaluate(() => window.__blcheckInjected === true);
  out.injectedElements = await page.$$eval("img, iframe, object, embed, b, i, svg", (els) => els.length);
  out.rowHeader = await page.textContent("table.matrix tbody th .doc");
  out.findingHeads = await page.$$eval("section.group h3", (hs) => hs.map((h) => h.textContent));
  out.messages = await page.$$eval("li.finding .message", (ms) => ms.map((m) => m.textContent));
  out.problems = problems;
  await context.close();
  return out;
}

// The report's own Content-Security-Policy, not bypassed: its inline
// script must still run (its hash matches) with no violation reported.
async function csp(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") { problems.push(m.text()); } });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(pathToFileURL(reportPath).href);
  const scriptRan = await page.isVisible("#filters");
  await context.close();
  return { scriptRan, problems };
}

// A report grouped by owner (GROUPED_REPORT): axe-core on it, and one
// owner's part printed alone from its anchor.
async function grouped(browser, file) {
  const { context, page, problems } = await open(browser, file);
  const out = {};
  out.parts = await page.$$eval("section.actions-group h3", (hs) => hs.map((h) => h.textContent));
  await page.addScriptTag({ path: axePath });
  out.axe = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help }));
  });
  await page.goto(pathToFileURL(file).href + "#actions-1");
  await page.emulateMedia({ media: "print" });
  out.printedAlone = await page.$$eval("h2, h3", (hs) =>
    hs.filter((h) => h.checkVisibility()).map((h) => h.textContent));
  const pdf = await page.pdf({ format: "A4", landscape: true, preferCSSPageSize: true });
  out.pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  out.problems = problems;
  await context.close();
  return out;
}

// Without script: no filter controls, and every row and finding shown.
async function noScript(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(reportPath).href);
  const out = {
    filtersShown: await page.isVisible("#filters"),
    rows: (await visibleRows(page)).length,
    findings: await page.$$eval("li.finding", (items) => items.filter((i) => i.checkVisibility()).length),
    allFindings: await page.$$eval("li.finding", (items) => items.length),
  };
  await context.close();
  return out;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const result = {
      version: browser.version(),
      fixture: await fixture(browser),
      injected: await injected(browser),
      csp: await csp(browser),
      noScript: await noScript(browser),
      grouped: process.env.GROUPED_REPORT ? await grouped(browser, process.env.GROUPED_REPORT) : null,
    };
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  } finally {
    await browser.close();
  }
})().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
