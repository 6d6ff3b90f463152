import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

/** An error as an AWS JSON 1.1 service sends it: HTTP status, `__type` and fields such as Message and AthenaErrorCode. */
export class AwsJsonError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Athena's InvalidRequestException (400), with its AthenaErrorCode. */
export const invalidRequest = (message: string, athenaErrorCode = 'INVALID_INPUT'): AwsJsonError =>
  new AwsJsonError(400, 'InvalidRequestException', message, { AthenaErrorCode: athenaErrorCode });

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The access key a SigV4-signed request was signed with (`Credential=AKID/date/region/service/aws4_request`). */
export function signingAccessKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  return auth ? /Credential=([^/,\s]+)\//.exec(auth)?.[1] : undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

export function sendJsonError(res: ServerResponse, error: AwsJsonError): void {
  // Athena spells it `Message`; the SDK reads either spelling.
  sendJson(res, error.status, { __type: error.type, Message: error.message, ...error.fields });
}

export function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': randomUUID() });
  res.end(xml);
}

export const escapeXml = (s: string): string => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
