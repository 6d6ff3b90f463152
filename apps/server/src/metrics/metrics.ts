import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one app instance (its own registry, so tests can build several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'access_monitor_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    executionsStarted: new Counter({ name: 'access_monitor_executions_started_total', help: 'Query executions started by users', labelNames: ['engine'] as const, registers: [registry] }),
    executionsFinished: new Counter({
      name: 'access_monitor_executions_finished_total',
      help: 'Query executions seen finished, by engine and state',
      labelNames: ['engine', 'state'] as const,
      registers: [registry],
    }),
    bytesScanned: new Counter({ name: 'access_monitor_bytes_scanned_total', help: 'Bytes scanned by finished executions', labelNames: ['engine'] as const, registers: [registry] }),
    actionFirings: new Counter({ name: 'access_monitor_action_firings_total', help: 'Response action firings by how they ended', labelNames: ['state', 'trigger'] as const, registers: [registry] }),
    actionDeliveries: new Counter({ name: 'access_monitor_action_deliveries_total', help: 'Response action deliveries by destination type and how they ended', labelNames: ['type', 'state'] as const, registers: [registry] }),
    activeRuns: new Gauge({ name: 'access_monitor_active_runs', help: 'Executions started by this instance and not yet finished', registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
