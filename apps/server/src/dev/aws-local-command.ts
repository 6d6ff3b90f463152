import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { startAwsLocal, type AwsLocal } from '@access-monitor/athena-local';
import { CliError } from '../cli/cli-error';
import { ensureDemoData } from '../cli/demo-command';
import { parsePort, serveAndWait, withServerFlags } from '../cli/serve-command';
import { loadConfigFile } from '../config/load-config';
import { ensureDemoUsers } from '../identity/users-file';

export const AWS_LOCAL_USAGE =
  'access-monitor-aws-local (--data DIR | --demo [--dir .access-monitor/aws-local]) [--write-config FILE] [--serve [--host 127.0.0.1] [--port 8080]]';

/**
 * The production path on one machine: an S3 peer and the Athena/STS peer on loopback, DIR's
 * Parquet uploaded in Teleport's layout, and a config whose athena:// and s3:// point at them.
 * Runs until stopped (the peers keep their data in memory). With --serve the dashboard is served
 * in Athena mode from the same process; otherwise `access-monitor serve|query|report --config FILE`
 * use the written config from another shell.
 */
export async function awsLocalCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      demo: { type: 'boolean', default: false },
      dir: { type: 'string', default: '.access-monitor/aws-local' },
      'write-config': { type: 'string' },
      serve: { type: 'boolean', default: false },
      host: { type: 'string' },
      port: { type: 'string' },
    },
  });
  if (!values.data === !values.demo) throw new CliError(`give either --data DIR or --demo\nusage: ${AWS_LOCAL_USAGE}`, 2);
  const port = parsePort(values.port ?? process.env.PORT);
  const root = path.resolve(values.dir);
  let dataDir: string;
  if (values.demo) {
    dataDir = path.join(root, 'events');
    await ensureDemoData(root, dataDir);
  } else {
    dataDir = path.resolve(values.data!);
    if (!existsSync(dataDir)) throw new CliError(`--data ${dataDir} does not exist`, 2);
  }
  const configFile = path.resolve(values['write-config'] ?? path.join(root, 'access-monitor.yaml'));
  await mkdir(path.dirname(configFile), { recursive: true });

  console.log(`starting the S3 and Athena peers and uploading ${dataDir} …`);
  const aws = await startAwsLocal({ dataDir });
  try {
    await writeFile(configFile, awsLocalConfigYaml(aws));
    console.log(
      `S3 ${aws.endpoints.s3}, Athena and STS ${aws.endpoints.athena}; ${aws.uploadedFiles} Parquet files uploaded to s3://${aws.buckets.longTerm}/events\nwrote ${configFile}`,
    );
    // For any Athena client (the AWS CLI session in packages/athena-local/README.md): loopback test keys, never real ones.
    console.log(
      `any Athena client: AWS_ACCESS_KEY_ID=${aws.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${aws.credentials.secretAccessKey} AWS_REGION=${aws.region}, ` +
        `assume ${aws.roleArn}, table ${aws.database}.${aws.table}, workgroup ${aws.workgroup}, results s3://${aws.buckets.transient}/results/`,
    );
    if (values.serve) {
      const usersFile = path.join(path.dirname(configFile), 'users.yaml');
      for (const u of await ensureDemoUsers(usersFile)) console.log(`  ${u.name.padEnd(14)} password ${u.password}   roles: ${u.roles.join(', ') || '(none)'}`);
      await serveAndWait(withServerFlags(await loadConfigFile(configFile), values.host, port));
    } else {
      console.log(`try: npx access-monitor query --config ${configFile} --days 7 "SELECT count(*) AS sessions FROM session_start"\nCtrl+C stops the peers.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
  } finally {
    await aws.stop();
  }
}

/** A complete config for the peers: Teleport's keys, the endpoints overridden, path-style S3. */
export function awsLocalConfigYaml(aws: AwsLocal): string {
  const config = {
    access_monitoring: { enabled: true, role_arn: aws.roleArn, report_results: aws.reportResults, workgroup: aws.workgroup },
    audit_events_uri: aws.auditEventsUri,
    aws: {
      region: aws.region,
      endpoints: aws.endpoints,
      s3_force_path_style: true,
      // The peers' own test identity, which assumes role_arn; never real AWS keys.
      static_credentials: { access_key_id: aws.credentials.accessKeyId, secret_access_key: aws.credentials.secretAccessKey },
    },
    auth: { mode: 'local', local: { users_file: './users.yaml' } },
  };
  return `# Written by \`access-monitor aws-local\`: valid only while it runs (the peers listen on these ports).\n${stringify(config)}`;
}
