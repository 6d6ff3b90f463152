import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { utcToday, windowDays } from '@access-monitor/contracts';
import { generateDemoData } from '@access-monitor/audit-log';
import { embeddedConfig, loadConfigFile } from '../config/load-config';
import { ensureDemoUsers, type DemoUser } from '../identity/users-file';
import { parsePort, serveAndWait, withServerFlags } from './serve-command';

const DEMO_DAYS = 90;
const DEMO_EVENTS = 500_000;
const DEMO_SEED = 1;

interface DemoMarker {
  end: string;
  days: number;
  events: number;
}

export const DEMO_USAGE = 'access-monitor demo [--dir .access-monitor/demo] [--host 127.0.0.1] [--port 8080]';

/**
 * What `npm start` runs: serve ./access-monitor.yaml when there is one; otherwise the embedded demo,
 * generating 90 days of demo events on first start and topping up the days missed since.
 */
export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string', default: '.access-monitor/demo' }, host: { type: 'string' }, port: { type: 'string' } } });
  const port = parsePort(values.port ?? process.env.PORT);
  const configFile = path.resolve('access-monitor.yaml');
  if (existsSync(configFile)) {
    console.log(`using ${configFile}`);
    return serveAndWait(withServerFlags(await loadConfigFile(configFile), values.host, port));
  }
  const root = path.resolve(values.dir);
  const eventsDir = path.join(root, 'events');
  await ensureDemoData(root, eventsDir);
  const usersFile = path.join(root, 'users.yaml');
  const created = await ensureDemoUsers(usersFile);
  if (created.length > 0) showDemoPasswords(created, usersFile, controllingTerminal());
  await serveAndWait(withServerFlags(embeddedConfig({ eventsDir, resultsDir: path.join(root, 'report_results'), usersFile }), values.host, port));
}

/** Where one-time passwords may be shown: a person's terminal, never a stream a log collector keeps. */
export interface Terminal {
  write(text: string): void;
  close?(): void;
}

/**
 * The terminal the person who ran `npm start` is looking at: stdout when it is one, else the controlling
 * terminal (`npm start | tee server.log` still shows them there), else none (a service manager or a container log).
 */
export function controllingTerminal(): Terminal | null {
  if (process.stdout.isTTY) return { write: (text) => process.stdout.write(text) };
  try {
    const fd = openSync('/dev/tty', 'w');
    return { write: (text) => writeSync(fd, text), close: () => closeSync(fd) };
  } catch {
    return null;
  }
}

/**
 * The demo users' one-time passwords, written straight to the terminal: never through the logger, and never into
 * output that is not a terminal (the server log), where they would outlive the first sign-in.
 */
export function showDemoPasswords(users: readonly DemoUser[], usersFile: string, terminal: Terminal | null, out: NodeJS.WritableStream = process.stdout): void {
  const reset = `npx access-monitor users add NAME --roles ROLE --replace --password-stdin --users-file ${usersFile}`;
  if (!terminal) {
    out.write(`\ndemo users created: ${users.map((u) => u.name).join(', ')}. Their one-time passwords are not printed: this output is not a terminal and may be kept in a log.\nSet a password with: ${reset}\n\n`);
    return;
  }
  try {
    terminal.write(`\ndemo users (passwords shown once, on this terminal only; reset one with \`${reset}\`):\n`);
    for (const u of users) terminal.write(`  ${u.name.padEnd(14)} password ${u.password}   roles: ${u.roles.join(', ') || '(none)'}\n`);
    terminal.write('\n');
  } finally {
    terminal.close?.();
  }
}

/** Generates the demo events in `eventsDir` on first use, then tops up the days missed since. */
export async function ensureDemoData(root: string, eventsDir: string): Promise<void> {
  const markerFile = path.join(root, 'demo.json');
  const today = utcToday(new Date());
  const marker: DemoMarker | null = existsSync(markerFile) ? JSON.parse(await readFile(markerFile, 'utf8')) : null;
  await mkdir(root, { recursive: true });
  if (!marker) {
    console.log(`first start: generating ${DEMO_DAYS} days of demo audit events (about ${DEMO_EVENTS.toLocaleString('en')}) in ${eventsDir} …`);
    await generate(eventsDir, DEMO_DAYS, DEMO_EVENTS, today, DEMO_SEED);
    await writeFile(markerFile, JSON.stringify({ end: today, days: DEMO_DAYS, events: DEMO_EVENTS } satisfies DemoMarker));
    return;
  }
  if (marker.end < today) {
    const missing = Math.min(windowDays({ start: marker.end, end: today }) - 1, DEMO_DAYS);
    console.log(`topping up demo data with the ${missing} day(s) since ${marker.end} …`);
    const seed = Number(today.replaceAll('-', ''));
    await generate(eventsDir, missing, Math.round((DEMO_EVENTS / DEMO_DAYS) * missing), today, seed);
    await writeFile(markerFile, JSON.stringify({ ...marker, end: today }));
  }
}

async function generate(out: string, days: number, events: number, end: string, seed: number): Promise<void> {
  const started = Date.now();
  let last = 0;
  const result = await generateDemoData({
    out,
    days,
    events,
    seed,
    end,
    onProgress: (done, total) => {
      if (Date.now() - last < 1000) return;
      last = Date.now();
      console.log(`  … ${Math.round((100 * done) / Math.max(1, total))}%`);
    },
  });
  console.log(`wrote ${result.events.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
