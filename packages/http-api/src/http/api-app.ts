/**
 * Builds the Fastify application: JSON-schema validation with messages that name the field,
 * authentication on every route but login, one error shape for every refusal, and the routes.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { ApiServices } from '../api-services.js';
import { accessRoutes } from '../routes/access-routes.js';
import { fleetRoutes } from '../routes/fleet-routes.js';
import { loginRoutes } from '../routes/login-routes.js';
import { modelRoutes } from '../routes/model-routes.js';
import { userRoutes } from '../routes/user-routes.js';
import { TargetDirectory } from '../target-directory.js';
import { errorReply, unknownRoute } from './error-replies.js';
import { authenticateRequests } from './request-user.js';
import { type ValidationIssue, validationMessage } from './validation-messages.js';

/** The Fastify instance the routes are added to. */
export type ApiApp = FastifyInstance<
  HttpsServer,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every route module receives. */
export interface RouteContext {
  readonly services: ApiServices;
  readonly directory: TargetDirectory;
}

/** How the application is built. */
export interface ApiAppOptions {
  /** The server certificate chain and key, PEM. */
  readonly tls: { readonly certificatePem: string; readonly privateKeyPem: string };
  /** Where request and failure lines go; silent when absent. */
  readonly logger?: FastifyBaseLogger;
}

const BODY_LIMIT_BYTES = 64 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const IDLE_TIMEOUT_MS = 120_000;

/** Builds the application; routes are registered before it is returned. */
export function buildApiApp(services: ApiServices, options: ApiAppOptions): ApiApp {
  const serverOptions = {
    https: { cert: options.tls.certificatePem, key: options.tls.privateKeyPem },
    bodyLimit: BODY_LIMIT_BYTES,
    // A client gets this long to send a whole request, and an idle connection is closed.
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: IDLE_TIMEOUT_MS,
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.logger === undefined ? {} : { loggerInstance: options.logger }),
    ajv: { customOptions: { verbose: true, removeAdditional: false, allErrors: false } },
    schemaErrorFormatter: (issues: ValidationIssue[], part: string) =>
      new Error(validationMessage(issues, part)),
  } satisfies FastifyServerOptions & Record<string, unknown>;
  const app = Fastify(serverOptions).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are JSON or nothing; a form or text body is refused with 415, not read as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', authenticateRequests(services.access));
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url, status: reply.statusCode },
      'API request',
    );
  });
  app.setErrorHandler((error, request, reply) => errorReply(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    errorReply(unknownRoute(request.method, request.url), request, reply),
  );

  const context: RouteContext = { services, directory: new TargetDirectory(services) };
  loginRoutes(app, context);
  accessRoutes(app, context);
  userRoutes(app, context);
  modelRoutes(app, context);
  fleetRoutes(app, context);
  return app;
}
