import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeXml, sendXml } from './aws-wire';

export interface RoleConfig {
  /** Whether the caller may assume the role. Default true. */
  allow?: boolean;
  /** Lifetime of the credentials issued, in seconds, whatever DurationSeconds asks. Default: DurationSeconds, else 3600. */
  lifetimeSeconds?: number;
}

export interface IssuedCredentials {
  accessKeyId: string;
  roleArn: string;
  sessionName: string;
  expiresAt: Date;
  /** Revoked by `expireIssued()` before its time. */
  revoked: boolean;
}

export type CredentialCheck = { ok: true; issued: IssuedCredentials } | { ok: false; type: 'ExpiredTokenException' | 'UnrecognizedClientException'; message: string };

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/([\w+=,.@/-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * STS's AssumeRole, as the Query protocol speaks it (form-encoded `Action=AssumeRole`, XML answers
 * and errors), with allow/deny per role ARN. It remembers the keys it issued so the Athena peer can
 * insist that calls carry them.
 */
export class StsPeer {
  readonly issued: IssuedCredentials[] = [];
  private readonly byKey = new Map<string, IssuedCredentials>();

  constructor(
    private readonly roles: Map<string, RoleConfig>,
    /** Told about every key pair issued, so other peers (S3) can accept it too. */
    private readonly onIssue?: (accessKeyId: string, secretAccessKey: string) => void,
  ) {}

  setRole(roleArn: string, config: RoleConfig): void {
    this.roles.set(roleArn, config);
  }

  /** Every key issued so far reads as expired from now on: clients must assume the role again. */
  expireIssued(): void {
    for (const c of this.issued) c.revoked = true;
  }

  check(accessKeyId: string | undefined): CredentialCheck {
    const issued = accessKeyId ? this.byKey.get(accessKeyId) : undefined;
    if (!issued) return { ok: false, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
    if (issued.revoked || issued.expiresAt.getTime() <= Date.now()) return { ok: false, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };
    return { ok: true, issued };
  }

  /** Answers one STS request; returns the error code it answered with, if any. */
  handle(form: URLSearchParams, callerKey: string | undefined, res: ServerResponse): string | undefined {
    const action = form.get('Action');
    if (action !== 'AssumeRole') return this.error(res, 400, 'InvalidAction', `Could not find operation ${action ?? ''} for version ${form.get('Version') ?? ''}`);
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const role = ROLE_ARN.exec(roleArn);
    if (!role) return this.error(res, 400, 'ValidationError', `${JSON.stringify(roleArn)} is invalid: value at 'roleArn' failed to satisfy constraint`);
    if (!SESSION_NAME.test(sessionName)) return this.error(res, 400, 'ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    const config = this.roles.get(roleArn);
    if (!config || config.allow === false) {
      const caller = `arn:aws:iam::000000000000:user/${callerKey ?? 'anonymous'}`;
      return this.error(res, 403, 'AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    const duration = Number(form.get('DurationSeconds') ?? 3600);
    const lifetime = config.lifetimeSeconds ?? (Number.isFinite(duration) ? duration : 3600);
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const issued: IssuedCredentials = { accessKeyId, roleArn, sessionName, expiresAt: new Date(Date.now() + lifetime * 1000), revoked: false };
    this.issued.push(issued);
    this.byKey.set(accessKeyId, issued);
    const secretAccessKey = randomBytes(30).toString('base64');
    this.onIssue?.(accessKeyId, secretAccessKey);
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    sendXml(
      res,
      200,
      `<AssumeRoleResponse xmlns="${STS_NS}">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>${roleId}:${escapeXml(sessionName)}</AssumedRoleId>
      <Arn>arn:aws:sts::${role[1]}:assumed-role/${escapeXml(role[2]!)}/${escapeXml(sessionName)}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${escapeXml(secretAccessKey)}</SecretAccessKey>
      <SessionToken>${randomBytes(96).toString('base64')}</SessionToken>
      <Expiration>${issued.expiresAt.toISOString()}</Expiration>
    </Credentials>
    <PackedPolicySize>0</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
`,
    );
    return undefined;
  }

  private error(res: ServerResponse, status: number, code: string, message: string): string {
    sendXml(
      res,
      status,
      `<ErrorResponse xmlns="${STS_NS}">
  <Error>
    <Type>Sender</Type>
    <Code>${escapeXml(code)}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`,
    );
    return code;
  }
}
