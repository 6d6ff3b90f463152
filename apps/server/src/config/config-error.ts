/** A config that cannot be used. The message names the file, line and key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
