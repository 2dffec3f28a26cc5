// Spotify's error bodies: {"error":{"status":401,"message":"The access token expired"}}.
import type { FastifyReply } from 'fastify';

export function errorBody(status: number, message: string, reason?: string) {
  return { error: reason ? { status, message, reason } : { status, message } };
}

export function apiError(reply: FastifyReply, status: number, message: string, reason?: string) {
  return reply.code(status).send(errorBody(status, message, reason));
}

export function unauthorized(reply: FastifyReply, message: string) {
  void reply.header(
    'www-authenticate',
    `Bearer realm="spotify", error="invalid_token", error_description="${message}"`,
  );
  return apiError(reply, 401, message);
}

/** What Spotify answers, on every call, to a user missing from a development-mode app's allow-list. */
export const NOT_ALLOWLISTED_MESSAGE =
  'Check settings on developer.spotify.com/dashboard, the user may not be registered.';
