// End-to-end tests of the workbench in a real browser: playwright-core
// driving Debian's Chromium against a running `samthreat serve` (started by
// scripts/e2e.sh on a free port with a fresh workspace).
//
//   node e2e/run.mjs URL SHOTS_DIR
//
// Each step waits for conditions (never for a fixed time) and saves a
// screenshot; the first failure stops the run with the step's name, what was
// expected, and a screenshot of the page at that moment.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagramTextProblems } from './layout.mjs';

const [url, shots] = process.argv.slice(2);
if (!url || !shots) {
  console.error('usage: node e2e/run.mjs URL SHOTS_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 20000);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();

const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => {
  if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
});

let n = 0;
const timings = [];
async function step(name, fn) {
  n++;
  const t0 = Date.now();
  const shot = join(shots, `${String(n).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  try {
    await fn();
    if (pageErrors.length) throw new Error(`errors in the page: ${pageErrors.join(' | ')}`);
    await page.screenshot({ path: shot });
    timings.push([name, Date.now() - t0]);
    console.log(`  ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    await page.screenshot({ path: shot.replace(/\.png$/, '-FAILED.png') }).catch(() => {});
    console.error(`  FAIL ${name}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    console.error(`       screenshot: ${shot.replace(/\.png$/, '-FAILED.png')}`);
    await browser.close();
    process.exit(1);
  }
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

const text = (sel) => page.locator(sel).innerText();

// -- 1. Opening with a new workspace shows the bundled example, analysed.
await step('opens the example with its diagram', async () => {
  const t0 = Date.now();
  await page.goto(url);
  await page.locator('[data-testid=diagram-svg]').waitFor();
  const firstRender = Date.now() - t0;
  const svgs = await page.locator('main svg[data-testid=diagram-svg] g.node').count();
  check(svgs > 10, `the diagram has ${svgs} nodes`);
  const body = await page.locator('body').innerText();
  const svgText = await page.locator('[data-testid=diagram-svg]').textContent();
  for (const name of ['publishToIoT', 'getActivity', 'parseGPX']) {
    check(svgText.includes(name) || body.includes(name), `${name} is not on the page`);
  }
  check((await page.title()).startsWith('samthreat — '), `title is "${await page.title()}"`);
  console.log(`       first render with diagram: ${firstRender} ms`);
});

// -- 1b. Diagram text as drawn: no label runs into another or out of its box
// (legend, nodes, badges), at the fitted zoom and at 200 %, on a normal and a
// double-density (200 % browser zoom) screen.
async function textCheck(p, what) {
  const r = await p.evaluate(diagramTextProblems, '[data-testid=diagram-svg]');
  check(r.texts > 50, `${what}: only ${r.texts} texts in the diagram`);
  check(r.problems.length === 0, `${what}: ${r.problems.length} text problems: ${r.problems.slice(0, 3).join('; ')}`);
  return r;
}
async function zoomTo(p, pct) {
  await p.locator('[data-testid=diagram]').focus();
  for (let i = 0; i < 20 && Number((await p.locator('.zoom .pct').innerText()).replace('%', '')) < pct; i++) await p.keyboard.press('+');
}
await step('diagram text does not overlap or overflow', async () => {
  const fitted = await textCheck(page, 'fitted');
  check(fitted.minFontPx >= 8.5, `node text is ${fitted.minFontPx}px at the fitted zoom`);
  await zoomTo(page, 200);
  await textCheck(page, '200%');
  const hi = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
  const p2 = await hi.newPage();
  await p2.goto(url);
  await p2.locator('[data-testid=diagram-svg]').waitFor();
  await textCheck(p2, 'device scale 2, fitted');
  await zoomTo(p2, 200);
  await textCheck(p2, 'device scale 2, 200%');
  await p2.locator('#collapse').selectOption('none');
  await p2.locator('[data-testid=diagram-svg]').waitFor();
  await p2.waitForFunction(() => !document.querySelector('.stage.stale'));
  await textCheck(p2, 'every element');
  await hi.close();
  await page.locator('[data-testid=diagram]').focus();
  await page.keyboard.press('0');
  console.log(`       smallest node text at the fitted zoom: ${fitted.minFontPx}px`);
});

await step('every diagram node is reachable with Tab', async () => {
  const want = await page.locator('[data-testid=diagram-svg] g.node[tabindex="0"]').evaluateAll((gs) => gs.map((g) => g.dataset.node));
  check(want.length > 20, `${want.length} focusable nodes`);
  for (const name of ['publishToIoT', 'FreshTracksS3Bucket']) check(want.includes(name), `${name} is not focusable`);
  await page.locator('[data-testid=diagram]').focus();
  const seen = [];
  for (let i = 0; i < want.length; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement?.closest('g.node')?.getAttribute('data-node') ?? null));
  }
  check(JSON.stringify(seen) === JSON.stringify(want), `Tab order ${seen.slice(0, 5)}... does not visit every node`);
  // Enter on a focused node opens its panel.
  await page.locator('g.node[data-node="parseGPX"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=panel-title]', { hasText: 'parseGPX' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=side-panel]').waitFor({ state: 'detached' });
});

await step('the diagram view opens with the top risks', async () => {
  const chips = page.locator('[data-testid=top-risks] button[data-risk]');
  check((await chips.count()) === 3, `${await chips.count()} top risks`);
  check((await chips.first().getAttribute('data-risk')) === '1', 'the first top risk is not #1');
  const first = (await chips.first().innerText()).replace(/^#1\s*/, '').replace(/public$/, '').trim();
  await chips.first().click();
  await page.locator('[data-testid=panel-title]', { hasText: first }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=side-panel]').waitFor({ state: 'detached' });
});

// -- 2. A function node opens the side panel with its permissions.
await step('publishToIoT side panel', async () => {
  await page.locator('g.node[data-node="publishToIoT"]').click();
  const panel = page.locator('[data-testid=side-panel]');
  await panel.waitFor();
  check((await text('[data-testid=panel-title]')) === 'publishToIoT', 'the panel is not about publishToIoT');
  await panel.locator('button[data-tab=granted]').click();
  const perms = await panel.locator('[data-testid=permissions]').innerText();
  check(/iot:/.test(perms), `no iot: permission listed: ${perms.slice(0, 200)}`);
  check(/Granted \d+/.test(perms) && /Unused \d+/.test(perms), 'granted/unused counts missing');
  await panel.locator('button[data-tab=suggested]').click();
  await panel.locator('[data-testid=suggested-policy], [data-testid=permissions] p.muted').first().waitFor();
  check(Number(await text('[data-testid=panel-blast-radius]')) >= 0, 'no blast radius figure');
});

// -- 3. Its blast radius highlighted on the diagram.
await step('blast radius highlight', async () => {
  await page.locator('[data-testid=panel-blast]').click();
  await page.locator('[data-testid=blast-toggle]', { hasText: 'Blast radius: publishToIoT' }).waitFor();
  await page.locator('[data-testid=diagram-svg]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=side-panel]').waitFor({ state: 'detached' });
});

await step('diagram zoom and fit from the keyboard', async () => {
  const pct = async () => Number((await text('.zoom .pct')).replace('%', ''));
  const viewport = page.locator('[data-testid=diagram]');
  await viewport.focus();
  await page.keyboard.press('0');
  const fitted = await pct();
  await page.keyboard.press('+');
  await page.waitForFunction((p) => Number(document.querySelector('.zoom .pct').textContent.replace('%', '')) > p, fitted);
  // Picking a node keeps the zoom (the drawing is not redrawn or refitted).
  const zoomed = await pct();
  await page.locator('g.node[data-node="publishToIoT"]').click();
  await page.locator('[data-testid=panel-title]', { hasText: 'publishToIoT' }).waitFor();
  check((await pct()) === zoomed, `zoom changed from ${zoomed}% to ${await pct()}% on selecting a node`);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=side-panel]').waitFor({ state: 'detached' });
  await viewport.focus();
  await page.keyboard.press('0');
  await page.waitForFunction((p) => Number(document.querySelector('.zoom .pct').textContent.replace('%', '')) === p, fitted);
});

// -- 4. Functions table: sort and filter.
await step('functions table sorts and filters', async () => {
  await page.keyboard.press('4');
  const table = page.locator('[data-testid=functions-table]');
  await table.waitFor();
  const ids = async () => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
  const col = async (i) =>
    table.locator('tbody tr').evaluateAll((trs, i) => trs.map((tr) => Number(tr.children[i].textContent.replace(/[^\d]/g, ''))), i);
  const all = await ids();
  check(all.length === 10, `${all.length} functions, want 10`);
  for (const name of ['publishToIoT', 'getActivity', 'parseGPX']) check(all.includes(name), `${name} missing from the table`);
  // Default: the risk ranking (riskRank), riskiest first.
  const ranks = await col(0);
  check(ranks[0] === 1 && ranks.every((v, i) => i === 0 || ranks[i - 1] <= v), `not in risk rank order: ${ranks}`);
  const model = await page.evaluate(async () => {
    const rev = Number(new URLSearchParams(location.hash.split('?')[1]).get('rev'));
    const r = await fetch('/api/Workbench/Analysis', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([rev]) });
    return (await r.json()).result;
  });
  const byRank = [...model.functions].filter((f) => f.riskRank).sort((a, b) => a.riskRank - b.riskRank).map((f) => f.id);
  check(JSON.stringify((await ids()).slice(0, byRank.length)) === JSON.stringify(byRank), `table order ${await ids()} is not the model's riskRank ${byRank}`);
  await table.locator('button[data-sort=id]').click();
  const byName = await ids();
  check(JSON.stringify(byName) === JSON.stringify([...all].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))), `not sorted by name: ${byName}`);
  await table.locator('button[data-sort=id]').click();
  check((await ids())[0] === [...all].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))[0], 'name sort did not flip');
  await table.locator('button[data-sort=complexity]').click();
  const cf = await col(4);
  check(cf.every((v, i) => i === 0 || cf[i - 1] >= v), `complexity not descending: ${cf}`);
  await page.locator('input[aria-label="Filter functions"]').fill('parse');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=functions-table] tbody tr[data-id]').length === 1);
  check((await ids())[0] === 'parseGPX', 'filter did not keep parseGPX');
  await page.locator('input[aria-label="Filter functions"]').fill('');
  await table.locator('tbody tr[data-id="getActivity"]').click();
  await page.locator('[data-testid=panel-title]', { hasText: 'getActivity' }).waitFor();
});

// -- 5. Triage a finding, reload, and see the decision kept.
let fingerprint = '';
const justification = `Internal route, reviewed in e2e run ${Date.now()}`;
await step('triage a finding', async () => {
  await page.keyboard.press('Escape');
  await page.keyboard.press('5');
  const groups = page.locator('section.group');
  await groups.first().waitFor();
  const keys = await groups.evaluateAll((gs) => gs.map((g) => g.dataset.group));
  const order = keys.map((k) => Number(k.slice(1)));
  check(order.every((v, i) => i === 0 || order[i - 1] < v), `OWASP groups out of order: ${keys}`);
  const item = page.locator('section.group li[data-fingerprint]', { hasText: 'getActivity' }).first();
  fingerprint = await item.getAttribute('data-fingerprint');
  await item.locator('.row').click();
  const form = item.locator('[data-testid=triage-form]');
  await form.waitFor();
  await form.locator('label.opt-accepted').click();
  await form.locator('[data-testid=triage-justification]').fill(justification);
  await form.locator('[data-testid=triage-owner]').fill('e2e-reviewer');
  await form.locator('[data-testid=triage-save]').click();
  await item.locator('.row [data-status=accepted]').waitFor();
});

await step('triage kept after reload', async () => {
  await page.reload();
  const item = page.locator(`li[data-fingerprint="${fingerprint}"]`);
  await item.waitFor();
  await item.locator('.row [data-status=accepted]').waitFor();
  await item.locator('.row').click();
  await item.locator('[data-testid=evidence-excerpt] .mark').first().waitFor();
  const shown = await item.locator('.detail').innerText();
  check(shown.includes(justification) && shown.includes('e2e-reviewer'), 'justification or owner not kept');
  const counts = await page.locator('[data-status-filter=accepted] b').innerText();
  check(Number(counts) >= 1, `accepted count is ${counts}`);
});

await step('code evidence shows the handler lines', async () => {
  // parseGPX parses uploaded XML (S4): its evidence cites the handler's code.
  const item = page.locator('section.group li[data-fingerprint^="SLS-DEP-001"]').first();
  await item.waitFor();
  await item.locator('> .row').click();
  const code = item.locator('[data-testid=evidence-excerpt]', { hasText: 'xml2js' });
  await code.waitFor();
  const marked = await code.locator('.mark').innerText();
  check(/xml2js/.test(marked), `the marked code line is ${JSON.stringify(marked)}`);
  await item.locator('> .row').click(); // fold it again
});

await step('triage from the keyboard', async () => {
  await page.locator('[data-search]').focus();
  await page.keyboard.press('Escape'); // leave the field
  await page.keyboard.press('j');
  const row = page.locator('section.group li[data-fingerprint] > .row:focus');
  await row.waitFor();
  const fp = await row.locator('xpath=..').getAttribute('data-fingerprint');
  await page.keyboard.press('m');
  await page.locator(`li[data-fingerprint="${fp}"] > .row [data-status=mitigated]`).waitFor();
  await page.keyboard.press('o');
  await page.locator(`li[data-fingerprint="${fp}"] > .row [data-status=open]`).waitFor();
});

await step('view shortcuts work over triage controls, not in text fields', async () => {
  const item = page.locator('section.group li[data-fingerprint]').first();
  await item.locator('> .row').click();
  const form = item.locator('[data-testid=triage-form]');
  await form.waitFor();
  await form.locator('[data-testid=triage-justification]').focus();
  await page.keyboard.press('4');
  check((await page.locator('main').getAttribute('data-view')) === 'findings', 'typing 4 in the justification switched the view');
  await form.locator('input[type=radio]').first().focus();
  await page.keyboard.press('4');
  await page.locator('main[data-view=functions]').waitFor();
  await page.keyboard.press('5');
  await page.locator('main[data-view=findings]').waitFor();
});

await step('findings grouped and filtered by STRIDE', async () => {
  await page.locator('button[data-group-by=stride]').click();
  const keys = await page.locator('section.group').evaluateAll((gs) => gs.map((g) => g.dataset.group));
  const order = ['Spoofing', 'Tampering', 'Repudiation', 'Information disclosure', 'Denial of service', 'Elevation of privilege', 'Unclassified'];
  check(keys.length >= 3 && keys.every((k) => order.includes(k)), `STRIDE groups: ${keys}`);
  check(keys.every((k, i) => i === 0 || order.indexOf(keys[i - 1]) < order.indexOf(k)), `STRIDE groups out of order: ${keys}`);
  const eop = page.locator('[data-stride-filter="Elevation of privilege"]');
  await eop.click();
  await page.waitForFunction(() => [...document.querySelectorAll('section.group')].every((g) => g.dataset.group === 'Elevation of privilege'));
  await eop.click();
  await page.locator('.seg button', { hasText: 'OWASP category' }).click();
  await page.locator('section.group[data-group^="S"]').first().waitFor();
});

await step('triage: needs investigation, due date, ticket, severity override', async () => {
  const item = page.locator('section.group li[data-fingerprint]', { hasText: 'parseGPX' }).first();
  const fp = await item.getAttribute('data-fingerprint');
  await item.locator('> .row').click();
  const form = item.locator('[data-testid=triage-form]');
  await form.waitFor();
  await form.locator('label.opt-needs-investigation').click();
  await form.locator('[data-testid=triage-due]').fill('2026-12-31');
  await form.locator('[data-testid=triage-ticket]').fill('https://tracker.example.com/browse/SEC-42');
  await form.locator('[data-testid=triage-severity]').selectOption('critical');
  await form.locator('[data-testid=triage-save]').click();
  await item.locator('.row [data-status=needs-investigation]').waitFor();
  await page.reload();
  const again = page.locator(`li[data-fingerprint="${fp}"]`).first();
  await again.waitFor();
  const row = await again.locator('> .row').innerText();
  check(/due 2026-12-31/.test(row) && /tracker\.example\.com/.test(row), `the row does not show the due date and ticket: ${row}`);
  check((await again.locator('> .row .sevcell').innerText()).toLowerCase().includes('critical'), 'the override is not shown');
  await again.locator('> .row').click();
  const link = again.locator('.detail a[href="https://tracker.example.com/browse/SEC-42"]');
  await link.waitFor();
  check((await link.getAttribute('rel')).includes('noopener'), 'the ticket link has no rel=noopener');
  // A script link is refused with the backend's message.
  const form2 = again.locator('[data-testid=triage-form]');
  await form2.locator('[data-testid=triage-ticket]').fill('javascript:alert(1)');
  await form2.locator('[data-testid=triage-save]').click();
  await page.locator('[data-testid=toast]', { hasText: 'Triage not saved' }).waitFor();
  check(/https:\/\//.test(await page.locator('[data-testid=toast]', { hasText: 'Triage not saved' }).innerText()), 'the refusal does not say why');
  await page.locator('[data-testid=toast] button[aria-label=Dismiss]').first().click();
  await again.locator('> .row').click();
});

// -- 6. Compare with the least-privilege variant, and against the monolith.
await step('compare with the least-privilege variant', async () => {
  await page.keyboard.press('6');
  await page.locator('[data-testid=compare-lp]').click();
  const res = page.locator('[data-testid=compare-results]');
  await res.waitFor();
  const t = await res.innerText();
  check(/Potential impact/.test(t) && /Findings gone in Other/.test(t), 'comparison figures missing');
  check(/least-privilege/.test(t), 'the least-privilege variant is not named');
});

await step('compare against the monolith', async () => {
  await page.locator('button[data-mode=monolith]').click();
  const res = page.locator('[data-testid=compare-results]');
  await res.waitFor();
  const t = await res.innerText();
  check(/as one monolith/.test(t), 'monolith comparison not labelled');
});

await step('hardening checklist', async () => {
  await page.keyboard.press('8');
  await page.locator('main[data-view=hardening]').waitFor();
  const hardening = await page.evaluate(async () => {
    const rev = Number(new URLSearchParams(location.hash.split('?')[1]).get('rev'));
    const r = await fetch('/api/Workbench/Analysis', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([rev]) });
    return (await r.json()).result.hardening ?? [];
  });
  if (!hardening.length) {
    await page.locator('main', { hasText: 'No hardening checklist' }).waitFor();
    console.log('       the model has no hardening checklist yet: empty state shown');
    return;
  }
  const items = page.locator('[data-testid=hardening-list] > li');
  await items.first().waitFor();
  check((await items.count()) === hardening.length, `${await items.count()} controls listed, the model has ${hardening.length}`);
  const gapped = hardening.filter((c) => (c.missing ?? []).some((g) => !g.suppressed)).length;
  await page.locator('[data-testid=hardening-only-gaps]').check();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=hardening-list] > li').length === n, gapped);
  await page.locator('[data-testid=hardening-only-gaps]').uncheck();
  console.log(`       ${hardening.length} controls, ${gapped} with gaps`);
});

// -- 7. Export a PDF report: progress, download, where it went.
await step('export a PDF', async () => {
  await page.keyboard.press('7');
  await page.locator('label[data-format=pdf]').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-run]').click()]);
  const file = join(shots, download.suggestedFilename());
  await download.saveAs(file);
  const head = readFileSync(file).subarray(0, 5).toString('latin1');
  check(head === '%PDF-', `the download is not a PDF (${JSON.stringify(head)})`);
  await page.locator('[data-testid=export-jobs] li[data-state=done] [data-testid=export-path]').first().waitFor();
  const where = await text('[data-testid=export-jobs] li[data-state=done] [data-testid=export-path]');
  check(where.includes(download.suggestedFilename()), `the job does not say where the file went: ${where}`);
  console.log(`       ${download.suggestedFilename()}: ${readFileSync(file).length} bytes`);
});

await step('export options: title, minimum severity, accepted findings left out', async () => {
  await page.locator('[data-testid=export-title]').fill('Design review e2e');
  await page.locator('[data-testid=export-min-severity]').selectOption('high');
  await page.locator('[data-testid=export-accepted]').uncheck();
  const kept = await text('[data-testid=export-kept]');
  await page.locator('label[data-format=json]').click();
  let [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-run]').click()]);
  let file = join(shots, 'options-' + download.suggestedFilename());
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const sevs = new Set(doc.findings.map((f) => f.severity));
  check([...sevs].every((s) => s === 'critical' || s === 'high'), `severities below high in the report: ${[...sevs]}`);
  const accepted = doc.findings.filter((f) => ['accepted', 'false-positive'].includes(f.triage?.status));
  check(accepted.length === 0, `accepted findings in the report: ${accepted.map((f) => f.fingerprint)}`);
  check(kept.includes(`list ${doc.findings.length} of`), `the view said "${kept}", the report has ${doc.findings.length}`);
  await page.locator('label[data-format=md]').click();
  [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-run]').click()]);
  file = join(shots, 'options-' + download.suggestedFilename());
  await download.saveAs(file);
  check(readFileSync(file, 'utf8').includes('Design review e2e'), 'the Markdown report does not carry the title');
  // Back to the full report for the steps after.
  await page.locator('[data-testid=export-title]').fill('');
  await page.locator('[data-testid=export-min-severity]').selectOption('');
  await page.locator('[data-testid=export-accepted]').check();
  await page.locator('label[data-format=pdf]').click();
});

await step('export sections: a Markdown report of the summary and findings only', async () => {
  await page.locator('label[data-format=md]').click();
  const boxes = page.locator('[data-testid=export-sections] input[type=checkbox]');
  const all = await boxes.count();
  check(all >= 5, `the Export view offers ${all} sections`);
  for (let i = 0; i < all; i++) {
    const id = await boxes.nth(i).getAttribute('data-section');
    if (id !== 'summary' && id !== 'findings') await boxes.nth(i).uncheck();
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-run]').click()]);
  const file = join(shots, 'sections-' + download.suggestedFilename());
  await download.saveAs(file);
  const md = readFileSync(file, 'utf8');
  check(md.includes('\n## Executive summary') && md.includes('\n## Findings by OWASP'), 'the summary or the findings are missing');
  for (const h of ['\n## Architecture', '\n## Functions in detail', '\n## Third-party services', '\n### How blast radius is measured']) {
    check(!md.includes(h), `the report has "${h.trim()}", which was left out`);
  }
  // The JSON and SARIF formats have no sections; back to every section.
  await page.locator('label[data-format=json]').click();
  check((await page.locator('[data-testid=export-sections]').count()) === 0, 'sections are offered for JSON');
  await page.locator('label[data-format=md]').click();
  for (let i = 0; i < all; i++) await boxes.nth(i).check();
  await page.locator('label[data-format=pdf]').click();
  console.log(`       ${md.length} bytes of Markdown with 2 of ${all} sections`);
});

await step('export the diagram as SVG and PNG', async () => {
  for (const [fmt, head] of [['svg', '<'], ['png', '\x89PNG']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=export-diagram-${fmt}]`).click()]);
    const file = join(shots, download.suggestedFilename());
    await download.saveAs(file);
    const b = readFileSync(file);
    check(download.suggestedFilename().endsWith(`-diagram.${fmt}`), `file name ${download.suggestedFilename()}`);
    check(b.subarray(0, 200).toString('latin1').trimStart().startsWith(head), `${fmt} file starts ${JSON.stringify(b.subarray(0, 8).toString('latin1'))}`);
    if (fmt === 'svg') check(b.toString('utf8').includes('publishToIoT'), 'the SVG does not name publishToIoT');
  }
});

await step('export the project file', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=export-project]').click()]);
  const file = join(shots, download.suggestedFilename());
  await download.saveAs(file);
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const body = JSON.stringify(doc);
  check(body.includes(fingerprint) && body.includes(justification), 'the project file lacks the triage decision');
});

// -- 8. Import: a broken template names file and line; a good one becomes a project.
await step('import errors name file and line', async () => {
  await page.keyboard.press('2');
  await page.locator('[data-testid=upload]').setInputFiles({
    name: 'broken.yaml',
    mimeType: 'application/x-yaml',
    buffer: Buffer.from('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n   Properties: [\n'),
  });
  const res = page.locator('[data-testid=import-result]');
  await res.waitFor();
  const t = await res.innerText();
  check(/broken\.yaml:\d+/.test(t), `no file:line in the error: ${t}`);
});

await step('import an uploaded template', async () => {
  const tpl = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Orders:',
    '    Type: AWS::DynamoDB::Table',
    '    Properties:',
    '      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]',
    '      KeySchema: [{AttributeName: id, KeyType: HASH}]',
    '      BillingMode: PAY_PER_REQUEST',
    '  listOrders:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: nodejs20.x',
    '      Handler: index.handler',
    '      CodeUri: src/',
    '      Policies:',
    '        - DynamoDBReadPolicy: {TableName: !Ref Orders}',
    '      Events:',
    '        Get: {Type: HttpApi, Properties: {Path: /orders, Method: GET}}',
    '',
  ].join('\n');
  await page.locator('[data-testid=upload]').setInputFiles({ name: 'orders.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from(tpl) });
  await page.locator('[data-testid=import-result] .ok', { hasText: 'orders' }).waitFor();
  await page.waitForFunction(() => document.title.includes('orders'));
  await page.keyboard.press('1');
  await page.locator('[data-project]', { hasText: 'orders' }).first().waitFor();
});

await step('rename a project', async () => {
  const card = page.locator('[data-project="orders.yaml"]');
  await card.locator('button[aria-label="Rename orders.yaml"]').click();
  const input = card.locator('input[aria-label="New name"]');
  await input.fill('Orders service');
  await input.press('Enter');
  await page.locator('[data-project="Orders service"]').waitFor();
  await page.waitForFunction(() => document.title.includes('Orders service'));
});

// -- 8b. A small window (1024x700) and the system's dark mode.
await step('1024x700: sidebar collapsed, diagram keeps its width with the panel open', async () => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.keyboard.press('3');
  await page.locator('[data-testid=diagram-svg]').waitFor();
  await page.locator('g.node[data-node="listOrders"]').click();
  await page.locator('[data-testid=panel-title]', { hasText: 'listOrders' }).waitFor();
  const side = await page.locator('nav.side').boundingBox();
  const diag = await page.locator('[data-testid=diagram]').boundingBox();
  const panel = await page.locator('[data-testid=side-panel]').boundingBox();
  check(side.width <= 64, `the sidebar is ${side.width}px wide`);
  check(diag.width >= 560, `the diagram is ${diag.width}px wide with the panel open`);
  check(panel.x >= diag.x + diag.width - 1 && panel.x + panel.width <= 1024, 'the panel overlaps the diagram or the window edge');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the page is ${overflow}px wider than the window`);
  console.log(`       sidebar ${side.width}px, diagram ${diag.width}px, panel ${panel.width}px`);
});

await step('dark mode follows the system', async () => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const panelBg = await page.locator('[data-testid=side-panel]').evaluate((el) => getComputedStyle(el).backgroundColor);
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+(\.\d+)?/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  check(lum(panelBg) < 60, `the side panel is ${panelBg} in dark mode`);
  const filter = await page.locator('[data-testid=diagram-svg]').evaluate((el) => getComputedStyle(el).filter);
  check(/invert/.test(filter), `the diagram is not darkened (filter ${filter})`);
  await page.screenshot({ path: join(shots, 'dark-diagram.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('5');
  await page.locator('section.group').first().waitFor();
  await page.screenshot({ path: join(shots, 'dark-findings.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1440, height: 900 });
});

await step('a file that is not a template gets a clear message', async () => {
  await page.keyboard.press('2');
  await page.locator('[data-testid=upload]').setInputFiles({ name: 'notes.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from('shopping:\n  - milk\n  - bread\n') });
  const msg = page.locator('[data-testid=import-result] [data-testid=not-template]');
  await msg.waitFor();
  const t = await page.locator('[data-testid=import-result]').innerText();
  check(/notes\.yaml/.test(t) && /(SAM|CloudFormation) template/.test(t), `the message does not say the file is not a template: ${t}`);
});

await step('error toasts do not pile up and can be dismissed', async () => {
  const broken = { name: 'broken.yaml', mimeType: 'application/x-yaml', buffer: Buffer.from('Resources:\n  Fn: [\n') };
  for (let i = 0; i < 4; i++) {
    await page.locator('[data-testid=upload]').setInputFiles(broken);
    await page.locator('[data-testid=import-result]').waitFor();
  }
  const toasts = page.locator('[data-testid=toast]');
  await page.locator('[data-testid=toast]', { hasText: '×' }).first().waitFor();
  const n = await toasts.count();
  check(n <= 3, `${n} toasts on screen`);
  const texts = await toasts.allInnerTexts();
  check(new Set(texts).size === texts.length, `the same toast twice: ${texts}`);
  await page.locator('[data-testid=toasts-dismiss-all]').click();
  await toasts.first().waitFor({ state: 'detached' });
  await page.keyboard.press('1');
});

// -- 9. Keyboard help.
await step('keyboard shortcuts dialog', async () => {
  await page.keyboard.press('3');
  await page.locator('[data-testid=diagram-svg]').waitFor();
  await page.keyboard.press('?');
  await page.locator('[role=dialog]', { hasText: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[role=dialog]').waitFor({ state: 'detached' });
});

// -- 9b. A planted secret (the report helper's fixture) reaches no view and no
// API answer: every view, every finding expanded with its evidence, every
// function's panel, the template, compare and export.
await step('no secret in any view or API response', async () => {
  const PLANTED = 'Pl4ntedS3cretQz7Vv9Lm2Xw8Kd5';
  const pieces = [PLANTED, PLANTED.slice(0, 12), PLANTED.slice(-12)];
  const leaks = [];
  const onResponse = async (res) => {
    if (!res.url().includes('/api/')) return;
    try {
      const body = await res.text();
      for (const p of pieces) if (body.includes(p)) leaks.push(`${res.request().method()} ${res.url()}`);
    } catch {
      /* streams and downloads */
    }
  };
  page.on('response', onResponse);
  const dom = async (where) => {
    const html = await page.evaluate(() => {
      const values = [...document.querySelectorAll('input, textarea, select')].map((e) => e.value).join('\n');
      return document.documentElement.outerHTML + values + document.title;
    });
    for (const p of pieces) if (html.includes(p)) leaks.push(`the DOM of ${where}`);
  };
  await page.keyboard.press('2');
  await page.locator('[data-testid=upload]').setInputFiles({
    name: 'planted-secret.yaml',
    mimeType: 'application/x-yaml',
    buffer: readFileSync('../internal/report/testdata/secrets/template.yaml'),
  });
  await page.locator('[data-testid=import-result] .ok', { hasText: 'planted-secret' }).waitFor();
  await page.waitForFunction(() => document.title.includes('planted-secret'));
  await dom('the import view');
  for (const [key, view] of [['1', 'projects'], ['3', 'diagram'], ['4', 'functions'], ['6', 'compare'], ['7', 'export']]) {
    await page.keyboard.press(key);
    await page.locator(`main[data-view=${view}]`).waitFor();
    if (view === 'diagram') await page.locator('[data-testid=diagram-svg]').waitFor();
    await dom(`the ${view} view`);
  }
  // Each function's side panel, every tab.
  await page.keyboard.press('4');
  const fns = await page.locator('[data-testid=functions-table] tbody tr[data-id]').evaluateAll((trs) => trs.map((t) => t.dataset.id));
  check(fns.length >= 2, `${fns.length} functions in the planted fixture`);
  for (const id of fns) {
    await page.locator(`[data-testid=functions-table] tbody tr[data-id="${id}"]`).click();
    await page.locator('[data-testid=panel-title]', { hasText: id }).waitFor();
    for (const tab of ['granted', 'used', 'unused', 'suggested']) {
      const b = page.locator(`[data-testid=side-panel] button[data-tab=${tab}]`);
      if (await b.count()) await b.click();
      await dom(`${id}'s panel (${tab})`);
    }
  }
  await page.keyboard.press('Escape');
  // Every finding expanded, with its evidence excerpts.
  await page.keyboard.press('5');
  const rows = page.locator('section.group li[data-fingerprint] > .row');
  await rows.first().waitFor();
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const li = page.locator('section.group li[data-fingerprint]').nth(i);
    await rows.nth(i).click();
    // Excerpts load after the click (template text, code files).
    if (await li.locator('dt', { hasText: 'Evidence' }).count()) {
      await li.locator('[data-testid=evidence-excerpt]').first().waitFor({ timeout: 3000 }).catch(() => {});
    }
    await dom(`finding ${i + 1} of ${n}`);
    await rows.nth(i).click();
  }
  page.off('response', onResponse);
  check(leaks.length === 0, `the planted secret is shown in: ${[...new Set(leaks)].slice(0, 5).join('; ')}`);
  console.log(`       ${n} findings, ${fns.length} functions, 7 views checked`);
});

// -- 10. Deleting every project leaves empty views, not stale data or errors.
await step('deleting every project clears the views', async () => {
  await page.keyboard.press('1');
  for (let left = await page.locator('[data-project]').count(); left > 0; left--) {
    const card = page.locator('[data-project]').first();
    const name = await card.getAttribute('data-project');
    await card.locator(`button[aria-label="Delete ${name}"]`).click();
    await card.locator('button.danger', { hasText: 'Delete' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-project]').length === n, left - 1);
  }
  for (const key of ['3', '4', '5', '6', '7']) {
    await page.keyboard.press(key);
    await page.locator('[data-testid=no-project]').waitFor();
    const body = await page.locator('main').innerText();
    check(!/Cannot open the workspace/.test(body), `view ${key} says it cannot open the workspace`);
    check(!/publishToIoT|listOrders|parseGPX/.test(body), `view ${key} still shows deleted data`);
  }
  check((await page.locator('g.node').count()) === 0, 'a diagram is still drawn');
  check(!/publishToIoT|listOrders|Orders service/.test(await page.locator('header').first().innerText()), 'the top bar still names a deleted project');
  await page.reload();
  await page.locator('[data-testid=no-project]').waitFor();
  check(!/Cannot open the workspace/.test(await page.locator('body').innerText()), 'the reload says it cannot open the workspace');
});

writeFileSync(join(shots, 'timings.json'), JSON.stringify(Object.fromEntries(timings), null, 2));
await browser.close();
console.log(`e2e: ${n} steps passed; screenshots in ${shots}`);
