import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { claimAddress, freePort, listenOnFreePort } from './free-port';

/** The kernel's ephemeral range: where port-0 listeners and outgoing connections get their ports. */
function ephemeralRange(): [number, number] {
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
  return [Number(low), Number(high)];
}

/** What a plain Node process (another test run, say) gets when it listens on `address` (JSON: argv has no NUL). */
function listenInAnotherProcess(address: string): Promise<string> {
  const script = `require('node:net').createServer()
    .once('error', (e) => { console.log(e.code); process.exit(0); })
    .listen(JSON.parse(process.argv[1]), () => { console.log('listening'); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(address)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.on('close', () => resolve(output.trim())));
}

describe('freePort', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

  it('hands out ports outside the ephemeral range, each once, that can be listened on', async () => {
    const [low, high] = ephemeralRange();
    const ports: number[] = [];
    for (let i = 0; i < 100; i++) ports.push(await freePort());

    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.filter((port) => port >= low && port <= high)).toEqual([]);
    expect(ports.filter((port) => port < 1024)).toEqual([]);
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
  });

  it('keeps its ports claimed against every other process on the machine', async () => {
    const port = await freePort();
    expect(await listenInAnotherProcess(claimAddress(port))).toBe('EADDRINUSE');
    // Control: a name nobody claimed is free to another process, so the refusal above is the claim's.
    expect(await listenInAnotherProcess(claimAddress(1))).toBe('listening');
  });
});

describe('listenOnFreePort', () => {
  it('listens on a port the OS picks, on loopback, and says which', async () => {
    const server = createServer();
    const port = await listenOnFreePort(server);
    expect(server.address()).toEqual({ address: '127.0.0.1', family: 'IPv4', port });
    await new Promise((done) => server.close(done));
  });
});
