// Run as a separate process by fs-object-store.test.ts, to race writers that share only the folder.
// Usage: concurrent-writer.fixture.ts <root> increment <key> <times> | create <key> <tag>, with BARRIER_DIR and BARRIER_COUNT set.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PreconditionFailed } from '../errors';
import { createFsObjectStore } from './fs-object-store';

const [root, mode, key, arg] = process.argv.slice(2);
if (!root || !key || !arg) throw new Error('usage: <root> increment|create <key> <times|tag>');
const store = createFsObjectStore(root);

// Start racing only once every process is past its start-up: each drops a file in BARRIER_DIR and waits for the others'.
const barrier = process.env.BARRIER_DIR;
if (barrier) {
  await writeFile(path.join(barrier, String(process.pid)), '');
  while ((await readdir(barrier)).length < Number(process.env.BARRIER_COUNT)) await new Promise((r) => setTimeout(r, 5));
}

if (mode === 'increment') {
  let conflicts = 0;
  for (let done = 0; done < Number(arg); ) {
    const { value, info } = await store.getJson<{ n: number }>(key);
    try {
      await store.put(key, JSON.stringify({ n: value.n + 1 }), { ifMatch: info.etag });
      done++;
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
      conflicts++;
    }
  }
  process.stdout.write(JSON.stringify({ conflicts }));
} else if (mode === 'create') {
  const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.put(key, `${arg}-${i}`, { ifNoneMatch: '*' })));
  process.stdout.write(JSON.stringify(outcomes.map((o) => (o.status === 'fulfilled' ? 'won' : o.reason instanceof PreconditionFailed ? 'lost' : String(o.reason)))));
} else {
  throw new Error(`unknown mode ${mode}`);
}
