// Cover art without the internet: a deterministic SVG per id (two colours,
// a shape), so the app's mosaics look varied and stay stable across runs.
import type { FastifyInstance } from 'fastify';
import { hash32 } from './random.js';

function hsl(h: number, s: number, l: number): string {
  return `hsl(${h % 360} ${s}% ${l}%)`;
}

export function coverSvg(id: string): string {
  const h = hash32(0, id);
  const hue = h % 360;
  const bg = hsl(hue, 45 + ((h >>> 9) % 30), 22 + ((h >>> 14) % 20));
  const fg = hsl(hue + 120 + ((h >>> 4) % 120), 60 + ((h >>> 11) % 30), 55 + ((h >>> 17) % 20));
  const accent = hsl(hue + 200, 70, 70);
  const shape = (h >>> 20) % 3;
  const art =
    shape === 0
      ? `<circle cx="${200 + (h % 240)}" cy="${220 + ((h >>> 6) % 200)}" r="${120 + ((h >>> 3) % 90)}" fill="${fg}"/>`
      : shape === 1
        ? `<rect x="${80 + (h % 120)}" y="${80 + ((h >>> 5) % 120)}" width="${260 + ((h >>> 8) % 160)}" height="${260 + ((h >>> 12) % 160)}" fill="${fg}" transform="rotate(${(h >>> 7) % 45} 320 320)"/>`
        : `<path d="M0 ${400 + (h % 160)} Q320 ${120 + ((h >>> 6) % 200)} 640 ${380 + ((h >>> 9) % 200)} V640 H0Z" fill="${fg}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640"><rect width="640" height="640" fill="${bg}"/>${art}<circle cx="${100 + ((h >>> 2) % 440)}" cy="${100 + ((h >>> 13) % 440)}" r="${18 + ((h >>> 10) % 30)}" fill="${accent}" opacity="0.8"/></svg>`;
}

export async function imageRoutes(app: FastifyInstance) {
  app.get('/images/:file', { config: { operation: 'image' } }, async (request, reply) => {
    const { file } = request.params as { file: string };
    const m = /^([0-9A-Za-z]{1,64})\.svg$/.exec(file);
    if (!m) return reply.code(404).send({ error: { status: 404, message: 'Not found' } });
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(coverSvg(m[1] as string));
  });
}
