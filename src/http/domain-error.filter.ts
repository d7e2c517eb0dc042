import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter, type HttpServer } from '@nestjs/common';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../event-store/event-store.port.js';
import { errorBody, type ErrorBody } from './error-body.js';
import { frameworkErrorBody } from './framework-errors.js';

/** The one place domain and store errors become HTTP statuses. */
export function toHttpError(err: unknown): ErrorBody {
  if (err instanceof InvalidInputError) return errorBody(400, 'Bad Request', err.message, err.problems);
  if (err instanceof NotFoundError) {
    return errorBody(404, 'Not Found', err.message, err.field ? [{ field: err.field, message: err.message }] : []);
  }
  if (err instanceof ConflictError) {
    return errorBody(409, 'Conflict', err.message, err.field ? [{ field: err.field, message: err.message }] : []);
  }
  if (err instanceof WrongExpectedVersionError) return errorBody(409, 'Conflict', err.message);
  if (err instanceof DuplicateEventIdError) return errorBody(409, 'Conflict', err.message, [{ field: 'id', message: err.message }]);
  if (err instanceof DomainError) return errorBody(400, 'Bad Request', err.message);
  const framework = frameworkErrorBody(err);
  if (framework) return framework;
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const res = err.getResponse();
    if (typeof res === 'object' && res !== null && 'errors' in res) return res as ErrorBody;
    const message = typeof res === 'string' ? res : String((res as { message?: unknown }).message ?? err.message);
    return errorBody(status, err.name.replace(/Exception$/, ''), message);
  }
  return errorBody(500, 'Internal Server Error', 'internal error; see the server log');
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly http: HttpServer) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const body = toHttpError(err);
    if (body.statusCode >= 500) this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    // Through the adapter: the response may be a Fastify reply or, for an error raised before
    // routing, the raw Node response, and the adapter answers both.
    this.http.reply(host.switchToHttp().getResponse(), body, body.statusCode);
  }
}
