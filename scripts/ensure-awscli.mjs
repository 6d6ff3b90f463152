// The AWS CLI v2 from Debian's `awscli` package, installed with apt-get when missing (like
// scripts/e2e.mjs does for Chromium). Prints its path; athena-local's CLI test runs it first.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Debian's aws, never another one on PATH (pyenv's or pip's v1 CLI speaks differently). */
export const AWS_CLI = '/usr/bin/aws';

export function ensureAwsCli() {
  if (!existsSync(AWS_CLI)) {
    console.error(`${AWS_CLI} is missing: installing Debian's awscli with apt-get …`);
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    execSync(`${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq --no-install-recommends awscli`, { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return AWS_CLI;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(ensureAwsCli());
