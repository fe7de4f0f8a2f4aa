import { randomBytes } from 'node:crypto';
import { loginUser } from '@juju-ssh/test-support';
import fc from 'fast-check';
import type { Client, ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JumpFixture, startJumpFixture } from './testing/jump-fixture.js';
import { type CapturedLog, captureLog } from './testing/log-capture.js';
import { connectInner, connectOuter, execOn, openTarget } from './testing/outer-client.js';
import {
  CLIENT_IDENT,
  GOOD_KEXINIT_LISTS,
  kexinitPayload,
  packet,
  packetHeader,
  sendRaw,
} from './testing/raw-ssh.js';

/** Fixed, so a failing run can be repeated exactly. */
const SEED = 20_240_611;
const CASES = 120;
const CONCURRENCY = 8;
/** RSS may grow this much over the whole run; a leak per case or per channel grows far more. */
const RSS_BUDGET = 256 * 1024 * 1024;

const ident = Buffer.from(CLIENT_IDENT);
const absurdLength = fc.constantFrom(0, 1, 2, 5, 35_001, 256 * 1024, 2 ** 31, 2 ** 32 - 1);
const nameList = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...GOOD_KEXINIT_LISTS),
  fc.nat({ max: 30_000 }).map((n) => 'a,'.repeat(n)),
);

/** Hostile openings: each a list of chunks written in order on one fresh connection. */
const opening: fc.Arbitrary<Buffer[]> = fc.oneof(
  fc.uint8Array({ maxLength: 65_536 }).map((bytes) => [Buffer.from(bytes)]),
  fc.uint8Array({ maxLength: 8192 }).map((bytes) => [ident, Buffer.from(bytes)]),
  fc
    .tuple(absurdLength, fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 4096 }))
    .map(([length, padding, rest]) => [ident, packetHeader(length, padding), Buffer.from(rest)]),
  fc
    .nat({ max: 400 })
    .map((cut) => [ident, packet(kexinitPayload(GOOD_KEXINIT_LISTS)).subarray(0, cut)]),
  fc
    .array(nameList, { minLength: 0, maxLength: 12 })
    .map((lists) => [ident, packet(kexinitPayload(lists))]),
  fc
    .uint8Array({ maxLength: 4096 })
    .map((rest) => [ident, packet(kexinitPayload(GOOD_KEXINIT_LISTS)), Buffer.from(rest)]),
  fc.nat({ max: 200_000 }).map((n) => [Buffer.from(`SSH-2.0-${'x'.repeat(n)}`)]),
  fc.nat({ max: 2000 }).map((n) => [Buffer.from('not a version line\r\n'.repeat(n)), ident]),
);

/** Pings an honest `cat` session through the jump server and records each round trip. */
class EchoProbe {
  readonly latencies: number[] = [];
  failures = 0;
  private received = '';
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly channel: ClientChannel) {
    channel.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('utf8');
    });
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.ping(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async ping(timeoutMs = 15_000): Promise<void> {
    this.sequence += 1;
    const word = `ping-${this.sequence}\n`;
    const started = Date.now();
    this.channel.write(word);
    while (!this.received.includes(word)) {
      if (Date.now() - started > timeoutMs) {
        this.failures += 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.latencies.push(Date.now() - started);
  }
}

async function inParallel<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next];
        next += 1;
        if (item !== undefined) await run(item);
      }
    }),
  );
}

describe('the SSH port under a protocol fuzz run', () => {
  let f: JumpFixture;
  let log: CapturedLog;
  let honest: { outer: Client; inner: Client; probe: EchoProbe };
  const rss: number[] = [];
  let sampler: NodeJS.Timeout;

  beforeAll(async () => {
    log = captureLog('info');
    f = await startJumpFixture({
      logger: log.logger,
      sshdConfig: ['AcceptEnv FUZZ_*'],
      limits: {
        maxNewConnectionsPerSourcePerMinute: 0,
        maxUnauthenticated: 1000,
        maxChannelsPerConnection: 32,
      },
    });
    const outer = await connectOuter(f.port, 'alice', f.alice.privateKeyPath);
    const channel = await openTarget(outer, `0.${f.modelUuid}`);
    if (channel instanceof Error) throw channel;
    const inner = await connectInner(channel, loginUser(), f.alice.privateKeyPath);
    const cat = await new Promise<ClientChannel>((resolve, reject) =>
      inner.exec('cat', (error, stream) => (error ? reject(error) : resolve(stream))),
    );
    honest = { outer, inner, probe: new EchoProbe(cat) };
    await honest.probe.ping();
    honest.probe.start(500);
    rss.push(process.memoryUsage().rss);
    sampler = setInterval(() => rss.push(process.memoryUsage().rss), 100);
  });

  afterAll(async () => {
    clearInterval(sampler);
    honest?.probe.stop();
    honest?.inner.end();
    honest?.outer.end();
    await f?.close();
  });

  it('drops random bytes, bad packets and absurd lengths without disturbing anyone', async () => {
    const openings = fc.sample(opening, { seed: SEED, numRuns: CASES });
    await inParallel(openings, CONCURRENCY, async (chunks) => {
      await sendRaw(f.port, chunks, 1000);
    });
    await honest.probe.ping();
    expect(honest.probe.failures).toBe(0);
    const fresh = await f.ssh(`0.${f.modelUuid}`, ['echo fresh']);
    expect(fresh.stdout.toString()).toBe('fresh\n');
  });

  it('bounds a flood of channel opens on one connection and frees them when it ends', async () => {
    const flooder = await connectOuter(f.port, 'alice', f.alice.privateKeyPath);
    flooder.on('error', () => {});
    const target = `0.${f.modelUuid}`;
    const opened = await Promise.all([
      ...Array.from({ length: 400 }, () => openTarget(flooder, target)),
      ...Array.from({ length: 100 }, () => openTarget(flooder, `nonsense-${randomBytes(4)}`)),
      ...Array.from(
        { length: 100 },
        () =>
          new Promise<unknown>((resolve) =>
            flooder.shell(false, (error, stream) => resolve(error ?? stream)),
          ),
      ),
    ]);
    const accepted = opened.filter((channel) => !(channel instanceof Error));
    expect(accepted.length).toBeLessThanOrEqual(32);
    expect(accepted.length).toBeGreaterThan(0);
    expect(log.withMessage('too many channels open on one connection')).not.toHaveLength(0);

    flooder.end();
    await expect.poll(() => f.server.connections.open, { timeout: 10_000 }).toBe(1);
    await honest.probe.ping();
    expect(honest.probe.failures).toBe(0);
  });

  it('caps huge env requests and survives huge exec payloads on the inner hop', async () => {
    const outer = await connectOuter(f.port, 'alice', f.alice.privateKeyPath);
    outer.on('error', () => {});
    const channel = await openTarget(outer, `0.${f.modelUuid}`);
    if (channel instanceof Error) throw channel;
    const inner = await connectInner(channel, loginUser(), f.alice.privateKeyPath);
    inner.on('error', () => {});

    const env = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`FUZZ_${i}`, 'v'.repeat(1024)]),
    );
    const counted = await new Promise<string>((resolve, reject) =>
      inner.exec("env | grep -c '^FUZZ_'", { env }, (error, stream) => {
        if (error) return reject(error);
        let out = '';
        stream.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
        });
        stream.on('close', () => resolve(out));
      }),
    );
    // 8 KiB of variables at most reach the machine, which passes on every FUZZ_ it is given.
    expect(Number(counted.trim())).toBeGreaterThan(0);
    expect(Number(counted.trim())).toBeLessThanOrEqual(8);

    const long = await execOn(inner, `echo ${'a'.repeat(30_000)}`);
    expect(long.stdout.length).toBe(30_001);

    const huge = await new Promise<string>((resolve) => {
      inner.once('close', () => resolve('closed'));
      inner.exec(`echo ${'b'.repeat(1024 * 1024)}`, (error, stream) => {
        if (error) return resolve('refused');
        stream.on('close', () => resolve('closed'));
      });
    });
    expect(['refused', 'closed']).toContain(huge);
    outer.end();

    await honest.probe.ping();
    expect(honest.probe.failures).toBe(0);
  });

  it('kept memory bounded and the honest session answering throughout', () => {
    const [baseline = 0] = rss;
    const peak = Math.max(...rss);
    expect(peak - baseline).toBeLessThan(RSS_BUDGET);
    expect(honest.probe.latencies.length).toBeGreaterThan(10);
    expect(honest.probe.failures).toBe(0);
    expect(Math.max(...honest.probe.latencies)).toBeLessThan(15_000);
  });
});
