import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { athenaCsvLine } from './athena-csv';
import { spreadsheetSafeCell, spreadsheetSafeCsv } from './spreadsheet-safe-csv';

/** Runs bytes through the transform in chunks of `chunkSize`, as a file stream would deliver them. */
async function neutralise(input: string, chunkSize = 64 * 1024): Promise<string> {
  const bytes = Buffer.from(input, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    spreadsheetSafeCsv(),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(out).toString('utf8');
}

const ATTACK = athenaCsvLine(['user', 'server_hostname', 'n']) + athenaCsvLine(['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", '3']);

describe('spreadsheet-safe CSV', () => {
  it('prefixes a quote to cells that would start a formula: = + - @ tab and carriage return', () => {
    for (const cell of ['=1+1', '+cmd', "-2+3", '@SUM(A1)', '\t=1', '\r=1']) expect(spreadsheetSafeCell(cell)).toBe(`'${cell}`);
    for (const cell of ['alice', '', 'a=b', ' =1', '-3', '+1.5e3', '-.5', "'already"]) expect(spreadsheetSafeCell(cell)).toBe(cell);
  });

  it('neutralises an attacker-chosen user name and host name in a streamed result, in any chunking', async () => {
    const expected = `"user","server_hostname","n"\n"'=HYPERLINK(""http://evil.example"",""click"")","'+cmd|' /C calc'!A0","3"\n`;
    for (const size of [1, 3, 7, 64 * 1024]) expect(await neutralise(ATTACK, size)).toBe(expected);
  });

  it('leaves a result with nothing to neutralise byte for byte as it was, NULLs and multi-line cells included', async () => {
    const csv = athenaCsvLine(['quoted', 'nothing', 'multiline']) + athenaCsvLine(['say "hi", bye', null, 'line1\n=line2']) + athenaCsvLine(['', null, 'ünïcødé']);
    expect(await neutralise(csv, 5)).toBe(csv);
  });

  it('neutralises column names too: they are user SQL', async () => {
    expect(await neutralise(athenaCsvLine(['=cmd()', 'ok']) + athenaCsvLine(['1', '2']), 4)).toBe(`"'=cmd()","ok"\n"1","2"\n`);
  });

  it('fails the stream on bytes that are not CSV rather than passing them through', async () => {
    await expect(neutralise('"a","b\n')).rejects.toThrow(/inside a quoted field/);
  });
});
