import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EvidenceInvalid, verifyEvidence } from '../evidence/verify-evidence';
import { CliError } from './cli-error';

export const VERIFY_USAGE = 'access-monitor verify EVIDENCE.zip [--public-key FILE]';

/** Checks an evidence zip's signature and every file's hash; exits 1 naming the first file that does not match. */
export async function verifyCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'public-key': { type: 'string' } } });
  if (positionals.length !== 1) throw new CliError(`usage: ${VERIFY_USAGE}`, 2);
  const zip = await readFile(positionals[0]!).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${positionals[0]}: ${e.code ?? e.message}`, 2);
  });
  const pinned = values['public-key'] === undefined ? undefined : await readFile(values['public-key'], 'utf8');
  try {
    const { manifest, fingerprint, pinned: isPinned } = verifyEvidence(zip, pinned);
    const r = manifest.run;
    out.write(`OK: ${r.report} run ${r.id}, ${r.window.start} – ${r.window.end} (${r.engine}), ${manifest.files.length} files match the manifest signed by Ed25519 key ${fingerprint}\n`);
    if (!isPinned) out.write('note: the key is the one inside the zip; pass --public-key (from GET /api/v1/evidence/public-key) to check who signed it\n');
  } catch (e) {
    if (e instanceof EvidenceInvalid) throw new CliError(`verification FAILED: ${e.message}`, 1);
    throw e;
  }
}
