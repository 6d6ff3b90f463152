import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { spreadsheetSafeCsv } from '@access-monitor/engine';

/**
 * The one way a result CSV is downloaded over HTTP (an execution's result, a finding's rows): streamed
 * with backpressure and no row cap, never cached, and spreadsheet-safe (cells that would start a
 * formula get a `'` prefix) unless `raw` asks for the stored Athena-format bytes exactly.
 */
export async function sendCsvDownload(res: Response, stream: Readable, opts: { filename: string; raw: boolean }): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').attachment(opts.filename).set('Cache-Control', 'no-store');
  // pipeline: the file is read only as fast as the client takes it, and closed if the client goes away.
  if (opts.raw) await pipeline(stream, res);
  else await pipeline(stream, spreadsheetSafeCsv(), res);
}
