/** A configuration mistake: names the variable (or AppConfig field) and the fix; never quotes a secret. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}
