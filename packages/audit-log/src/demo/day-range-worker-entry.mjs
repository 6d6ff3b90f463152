// Entry of the demo generator's worker threads, in plain JavaScript so that any Node can load it.
// The worker module is TypeScript when the code runs from source (tsx, `npm start`, vitest):
// Node's own loader refuses it, and neither tsx's register() nor vitest reach into worker threads,
// so tsx is registered here then. A module that failed to load stays failed under its URL, hence
// the query on the second try.
import { workerData } from 'node:worker_threads';

const target = new URL(workerData.module);
try {
  await import(target.href);
} catch (error) {
  if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
  const { register } = await import('tsx/esm/api');
  register();
  target.search = '?tsx';
  await import(target.href);
}
