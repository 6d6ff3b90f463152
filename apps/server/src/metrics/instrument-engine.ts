import { isTerminalState } from '@access-monitor/contracts';
import type { QueryEngine } from '@access-monitor/engine';
import type { Metrics } from './metrics';
import { dataVersionOf } from '../usage/overview-cache';


/** Counts executions this instance started as they are first seen finished (callers poll `status`). */
export function instrumentEngine(engine: QueryEngine, metrics: Metrics): QueryEngine {
  const running = new Set<string>();
  return {
    name: engine.name,
    async start(q) {
      const ref = await engine.start(q);
      if (!running.has(ref.id)) {
        running.add(ref.id);
        metrics.activeRuns.inc();
      }
      return ref;
    },
    async status(id) {
      const s = await engine.status(id);
      if (isTerminalState(s.state) && running.delete(id)) {
        metrics.activeRuns.dec();
        metrics.executionsFinished.inc({ engine: engine.name, state: s.state });
        metrics.bytesScanned.inc({ engine: engine.name }, s.bytesScanned);
      }
      return s;
    },
    ...(engine.waitForChange
      ? {
          async waitForChange(id: string, maxWaitMs: number) {
            await engine.waitForChange!(id, maxWaitMs);
            return this.status(id);
          },
        }
      : {}),
    cancel: (id) => engine.cancel(id),
    schema: () => engine.schema(),
    ...(engine.estimateBytes ? { estimateBytes: engine.estimateBytes.bind(engine) } : {}),
    // Optional on engines: overviews are cached per data version.
    ...(dataVersionOf(engine) ? { dataVersion: dataVersionOf(engine) } : {}),
    page: (id, offset, limit) => engine.page(id, offset, limit),
    csv: (id) => engine.csv(id),
    resultBytes: (id) => engine.resultBytes(id),
    close: () => engine.close(),
    ...(engine.typedStore ? { typedStore: engine.typedStore } : {}),
  };
}
