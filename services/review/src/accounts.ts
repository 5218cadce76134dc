/**
 * Local clerk accounts for the embedded default:
 *
 *   npx tsx services/review/src/accounts.ts add-user NAME [clerk|supervisor|admin]   (asks for the password, or reads REVIEW_NEW_PASSWORD)
 *   npx tsx services/review/src/accounts.ts passwd NAME
 *   npx tsx services/review/src/accounts.ts disable NAME
 *   npx tsx services/review/src/accounts.ts list
 *
 * The file is REVIEW_USERS_FILE (default <INTAKE_DATA_DIR>/users.json).
 */
import { createInterface } from 'node:readline/promises';
import { loadReviewConfig } from '@intake/config';
import { randomPassword } from './auth/passwords.ts';
import { Role } from './auth/roles.ts';
import { LocalAccounts, UserName } from './auth/users.ts';

async function readPassword(env: NodeJS.ProcessEnv): Promise<{ password: string; generated: boolean }> {
  if (env.REVIEW_NEW_PASSWORD) return { password: env.REVIEW_NEW_PASSWORD, generated: false };
  if (!process.stdin.isTTY) return { password: randomPassword(), generated: true };
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question('Password (at least 12 characters; empty: generate one): ');
  rl.close();
  return answer ? { password: answer, generated: false } : { password: randomPassword(), generated: true };
}

export async function runAccountsCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, name, roleText] = argv;
  const accounts = new LocalAccounts(loadReviewConfig(env).REVIEW_USERS_FILE);
  switch (command ?? '') {
    case 'add-user':
    case 'passwd': {
      if (!name) break;
      if (!UserName.safeParse(name).success) {
        console.error('user names: 2–64 of a-z 0-9 . _ - (lower case)');
        return 2;
      }
      const existing = await accounts.get(name);
      if (command === 'passwd' && !existing) {
        console.error(`no such user: ${name}`);
        return 1;
      }
      const role = Role.safeParse(roleText ?? existing?.role ?? 'clerk');
      if (!role.success) {
        console.error('role: clerk, supervisor or admin');
        return 2;
      }
      const { password, generated } = await readPassword(env);
      await accounts.upsert(name, role.data, password);
      console.log(`${command === 'passwd' ? 'changed the password of' : 'saved'} ${name} (${role.data}) in ${accounts.file}`);
      if (generated) console.log(`password: ${password}`);
      return 0;
    }
    case 'disable':
      if (!name) break;
      if (!(await accounts.setDisabled(name, true))) {
        console.error(`no such user: ${name}`);
        return 1;
      }
      console.log(`disabled ${name}`);
      return 0;
    case 'list':
      for (const u of await accounts.list()) console.log(`${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
      return 0;
  }
  console.error('usage: accounts.ts add-user NAME [clerk|supervisor|admin] | passwd NAME | disable NAME | list');
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runAccountsCli(process.argv.slice(2));
}
