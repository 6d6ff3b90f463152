// Run as a separate process by fs-object-store.test.ts, to race writers that share only the folder.
// Usage: concurrent-writer.fixture.ts <root> increment <key> <times> | create <key> <tag>
import { PreconditionFailed } from '../errors';
import { createFsObjectStore } from './fs-object-store';

const [root, mode, key, arg] = process.argv.slice(2);
if (!root || !key || !arg) throw new Error('usage: <root> increment|create <key> <times|tag>');
const store = createFsObjectStore(root);

// Let every process get past its start-up before racing.
const startAt = Number(process.env.START_AT ?? 0);
while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 5));

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
