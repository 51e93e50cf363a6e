// End-to-end harness: starts a real `wrangler dev` (workerd, local KV, local
// send_email) on a free port with its own KV directory, and a headless Debian
// Chromium driven by playwright-core. Every process started here is stopped in
// `stop()`, and on process exit as a last resort, so a failing test leaves no
// orphans. The Worker must be built first (`cargo xtask build`).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** True while any process of the group led by `pid` is alive. */
export function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

/** A TCP port nobody listens on right now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The product's own calendar rule (`protocol::date`, through `cargo xtask calendar`),
 * so a test never computes an expected date with a second implementation:
 * `calendar('due', '2026-01-31', 30)` is the due date of a request received that
 * day; `calendar('add-months', due, 2)` is an extension.
 */
export function calendar(op, isoDate, n) {
  const args = ['calendar', op, isoDate, String(n)];
  const out = process.env.PRIVACY_DESK_XTASK
    ? execFileSync(process.env.PRIVACY_DESK_XTASK, args, { cwd: ROOT })
    : execFileSync('cargo', ['xtask', ...args], { cwd: ROOT });
  return out.toString().trim();
}

/** The shops exactly as wrangler.toml configures them, as JSON (to change one for a test). */
export function configuredShops() {
  const json = execFileSync('python3', ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.load(open(sys.argv[1],"rb"))["vars"]["SHOPS"]))', path.join(ROOT, 'wrangler.toml')]);
  return JSON.parse(json);
}

const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * Keys for personal data at rest in tests (base64 of 32 bytes). Fixed, so that a
 * worker restarted on the same `persistDir` reads what the first one wrote.
 */
export const TEST_DATA_KEY = 'cHJpdmFjeS1kZXNrIHRlc3QgZGF0YSBrZXkgMzJieXQ=';
export const TEST_INDEX_KEY = 'cHJpdmFjeS1kZXNrIHRlc3QgaW5kZXgga2V5IDMyYnk=';

/**
 * Starts `wrangler dev` and resolves once it answers HTTP.
 * @param {{vars?: Record<string,string>, persistDir?: string}} options
 *   `vars` are extra `--var` values (they override the test keys `DATA_KEY` and
 *   `INDEX_KEY`); pass the same `persistDir` to a second worker to restart on
 *   the same KV state.
 */
export async function startWorker(options = {}) {
  const shim = path.join(ROOT, 'edge', 'build', 'worker', 'shim.mjs');
  if (!existsSync(shim)) throw new Error(`${shim} is missing: run \`cargo xtask build\` first`);
  const port = await freePort();
  const inspectorPort = await freePort();
  const persistDir = options.persistDir ?? (await mkdtemp(path.join(os.tmpdir(), 'pd-kv-')));
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const vars = {
    ADMIN_TOKEN: adminToken,
    DATA_KEY: TEST_DATA_KEY,
    INDEX_KEY: TEST_INDEX_KEY,
    // Links in mail point here (the Worker never takes them from the Host header).
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    ...(options.vars ?? {}),
  };
  const args = [
    'dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--inspector-port', String(inspectorPort),
    '--persist-to', persistDir,
    '--show-interactive-dev-session=false',
    '--test-scheduled',
    '--log-level', 'info',
  ];
  for (const [key, value] of Object.entries(vars)) args.push('--var', `${key}:${value}`);
  const child = spawn(path.join(BIN, 'wrangler'), args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATH: `${BIN}:${process.env.PATH}`,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
  });
  live.add(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    live.delete(child);
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`wrangler dev exited early (${JSON.stringify(exited)}):\n${output}`);
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) break;
    } catch {
      /* not up yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const seenEmails = new Map();
  return {
    url,
    port,
    /** Process id of wrangler, which leads the process group of workerd too. */
    pid: child.pid,
    adminToken,
    persistDir,
    /** Everything wrangler printed so far (for "no personal data in logs" checks). */
    logs: () => stripAnsi(output),
    /** Sends a request with the owner's secret. */
    admin: (pathAndQuery, init = {}) =>
      fetch(`${url}${pathAndQuery}`, {
        ...init,
        headers: { authorization: `Bearer ${adminToken}`, ...(init.headers ?? {}) },
      }),
    /**
     * The e-mails local send_email wrote, oldest first, as `{path, raw}`. Paths
     * come from wrangler's own log lines ("Email: /…/x.eml", "Text: /…/x.txt").
     */
    async emails() {
      const paths = [...stripAnsi(output).matchAll(/(?:Email|Text|HTML): (\S+\.(?:eml|txt|html))/g)].map((m) => m[1]);
      for (const file of paths) {
        if (!seenEmails.has(file) && existsSync(file)) seenEmails.set(file, await readFile(file, 'utf8'));
      }
      return [...seenEmails].map(([file, raw]) => ({ path: file, raw }));
    },
    /** Polls `emails()` until `predicate` matches one, or fails after `ms`. */
    async waitForEmail(predicate, ms = 15_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = (await this.emails()).find(predicate);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no matching e-mail within ${ms} ms; log:\n${stripAnsi(output).slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    /** Fires the cron handler as the scheduler would. */
    scheduled: (cron = '*/15 * * * *') => fetch(`${url}/__scheduled?cron=${encodeURIComponent(cron)}`),
    /** Stops wrangler and workerd (the whole process group); idempotent. */
    async stop({ keepState = false } = {}) {
      if (!exited) {
        killGroup(child, 'SIGTERM');
        const gone = await Promise.race([
          new Promise((resolve) => child.once('exit', () => resolve(true))),
          new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
        ]);
        if (!gone) killGroup(child, 'SIGKILL');
      }
      // wrangler may exit before its workerd does: wait for the whole group, then force it.
      for (let i = 0; i < 30 && groupAlive(child.pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      if (groupAlive(child.pid)) killGroup(child, 'SIGKILL');
      if (!keepState && !options.persistDir) await rm(persistDir, { recursive: true, force: true });
    },
    /** Kills wrangler abruptly (SIGKILL), keeping the KV state for a restart. */
    kill() {
      killGroup(child, 'SIGKILL');
    },
  };
}

/** Headless Debian Chromium, as the machine allows it (no sandbox as root, no background networking). */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Runs axe-core in the page and returns its violations. */
export async function axeViolations(page, context) {
  const source = await readFile(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source }).catch(async () => {
    // A strict CSP blocks inline scripts: evaluate through the DevTools protocol instead.
    await page.evaluate(source);
  });
  return page.evaluate(async (ctx) => {
    const result = await globalThis.axe.run(ctx ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  }, context);
}
