import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { realConfig } from './real-config.js';
import { ConfigError, type EnvConfig, loadConfig, REPO_ROOT } from './config.js';
import { type Demo, demoBanner, startDemo } from './demo.js';
import { keyId } from './seal.js';
import { describeDatabaseUrl } from './sync/postgres-store.js';
import { SQLITE_FILE } from './sync/sqlite-store.js';

function loadDotEnv(): void {
  // ENV_FILE names another file, or "none" to read only the real environment (tests do).
  const chosen = process.env.ENV_FILE;
  if (chosen === 'none') return;
  const candidates = chosen ? [chosen] : [join(process.cwd(), '.env'), join(REPO_ROOT, '.env')];
  for (const file of candidates) {
    if (existsSync(file)) {
      // real environment variables win: loadEnvFile does not overwrite them
      process.loadEnvFile(file);
      return;
    }
  }
  if (chosen) {
    console.error(`[mtm] configuration error: ENV_FILE: ${chosen} does not exist`);
    process.exit(78);
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  let env: EnvConfig;
  try {
    env = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[mtm] configuration error: ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  let demo: Demo | null = null;
  let app: FastifyInstance | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[mtm] ${signal}: shutting down`);
    // a stuck close must not keep the process alive forever
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await Promise.allSettled([app?.close(), demo?.emulator.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    demo = env.demo ? await startDemo(env) : null;
    app = await buildApp(demo ? demo.appConfig : realConfig(env));
    await app.listen({ host: env.host, port: env.port });
  } catch (err) {
    console.error(`[mtm] could not start: ${(err as Error).message}`);
    await Promise.allSettled([app?.close(), demo?.emulator.close()]);
    process.exit(1);
  }
  if (demo) console.log(demoBanner(demo, env, env.publicUrl));
  else {
    // key ids, never keys: lets an operator check which key seals and which are still accepted
    const [current, ...older] = env.sessionKeys.map(keyId);
    const keys = `session key ${current}${older.length ? `, also accepting ${older.join(', ')}` : ''}`;
    console.log(
      `[mtm] Music Time Machine at ${env.publicUrl} (Spotify client ${env.credentials?.clientId}; ${keys})`,
    );
  }
  // where the relay keeps the (encrypted) sync records; a database URL without its password
  const where =
    env.sync.databaseUrl === null
      ? `SQLite at ${join(env.sync.dataDir, SQLITE_FILE)}`
      : `PostgreSQL at ${describeDatabaseUrl(env.sync.databaseUrl)}`;
  console.log(`[mtm] sync relay: ${where}, ${env.sync.quotaBytes / 2 ** 20} MB per account`);
}

void main();
