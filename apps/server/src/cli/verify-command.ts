import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EvidencePublicKey } from '@access-monitor/contracts';
import { EvidenceInvalid, verifyEvidence } from '../evidence/verify-evidence';
import { CliError } from './cli-error';

export const VERIFY_USAGE = `access-monitor verify EVIDENCE.zip (--public-key FILE | --server URL | --trust-embedded-key)
  --public-key FILE     the key from GET /api/v1/evidence/public-key, pinned by you
  --server URL          fetch that key from the access-monitor at URL
  --trust-embedded-key  accept the key inside the zip: proves the files match the manifest, not who signed it`;

/**
 * Checks an evidence zip's signature and every file's hash; exits 1 naming the first file that does not match.
 * A signature is only worth the key it checks against: the key inside the zip is accepted only when asked to.
 */
export async function verifyCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'public-key': { type: 'string' }, server: { type: 'string' }, 'trust-embedded-key': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new CliError(`usage: ${VERIFY_USAGE}`, 2);
  if (values['public-key'] !== undefined && values.server !== undefined) throw new CliError('give --public-key FILE or --server URL, not both', 2);
  const zip = await readFile(positionals[0]!).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${positionals[0]}: ${e.code ?? e.message}`, 2);
  });
  const pin =
    values['public-key'] !== undefined
      ? { pem: await readKeyFile(values['public-key']), from: values['public-key'] }
      : values.server !== undefined
        ? { pem: await fetchServerKey(values.server), from: values.server }
        : undefined;
  try {
    const { manifest, fingerprint } = verifyEvidence(zip, pin?.pem);
    if (!pin && !values['trust-embedded-key']) {
      throw new CliError(
        `verification FAILED: signature valid for key ${fingerprint} which is not pinned: pass --public-key FILE or --server URL (GET /api/v1/evidence/public-key), or --trust-embedded-key to accept the key inside the zip`,
        1,
      );
    }
    const r = manifest.run;
    out.write(`OK: ${r.report} run ${r.id}, ${r.window.start} – ${r.window.end} (${r.engine}), ${manifest.files.length} files match the manifest signed by Ed25519 key ${fingerprint}\n`);
    if (pin) out.write(`the key is pinned (${pin.from})\n`);
    else out.write('note: --trust-embedded-key: the key is the one inside the zip, so this proves the files match the manifest, not who signed it\n');
  } catch (e) {
    if (e instanceof EvidenceInvalid) throw new CliError(`verification FAILED: ${e.message}`, 1);
    throw e;
  }
}

async function readKeyFile(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`, 2);
  });
}

/** The server's evidence key, `GET <url>/api/v1/evidence/public-key`. */
async function fetchServerKey(server: string): Promise<string> {
  let url: URL;
  try {
    url = new URL('api/v1/evidence/public-key', server.endsWith('/') ? server : `${server}/`);
  } catch {
    throw new CliError(`--server must be a URL such as https://access-monitor.example.com, got ${server}`, 2);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--server must be an http(s) URL, got ${server}`, 2);
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new CliError(`cannot fetch the evidence key from ${url.href}: ${(e as Error).message}`, 2);
  }
  if (!res.ok) throw new CliError(`cannot fetch the evidence key from ${url.href}: HTTP ${res.status}`, 2);
  const parsed = EvidencePublicKey.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new CliError(`${url.href} did not answer with an evidence public key`, 2);
  return parsed.data.publicKeyPem;
}
