/** Starting a TCP listener and learning the address it got. */
import type { Server } from 'node:net';

/** Where a listener listens. */
export interface ListeningAddress {
  readonly host: string;
  readonly port: number;
}

/** Listens on `host`:`port`; port 0 picks a free port, which the result reports. */
export function listenTcp(listener: Server, host: string, port: number): Promise<ListeningAddress> {
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen({ host, port }, () => {
      listener.off('error', reject);
      const address = listener.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('the listening socket has no TCP address'));
        return;
      }
      resolve({ host: address.address, port: address.port });
    });
  });
}
