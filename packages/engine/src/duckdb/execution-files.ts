import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExecutionStatus } from '../query-engine';
import { resultKeys } from '../results/result-reader';

/** Execution ids are random UUIDs, like Athena's QueryExecutionId. */
export const newExecutionId = (): string => randomUUID();

const EXECUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checked before any file name is built from an id, so no id can name a path outside the results folder. */
export const isExecutionId = (id: string): boolean => EXECUTION_ID.test(id);

/** Where one execution's files live in the results folder. */
export function executionFiles(resultsDir: string, id: string) {
  if (!isExecutionId(id)) throw new RangeError(`not an execution id: ${JSON.stringify(id)}`);
  const at = (name: string): string => path.join(resultsDir, name);
  return {
    status: at(`${id}.status.json`),
    csv: at(resultKeys.csv(id)),
    metadata: at(resultKeys.metadata(id)),
    /** The CSV while it is written; renamed to `csv` when complete, so readers never see half a file. */
    csvPartial: at(`${id}.csv.tmp`),
    /** Second temporary file, for rewriting the CSV's header. */
    rowsPartial: at(`${id}.rows.tmp`),
  };
}


const STATES = new Set(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

/** The persisted status, or undefined when there is none (or it is not a status this engine wrote). */
export async function readStatusFile(file: string, id: string): Promise<ExecutionStatus | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as ExecutionStatus;
    return parsed.id === id && STATES.has(parsed.state) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
