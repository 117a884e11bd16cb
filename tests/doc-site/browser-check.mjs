// Browser check of the built doc site, with playwright-core driving Debian's
// Chromium (/usr/bin/chromium; never a downloaded browser).
//
//   node browser-check.mjs --base-url http://127.0.0.1:PORT
//       [--page /services/aiplatform/notebook_execution_jobs/]
//       [--screenshot PATH]            (or env DOC_SITE_SCREENSHOT)
//       [--build-dir DIR]              also load every built /services/ page
//       [--strict-links]               (or env DOC_SITE_STRICT_LINKS=1) fail on
//                                      links to missing /services/ pages
//       [--expect '/services/x/y/::some text']   (repeatable)
//       [--expect-field '/services/x/y/::FIELD::text']   (repeatable)
//       [--forbid TEXT]                (repeatable; with --build-dir)
//
// 1. Opens the resource page (default aiplatform's notebook_execution_jobs)
//    and checks: the title, the Overview's CopyableCode, the Fields tabs
//    (get/list) with a Name/Datatype/Description table showing `createTime`,
//    the Methods table with get/list/create/delete, and the SELECT example
//    tabs with a SQL code block. Clicks the `list` tab of the Fields tabs and
//    checks that the list panel (with `notebookRuntimeTemplateResourceName`)
//    becomes visible and the get panel hidden, clicks a copy button, then saves
//    a screenshot of the Fields section.
// 2. With --build-dir, loads every built page under /services/ and checks that
//    it renders (status 200, hydrates, has an <h1>, no uncaught page error, no
//    raw MDX tags such as `<CopyableCode` left as text, every tab group shows
//    exactly one panel).
//    Links from page content to /services/... pages that were not built (the
//    golden service index lists 75 resources, only 12 are given) are listed as
//    warnings, or failures with --strict-links.
//    With --forbid TEXT, no page's article text (hidden tab panels included)
//    may contain TEXT (the clean profile forbids `&#123;` and `&#125;`).
// 3. Each --expect PATH::TEXT requires the page at PATH to show TEXT. Each
//    --expect-field PATH::FIELD::TEXT requires the first Fields table of PATH
//    to have a row FIELD whose description shows TEXT inside a rendered
//    code span (<code>), i.e. as the text a reader sees.
//
// Exits 0 when all checks pass, 1 with a list of failures otherwise, 2 on bad
// usage or when the browser cannot be started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function usage(msg) {
  if (msg) console.error(`browser-check: ${msg}`);
  console.error(
    'usage: node browser-check.mjs --base-url URL [--page PATH] [--screenshot FILE] ' +
      "[--build-dir DIR [--strict-links]] [--expect 'PATH::TEXT']...",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    baseUrl: process.env.DOC_SITE_BASE_URL || '',
    page: '/services/aiplatform/notebook_execution_jobs/',
    screenshot: process.env.DOC_SITE_SCREENSHOT || '',
    buildDir: '',
    strictLinks: process.env.DOC_SITE_STRICT_LINKS === '1',
    expects: [],
    fieldExpects: [],
    forbids: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--base-url') opts.baseUrl = val();
    else if (a === '--page') opts.page = val();
    else if (a === '--screenshot') opts.screenshot = val();
    else if (a === '--build-dir') opts.buildDir = val();
    else if (a === '--strict-links') opts.strictLinks = true;
    else if (a === '--expect') {
      const v = val();
      const k = v.indexOf('::');
      if (k < 0) usage(`--expect wants PATH::TEXT, got ${v}`);
      opts.expects.push({path: v.slice(0, k), text: v.slice(k + 2)});
    } else if (a === '--expect-field') {
      const v = val();
      const parts = v.split('::');
      if (parts.length !== 3) usage(`--expect-field wants PATH::FIELD::TEXT, got ${v}`);
      opts.fieldExpects.push({path: parts[0], field: parts[1], text: parts[2]});
    } else if (a === '--forbid') opts.forbids.push(val());
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!opts.baseUrl) usage('--base-url is required');
  opts.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  if (!opts.screenshot) {
    opts.screenshot = opts.buildDir
      ? path.join(opts.buildDir, 'screenshot.png')
      : path.join(path.dirname(new URL(import.meta.url).pathname), 'screenshot.png');
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const failures = [];
const brokenLinks = new Map(); // target -> first page linking to it
let checks = 0;

function check(cond, msg) {
  checks++;
  if (cond) {
    console.log(`  ok   ${msg}`);
  } else {
    console.log(`  FAIL ${msg}`);
    failures.push(msg);
  }
  return cond;
}

// The elements of a page section: the siblings after <h2 id=ID> up to the next <h2>.
function inSection(id, tail) {
  return `xpath=//h2[@id="${id}"]/following-sibling::${tail}[preceding-sibling::h2[1][@id="${id}"]]`;
}

const PAGES_IN_PARALLEL = 4;

const TABS = 'div[contains(concat(" ", normalize-space(@class), " "), " tabs-container ")]';

async function tabLabels(tabs) {
  return (await tabs.locator('[role="tab"]').allInnerTexts()).map((s) => s.trim());
}

// The tab panel of a Docusaurus <Tabs> for the tab at index i (panels are
// rendered in tab order; the hidden ones carry the `hidden` attribute).
function panel(tabs, i) {
  return tabs.locator(':scope > div > [role="tabpanel"]').nth(i);
}

async function openPage(page, urlPath, pageErrors) {
  pageErrors.length = 0;
  const resp = await page.goto(opts.baseUrl + urlPath, {waitUntil: 'load', timeout: 30000});
  const status = resp ? resp.status() : 0;
  let hydrated = true;
  try {
    await page.waitForSelector('html[data-has-hydrated="true"]', {timeout: 15000});
  } catch {
    hydrated = false;
  }
  return {status, hydrated};
}

async function generalPageChecks(page, urlPath, pageErrors, {status, hydrated}, {verbose}) {
  const problems = [];
  if (status !== 200) problems.push(`HTTP status ${status}`);
  if (!hydrated) problems.push('React did not hydrate (html[data-has-hydrated] missing)');
  const h1 = page.locator('article h1').first();
  if ((await h1.count()) === 0 || !(await h1.isVisible())) problems.push('no visible <h1> in the article');
  const text = (await page.locator('article').first().innerText().catch(() => '')) || '';
  for (const raw of ['<CopyableCode', '<TabItem', '</TabItem>', '</Tabs>']) {
    if (text.includes(raw)) problems.push(`raw markup ${JSON.stringify(raw)} shown as text`);
  }
  if (opts.forbids.length) {
    // textContent, not innerText: hidden tab panels count too.
    const all = (await page.locator('article').first().textContent().catch(() => '')) || '';
    for (const bad of opts.forbids) {
      const at = all.indexOf(bad);
      if (at >= 0) problems.push(`shows ${JSON.stringify(bad)}: ...${all.slice(Math.max(0, at - 60), at + 40)}...`);
    }
  }
  const tabGroups = page.locator('article div.tabs-container');
  const n = await tabGroups.count();
  for (let i = 0; i < n; i++) {
    const g = tabGroups.nth(i);
    const tabs = await g.locator('[role="tab"]').count();
    const visible = await g.locator(':scope > div > [role="tabpanel"]:not([hidden])').count();
    if (tabs < 1) problems.push(`tab group #${i + 1} has no tabs`);
    if (visible !== 1) problems.push(`tab group #${i + 1} shows ${visible} panels (want 1)`);
  }
  for (const e of pageErrors) problems.push(`page error: ${e}`);
  if (opts.buildDir) {
    const hrefs = await page.$$eval('article a[href]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      if (!href.startsWith('/services/')) continue;
      const target = href.replace(/[?#].*$/, '');
      const file = path.join(opts.buildDir, target, target.endsWith('/') ? 'index.html' : '');
      if (!fs.existsSync(file) && !fs.existsSync(file + '.html') && !fs.existsSync(path.join(file, 'index.html'))) {
        if (!brokenLinks.has(target)) brokenLinks.set(target, urlPath);
      }
    }
  }
  if (verbose || problems.length) {
    check(problems.length === 0, `${urlPath} renders${problems.length ? ': ' + problems.join('; ') : ` (${n} tab groups)`}`);
  } else {
    checks++;
  }
  return problems.length === 0;
}

async function mainPageChecks(page, pageErrors) {
  const urlPath = opts.page;
  const resource = urlPath.replace(/\/+$/, '').split('/').pop();
  const service = urlPath.replace(/\/+$/, '').split('/').slice(-2, -1)[0];
  console.log(`resource page ${opts.baseUrl}${urlPath}`);
  const res = await openPage(page, urlPath, pageErrors);
  if (!check(res.status === 200, `page loads (HTTP ${res.status})`)) return;
  check(res.hydrated, 'React hydrated the page');
  await generalPageChecks(page, urlPath, pageErrors, res, {verbose: true});

  const h1 = (await page.locator('article h1').first().innerText().catch(() => '')).trim();
  check(h1 === resource, `title is "${resource}" (got "${h1}")`);

  // Overview: the resource id rendered by CopyableCode, with its copy button.
  const id = `google.${service}.${resource}`;
  const idCode = page.locator(inSection('overview', 'table')).locator('code', {hasText: id});
  check((await idCode.count()) === 1 && (await idCode.first().isVisible()), `Overview shows CopyableCode "${id}"`);
  const idButton = idCode.first().locator('xpath=following-sibling::button');
  check((await idButton.count()) === 1, 'CopyableCode has a copy button');

  // Fields: tabs get/list, each with a Name/Datatype/Description table.
  const fieldTabs = page.locator(inSection('fields', TABS)).first();
  if (!check((await fieldTabs.count()) === 1, 'Fields section has a tab group')) return;
  const fLabels = await tabLabels(fieldTabs);
  check(fLabels.includes('get') && fLabels.includes('list'), `Fields tabs include get and list (got ${fLabels.join(', ')})`);
  const getIdx = fLabels.indexOf('get');
  const listIdx = fLabels.indexOf('list');
  const getPanel = panel(fieldTabs, getIdx);
  const listPanel = panel(fieldTabs, listIdx);
  const headers = (await getPanel.locator('table thead th').allInnerTexts()).map((s) => s.trim());
  check(headers.join('|') === 'Name|Datatype|Description', `Fields table headers are Name/Datatype/Description (got ${headers.join('/')})`);
  const createTime = getPanel.locator('tbody td code', {hasText: /^createTime$/});
  check((await createTime.count()) === 1 && (await createTime.isVisible()), 'Fields get tab shows a visible `createTime` row');
  const getRows = await getPanel.locator('tbody tr').count();
  check(getRows >= 10, `Fields get table has ${getRows} rows (want >= 10)`);
  check(!(await listPanel.isVisible()), 'Fields list panel is hidden before clicking its tab');

  // Methods table.
  const methods = page.locator(inSection('methods', 'table')).first();
  if (check((await methods.count()) === 1, 'Methods section has a table')) {
    const names = (await methods.locator('tbody tr td:first-child code').allInnerTexts()).map((s) => s.trim());
    for (const m of ['get', 'list', 'create', 'delete']) {
      check(names.includes(m), `Methods table lists \`${m}\``);
    }
  }

  // SELECT examples: tabs with SQL code blocks.
  const selTabs = page.locator(inSection('select-examples', TABS)).first();
  if (check((await selTabs.count()) === 1, '`SELECT` examples section has a tab group')) {
    const sLabels = await tabLabels(selTabs);
    check(sLabels.includes('get') && sLabels.includes('list'), `SELECT example tabs include get and list (got ${sLabels.join(', ')})`);
    const sql = selTabs.locator('[role="tabpanel"]:not([hidden]) pre code').first();
    const sqlText = (await sql.innerText().catch(() => '')) || '';
    check(
      sqlText.includes('SELECT') && sqlText.includes(`FROM ${id}`),
      `visible SELECT example is a SQL block "SELECT ... FROM ${id}"`,
    );
    check(sqlText.includes("'{{ projectsId }}'"), "SELECT example keeps the literal '{{ projectsId }}' placeholder");
  }
  const insTabs = page.locator(inSection('insert-examples', TABS)).first();
  if ((await page.locator('h2#insert-examples').count()) > 0) {
    const iLabels = (await insTabs.count()) ? await tabLabels(insTabs) : [];
    check(iLabels.includes('Manifest'), `INSERT example tabs include Manifest (got ${iLabels.join(', ')})`);
  }

  // Click the `list` tab of the Fields tabs.
  const listTab = fieldTabs.locator('[role="tab"]', {hasText: /^list$/});
  await listTab.click();
  await listPanel.waitFor({state: 'visible', timeout: 5000}).catch(() => {});
  check((await listTab.getAttribute('aria-selected')) === 'true', 'clicking `list` selects the list tab');
  check(await listPanel.isVisible(), 'Fields list panel is visible after the click');
  check(!(await getPanel.isVisible()), 'Fields get panel is hidden after the click');
  const nrt = listPanel.locator('tbody td code', {hasText: /^notebookRuntimeTemplateResourceName$/});
  check(
    (await nrt.count()) === 1 && (await nrt.isVisible()),
    'Fields list tab shows a visible `notebookRuntimeTemplateResourceName` row',
  );

  // The copy button of a CopyableCode copies its text.
  const listCreate = listPanel.locator('tbody td code', {hasText: /^createTime$/});
  const button = listCreate.locator('xpath=following-sibling::button');
  if ((await button.count()) === 1) {
    await button.click();
    const copied = await page
      .evaluate(() => navigator.clipboard.readText())
      .catch((e) => `<clipboard error: ${e.message}>`);
    check(copied === 'createTime', `copy button copies "createTime" (clipboard: ${JSON.stringify(copied)})`);
  } else {
    check(false, 'list tab `createTime` CopyableCode has a copy button');
  }

  // Screenshot of the Fields section with the list tab selected.
  await page.locator('h2#fields').scrollIntoViewIfNeeded();
  await page.evaluate(() => {
    const h = document.querySelector('h2#fields');
    window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 70);
  });
  fs.mkdirSync(path.dirname(path.resolve(opts.screenshot)), {recursive: true});
  await page.screenshot({path: opts.screenshot});
  console.log(`  screenshot: ${path.resolve(opts.screenshot)}`);
  check(pageErrors.length === 0, `no page errors on the resource page${pageErrors.length ? ': ' + pageErrors.join('; ') : ''}`);
}

function builtPages(buildDir) {
  const out = [];
  const root = path.join(buildDir, 'services');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'index.html') {
        out.push('/' + path.relative(buildDir, dir).split(path.sep).join('/') + '/');
      }
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out.sort();
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`browser-check: ${CHROMIUM} not found (apt-get install -y chromium chromium-driver)`);
    process.exit(2);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-site-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: {width: 1440, height: 1000},
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  } catch (e) {
    console.error(`browser-check: cannot start ${CHROMIUM}: ${e.message}`);
    fs.rmSync(userDataDir, {recursive: true, force: true});
    process.exit(2);
  }
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {origin: opts.baseUrl});
    // A page with its own list of the errors it reported.
    const watched = async (page) => {
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message.split('\n')[0]));
      page.on('console', (m) => {
        // React reports hydration mismatches and render errors through console.error.
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
          pageErrors.push(`console.error: ${m.text().split('\n')[0]}`);
        }
      });
      return {page, pageErrors};
    };
    const {page, pageErrors} = await watched(context.pages()[0] || (await context.newPage()));

    await mainPageChecks(page, pageErrors);

    if (opts.buildDir) {
      const pages = builtPages(opts.buildDir);
      console.log(`all built pages under /services/ (${pages.length})`);
      check(pages.length > 0, `build dir has pages under services/`);
      // Several tabs at once: most of a page's time is waiting for its load and hydration.
      let good = 0;
      let next = 0;
      const worker = async ({page, pageErrors}) => {
        while (next < pages.length) {
          const p = pages[next++];
          const res = await openPage(page, p, pageErrors);
          if (await generalPageChecks(page, p, pageErrors, res, {verbose: false})) good++;
        }
      };
      const tabs = [{page, pageErrors}];
      while (tabs.length < PAGES_IN_PARALLEL) tabs.push(await watched(await context.newPage()));
      await Promise.all(tabs.map(worker));
      console.log(`  ${good}/${pages.length} pages render`);
      // The generator's own links (service index -> resource pages) must resolve in strict
      // mode. Links inside descriptions are the API's text (a regex such as `[a-z]([-a-z0-9]...)`
      // reads as a Markdown link), so they only warn.
      const isIndex = (from) => /^\/services\/[^/]+\/?$/.test(from);
      const own = [...brokenLinks].filter(([, from]) => isIndex(from));
      const described = [...brokenLinks].filter(([, from]) => !isIndex(from));
      const show = (links) => links.map(([t, from]) => `${t} (from ${from})`);
      if (own.length && opts.strictLinks) {
        check(false, `${own.length} service-index links to missing /services/ pages: ${show(own).join(', ')}`);
      } else if (own.length) {
        console.log(`  warning: ${own.length} service-index links to pages that were not built (first: ${show(own)[0]})`);
      } else {
        check(true, 'every service-index link to a /services/ page resolves');
      }
      if (described.length) {
        console.log(`  warning: ${described.length} links inside descriptions point to missing pages: ${show(described).join(', ')}`);
      }
    }

    for (const {path: p, text} of opts.expects) {
      const res = await openPage(page, p, pageErrors);
      const body = res.status === 200 ? await page.locator('article').first().innerText().catch(() => '') : '';
      check(body.includes(text), `${p} shows ${JSON.stringify(text)}`);
    }
    for (const {path: p, field, text} of opts.fieldExpects) {
      const res = await openPage(page, p, pageErrors);
      const fields = page.locator(inSection('fields', TABS)).first();
      const row = fields.locator('tbody tr', {has: page.locator('td:first-child code', {hasText: new RegExp(`^${field}$`)})}).first();
      const codes = res.status === 200 && (await row.count()) ? await row.locator('td:nth-child(3) code').allInnerTexts() : [];
      check(
        codes.some((c) => c.includes(text)),
        `${p}: the description of field ${field} shows ${JSON.stringify(text)} as code (code spans: ${JSON.stringify(codes)})`,
      );
    }
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, {recursive: true, force: true});
  }

  if (failures.length) {
    console.error(`\nbrowser-check: FAILED: ${failures.length} of ${checks} checks failed:`);
    for (const f of failures) console.error(`  - ${f}`);
    process.exit(1);
  }
  console.log(`\nbrowser-check: all ${checks} checks passed`);
}

main().catch((e) => {
  console.error(`browser-check: error: ${e.stack || e}`);
  process.exit(1);
});
