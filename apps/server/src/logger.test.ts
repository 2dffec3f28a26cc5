import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.js';

describe('redactUrl', () => {
  it('removes the code and state from a callback URL and keeps the rest', () => {
    const out = redactUrl('/auth/callback?code=AQD-secret-code&state=s7ate&error=x');
    expect(out).not.toContain('AQD-secret-code');
    expect(out).not.toContain('s7ate');
    expect(out).toContain('error=x');
    expect(out.startsWith('/auth/callback?')).toBe(true);
  });

  it('leaves URLs without a query alone', () => {
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});
