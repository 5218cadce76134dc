/**
 * The real parts of a chaos run as child processes the run controls: a redis-server of its
 * own (AOF, so a restart keeps the queue; never the machine's shared Redis), the embedded
 * S3 server as its own process, `intake start`, and each service's main. A supervised
 * process that exits on its own is started again after a second (as systemd or a
 * container orchestrator would); one the run kills is restarted by the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ProcSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Restarted a second after it exits by itself. */
  supervise?: boolean;
  /** Resolves when the process is ready (polled after each start). */
  ready?: () => Promise<boolean>;
}

/** Every process the run started, so an interrupted run can stop them (killAll). */
const everyProc = new Set<Proc>();

/** SIGKILL every process of the run that is still running (the run was interrupted). */
export function killAll(): void {
  for (const proc of everyProc) {
    if (proc.running) proc.child!.kill('SIGKILL');
  }
}

export class Proc {
  child?: ChildProcess;
  /** Exits the run did not cause (crashes), with their code or signal. */
  readonly unexpectedExits: string[] = [];
  starts = 0;
  private log?: WriteStream;
  private expectingExit = false;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    readonly spec: ProcSpec,
    private readonly logDir: string,
  ) {
    everyProc.add(this);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Start, and wait until ready (default: 120 s). Returns ms from spawn to ready. */
  async start(readyTimeoutMs = 120_000): Promise<number> {
    await mkdir(this.logDir, { recursive: true });
    this.log ??= createWriteStream(path.join(this.logDir, `${this.spec.name}.log`), { flags: 'a' });
    this.stopped = false;
    this.expectingExit = false;
    const started = Date.now();
    this.starts += 1;
    this.log.write(`\n--- start ${this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: repoRoot,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.on('exit', (code, signal) => {
      this.log?.write(`--- exit code ${code} signal ${signal} at ${new Date().toISOString()}\n`);
      if (this.expectingExit || this.stopped || this.child !== child) return;
      this.unexpectedExits.push(signal ?? `code ${code}`);
      if (this.spec.supervise) this.restartTimer = setTimeout(() => void this.start().catch(() => {}), 1000);
    });
    const deadline = started + readyTimeoutMs;
    while (this.spec.ready && !(await this.spec.ready().catch(() => false))) {
      if (Date.now() > deadline)
        throw new Error(`${this.spec.name} was not ready within ${readyTimeoutMs} ms (see ${this.logDir}/${this.spec.name}.log)`);
      if (this.child !== child) return Date.now() - started; // replaced meanwhile
      if (child.exitCode !== null || child.signalCode !== null) {
        if (!this.spec.supervise)
          throw new Error(`${this.spec.name} exited during start (see ${this.logDir}/${this.spec.name}.log)`);
        return Date.now() - started; // the supervisor starts it again
      }
      await sleep(100);
    }
    return Date.now() - started;
  }

  private exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
    return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** SIGKILL (the run restarts it itself). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    clearTimeout(this.restartTimer);
    child.kill('SIGKILL');
    await this.exited(child);
  }

  /** SIGTERM and wait for the exit (SIGKILL after `timeoutMs`). */
  async terminate(timeoutMs = 60_000): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    const started = Date.now();
    if (!child || !this.running) return { ms: 0, code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
    this.expectingExit = true;
    clearTimeout(this.restartTimer);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const result = await this.exited(child);
    clearTimeout(timer);
    return { ms: Date.now() - started, ...result };
  }

  /** Stop for good (end of the run). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.terminate(30_000);
    this.log?.end();
    this.log = undefined;
  }

  /** Pause (SIGSTOP) and resume (SIGCONT): a process that holds its connections but answers nothing. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }
}

/** A TCP port answers. */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** GET a URL with a time limit: the status, or 0 when nothing answered. */
export async function httpStatus(url: string, timeoutMs = 2000): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** The run's own redis-server: AOF with fsync on every write, so SIGKILL and a restart lose nothing acknowledged. */
export function redisProc(port: number, dataDir: string, logDir: string): Proc {
  return new Proc(
    {
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dataDir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'yes',
      ],
      ready: () => portAnswers(port, 300),
    },
    logDir,
  );
}

/** A TypeScript entry point run with tsx, as the services' mains run in development. */
export function nodeProc(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  ready?: () => Promise<boolean>,
  args: string[] = [],
): Proc {
  return new Proc(
    {
      name,
      command: process.execPath,
      args: ['--import', 'tsx', path.join(repoRoot, entry), ...args],
      env,
      supervise: true,
      ready,
    },
    logDir,
  );
}
