// `npm run infra:synth` (and `cdk synth`/`cdk deploy` via infra/cdk.json): synthesise the
// stack into infra/cdk.out and print what it holds. Works offline, without AWS credentials.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { repoRoot } from '../src/intake-stack.ts';

const outdir = process.env.CDK_OUTDIR ?? path.join(repoRoot, 'infra/cdk.out');
// A fresh assembly each time (old image assets would pile up otherwise).
if (!process.env.CDK_OUTDIR) rmSync(outdir, { recursive: true, force: true });
const { app } = buildApp({ outdir });
const assembly = app.synth();
if (!process.env.CDK_OUTDIR) {
  for (const stack of assembly.stacks) {
    const resources = Object.values((stack.template as { Resources: Record<string, { Type: string }> }).Resources);
    const byType = new Map<string, number>();
    for (const r of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
    process.stdout.write(
      `${stack.stackName}: ${resources.length} resources → ${path.relative(process.cwd(), path.join(outdir, stack.templateFile))}\n`,
    );
    for (const [type, n] of [...byType].sort()) process.stdout.write(`  ${String(n).padStart(3)}  ${type}\n`);
  }
}
