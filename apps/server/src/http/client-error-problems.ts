import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ProblemTypes, type Problem } from '@access-monitor/contracts';

/** Node's parser errors, answered before Express sees the request. */
const PROBLEM_OF: Record<string, Omit<Problem, 'status'> & { status: number }> = {
  HPE_HEADER_OVERFLOW: {
    type: ProblemTypes.headersTooLarge,
    title: 'Request headers too large',
    status: 431,
    detail: 'the request headers pass the server limit of 16 KB; clear this site’s cookies or send fewer or shorter headers',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { type: ProblemTypes.invalidRequest, title: 'Request timeout', status: 408, detail: 'the request was not received in time' },
};
const MALFORMED: Problem = { type: ProblemTypes.invalidRequest, title: 'Malformed request', status: 400, detail: 'the request is not valid HTTP/1.1' };

/**
 * Answers requests Node's HTTP parser refuses (headers over its `maxHeaderSize`, malformed requests) with
 * problem+json and a stable type, instead of Node's bare status line.
 */
export function answerClientErrorsWithProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: never write into a response already under way on this socket.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const problem = (err.code && PROBLEM_OF[err.code]) || MALFORMED;
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
