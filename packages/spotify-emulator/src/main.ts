// Standalone emulator: `pnpm --filter @mtm/spotify-emulator start`.
import { createEmulator } from './emulator.js';

const port = Number(process.env.PORT ?? 8889);
const host = process.env.HOST ?? '127.0.0.1';
const clientId = process.env.EMULATOR_CLIENT_ID ?? 'mtm-emulator-client';
const clientSecret = process.env.EMULATOR_CLIENT_SECRET ?? 'mtm-emulator-secret';
const redirectUri = process.env.EMULATOR_REDIRECT_URI ?? 'http://127.0.0.1:8888/auth/callback';
const start = process.env.EMULATOR_START ? Date.parse(process.env.EMULATOR_START) : undefined;
if (start !== undefined && !Number.isFinite(start)) {
  console.error('EMULATOR_START must be an ISO date');
  process.exit(1);
}

const emulator = await createEmulator({
  seed: process.env.EMULATOR_SEED ? Number(process.env.EMULATOR_SEED) : undefined,
  startTime: start,
  controls: process.env.EMULATOR_CONTROLS !== '0',
  featuresMode: process.env.EMULATOR_FEATURES_MODE === 'extended' ? 'extended' : 'development',
  clients: [{ clientId, clientSecret, redirectUris: [redirectUri] }],
  logger: process.env.EMULATOR_LOG === '1',
});
const url = await emulator.listen({ host, port });
// The secret is the operator's own default or env value; only the id is printed.
console.log(`Spotify emulator listening on ${url}`);
console.log(`  accounts: ${url}/accounts   web api: ${url}/v1   features: ${url}/reccobeats/v1`);
console.log(`  client id: ${clientId}   redirect URI: ${redirectUri}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
