import { BadRequestException, HttpException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, RawServerDefault } from 'fastify';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PassThrough, type Transform } from 'node:stream';

/**
 * Request bodies are read as the Express server read them (body-parser's defaults), so clients
 * see the same answers: JSON and form bodies are parsed, any other body is ignored (the
 * validation pipe then names the missing fields), and compressed JSON and form bodies are
 * inflated. Fastify's defaults differ on each point (415 for other content types, 400 for an
 * empty JSON body, top-level strings and numbers accepted, no Content-Encoding).
 */
export function readBodiesAsBefore(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Prototype keys are dropped, never merged: Express kept them as plain own properties, which
  // the validation pipe then ignored, so the request is answered as before.
  const parse = fastify.getDefaultJsonParser('remove', 'remove');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, raw, done) => {
    let text: string;
    try {
      text = decode(raw, request.headers['content-type']);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    // An empty JSON body is an empty object, a common client-side slip body-parser let through.
    if (text.length === 0) return done(null, {});
    const strictError = topLevelError(text);
    if (strictError) return done(new BadRequestException(strictError), undefined);
    parse(request, text, (err, body) => {
      if (!err) return done(null, body);
      // Fastify's parser hides JSON.parse's message, which the Express server answered with.
      try {
        JSON.parse(text);
        done(new BadRequestException(err.message), undefined);
      } catch (syntax) {
        done(new BadRequestException((syntax as Error).message), undefined);
      }
    });
  });
  // Express parsed no other content type: the body stays undefined and the stream is drained.
  fastify.addContentTypeParser(['text/plain', '*'], (_request, payload, done) => {
    payload.resume();
    done(null, undefined);
  });
  inflateCompressedBodies(fastify);
}

/** The body in the charset its Content-Type names; JSON must be UTF-8, -16 or -32 (RFC 7159). */
function decode(raw: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  const unsupported = () => new HttpException(`unsupported charset "${charset.toUpperCase()}"`, 415);
  if (!charset.startsWith('utf-')) throw unsupported();
  try {
    // TextDecoder drops a byte-order mark, as body-parser's iconv did.
    return new TextDecoder(charset).decode(raw);
  } catch {
    throw unsupported();
  }
}

/**
 * body-parser's strict mode: only an object or an array at the top, with the message JSON.parse
 * gives for the first offending characters (`Unexpected token '"', ""s6"" is not valid JSON`).
 */
function topLevelError(text: string): string | undefined {
  const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/.exec(text)?.[1] || undefined;
  if (first === '{' || first === '[') return undefined;
  const index = first === undefined ? -1 : text.indexOf(first);
  const partial = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(partial);
    return 'strict violation';
  } catch (err) {
    return (err as Error).message.replace(/#+/g, (hashes) => text.substring(index, index + hashes.length));
  }
}

const INFLATED_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded']);

function decompressor(encoding: string): Transform | undefined {
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}

/** Compressed JSON and form bodies, inflated before parsing; the body limit applies to the inflated size. */
function inflateCompressedBodies(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (encoding === 'identity' || !INFLATED_TYPES.has(mediaType)) return done(null, payload);
    const inflate = decompressor(encoding);
    if (!inflate) return done(new HttpException(`unsupported content encoding "${encoding}"`, 415));
    // Fastify checks Content-Length against the bytes received, which only the source sees.
    const inflated = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
    payload.on('data', (chunk: Buffer) => (inflated.receivedEncodedLength += chunk.length));
    // A corrupt stream is the client's fault: 400 with zlib's message, as body-parser answered.
    inflate.on('error', (err) => inflated.destroy(new HttpException(err.message, 400)));
    done(null, payload.pipe(inflate).pipe(inflated));
  });
}
