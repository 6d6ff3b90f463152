import { pino, type Logger } from 'pino';

/** Structured logs; credentials and session cookies never reach them. */
export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["teleport-jwt-assertion"]', 'res.headers["set-cookie"]', '*.password'],
        censor: '[redacted]',
      },
    },
    (opts.destination ?? process.stdout) as pino.DestinationStream,
  );
}
