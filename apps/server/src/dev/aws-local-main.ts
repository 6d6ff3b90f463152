import { CliError } from '../cli/cli-error';
import { AWS_LOCAL_USAGE, awsLocalCommand } from './aws-local-command';

const argv = process.argv.slice(2);
if (argv[0] === '--help' || argv[0] === '-h') {
  process.stdout.write(`usage: ${AWS_LOCAL_USAGE}\n`);
} else {
  try {
    await awsLocalCommand(argv);
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : 1;
    process.stderr.write(`access-monitor-aws-local: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = code;
  }
}
