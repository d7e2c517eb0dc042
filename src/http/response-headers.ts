import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Response headers as Express set them, for bodies sent as a whole (Swagger UI's files are
 * streamed by @fastify/static, with its own ETag):
 * - a text body without a charset gets `charset=utf-8` (Swagger UI's page, script and YAML;
 *   Fastify adds it to JSON only);
 * - every body gets a weak ETag, the same value Express's `etag` package gave, and a GET or HEAD
 *   whose If-None-Match still matches it is answered 304 without a body, so a browser reopening
 *   a report revalidates it instead of downloading it again.
 */
export function sendHeadersAsBefore(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const type = reply.getHeader('content-type');
    if (typeof payload === 'string' && typeof type === 'string' && !/;\s*charset=/i.test(type)) {
      reply.header('content-type', `${type}; charset=utf-8`);
    }
    let etag = reply.getHeader('etag');
    if (etag === undefined) reply.header('etag', (etag = weakEtag(payload)));
    const ok = (reply.statusCode >= 200 && reply.statusCode < 300) || reply.statusCode === 304;
    if (!ok || (request.method !== 'GET' && request.method !== 'HEAD') || !isFresh(request, String(etag))) return done(null, payload);
    // No body, so no Content-Type or Content-Length either (a null payload keeps Fastify from
    // adding one; its HEAD handler, which runs next, needs a payload it can measure or drain).
    reply.code(304).removeHeader('content-type').removeHeader('content-length');
    done(null, request.method === 'HEAD' ? Readable.from([]) : null);
  });
}

function weakEtag(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(bytes).digest('base64').substring(0, 27);
  return `W/"${bytes.length.toString(16)}-${hash}"`;
}

/** The `fresh` package's rule, for responses without Last-Modified (every route's here). */
function isFresh(request: FastifyRequest, etag: string): boolean {
  const noneMatch = request.headers['if-none-match'];
  const modifiedSince = request.headers['if-modified-since'];
  if (!noneMatch && !modifiedSince) return false;
  if (/(?:^|,)\s*?no-cache\s*?(?:,|$)/.test(request.headers['cache-control'] ?? '')) return false;
  // If-Modified-Since can only be met with a Last-Modified date, which these responses lack.
  if (modifiedSince) return false;
  if (noneMatch === '*') return true;
  const bare = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  return noneMatch!.split(',').some((tag) => bare(tag.trim()) === bare(etag));
}
