import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { hashPassword, randomPassword, verifyPassword, dummyHash } from './passwords.ts';
import { Role } from './roles.ts';

export const UserName = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'user names: 2–64 of a-z 0-9 . _ -');

export const LocalAccount = z.object({
  username: UserName,
  role: Role,
  passwordHash: z.string(),
  createdAt: z.iso.datetime(),
  disabled: z.boolean().default(false),
});
export type LocalAccount = z.infer<typeof LocalAccount>;

const AccountsFile = z.object({ users: z.array(LocalAccount) });

/**
 * Local clerk accounts in a JSON file (the embedded default). Hashes only: the file is
 * written 0600 and atomically (write, then rename).
 */
export class LocalAccounts {
  constructor(readonly file: string) {}

  async list(): Promise<LocalAccount[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return AccountsFile.parse(JSON.parse(text)).users;
  }

  private async save(users: LocalAccount[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ users }, null, 2) + '\n', { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, this.file);
  }

  private cache?: { ino: number; mtimeMs: number; size: number; users: LocalAccount[] };

  /**
   * The account as the file says now, re-read only when the file changed: checked on
   * every request, so disabling an account or changing its role (API or CLI) takes
   * effect at once, not when the session expires.
   */
  async current(username: string): Promise<LocalAccount | undefined> {
    const st = await stat(this.file).catch(() => undefined);
    if (!st) return undefined;
    // Every save renames a new file into place: a new inode even when size and mtime match (a password
    // changed within the same millisecond must still end the old sessions).
    if (!this.cache || this.cache.ino !== st.ino || this.cache.mtimeMs !== st.mtimeMs || this.cache.size !== st.size) {
      this.cache = { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, users: await this.list() };
    }
    return this.cache.users.find((u) => u.username === username);
  }

  async get(username: string): Promise<LocalAccount | undefined> {
    return (await this.list()).find((u) => u.username === username);
  }

  /** Add or replace an account's password and role. */
  async upsert(username: string, role: Role, password: string): Promise<LocalAccount> {
    const name = UserName.parse(username);
    const users = await this.list();
    const account: LocalAccount = {
      username: name,
      role,
      passwordHash: await hashPassword(password),
      createdAt: new Date().toISOString(),
      disabled: false,
    };
    const next = users.filter((u) => u.username !== name);
    next.push(account);
    await this.save(next);
    return account;
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const users = await this.list();
    const user = users.find((u) => u.username === username);
    if (!user) return false;
    user.disabled = disabled;
    await this.save(users);
    return true;
  }

  /** The account when the password is right; undefined otherwise (same time either way). */
  async authenticate(username: string, password: string): Promise<LocalAccount | undefined> {
    const user = UserName.safeParse(username).success ? await this.get(username) : undefined;
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    return ok && user && !user.disabled ? user : undefined;
  }

  /** First start of the embedded default: an admin with a random password, returned once. */
  async bootstrapAdmin(): Promise<{ username: string; password: string } | undefined> {
    if ((await this.list()).length > 0) return undefined;
    const password = randomPassword();
    await this.upsert('admin', 'admin', password);
    return { username: 'admin', password };
  }
}
