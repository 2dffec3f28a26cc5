import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityHeadersOptions {
  /** the web build: its index.html's inline scripts get hashed into script-src */
  webBuildDir: string;
  /** Web API and feature-source origins the browser calls directly */
  connectOrigins: string[];
  imageOrigins: string[];
  /** the accounts service, where the login form may send the browser */
  formActionOrigins: string[];
  https: boolean;
}

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * SvelteKit's static fallback page boots the app from an inline script. Rather
 * than allowing every inline script, the exact ones in this build are hashed
 * when the server starts, so the policy follows each rebuild by itself.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT)) {
    const body = m[1] ?? '';
    if (body.trim() === '') continue;
    hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

function originsOf(urls: string[]): string[] {
  return [...new Set(urls.map((u) => new URL(u).origin))];
}

export function cspDirectives(opts: SecurityHeadersOptions, scriptHashes: string[]) {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...scriptHashes],
    // Svelte writes style attributes (transitions, style: directives); styles cannot run code
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', ...originsOf(opts.imageOrigins)],
    connectSrc: ["'self'", ...originsOf(opts.connectOrigins)],
    fontSrc: ["'self'", 'data:'],
    manifestSrc: ["'self'"],
    workerSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'", ...originsOf(opts.formActionOrigins)],
    frameAncestors: ["'none'"],
  };
}

const securityHeadersPlugin: FastifyPluginAsync<SecurityHeadersOptions> = async (app, opts) => {
  for (const k of ['connectOrigins', 'imageOrigins', 'formActionOrigins'] as const) {
    if (!Array.isArray(opts[k]))
      throw new Error(`security headers: options.${k} must be an array of URLs`);
    for (const u of opts[k]) {
      if (!URL.canParse(u))
        throw new Error(
          `security headers: options.${k} holds "${u}", which is not an absolute URL`,
        );
    }
  }
  const index = join(opts.webBuildDir, 'index.html');
  const scriptHashes = existsSync(index) ? inlineScriptHashes(readFileSync(index, 'utf8')) : [];

  await app.register(helmet, {
    contentSecurityPolicy: {
      // helmet's defaults add upgrade-insecure-requests, which would send the demo's
      // http://127.0.0.1 emulator calls to https and break them
      useDefaults: false,
      directives: cspDirectives(opts, scriptHashes),
    },
    // HSTS on a plain-http loopback origin means nothing; on https it is wanted
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    // cover art is loaded from other origins with plain <img>, which COEP would block
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
};

export default fp(securityHeadersPlugin, { name: 'mtm-security-headers', fastify: '5.x' });
