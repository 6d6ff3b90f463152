import { CorruptObject } from './errors';

/** An object's body as UTF-8 text (both stores' getText). */
export function decodeText(body: Uint8Array): string {
  return new TextDecoder().decode(body);
}

/** An object's body as JSON; CorruptObject names the key when it is not (both stores' getJson). */
export function decodeJson<T>(key: string, body: Uint8Array): T {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as T;
  } catch (e) {
    throw new CorruptObject(key, `not JSON (${(e as Error).message})`);
  }
}
