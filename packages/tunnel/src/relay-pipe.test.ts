import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generateEd25519HostKey } from '@juju-ssh/host-keys';
import type { ClientChannel, ServerChannel } from 'ssh2';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { relayChannels } from './relay-pipe.js';

const hostKey = generateEd25519HostKey('relay-pipe-test');
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/**
 * An ssh2 server that hands each forwarded channel to `serve`, and a client logged in to it
 * that opens channels with `open()`.
 */
async function sshPair(serve: (channel: ServerChannel) => void) {
  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (connection) => {
    connection.on('authentication', (ctx) => ctx.accept());
    connection.on('tcpip', (accept) => serve(accept()));
    connection.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve).once('error', reject);
    client.connect({ host: '127.0.0.1', port, username: 'u', hostVerifier: () => true });
  });
  closers.push(() => {
    client.end();
    server.close();
  });
  const open = () =>
    new Promise<ClientChannel>((resolve, reject) =>
      client.forwardOut('127.0.0.1', 1, 'target', 22, (error, channel) =>
        error === undefined ? resolve(channel) : reject(error),
      ),
    );
  return { open };
}

/** Reads a channel to its end. */
function readAll(channel: ClientChannel | ServerChannel): Promise<Buffer> {
  const chunks: Buffer[] = [];
  channel.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => channel.once('end', () => resolve(Buffer.concat(chunks))));
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * user client ─▶ (relay server) ═ relayChannels ═ (relay client) ─▶ far server running `far`.
 * Returns the user's channel and a promise of the relay's final counters.
 */
async function relayTo(far: (channel: ServerChannel) => void) {
  const farPair = await sshPair(far);
  let closed: (counters: { toController: number; toClient: number }) => void = () => {};
  const done = new Promise<{ toController: number; toClient: number }>((resolve) => {
    closed = resolve;
  });
  const nearPair = await sshPair((userChannel) => {
    void farPair.open().then((farChannel) => {
      relayChannels(userChannel, farChannel, { onClosed: closed });
    });
  });
  return { user: await nearPair.open(), done };
}

describe('relayChannels', () => {
  it('keeps carrying the answer after the user sends EOF', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 7);
    const { user, done } = await relayTo((channel) => {
      void readAll(channel).then((received) => {
        // Answer only after the user's EOF arrived, with more than one window of data.
        channel.write(`${received.length} ${sha(received)}\n`);
        channel.end(Buffer.alloc(3 * 1024 * 1024, 9));
      });
    });
    const answer = readAll(user);
    user.end(payload);
    const received = await answer;
    expect(received.subarray(0, received.indexOf(10)).toString()).toBe(
      `${payload.length} ${sha(payload)}`,
    );
    expect(received.length).toBe(received.indexOf(10) + 1 + 3 * 1024 * 1024);
    expect(await done).toEqual({ toController: payload.length, toClient: received.length });
  });

  it("keeps carrying the user's data after the far side sends EOF", async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 5);
    let farReceived: (data: Buffer) => void = () => {};
    const atFar = new Promise<Buffer>((resolve) => {
      farReceived = resolve;
    });
    const { user, done } = await relayTo((channel) => {
      channel.eof();
      void readAll(channel).then((received) => {
        farReceived(received);
        channel.close();
      });
    });
    expect((await readAll(user)).length).toBe(0);
    user.end(payload);
    expect(sha(await atFar)).toBe(sha(payload));
    expect(await done).toEqual({ toController: payload.length, toClient: 0 });
  });
});
