import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../app-config.js';

export const PUBLIC_URL = 'http://127.0.0.1:8888';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    publicUrl: PUBLIC_URL,
    clientId: 'test-client-id',
    clientSecret: `secret-${randomBytes(16).toString('hex')}`,
    sessionKeys: [randomBytes(32)],
    accountsUrl: 'http://127.0.0.1:9/accounts',
    apiUrl: 'http://127.0.0.1:9/v1',
    featuresUrl: 'http://127.0.0.1:9/reccobeats/v1',
    webBuildDir: '/nonexistent-mtm-build',
    demo: false,
    imageOrigins: ['https://i.scdn.co'],
    rateLimit: { authPerMinute: 30, tokenPerMinute: 120 },
    trustProxy: 0,
    ...overrides,
  };
}

/** Collects what the logger writes, one parsed object per line. */
export function logCapture() {
  const lines: string[] = [];
  return {
    lines,
    stream: { write: (line: string) => void lines.push(line) },
  };
}
