/**
 * How failures become HTTP answers: a status that fits, a stable code, and a message that says
 * what was wrong. Request validation messages name the field and the form it must take; a
 * failure of the controller itself is logged and told to the client without its details.
 */
import { type ErrorCode, isJujuSshError, JujuSshError } from '@juju-ssh/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../protocol/common-schemas.js';

/** Raised when a request carries no credential, or one the controller does not accept. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  'bad-target': 400,
  'invalid-argument': 400,
  'invalid-key': 400,
  'access-denied': 403,
  'not-found': 404,
  'already-exists': 409,
  'host-key-mismatch': 409,
  'upstream-failed': 502,
};

/** The answer to any error a route or hook raised. */
export function errorReply(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const body = errorBody(error);
  if (body.statusCode >= 500) {
    request.log.error({ err: error }, 'API request failed');
  }
  void reply.status(body.statusCode).send(body);
}

function errorBody(error: unknown): ErrorBody {
  if (error instanceof UnauthenticatedError) {
    return { statusCode: 401, code: 'unauthenticated', message: error.message };
  }
  if (isJujuSshError(error)) {
    const statusCode = STATUS[error.code];
    if (statusCode !== undefined) return { statusCode, code: error.code, message: error.message };
    return failure();
  }
  if (isFastifyError(error)) {
    if (error.validation !== undefined) {
      return { statusCode: 400, code: 'invalid-argument', message: error.message };
    }
    const statusCode = error.statusCode ?? 500;
    if (statusCode >= 400 && statusCode < 500) {
      return { statusCode, code: 'bad-request', message: requestProblem(error) };
    }
  }
  return failure();
}

function failure(): ErrorBody {
  return {
    statusCode: 500,
    code: 'internal',
    message: 'the controller failed to answer; try again, and tell its operator if this persists',
  };
}

/** Fastify's own 4xx messages, said as what the client should change. */
function requestProblem(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'send the request body as JSON, with Content-Type: application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is too large';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the request body is empty; send a JSON object';
    default:
      return error.message;
  }
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

/** An error for a route that does not exist. */
export function unknownRoute(method: string, url: string): JujuSshError {
  const path = url.split('?')[0] ?? url;
  return new JujuSshError('not-found', `no API route ${method} ${path.slice(0, 200)}`);
}
