// The admin console in a real browser: Debian's chromium driven by
// puppeteer-core, against the stack scripts/test.sh started (the same
// SCIMSYNC_TEST_STATE / _PORT / _BIN as the C++ integration tests; the admin
// password, the settings cache TTL and the database socket are read from the
// state directory, the SCIM token made with its scimctl). It signs in
// through nginx's basic auth and works the pages as an admin would, checking
// each effect outside the browser: the SCIM API (fetch with a bearer token),
// the directory table (the mariadb client on the stack's socket) and the
// audit page. A screenshot of every page goes to SCIMSYNC_TEST_LOGS
// (build/test-logs). Every wait is bounded; nothing leaves 127.0.0.1.
//
//   SCIMSYNC_TEST_STATE=... SCIMSYNC_TEST_PORT=... SCIMSYNC_TEST_BIN=build/bin \
//     node --test-reporter=spec tests/browser/console.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`the browser tests need ${name} (run them with scripts/test.sh)`);
  return v;
}

const STATE = required('SCIMSYNC_TEST_STATE');
const BIN = required('SCIMSYNC_TEST_BIN');
const BASE = `http://127.0.0.1:${required('SCIMSYNC_TEST_PORT')}`;
const CONSOLE = `${BASE}/scim-admin/`;
const LOGS = process.env.SCIMSYNC_TEST_LOGS || path.join(tmpdir(), 'scimsync-browser');
const CHROMIUM = process.env.SCIMSYNC_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = readFileSync(path.join(STATE, 'admin-password'), 'utf8').trim();
const CONFIG = path.join(STATE, 'scimsync.conf');
const TTL_MS = Number(/^fcgi\.settings_ttl_ms\s*=\s*(\d+)/m.exec(readFileSync(CONFIG, 'utf8'))?.[1] ?? 5000);
const PATIENCE_MS = 30000; // as kPatience in tests/integration/env.h
const STEP_MS = 60000;     // one page action (navigation, click) at most
const TEST_MS = 180000;    // one test at most
const RUN = `${process.pid}-${Date.now() % 1000000}`;

let browser;
let page;
let userDataDir;
let token;         // a SCIM bearer token for this run (scimctl token create)
const dialogs = []; // every alert/confirm/prompt the pages opened (none may)
const pageErrors = []; // script errors and console errors (CSP refusals among them)

// --- outside the browser ----------------------------------------------------

function scimctl(...args) {
  return execFileSync(path.join(BIN, 'scimctl'), ['--config', CONFIG, ...args], { encoding: 'utf8', timeout: PATIENCE_MS, stdio: ['ignore', 'pipe', 'pipe'] });
}

// One value from the stack's database (root over its socket), '' for no row.
function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', `--socket=${STATE}/run/mysqld.sock`, '-uroot',
    '-N', '-B', 'scimsync', '-e', query], { encoding: 'utf8', timeout: PATIENCE_MS }).trim();
}

// The directory row's column of the SCIM user id (the default mapping).
function directory(column, scimId) {
  assert.match(scimId, /^[0-9a-f-]+$/);
  return sql(`SELECT d.${column} FROM directory_users d JOIN directory_links l ON l.app_key = d.id WHERE l.scim_id = '${scimId}'`);
}

async function scim(method, urlPath, body, bearer = token, extraHeaders = {}) {
  const r = await fetch(`${BASE}/scim/v2${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/scim+json', ...extraHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(PATIENCE_MS),
  });
  return { status: r.status, json: r.status === 204 ? null : await r.json().catch(() => null) };
}

function userBody(userName, extra = {}) {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, ...extra };
}

// Polls pred (sync or async) every 100 ms until it holds; false after timeout.
async function waitUntil(pred, timeout = PATIENCE_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// --- in the browser ---------------------------------------------------------

async function open(relative) {
  const r = await page.goto(CONSOLE + relative, { waitUntil: 'load', timeout: STEP_MS });
  assert.equal(r.status(), 200, `GET ${relative}`);
}

// Clicks a submit button or link and waits for the page it leads to.
async function clickAndWait(selector) {
  const [r] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: STEP_MS }),
    page.click(selector),
  ]);
  return r;
}

async function typeInto(selector, text) {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

const text = (selector) => page.$eval(selector, (e) => e.textContent.trim());

// A full-page screenshot; the page must fit the window's width (no
// sideways scrolling at 1280 px).
async function shot(name) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `${name}: ${scroll} px wide in a ${width} px window`);
  await page.screenshot({ path: path.join(LOGS, `console-${name}.png`), fullPage: true });
}

// The audit page filtered by the form (field -> value), its rows as text.
async function auditRows(filters) {
  await open('audit');
  for (const [field, value] of Object.entries(filters)) await typeInto(`#filter-${field}`, value);
  await clickAndWait('#audit-apply');
  return page.$$eval('table#audit tbody tr', (rows) => rows.map((r) => r.textContent));
}

// --- the suite ----------------------------------------------------------------

before(async () => {
  mkdirSync(LOGS, { recursive: true });
  token = scimctl('token', 'create', '--name', `browser-tests-${RUN}`).split('\n')[0];
  userDataDir = mkdtempSync(path.join(tmpdir(), 'scimsync-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    timeout: STEP_MS,
    protocolTimeout: STEP_MS,
    // As root on a machine without a network: no sandbox, and nothing that
    // calls out (background networking, updates, sync, QUIC).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--window-size=1280,900'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.setDefaultTimeout(STEP_MS);
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    // A failed load is judged by its answer below (an error page's 400 is expected).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    const type = r.request().resourceType();
    if (type !== 'document' && r.status() !== 200 && !r.url().endsWith('/favicon.ico')) {
      pageErrors.push(`${page.url()}: ${type} ${r.url()} answered ${r.status()}`);
    }
  });
  await page.authenticate({ username: 'admin', password: PASSWORD });
}, { timeout: TEST_MS });

after(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('signs in through the web server\'s basic auth', { timeout: TEST_MS }, async () => {
  const anonymous = await fetch(CONSOLE, { signal: AbortSignal.timeout(PATIENCE_MS) });
  assert.equal(anonymous.status, 401, 'nginx asks for credentials');
  await open('');
  assert.equal(await text('#signed-in-user'), 'admin');
  assert.equal(await page.$eval('#nav-scim', (a) => a.getAttribute('aria-current')), 'page');
  assert.equal(await text('#scim-status'), 'On');
  assert.match(await text('#base-url-0'), /^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
  await shot('scim');
});

test('the copy button copies the base URL', { timeout: TEST_MS }, async () => {
  await browser.defaultBrowserContext().overridePermissions(BASE, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  await open('');
  assert.equal(await page.$eval('#copy-base-url-0', (b) => b.hidden), false, 'copy.js shows the button');
  await page.click('#copy-base-url-0');
  assert.ok(await waitUntil(async () => (await text('#copy-base-url-0')) === 'Copied'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await text('#base-url-0'));
});

test('the IdP choice shows that IdP\'s steps (OneLogin: the JSON template)', { timeout: TEST_MS }, async () => {
  await open('');
  await page.select('select#idp', 'onelogin');
  await clickAndWait('#idp-show');
  const template = await text('#onelogin-template');
  for (const field of ['userType', 'department', 'title']) assert.ok(template.includes(field), field);
  await shot('scim-onelogin');
});

test('SCIM off makes the API answer 403, on again 200', { timeout: TEST_MS }, async () => {
  await open('');
  await clickAndWait('#scim-toggle');
  try {
    assert.equal(await text('#scim-status'), 'Off');
    assert.ok(await text('#notice'));
    await shot('scim-off');
    assert.ok(await waitUntil(async () => (await scim('GET', '/Users?count=1')).status === 403), 'API 403');
  } finally {
    await open('');
    if ((await text('#scim-status')) === 'Off') await clickAndWait('#scim-toggle');
  }
  assert.equal(await text('#scim-status'), 'On');
  // Every worker thread caches the settings for the TTL: wait it out, so no
  // later test meets a stale "off".
  const since = Date.now();
  assert.ok(await waitUntil(async () => Date.now() - since > TTL_MS + 500 &&
    (await scim('GET', '/Users?count=1')).status === 200), 'API 200 again');
});

test('a token is shown once, works, is revoked and then gets 401', { timeout: TEST_MS }, async () => {
  const name = `browser-token-${RUN}`;
  await open('tokens');
  await page.type('#token-name', name);
  await page.type('#token-expires', '30d');
  await clickAndWait('#token-create');
  const secret = await text('code#new-token');
  assert.match(secret, /^scimsync_[A-Za-z0-9_-]{43}$/);
  assert.equal(await page.$eval('#copy-token', (b) => b.hidden), false);
  await shot('token-created');

  const created = await scim('POST', '/Users', userBody(`browser-token-user-${RUN}`), secret);
  assert.equal(created.status, 201);

  await clickAndWait('#nav-tokens'); // a GET (a reload would send the form again)
  assert.equal(await page.$('code#new-token'), null);
  const html = await page.content();
  assert.ok(html.includes(name));
  assert.ok(!html.includes(secret) && !html.includes(secret.slice(9)), 'never shown again');
  const row = await page.$$eval('table#tokens tbody tr', (rows, n) => {
    const r = rows.find((x) => x.querySelector('.token-name')?.textContent === n);
    return r && { id: r.id.replace('token-', ''), status: r.querySelector('.token-status').textContent };
  }, name);
  assert.ok(row, 'the new token is listed');
  assert.equal(row.status, 'active');
  await shot('tokens');

  await clickAndWait(`#revoke-${row.id}`);
  await shot('token-revoke');
  await clickAndWait('#token-revoke-confirm');
  assert.ok(await text('#notice'));
  assert.equal(await text(`#token-${row.id} .token-status`), 'revoked');
  // Its refusals count against an address of their own (the stack trusts
  // 127.0.0.1 as a proxy), so no other test's failures can make this a 429.
  assert.ok(await waitUntil(async () => (await scim('GET', '/Users?count=1', undefined, secret,
    { 'X-Forwarded-For': '198.51.100.78' })).status === 401), 'revoked: 401');
});

test('a promotion switch and a role mapping move the directory role', { timeout: TEST_MS }, async () => {
  const value = `Browser Moderators ${RUN}`;
  await open('roles');
  assert.equal(await page.$eval('#allow_moderator_promotion', (c) => c.checked), false);
  await page.click('#allow_moderator_promotion');
  await clickAndWait('#promotion-save');
  try {
    assert.equal(await page.$eval('#allow_moderator_promotion', (c) => c.checked), true);
    await page.type('#role-map-value', value);
    await page.select('select#role-map-role', 'Moderator');
    await clickAndWait('#role-map-add');
    const mappings = await page.$$eval('table#role-mappings tbody tr', (rows) =>
      rows.map((r) => [r.querySelector('.role-map-value')?.textContent, r.querySelector('.role-map-role')?.textContent]));
    assert.ok(mappings.some(([v, r]) => v === value && r === 'Moderator'), JSON.stringify(mappings));
    await shot('roles');

    const user = await scim('POST', '/Users', userBody(`browser-mod-${RUN}`,
      { roles: [{ value: value.toLowerCase(), primary: true }] }));
    assert.equal(user.status, 201);
    assert.ok(await waitUntil(() => directory('role', user.json.id) === 'Moderator'),
      `directory role: ${directory('role', user.json.id)}`);
  } finally {
    // Back as it was: the mapping removed, the switch off.
    await open('roles');
    const n = await page.$$eval('table#role-mappings .role-map-value', (cells, v) =>
      cells.findIndex((c) => c.textContent === v), value);
    if (n >= 0) await clickAndWait(`#role-map-remove-${n}`);
    if (await page.$eval('#allow_moderator_promotion', (c) => c.checked)) {
      await page.click('#allow_moderator_promotion');
      await clickAndWait('#promotion-save');
    }
  }
  assert.equal(await page.$eval('#allow_moderator_promotion', (c) => c.checked), false);
  assert.ok(!(await page.content()).includes(value), 'the mapping is gone');
});

test('deactivates and reactivates a user locally', { timeout: TEST_MS }, async () => {
  const name = `browser-local-${RUN}`;
  const user = await scim('POST', '/Users', userBody(name));
  assert.equal(user.status, 201);
  const id = user.json.id;
  assert.ok(await waitUntil(() => directory('active', id) === '1'), 'the daemon applied the user');

  await open('users');
  await page.type('#deactivate-user', name);
  await page.type('#deactivate-reason', 'left the team');
  await clickAndWait('#user-deactivate');
  assert.ok(await text('#notice'));
  assert.equal(directory('active', id), '0');
  const rows = await page.$$eval('table#deactivated-users tbody tr', (trs) =>
    trs.map((r) => [...r.cells].map((c) => c.textContent)));
  const n = rows.findIndex((r) => r[0] === name);
  assert.ok(n >= 0, JSON.stringify(rows));
  assert.deepEqual(rows[n].slice(1, 3), ['admin', 'left the team']);
  await shot('users');

  await clickAndWait(`#reactivate-${n}`);
  assert.ok(await text('#notice'));
  assert.equal(directory('active', id), '1');
  const names = await page.$$eval('table#deactivated-users .user-name', (c) => c.map((x) => x.textContent));
  assert.ok(!names.includes(name));
});

test('the audit page shows each console action under the admin\'s name', { timeout: TEST_MS }, async () => {
  const rows = await auditRows({ actor: 'admin' });
  const has = (...parts) => rows.some((r) => parts.every((p) => r.includes(p)));
  assert.ok(has('settings set', 'enabled = off'), 'SCIM off');
  assert.ok(has('settings set', 'enabled = on'), 'SCIM on');
  assert.ok(has('token create', `browser-token-${RUN}`), 'token create');
  assert.ok(has('token revoke'), 'token revoke');
  assert.ok(has('allow_moderator_promotion'), 'promotion switch');
  assert.ok(has('role-map add', `Browser Moderators ${RUN} -> Moderator`), 'role-map add');
  assert.ok(has('role-map remove', `Browser Moderators ${RUN}`), 'role-map remove');
  assert.ok(has('user deactivate', 'left the team'), 'user deactivate');
  assert.ok(has('user reactivate'), 'user reactivate');
  await shot('audit');
});

test('a POST without the CSRF token is refused and changes nothing', { timeout: TEST_MS }, async () => {
  const r = await fetch(`${CONSOLE}scim-enabled`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: BASE,
    },
    body: 'enabled=off',
    redirect: 'manual',
    signal: AbortSignal.timeout(PATIENCE_MS),
  });
  assert.equal(r.status, 403);
  await open('');
  assert.equal(await text('#scim-status'), 'On');
});

test('a <script> userName renders as text in the audit page', { timeout: TEST_MS }, async () => {
  const name = `<script>alert("x")</script><img src=x onerror=alert(2)>${RUN}`;
  const created = await scim('POST', '/Users', userBody(name));
  assert.equal(created.status, 201);
  const before = dialogs.length;
  await auditRows({ user: name });
  const users = await page.$$eval('table#audit .audit-user', (c) => c.map((x) => x.textContent));
  assert.ok(users.includes(name), JSON.stringify(users));
  const changes = await page.$$eval('table#audit .audit-changes', (c) => c.map((x) => x.textContent));
  assert.ok(changes.some((c) => c.includes('<script>')), 'the diff shows the name as text');
  assert.equal(await page.$('table#audit script, table#audit img'), null, 'no element made from it');
  assert.equal(dialogs.length, before, `no dialog: ${dialogs.join(', ')}`);
  assert.ok(await page.$eval('table#audit .audit-user', (c) => c.checkVisibility()));
  await shot('audit-script-user');
});

test('the sync and settings pages show; an invalid setting is refused', { timeout: TEST_MS }, async () => {
  await open('sync');
  for (const id of ['count-pending', 'count-in-flight', 'count-retrying', 'count-dead']) {
    assert.match(await text(`#${id}`), /^\d+$/, id);
  }
  assert.ok(await page.$('table#daemons tbody tr td'), 'the stack\'s daemon is listed');
  await shot('sync');

  await open('settings');
  const before = await page.$eval('#max_attempts', (i) => i.value);
  await shot('settings');
  await typeInto('#max_attempts', '0');
  await clickAndWait('#settings-save');
  assert.ok(await text('#error'));
  await open('settings');
  assert.equal(await page.$eval('#max_attempts', (i) => i.value), before);
});

test('no page raised a script error or a CSP refusal', () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(dialogs, []);
});
