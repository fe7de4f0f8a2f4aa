/**
 * The CLI's client of the controller API: HTTPS trusting only the certificate pinned at login,
 * the credential as a bearer token, JSON both ways. A refusal becomes a JujuSshError carrying
 * the controller's own message.
 */
import { request } from 'node:https';
import { type ErrorCode, JujuSshError } from '@juju-ssh/core';

/** Where the API is and how to trust and authenticate to it. */
export interface ApiEndpoint {
  readonly url: string;
  /** The pinned certificate, PEM. */
  readonly certificate: string;
  /** The API credential; absent only for login. */
  readonly credential?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const TIMEOUT_MS = 30_000;
const CODES: readonly string[] = [
  'bad-target',
  'access-denied',
  'not-found',
  'already-exists',
  'invalid-key',
  'invalid-argument',
];

/** Calls the API of one controller. */
export class ApiClient {
  constructor(private readonly endpoint: ApiEndpoint) {}

  /** A GET; `query` values that are undefined are left out. */
  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) params.set(name, value);
    }
    const search = params.size === 0 ? '' : `?${params.toString()}`;
    return this.call<T>('GET', `${path}${search}`);
  }

  /** Any method, with an optional JSON body. */
  call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.endpoint.url);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.endpoint.credential !== undefined) {
      headers.authorization = `Bearer ${this.endpoint.credential}`;
    }

    return new Promise<T>((resolve, reject) => {
      const req = request(url, {
        method,
        headers,
        ca: this.endpoint.certificate,
        timeout: TIMEOUT_MS,
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve(answer<T>(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (error) => reject(this.connectionError(error)));
      req.end(payload);
    });
  }

  private connectionError(error: Error & { code?: string }): JujuSshError {
    const origin = new URL(this.endpoint.url).origin;
    if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return new JujuSshError(
        'config',
        `the controller's certificate does not name the host in ${origin} (${error.message}); ` +
          'log in with a URL whose host it names, or ask the operator to add this name with ' +
          'juju-ssh-controller issue-api-certificate --api-san',
      );
    }
    if (error.code?.startsWith('ERR_TLS') === true || /certificate/i.test(error.message)) {
      return new JujuSshError(
        'access-denied',
        `the server at ${origin} did not prove it holds the certificate pinned at login ` +
          `(${error.message}); nothing was sent. If the controller was re-bootstrapped, log in ` +
          'again with its new fingerprint',
      );
    }
    return new JujuSshError(
      'upstream-failed',
      `cannot reach the controller API at ${origin} (${error.message}); check that it is running`,
    );
  }
}

function answer<T>(status: number, text: string): T {
  let body: unknown;
  try {
    body = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw new JujuSshError('upstream-failed', `the controller answered ${status} with non-JSON`);
  }
  if (status >= 200 && status < 300) return body as T;

  const message =
    typeof body === 'object' &&
    body !== null &&
    'message' in body &&
    typeof body.message === 'string'
      ? body.message
      : `the controller answered ${status}`;
  const code = typeof body === 'object' && body !== null && 'code' in body ? String(body.code) : '';
  if (status === 401) {
    throw new JujuSshError('access-denied', message);
  }
  const known: ErrorCode = CODES.includes(code) ? (code as ErrorCode) : 'upstream-failed';
  throw new JujuSshError(known, message);
}
