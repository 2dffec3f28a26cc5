// Validation against the vendored OpenAPI description (openapi/openapi.yml,
// 3.0.3) with openapi-backend, for the emulator's contract tests and for the
// client's tests (`@mtm/spotify-emulator/contract`). Kept out of the main
// entry so openapi-backend never reaches the server or the browser.
//
// openapi.yml still documents some pre-2026 shapes and is loose where Spotify
// is strict. API-NOTES.md is newer, so these overrides are applied on load:
// 1. Removed fields must be ABSENT: track popularity/available_markets/
//    linked_from, artist popularity/followers, album popularity/label, user
//    country/email/product/followers.
// 2. Playlists: `tracks` became `items` and `items[].track` became
//    `items[].item`; the old names must be absent and the new ones present.
// 3. Nullable where Spotify sends null: cursor paging `next` and `cursors`,
//    play-history `context`, playlist item `item` (unavailable track),
//    simplified playlist `description`, user `display_name`, entries of
//    `audio_features` (unknown ids).
// 4. Additions not in openapi.yml, as operations under `/_contract/...`:
//    the ReccoBeats answer (`reccobeats-get-audio-features`) and the token
//    endpoint answer (`accounts-token`), both from API-NOTES.md.
// Only the paths the app uses are compiled: all ~90 take ~10 s.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Document, OpenAPIBackend } from 'openapi-backend';
import { parse } from 'yaml';

export const SPEC_PATH = fileURLToPath(new URL('../openapi/openapi.yml', import.meta.url));

export const USED_PATHS: readonly string[] = [
  '/me',
  '/me/top/tracks',
  '/me/top/artists',
  '/me/player/recently-played',
  '/tracks/{id}',
  '/artists/{id}',
  '/me/playlists',
  '/playlists/{playlist_id}',
  '/playlists/{playlist_id}/items',
  '/audio-features',
  '/audio-features/{id}',
];

// Deprecated in openapi.yml yet called on purpose: extended-quota apps still
// get audio features from Spotify (API-NOTES), and the client falls back when not.
const DEPRECATED_ON_PURPOSE = new Set(['get-several-audio-features', 'get-audio-features']);

export interface ContractResult {
  valid: boolean;
  errors: string[];
}

export interface ContractRequest {
  method: string;
  /** Path under the Web API base, e.g. `/me/top/tracks`. */
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ContractValidator {
  /** Validates a response body for an operation id and status (e.g. 'get-users-top-tracks', 200). */
  validateResponse(operationId: string, status: number, body: unknown): ContractResult;
  /** Validates a request; `operationId` is null when no used path matches. */
  validateRequest(req: ContractRequest): ContractResult & { operationId: string | null };
  /** Throws with the validator's errors when the response is invalid. */
  assertResponse(operationId: string, status: number, body: unknown): void;
}

type Schema = Record<string, unknown>;

const forbid = (...fields: string[]): Schema => ({
  not: { anyOf: fields.map((f) => ({ required: [f] })) },
});

/** Nullable `$ref`/`allOf`/`oneOf` schemas: `nullable` alone does not reach inside them in ajv. */
const orNull = (schema: Schema): Schema => ({
  anyOf: [schema, { type: 'object', nullable: true, maxProperties: 0 }],
});

function withAllOf(schema: Schema, extra: Schema): Schema {
  return { allOf: [schema, extra] };
}

function override(definition: {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, Schema> };
}) {
  const s = definition.components.schemas;
  const get = (name: string) => {
    const v = s[name];
    if (!v) throw new Error(`contract: schema ${name} missing from openapi.yml`);
    return v;
  };
  const props = (name: string) => get(name).properties as Record<string, Schema>;

  // Property edits first, while the schemas are still plain objects.
  props('PrivateUserObject').display_name = { type: 'string', nullable: true };
  props('PlaylistTrackObject').item = orNull(props('PlaylistTrackObject').item as Schema);
  props('SimplifiedPlaylistObject').description = { type: 'string', nullable: true };
  props('CursorPagingObject').next = { type: 'string', nullable: true };
  props('CursorPagingObject').cursors = orNull(props('CursorPagingObject').cursors as Schema);
  props('PlayHistoryObject').context = orNull(props('PlayHistoryObject').context as Schema);

  s.TrackObject = withAllOf(
    get('TrackObject'),
    forbid('popularity', 'available_markets', 'linked_from'),
  );
  s.ArtistObject = withAllOf(get('ArtistObject'), forbid('popularity', 'followers'));
  s.AlbumBase = withAllOf(get('AlbumBase'), forbid('popularity', 'label'));
  s.PrivateUserObject = withAllOf(get('PrivateUserObject'), {
    ...forbid('country', 'email', 'product', 'followers'),
    required: ['id'],
  });
  s.PlaylistTrackObject = withAllOf(get('PlaylistTrackObject'), {
    ...forbid('track'),
    required: ['item'],
  });
  s.PlaylistObject = withAllOf(get('PlaylistObject'), { ...forbid('tracks'), required: ['items'] });
  s.SimplifiedPlaylistObject = withAllOf(get('SimplifiedPlaylistObject'), {
    ...forbid('tracks'),
    required: ['items'],
  });

  const responses = (
    definition as unknown as {
      components: { responses: Record<string, { content: Record<string, { schema: Schema }> }> };
    }
  ).components.responses;
  const manyFeatures = responses.ManyAudioFeatures?.content['application/json']?.schema;
  if (manyFeatures) {
    const items = (manyFeatures.properties as Record<string, Schema>).audio_features as Schema;
    items.items = orNull(items.items as Schema);
  }

  s.ReccoBeatsAudioFeature = {
    type: 'object',
    required: [
      'id',
      'href',
      'acousticness',
      'danceability',
      'energy',
      'instrumentalness',
      'key',
      'liveness',
      'loudness',
      'mode',
      'speechiness',
      'tempo',
      'valence',
    ],
    properties: {
      id: {
        type: 'string',
        pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
      },
      // ReccoBeats' wire format as API-NOTES.md gives it, spelled out here on
      // purpose rather than taken from @mtm/core's isSpotifyId: a contract
      // checks the other side independently of the code under test.
      href: { type: 'string', pattern: '^https://open\\.spotify\\.com/track/[0-9A-Za-z]{22}$' },
      isrc: { type: 'string', nullable: true },
      acousticness: { type: 'number', minimum: 0, maximum: 1 },
      danceability: { type: 'number', minimum: 0, maximum: 1 },
      energy: { type: 'number', minimum: 0, maximum: 1 },
      instrumentalness: { type: 'number', minimum: 0, maximum: 1 },
      key: { type: 'integer', minimum: -1, maximum: 11 },
      liveness: { type: 'number', minimum: 0, maximum: 1 },
      loudness: { type: 'number' },
      mode: { type: 'integer', minimum: 0, maximum: 1 },
      speechiness: { type: 'number', minimum: 0, maximum: 1 },
      tempo: { type: 'number', minimum: 0 },
      valence: { type: 'number', minimum: 0, maximum: 1 },
    },
  };
  const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
  definition.paths['/_contract/reccobeats/audio-features'] = {
    get: {
      operationId: 'reccobeats-get-audio-features',
      parameters: [{ name: 'ids', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'features',
          ...json({
            type: 'object',
            required: ['content'],
            properties: {
              content: {
                type: 'array',
                items: { $ref: '#/components/schemas/ReccoBeatsAudioFeature' },
              },
            },
          }),
        },
      },
    },
  };
  definition.paths['/_contract/accounts/api/token'] = {
    post: {
      operationId: 'accounts-token',
      responses: {
        '200': {
          description: 'tokens',
          ...json({
            type: 'object',
            required: ['access_token', 'token_type', 'expires_in', 'scope'],
            properties: {
              access_token: { type: 'string', minLength: 20 },
              token_type: { type: 'string', enum: ['Bearer'] },
              expires_in: { type: 'integer', minimum: 1 },
              refresh_token: { type: 'string', minLength: 20 },
              scope: { type: 'string' },
            },
          }),
        },
        '400': {
          description: 'OAuth error',
          ...json({
            type: 'object',
            required: ['error', 'error_description'],
            properties: { error: { type: 'string' }, error_description: { type: 'string' } },
          }),
        },
      },
    },
  };
}

let shared: Promise<ContractValidator> | null = null;

/** One shared validator per process (compiling the schemas takes a moment). */
export function createContractValidator(): Promise<ContractValidator> {
  shared ??= build();
  return shared;
}

async function build(): Promise<ContractValidator> {
  const definition = parse(readFileSync(SPEC_PATH, 'utf8')) as {
    paths: Record<string, unknown>;
    components: { schemas: Record<string, Schema> };
  };
  definition.paths = Object.fromEntries(
    Object.entries(definition.paths).filter(([p]) => USED_PATHS.includes(p)),
  );
  override(definition);
  const api = new OpenAPIBackend({
    definition: definition as unknown as Document,
    validate: true,
    strict: false,
    quick: false,
    ajvOpts: { logger: false },
  });
  await api.init();
  const describe = (errors: unknown[] | null | undefined) =>
    (errors ?? []).map((e) => {
      const err = e as { instancePath?: string; message?: string; params?: unknown };
      return `${err.instancePath ?? ''} ${err.message ?? ''} ${JSON.stringify(err.params ?? {})}`.trim();
    });
  const validator: ContractValidator = {
    validateResponse(operationId, status, body) {
      const op = api.getOperation(operationId);
      if (!op) return { valid: false, errors: [`unknown operation ${operationId}`] };
      const declared = Object.keys((op.responses ?? {}) as Record<string, unknown>);
      if (!declared.includes(String(status)))
        return {
          valid: false,
          errors: [
            `${operationId} does not declare status ${status} (declares ${declared.join(', ')})`,
          ],
        };
      const res = api.validateResponse(body, op, status);
      return { valid: res.valid, errors: describe(res.errors) };
    },
    validateRequest(req) {
      const request = {
        method: req.method.toLowerCase(),
        path: req.path,
        query: req.query ?? {},
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer x',
          ...(req.headers ?? {}),
        },
        body: req.body,
      };
      const op = api.matchOperation(request);
      if (!op)
        return {
          valid: false,
          errors: [`no operation for ${req.method} ${req.path}`],
          operationId: null,
        };
      const operationId = op.operationId ?? null;
      if (op.deprecated && !DEPRECATED_ON_PURPOSE.has(operationId ?? '')) {
        return {
          valid: false,
          errors: [`${operationId} is deprecated in openapi.yml`],
          operationId,
        };
      }
      // openapi.yml allows additional query parameters; a misspelt one would
      // silently be ignored by Spotify, so it is an error here.
      const known = new Set(
        ((op.parameters ?? []) as { name: string; in: string }[])
          .filter((p) => p.in === 'query')
          .map((p) => p.name),
      );
      const unknown = Object.keys(request.query).filter((k) => !known.has(k));
      if (unknown.length > 0)
        return {
          valid: false,
          errors: unknown.map((k) => `unknown query parameter ${k}`),
          operationId,
        };
      const res = api.validateRequest(request, op);
      return { valid: res.valid, errors: describe(res.errors), operationId };
    },
    assertResponse(operationId, status, body) {
      const r = validator.validateResponse(operationId, status, body);
      if (!r.valid)
        throw new Error(
          `${operationId} ${status} does not match openapi.yml: ${r.errors.join('; ')}`,
        );
    },
  };
  return validator;
}
