import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import os from 'node:os';
import path from 'node:path';

/**
 * A private Dovecot IMAP server for integration tests: Debian's dovecot-imapd with a
 * config in a temp folder, one test user (passwd-file), maildir storage in the same
 * folder, plain text auth on a free loopback port. `stop()`/`start()` restart it on the
 * same port (a server restart mid-session); `dispose()` removes everything.
 */
export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** Set with `tls: true`: implicit TLS on `port`, and the self-signed certificate a client must trust explicitly. */
  tls?: { caFile: string; ca: Buffer };
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  dispose(): Promise<void>;
  /** The server's log, for a failing test's message. */
  log(): string;
}

function which(cmd: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForGreeting(port: number, timeoutMs: number, child: ChildProcess, secure: boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      // Only probing readiness here; the tests verify the certificate properly.
      const socket = secure ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
      socket.setTimeout(1000);
      socket.once('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not greet on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** Processes whose parent is `pid` (Linux /proc); Dovecot's session processes outlive a stopped master otherwise. */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Dovecot's unprivileged users must read its config, users file and sockets, whatever umask
 * this process runs under (the review index sets 077 once it holds patient data).
 */
export async function startDovecot(options: Parameters<typeof startDovecotUnmasked>[0] = {}): Promise<TestDovecot> {
  const previous = process.umask(0o022);
  try {
    return await startDovecotUnmasked(options);
  } finally {
    process.umask(previous);
  }
}

async function startDovecotUnmasked(
  options: {
    user?: string;
    password?: string;
    idle?: boolean;
    tls?: boolean;
    /** Accept XOAUTH2 bearer tokens, checked against this RFC 7662 introspection endpoint. */
    oauth2IntrospectionUrl?: string;
  } = {},
): Promise<TestDovecot> {
  const binary = which('dovecot');
  if (!binary) {
    throw new Error(
      'dovecot is not installed: the IMAP integration tests need a real server. Install it with .ci/install-dovecot.sh (apt-get install -y dovecot-imapd).',
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-dovecot-'));
  const user = options.user ?? 'member-inbox';
  const password = options.password ?? 'synthetic-test-password';
  const port = await freePort();

  // Dovecot refuses to run its login process or mail access as root. As root (CI, this
  // sandbox) the packaged unprivileged users run them; otherwise everything runs as us.
  const isRoot = process.getuid?.() === 0;
  let internalUser: string;
  let loginUser: string;
  let mailUser: string;
  if (isRoot) {
    const mail = userIds('dovecot');
    if (!mail || !userIds('dovenull')) throw new Error('the dovecot and dovenull system users are missing: reinstall dovecot-core');
    internalUser = 'dovecot';
    loginUser = 'dovenull';
    mailUser = 'dovecot';
    await chown(dir, mail.uid, mail.gid);
  } else {
    internalUser = loginUser = mailUser = os.userInfo().username;
  }
  await chmod(dir, 0o755);
  for (const sub of ['run', 'state', 'mail', 'home']) await mkdir(path.join(dir, sub), { recursive: true });
  if (isRoot) {
    const mail = userIds(mailUser)!;
    await chown(path.join(dir, 'mail'), mail.uid, mail.gid);
    await chown(path.join(dir, 'home'), mail.uid, mail.gid);
  }
  let tls: TestDovecot['tls'];
  if (options.tls) {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    const r = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`openssl could not make a test certificate: ${r.stderr}`);
    tls = { caFile: cert, ca: readFileSync(cert) };
  }
  if (options.oauth2IntrospectionUrl) {
    await writeFile(
      path.join(dir, 'oauth2.conf.ext'),
      `introspection_mode = post\nintrospection_url = ${options.oauth2IntrospectionUrl}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
      { mode: 0o644 },
    );
  }
  await writeFile(path.join(dir, 'users'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const conf = path.join(dir, 'dovecot.conf');
  await writeFile(
    conf,
    `# private test server written by services/imap-listener/src/test-support/dovecot.ts
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = intake-test-${path.basename(dir)}
${tls ? `ssl = required\nssl_cert = <${dir}/cert.pem\nssl_key = <${dir}/key.pem` : 'ssl = no'}
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login${options.oauth2IntrospectionUrl ? ' xoauth2' : ''}
default_internal_user = ${internalUser}
default_internal_group = ${internalUser}
default_login_user = ${loginUser}
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
log_path = ${dir}/dovecot.log
${options.idle === false ? 'imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE UIDPLUS MOVE NAMESPACE CHILDREN' : ''}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${tls ? 0 : port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tls ? port : 0}
    ssl = ${tls ? 'yes' : 'no'}
  }
}
service anvil {
  chroot =
}
${
  options.oauth2IntrospectionUrl
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = ${dir}/oauth2.conf.ext
}`
    : ''
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${mailUser} home=${dir}/home/%u
}
`,
  );

  let child: ChildProcess | undefined;
  const readLog = () => {
    try {
      return spawnSync('tail', ['-n', '30', path.join(dir, 'dovecot.log')], { encoding: 'utf8' }).stdout;
    } catch {
      return '';
    }
  };

  const handle: TestDovecot = {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    tls,
    async start() {
      if (child && child.exitCode === null) return;
      const previous = process.umask(0o022);
      const c = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      process.umask(previous);
      let stderr = '';
      c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child = c;
      try {
        await waitForGreeting(port, 15_000, c, tls !== undefined);
      } catch (error) {
        c.kill('SIGKILL');
        throw new Error(`${(error as Error).message}\n${stderr}\n${readLog()}`);
      }
    },
    async stop(signal = 'SIGTERM') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      // A restart drops every session, as a real one does: the master's children (imap
      // sessions, log, stats) are ended by their ids, since they outlive the master.
      const children = c.pid ? childPids(c.pid) : [];
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
      for (const pid of [...children, ...(c.pid ? childPids(c.pid) : [])]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      // The master is gone; wait until the port no longer answers (its children close with it).
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const open = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => {
            s.destroy();
            resolve(true);
          });
          s.once('error', () => resolve(false));
        });
        if (!open) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async dispose() {
      await handle.stop();
      await rm(dir, { recursive: true, force: true });
    },
    log: readLog,
  };
  await handle.start();
  return handle;
}
