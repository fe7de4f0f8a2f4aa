/**
 * The HTTPS API server: the application on a TLS listener. It starts on `listen`, reports the
 * address it bound (port 0 picks a free one), and closes its connections on `close`.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ApiServices } from './api-services.js';
import { type ApiApp, buildApiApp } from './http/api-app.js';
import type { CertificateAndKey } from './tls/server-certificate.js';

/** Where the server listens, once it does. */
export interface ApiAddress {
  readonly host: string;
  readonly port: number;
}

/** How the API server is made. */
export interface ApiServerOptions {
  readonly services: ApiServices;
  /** The server certificate chain (server first, issuers after) and its key, PEM. */
  readonly tls: CertificateAndKey;
  /** Where request lines and failures are logged; silent when absent. */
  readonly logger?: FastifyBaseLogger;
}

/** The HTTPS API of one controller. */
export class ApiServer {
  /** The application; tests call `app.inject()` on it without a listener. */
  readonly app: ApiApp;

  constructor(options: ApiServerOptions) {
    this.app = buildApiApp(options.services, { tls: options.tls, logger: options.logger });
  }

  /** Starts listening; port 0 picks a free port, which the result reports. */
  async listen(host: string, port: number): Promise<ApiAddress> {
    await this.app.listen({ host, port });
    const address = this.app.server.address();
    if (address === null || typeof address === 'string') {
      throw new Error('the API listener has no TCP address');
    }
    return { host: address.address, port: address.port };
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    await this.app.close();
  }
}
