/**
 * Write coalescing for the proxy's sockets. ssh2 writes every encrypted packet with its own
 * `socket.write`, which on a busy session means one system call per 32 KiB packet. Corking the
 * socket on the first write of a turn of the event loop and uncorking it at the end of the turn
 * hands the kernel all of that turn's packets in one `writev`, in the same order.
 */
import type { Socket } from 'node:net';

/** Makes `socket` gather the writes of one event-loop turn into a single system call. */
export function coalesceWrites(socket: Socket): void {
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  const write = socket.write;
  socket.write = function coalescedWrite(this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(flush);
    }
    return write.apply(this, args as never);
  } as Socket['write'];
}
