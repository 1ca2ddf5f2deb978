import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';

/**
 * Ports for tests, never the fixed 3000/5432/5433/2525.
 *
 * A server in this process listens on port 0 and reads its port back (`listenOnFreePort`): no
 * race. A port needed as a number before anything listens (a child process's PORT,
 * TOCSIN_EMBEDDED_PG_PORT, MAIL_CATCHER_PORT; a port a server must come back to after a restart)
 * comes from `freePort()`, which makes a collision impossible rather than retrying one, because a
 * retry cannot tell a child's own /health answer from that of another run's service that took
 * the port first. So `freePort()` hands out a port that
 * - lies below the kernel's ephemeral range, which port-0 listeners and outgoing connections
 *   (of any program) are given, so nothing else gets it by chance;
 * - is claimed for as long as this process lives by an abstract Unix socket named after it: the
 *   kernel gives the name to one process on the machine (network namespace) at a time and
 *   drops it when that process dies, so concurrent test runs never share a port and a crashed
 *   one leaves nothing to clean up;
 * - nothing listens on now (a service of its own on a fixed port in that range).
 * Each claim costs this process one file descriptor until it exits. Abstract sockets are Linux
 * only; elsewhere the claim is skipped (the other two still hold).
 */
export async function freePort(): Promise<number> {
  const [low, high] = CANDIDATES;
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    const claim = await claimPort(port);
    if (!claim) continue;
    if (await nothingListensOn(port)) return port;
    claim.close();
  }
  throw new Error(`no free port between ${low} and ${high} after 1000 attempts`);
}

/** Listens on a port the OS picks on loopback and returns it: for servers in this process. */
export function listenOnFreePort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** The abstract socket name that claims `port` for one process of any Tocsin test run. */
export function claimAddress(port: number): string {
  return `\0tocsin-test-port-${port}`;
}

const CLAIMABLE = process.platform === 'linux';

/** Resolves to the claim (kept until this process exits), or undefined if another process has it. */
function claimPort(port: number): Promise<Server | undefined> {
  const claim = createServer();
  if (!CLAIMABLE) return Promise.resolve(claim);
  return new Promise((resolve, reject) => {
    claim.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error),
    );
    claim.listen(claimAddress(port), () => {
      claim.unref(); // a claim never keeps a test process alive
      resolve(claim);
    });
  });
}

function nothingListensOn(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The ports below the kernel's ephemeral range (Linux default 32768–60999) down to 20000, or
 * above it when it starts too low to leave room.
 */
function candidateRange(): [number, number] {
  let [ephemeralLow, ephemeralHigh] = [32768, 60999];
  try {
    const text = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    [ephemeralLow, ephemeralHigh] = text.trim().split(/\s+/).map(Number);
  } catch {
    // not Linux: assume the default range
  }
  if (ephemeralLow - 1 >= 21_000) return [20_000, ephemeralLow - 1];
  if (65_535 - ephemeralHigh >= 1_000) return [ephemeralHigh + 1, 65_535];
  return [1024, 65_535];
}
const CANDIDATES = candidateRange();
