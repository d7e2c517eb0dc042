import { HttpException } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody, type ErrorBody } from './error-body.js';

/**
 * Fastify's own rejections, worded as the Express server worded the same requests, so clients
 * that read `message` see no change. `error` is what that server put there too: "Http" for
 * errors Nest mapped to a plain HttpException, "BadRequest" for a BadRequestException.
 */
const AS_BEFORE: Readonly<Record<string, (message: string) => ErrorBody>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => errorBody(413, 'Http', 'request entity too large'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => errorBody(400, 'Http', 'request size did not match content length'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => errorBody(415, 'Http', 'unsupported media type: the Content-Type header is malformed'),
};

/** The error body for a Fastify framework error (as thrown, or as Nest wrapped it), if it is one. */
export function frameworkErrorBody(err: unknown): ErrorBody | undefined {
  const source = err instanceof HttpException && err.cause instanceof Error ? err.cause : err;
  const code = source instanceof Error ? (source as Error & { code?: unknown }).code : undefined;
  const answer = typeof code === 'string' ? AS_BEFORE[code] : undefined;
  return answer?.((source as Error).message);
}

/**
 * Errors the router raises before any hook or filter runs (Fastify's `frameworkErrors`), in the
 * usual error body. A %-escape that does not decode was Express's "Failed to decode param".
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const body =
    error.code === 'FST_ERR_BAD_URL'
      ? errorBody(400, 'BadRequest', `Failed to decode param '${undecodable(request.url)}'`)
      : (frameworkErrorBody(error) ?? errorBody(error.statusCode ?? 500, 'Http', error.message));
  void reply.code(body.statusCode).send(body);
}

/** The first path segment with a broken %-escape (the whole path if none is found). */
function undecodable(url: string): string {
  const path = url.split('?')[0]!;
  return (
    path.split('/').find((segment) => {
      try {
        decodeURIComponent(segment);
        return false;
      } catch {
        return true;
      }
    }) ?? path
  );
}

/**
 * A request Node cannot parse (or a header over its size limit) never reaches Fastify: Node's
 * answer had no body, Fastify's default has one without `errors`. This one has the usual body.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const text = STATUS_CODES[status]!;
  const body = JSON.stringify(errorBody(status, text, status === 400 ? 'malformed HTTP request' : text));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
