import { describe, expect, it } from 'vitest';
import { athenaFailure, athenaTimes } from './athena-status';

describe('athenaFailure', () => {
  it("takes the code from the error name Athena's message starts with, and keeps the whole message", () => {
    const message = "COLUMN_NOT_FOUND: line 1:8: Column 'no_such_column' cannot be resolved";
    expect(athenaFailure({ Status: { State: 'FAILED', StateChangeReason: message, AthenaError: { ErrorCategory: 2, ErrorType: 1006, ErrorMessage: message } } })).toEqual({
      code: 'COLUMN_NOT_FOUND',
      message,
    });
  });

  it("points Athena's line:column, counted in the statement it ran, at the SQL the user wrote", () => {
    const user = 'SELECT "user",\n  no_such_column\nFROM session_start';
    const query = `WITH\nsession_start AS (SELECT event_date FROM audit_db.events WHERE event_date BETWEEN date '2024-01-01' AND date '2024-01-07')\n${user}`;
    const message = "COLUMN_NOT_FOUND: line 4:3: Column 'no_such_column' cannot be resolved";
    expect(athenaFailure({ Query: query, Status: { State: 'FAILED', StateChangeReason: message } }, user)).toEqual({
      code: 'COLUMN_NOT_FOUND',
      message,
      position: { line: 2, column: 3, offset: 17, length: 14 },
    });
  });

  it("falls back to Athena's error category and type when the message names no error", () => {
    expect(athenaFailure({ Status: { State: 'FAILED', StateChangeReason: 'Query exhausted resources at this scale factor', AthenaError: { ErrorCategory: 1, ErrorType: 4 } } })).toEqual({
      code: 'ATHENA_SYSTEM_ERROR_4',
      message: 'Query exhausted resources at this scale factor',
    });
  });

  it('still reports a failure Athena gave no details for', () => {
    expect(athenaFailure({ Status: { State: 'FAILED' } })).toEqual({ code: 'ENGINE_FAILED', message: 'the query failed in Amazon Athena' });
  });
});

describe('athenaTimes', () => {
  it("reports Athena's engine execution time as elapsed, and the start after the queue time", () => {
    const times = athenaTimes(
      {
        Status: { State: 'SUCCEEDED', SubmissionDateTime: new Date('2024-03-01T10:00:00.000Z'), CompletionDateTime: new Date('2024-03-01T10:00:05.000Z') },
        Statistics: { QueryQueueTimeInMillis: 1500, EngineExecutionTimeInMillis: 3200 },
      },
      new Date('2024-03-01T10:01:00.000Z'),
    );
    expect(times).toEqual({ submittedAt: '2024-03-01T10:00:00.000Z', startedAt: '2024-03-01T10:00:01.500Z', finishedAt: '2024-03-01T10:00:05.000Z', elapsedMs: 3200 });
  });

  it('has no start time while queued', () => {
    expect(athenaTimes({ Status: { State: 'QUEUED', SubmissionDateTime: new Date('2024-03-01T10:00:00.000Z') } }, new Date('2024-03-01T10:00:02.000Z'))).toEqual({
      submittedAt: '2024-03-01T10:00:00.000Z',
      elapsedMs: 0,
    });
  });
});
