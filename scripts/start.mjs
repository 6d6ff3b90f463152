// `npm start`: build the dashboard if needed, then run the embedded demo (or ./access-monitor.yaml).
// `npm run start:aws-local` (`--aws-local`): the same demo data served in Athena mode, through the loopback S3 and Athena peers.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './ensure-web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureWebBuild();
const awsLocal = process.argv.includes('--aws-local');
const args = process.argv.slice(2).filter((a) => a !== '--aws-local');
const command = awsLocal ? ['--demo', '--dir', '.access-monitor/demo', '--write-config', '.access-monitor/aws-local/access-monitor.yaml', '--serve'] : ['demo'];
const bin = awsLocal ? 'apps/server/bin/access-monitor-aws-local.js' : 'apps/server/bin/access-monitor.js';
const child = spawn(process.execPath, [path.join(root, bin), ...command, ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
