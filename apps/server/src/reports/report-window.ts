import type { RequestHandler } from 'express';
import { isReportWindow, REPORT_WINDOW_RULE } from '@access-monitor/contracts';
import { InvalidWindow } from '../executions/execution-errors';

/**
 * Refuses a `days` outside Teleport's report windows as an invalid window (400 naming the allowed
 * values) before the contract schema would call it a generic invalid request.
 */
export function reportWindowOnly(from: 'body' | 'query'): RequestHandler {
  return (req, _res, next) => {
    const source = (from === 'body' ? req.body : req.query) as Record<string, unknown> | undefined;
    const days = source?.days;
    if (days !== undefined && !isReportWindow(days)) {
      throw new InvalidWindow(`${REPORT_WINDOW_RULE}; got ${JSON.stringify(days)}`);
    }
    next();
  };
}
