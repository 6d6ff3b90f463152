import { parseRfc3339MillisOfBytes } from './rfc3339';

/** What an import stores of an event besides its JSON: the top-level fields of Athena's columns. */
export interface EventLineFields {
  event: string;
  timeMs: number;
  /** The top-level string, or "" when absent. */
  uid: string;
  sid: string;
  user: string;
  /** Index after the event's closing brace: the line is the event only if it ends there. */
  end: number;
}

/** Longer lines go the slow way: the scan is for the common case, and JSON.parse has its own limits on huge text. */
const MAX_SCANNED_BYTES = 16 * 1024 * 1024;

/**
 * The fields of the event JSON starting at `start` in `bytes` (valid UTF-8 up to `limit`), found by
 * checking it byte by byte without decoding or building it: JSON.parse of every line was most of an
 * import's time. The scan stops at the event's closing brace (`end` in the answer), or fails at the first
 * control character, so it never runs past a line break: the caller checks that the line ends there.
 * Answers only when sure to agree with parseEventLine and athenaRowOf on that line; `undefined` (invalid
 * JSON, any control character or blank other than a space, a top-level key or a wanted value with an
 * escape, a wanted field that is not a string, an empty event, a bad time, nesting deeper than 64, a
 * huge event) sends the line to parseEventLine for the answer and its exact message. An answered event
 * holds no control character, so no line break and no \x01 either.
 */
export function scanEventLine(bytes: Buffer, start: number, limit: number): EventLineFields | undefined {
  if (bytes[start] !== OPEN_BRACE) return undefined;
  const end = Math.min(limit, start + MAX_SCANNED_BYTES);
  // Top-level duplicate keys: the last one wins, as with JSON.parse.
  let eventAt = -1;
  let eventEnd = -1;
  let timeAt = -1;
  let timeEnd = -1;
  let uidAt = -1;
  let uidEnd = -1;
  let sidAt = -1;
  let sidEnd = -1;
  let userAt = -1;
  let userEnd = -1;
  let i = skipSpaces(bytes, start + 1, end);
  if (bytes[i] === CLOSE_BRACE) return undefined; // {} has no event
  for (;;) {
    if (i >= end || bytes[i] !== QUOTE) return undefined;
    const keyAt = i + 1;
    i = skipString(bytes, i, end);
    if (i < 0 || escaped) return undefined;
    const key = wantedKey(bytes, keyAt, i - 1);
    i = skipSpaces(bytes, i, end);
    if (i >= end || bytes[i] !== COLON) return undefined;
    i = skipSpaces(bytes, i + 1, end);
    if (key !== OTHER) {
      if (i >= end || bytes[i] !== QUOTE) return undefined;
      const valueAt = i + 1;
      i = skipString(bytes, i, end);
      if (i < 0 || escaped) return undefined;
      if (key === EVENT) {
        eventAt = valueAt;
        eventEnd = i - 1;
      }
      else if (key === TIME) {
        timeAt = valueAt;
        timeEnd = i - 1;
      }
      else if (key === UID) {
        uidAt = valueAt;
        uidEnd = i - 1;
      }
      else if (key === SID) {
        sidAt = valueAt;
        sidEnd = i - 1;
      }
      else {
        userAt = valueAt;
        userEnd = i - 1;
      }
    } else {
      i = bytes[i] === QUOTE ? skipString(bytes, i, end) : skipValue(bytes, i, end);
      if (i < 0) return undefined;
    }
    i = skipSpaces(bytes, i, end);
    if (i >= end) return undefined;
    const c = bytes[i];
    if (c === COMMA) {
      i = skipSpaces(bytes, i + 1, end);
      continue;
    }
    if (c !== CLOSE_BRACE) return undefined;
    i++;
    break;
  }
  if (eventAt < 0 || eventAt === eventEnd || timeAt < 0) return undefined;
  const timeMs = parseRfc3339MillisOfBytes(bytes, timeAt, timeEnd);
  if (timeMs === undefined) return undefined;
  return {
    event: EVENT_TYPES.stringOf(bytes, eventAt, eventEnd),
    timeMs,
    uid: uidAt < 0 ? '' : bytes.toString('utf8', uidAt, uidEnd),
    sid: sidAt < 0 ? '' : bytes.toString('utf8', sidAt, sidEnd),
    user: userAt < 0 ? '' : USERS.stringOf(bytes, userAt, userEnd),
    end: i,
  };
}

/**
 * Strings of a few recurring values (event types, user names) by their bytes: decoding costs a native call
 * per value, a look-up here a short loop. Entries are checked byte for byte, so a hash collision costs only
 * a decode.
 */
class RecurringStrings {
  private readonly slots: Array<{ bytes: Buffer; text: string } | undefined> = new Array<undefined>(SLOTS);

  stringOf(bytes: Buffer, from: number, end: number): string {
    if (end - from > 64) return bytes.toString('utf8', from, end);
    let hash = 0x811c9dc5;
    for (let i = from; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    const slot = (hash >>> 0) % SLOTS;
    const known = this.slots[slot];
    if (known !== undefined && known.bytes.length === end - from) {
      let same = true;
      for (let i = 0; i < known.bytes.length; i++) {
        if (known.bytes[i] !== bytes[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return known.text;
    }
    const text = bytes.toString('utf8', from, end);
    this.slots[slot] = { bytes: Buffer.from(bytes.subarray(from, end)), text };
    return text;
  }
}

const SLOTS = 4096;
const EVENT_TYPES = new RecurringStrings();
const USERS = new RecurringStrings();

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const SPACE = 0x20;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DEPTH = 64;

const OTHER = 0;
const EVENT = 1;
const TIME = 2;
const UID = 3;
const SID = 4;
const USER = 5;

/** Which wanted top-level key the (escape-free) bytes `from`..`end` spell. */
function wantedKey(b: Buffer, from: number, end: number): number {
  switch (end - from) {
    case 3:
      if (b[from + 1] !== 0x69 /* i */ || b[from + 2] !== 0x64 /* d */) return OTHER;
      return b[from] === 0x75 /* u */ ? UID : b[from] === 0x73 /* s */ ? SID : OTHER;
    case 4:
      if (b[from] === 0x74 && b[from + 1] === 0x69 && b[from + 2] === 0x6d && b[from + 3] === 0x65) return TIME; // time
      if (b[from] === 0x75 && b[from + 1] === 0x73 && b[from + 2] === 0x65 && b[from + 3] === 0x72) return USER; // user
      return OTHER;
    case 5:
      // event
      return b[from] === 0x65 && b[from + 1] === 0x76 && b[from + 2] === 0x65 && b[from + 3] === 0x6e && b[from + 4] === 0x74 ? EVENT : OTHER;
    default:
      return OTHER;
  }
}

const STRING_STOPS = new Uint8Array(256);
for (let c = 0; c < SPACE; c++) STRING_STOPS[c] = 1;
STRING_STOPS[QUOTE] = 1;
STRING_STOPS[BACKSLASH] = 1;

/** Set by skipString: whether the string it skipped holds an escape. */
let escaped = false;

/** The index after the string whose opening quote is at `i`, or -1 (a raw control character, a bad escape, no end). */
function skipString(b: Buffer, i: number, end: number): number {
  escaped = false;
  for (i++; i < end; ) {
    // One look-up per byte for the bytes that end a plain run: the quote, a backslash, a control character.
    while (STRING_STOPS[b[i]!] === 0) i++;
    if (i >= end) return -1;
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c < SPACE) return -1;
    escaped = true;
    const e = b[i + 1];
    if (e === 0x75 /* u */) {
      if (i + 6 > end) return -1;
      for (let k = i + 2; k < i + 6; k++) if (!isHex(b[k]!)) return -1;
      i += 6;
    } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      i += 2;
    } else return -1;
  }
  return -1;
}

/** Only the space: the other JSON blanks are control characters, which send a line the slow way. */
function skipSpaces(b: Buffer, i: number, end: number): number {
  while (i < end && b[i] === SPACE) i++;
  return i;
}

/** The index after the JSON value at `i`, or -1 when there is none before `end` (or it nests too deep to bother). */
function skipValue(b: Buffer, i: number, end: number): number {
  const first = b[i];
  if (first === QUOTE) return skipString(b, i, end);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return skipScalar(b, i, end);
  // Whether each open container is an object; kept here so that nesting costs no call stack.
  const objects: boolean[] = [];
  for (;;) {
    if (i >= end) return -1;
    const c = b[i]!;
    if (c === QUOTE) i = skipString(b, i, end);
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (objects.length === MAX_DEPTH) return -1;
      const isObject = c === OPEN_BRACE;
      i = skipSpaces(b, i + 1, end);
      if (b[i] === (isObject ? CLOSE_BRACE : CLOSE_BRACKET) && i < end) i++;
      else {
        objects.push(isObject);
        if (isObject) {
          i = memberValueStart(b, i, end);
          if (i < 0) return -1;
        }
        continue;
      }
    } else i = skipScalar(b, i, end);
    if (i < 0) return -1;
    // After a value: close containers, or move on to the next element or member.
    for (;;) {
      if (objects.length === 0) return i;
      i = skipSpaces(b, i, end);
      if (i >= end) return -1;
      const d = b[i];
      const inObject = objects[objects.length - 1]!;
      if (d === COMMA) {
        i = skipSpaces(b, i + 1, end);
        if (inObject) {
          i = memberValueStart(b, i, end);
          if (i < 0) return -1;
        }
        break;
      }
      if (d !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return -1;
      objects.pop();
      i++;
    }
  }
}

/** The index after the number, true, false or null at `i`, or -1. */
function skipScalar(b: Buffer, i: number, end: number): number {
  const c = b[i];
  if (c === MINUS || (c! >= ZERO && c! <= NINE)) return skipNumber(b, i, end);
  if (c === 0x74) return matches(b, i, end, TRUE) ? i + 4 : -1;
  if (c === 0x66) return matches(b, i, end, FALSE) ? i + 5 : -1;
  if (c === 0x6e) return matches(b, i, end, NULL) ? i + 4 : -1;
  return -1;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function matches(b: Buffer, i: number, end: number, word: number[]): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return false;
  return true;
}

/** Past `"key" :` to the start of the member's value, or -1. */
function memberValueStart(b: Buffer, i: number, end: number): number {
  if (i >= end || b[i] !== QUOTE) return -1;
  i = skipString(b, i, end);
  if (i < 0) return -1;
  i = skipSpaces(b, i, end);
  if (i >= end || b[i] !== COLON) return -1;
  return skipSpaces(b, i + 1, end);
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** The index after the number at `i`, or -1 (JSON's grammar: no leading zeros, no bare dot, no plus). */
function skipNumber(b: Buffer, i: number, end: number): number {
  if (b[i] === MINUS) i++;
  if (i >= end) return -1;
  const first = b[i]!;
  if (first === ZERO) i++;
  else if (first > ZERO && first <= NINE) i = skipDigits(b, i + 1, end);
  else return -1;
  if (i < end && b[i] === 0x2e /* . */) {
    if (!isDigitAt(b, i + 1, end)) return -1;
    i = skipDigits(b, i + 1, end);
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45) /* e E */) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === MINUS)) i++;
    if (!isDigitAt(b, i, end)) return -1;
    i = skipDigits(b, i, end);
  }
  return i;
}

function isDigitAt(b: Buffer, i: number, end: number): boolean {
  return i < end && b[i]! >= ZERO && b[i]! <= NINE;
}

function skipDigits(b: Buffer, i: number, end: number): number {
  while (isDigitAt(b, i, end)) i++;
  return i;
}
