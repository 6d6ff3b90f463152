import { describe, expect, it } from 'vitest';
import { athenaRowOf } from '../parquet/athena-row';
import { parseEventLine } from './parse-event-line';
import { scanEventLine } from './scan-event-line';

/** What the scan answers for a whole line: the fields when it is sure and the event is the whole line. */
function scanned(line: string) {
  const bytes = Buffer.from(line);
  const fields = scanEventLine(bytes, 0, bytes.length);
  return fields !== undefined && fields.end === bytes.length ? fields : undefined;
}

/** The scan's answer must be today's: parseEventLine accepts the line and athenaRowOf gives the same columns. */
function expectAgreement(line: string): boolean {
  const fields = scanned(line);
  if (fields === undefined) return false;
  const parsed = parseEventLine(line);
  expect(parsed.ok, line).toBe(true);
  if (!parsed.ok) return true;
  const row = athenaRowOf(parsed.event, parsed.time.getTime(), line);
  expect({ event: fields.event, timeMs: fields.timeMs, uid: fields.uid, sid: fields.sid, user: fields.user }, line).toEqual({
    event: row.eventType,
    timeMs: row.eventTimeMs,
    uid: row.uid,
    sid: row.sessionId,
    user: row.user,
  });
  return true;
}

const SESSION_START =
  '{"ei":0,"event":"session.start","uid":"3259b2ea-55e2-427f-8e81-80699018e83a","code":"T2000I","time":"2024-05-09T21:00:50.249Z","cluster_name":"teleport.example.com","user":"teleport-admin","login":"ec2-user","user_kind":1,"sid":"a2836fe1-51b5-4ab6-994e-f2f32eb97dc5","server_id":"b321c207","addr.remote":"136.32.177.60:52963","proto":"ssh","size":"80:25","initial_command":[""],"x":{"a":[1,-2.5e3,true,false,null,{}],"b":"é \\u00e9 \\" \\\\"}}';

/** Lines whose answer a fast path could easily get wrong. */
const TRICKY = [
  SESSION_START,
  '{"event":"x","time":"2024-05-09T21:00:50Z","user":"a","user":"b"}', // last one wins
  '{"event":"x","time":"2024-05-09T21:00:50Z","user":"a","user":7}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","event":""}',
  '{"event":"x","event":5,"time":"2024-05-09T21:00:50Z"}',
  '{"ev\\u0065nt":"x","time":"2024-05-09T21:00:50Z"}', // an escaped key is the same key to JSON.parse
  '{"event":"x","time":"2024-05-09T21:00:50Z","us\\u0065r":"escaped key"}',
  '{"event":"a\\"b","time":"2024-05-09T21:00:50Z"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","uid":"\\u0041"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","sid":null,"uid":1,"user":{"user":"nested"}}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":[1,],"b":2}', // trailing comma
  '{"event":"x","time":"2024-05-09T21:00:50Z",}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":NaN}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":Infinity}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":01}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":1.}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":.5}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":+1}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":-0.0e-0}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":1e}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":tru}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":"\\x41"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":"\\u12G4"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":"\\ud800"}', // a lone surrogate escape: JSON.parse takes it
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":"tab\there"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z"}\t',
  '{"event":"x","time":"2024-05-09T21:00:50Z"} ',
  ' {"event":"x","time":"2024-05-09T21:00:50Z"}',
  '{ "event" : "x" , "time" : "2024-05-09T21:00:50Z" , "a" : [ 1 , { "b" : [ ] } ] }',
  '{"event":"x","time":"2024-05-09T21:00:50Z"}{}',
  '{"event":"x","time":"2024-05-09T21:00:50Z"}x',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":{"b":1}}}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":[}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":{"b"}}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":{1:2}}',
  `{"event":"x","time":"2024-05-09T21:00:50Z","deep":${'['.repeat(100)}${']'.repeat(100)}}`,
  `{"event":"x","time":"2024-05-09T21:00:50Z","deep":${'['.repeat(60)}${']'.repeat(60)}}`,
  '{"event":"x","time":"2024-05-09T21:00:50.123456789+02:00"}',
  '{"event":"x","time":"2024-05-09t21:00:50z"}',
  '{"event":"x","time":"2024-02-30T21:00:50Z"}',
  '{"event":"x","time":"2016-12-31T23:59:60Z"}',
  '{"event":"x","time":"0001-01-01T00:00:00Z"}',
  '{"event":"x","time":1700000000}',
  '{"event":"x"}',
  '{"time":"2024-05-09T21:00:50Z"}',
  '{"event":"","time":"2024-05-09T21:00:50Z"}',
  '{}',
  '[1]',
  '"event"',
  '{"event":"x","time":"2024-05-09T21:00:50Z","__proto__":{"user":"p"}}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","user":"\u00e9l\u00e8ve \u2028 \ud83d\ude00"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":"\u007f"}',
  '{"event":"x","time":"2024-05-09T21:00:50Z","a":"unterminated}',
  '{"event":"x","time":"2024-05-09T21:00:50Z"',
  '{"event":"x","time":"2024-05-09T21:00:50Z",\u00a0"a":1}',
];

/** A small deterministic PRNG, so a failure names a case that reproduces. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['{', '}', '[', ']', '"', '\\', ':', ',', ' ', '\t', '0', '1', '-', '.', 'e', '+', 'u', 'n', 't', 'f', 'a', 'é', '\x01', 'event', 'time', 'user'];

describe('scanEventLine', () => {
  it('answers for ordinary Teleport events, with the columns parseEventLine and athenaRowOf give', () => {
    expect(expectAgreement(SESSION_START)).toBe(true);
    expect(expectAgreement('{"cert_type":"user","code":"TC000I","event":"cert.create","identity":{"user":"alice","expires":"2024-05-10T09:00:40.662729264Z"},"time":"2024-05-09T21:00:40.673Z"}')).toBe(true);
    expect(scanned('{"event":"cert.create","time":"2024-05-09T21:00:40.673Z","identity":{"user":"alice"}}')).toMatchObject({ uid: '', sid: '', user: '' });
  });

  it('takes the last of repeated top-level keys, as JSON.parse does', () => {
    expect(scanned('{"event":"x","time":"2024-05-09T21:00:50Z","user":"a","user":"b"}')?.user).toBe('b');
  });

  it('agrees with parseEventLine on every tricky line, or leaves it to parseEventLine', () => {
    const answered = TRICKY.filter((line) => expectAgreement(line));
    // The fast path must still take the well-formed ones, not give up on everything.
    expect(answered.length).toBeGreaterThanOrEqual(10);
    for (const line of TRICKY) if (!parseEventLine(line).ok) expect(scanned(line), line).toBeUndefined();
  });

  it('agrees with parseEventLine on 20,000 random edits of tricky lines', () => {
    const random = mulberry32(13);
    let answered = 0;
    for (let n = 0; n < 20_000; n++) {
      let line = TRICKY[Math.floor(random() * TRICKY.length)]!;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (line.length + 1));
        const what = random();
        const piece = ALPHABET[Math.floor(random() * ALPHABET.length)]!;
        if (what < 0.4) line = line.slice(0, at) + line.slice(at + 1);
        else if (what < 0.7) line = line.slice(0, at) + piece + line.slice(at);
        else line = line.slice(0, at) + piece + line.slice(at + 1);
      }
      // Lines are read as UTF-8: a surrogate pair cut in half cannot occur.
      if (Buffer.from(line).toString() !== line) continue;
      if (expectAgreement(line)) answered++;
    }
    expect(answered).toBeGreaterThan(200);
  });

  it('stops at the closing brace of the event, never past a line break', () => {
    const bytes = Buffer.from('{"event":"x","time":"2024-05-09T21:00:50Z"}\r\n{"event":"y","time":"2024-05-09T21:00:50Z"}\n');
    expect(scanEventLine(bytes, 0, bytes.length)?.end).toBe(bytes.indexOf('\r'));
    expect(scanEventLine(Buffer.from('{"event":"x","a":"b\n","time":"2024-05-09T21:00:50Z"}'), 0, 60)).toBeUndefined();
  });
});
