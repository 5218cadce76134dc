// Part of the production build (scripts/build.ts): imports of a workspace package's index
// ("barrel") rewritten to the modules that declare the names.
//
// Why: with code splitting, esbuild keeps every module a chunk can reach through an import,
// used or not, so `import { readDocument } from '@intake/documents'` would reach — through
// the index's re-exports — native OCR, tesseract.js, mailparser and the rest, and
// `intake extract` of a PDF would load them all. Importing `readDocument` from
// shared/documents/src/read.ts reaches only what reading needs. Workspace modules have no
// side effects on import (build.ts marks them so), so where a name is imported from makes
// no difference to what the program does.
//
// The rewrite is conservative: a name it cannot trace (a barrel it cannot read, a
// declaration it does not recognise) stays imported from the package itself.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Declared {
  file: string;
  name: string;
}

/** `@intake/<x>[/<sub>]` → the file its package.json `exports` names. */
export function workspaceEntries(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of ['shared', 'services']) {
    let names: string[] = [];
    try {
      names = readdirNames(path.join(root, group));
    } catch {
      continue;
    }
    for (const dir of names) {
      let pkg: { name?: string; exports?: Record<string, string> | string };
      try {
        pkg = JSON.parse(readFileSync(path.join(root, group, dir, 'package.json'), 'utf8')) as typeof pkg;
      } catch {
        continue;
      }
      if (!pkg.name?.startsWith('@intake/') || typeof pkg.exports !== 'object') continue;
      for (const [sub, target] of Object.entries(pkg.exports)) {
        if (typeof target !== 'string' || sub.includes('*')) continue;
        out.set(sub === '.' ? pkg.name : `${pkg.name}/${sub.replace(/^\.\//, '')}`, path.join(root, group, dir, target));
      }
    }
  }
  return out;
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
}

/** One `{ a, b as c, type T }` list: [imported, local, typeOnly]. */
export function parseSpecifiers(list: string): { imported: string; local: string; type: boolean }[] {
  return list
    .split(',')
    .map((s) => s.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '').trim())
    .filter(Boolean)
    .map((s) => {
      const type = /^type\s+/.test(s);
      const body = s.replace(/^type\s+/, '');
      const m = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(body);
      if (!m) return { imported: body, local: body, type };
      return { imported: m[1]!, local: m[2] ?? m[1]!, type };
    });
}

const DECLARATION = /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|enum|interface|type|namespace)\s+([A-Za-z_$][\w$]*)/gm;
const REEXPORT = /^export\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm;
const LOCAL_EXPORT = /^export\s+(type\s+)?\{([^}]*)\}\s*;?\s*$/gm;
const STAR = /^export\s+\*\s+from\s*['"]([^'"]+)['"]/gm;

/** Traces exported names to the files that declare them, through `export … from` and `export *`. */
export class ExportTracer {
  private readonly cache = new Map<string, Map<string, Declared>>();

  constructor(private readonly entries: Map<string, string>) {}

  /** The file `spec` (relative to `from`'s folder, or a workspace package) names, when known. */
  resolve(spec: string, from: string): string | undefined {
    if (spec.startsWith('@intake/')) return this.entries.get(spec);
    if (spec.startsWith('.')) return path.resolve(path.dirname(from), spec);
    return undefined;
  }

  /** Name → declaring file, for every name `file` exports that could be traced. */
  exportsOf(file: string): Map<string, Declared> {
    const cached = this.cache.get(file);
    if (cached) return cached;
    const out = new Map<string, Declared>();
    this.cache.set(file, out); // cycles end here
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return out;
    }
    for (const m of text.matchAll(DECLARATION)) out.set(m[1]!, { file, name: m[1]! });
    for (const m of text.matchAll(LOCAL_EXPORT)) {
      for (const s of parseSpecifiers(m[2]!)) out.set(s.local, { file, name: s.local });
    }
    for (const m of text.matchAll(REEXPORT)) {
      const target = this.resolve(m[3]!, file);
      const inner = target ? this.exportsOf(target) : undefined;
      for (const s of parseSpecifiers(m[2]!)) {
        const traced = inner?.get(s.imported);
        // Not traced: importing it from this file still works.
        out.set(s.local, traced ?? { file, name: s.local });
      }
    }
    for (const m of text.matchAll(STAR)) {
      const target = this.resolve(m[1]!, file);
      if (!target) continue;
      for (const [name, d] of this.exportsOf(target)) if (name !== 'default' && !out.has(name)) out.set(name, d);
    }
    return out;
  }
}

const IMPORT = /^(import|export)\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](@intake\/[^'"]+)['"];?/gm;

/**
 * `import { a, b } from '@intake/x'` (and `export { … } from`) → one import per declaring
 * file, by absolute path; type-only names stay on the package (erased anyway).
 */
export function rewriteBarrelImports(source: string, tracer: ExportTracer): string {
  return source.replace(IMPORT, (whole, keyword: string, typeOnly: string | undefined, list: string, spec: string) => {
    if (typeOnly) return whole;
    const barrel = tracer.resolve(spec, '');
    if (!barrel) return whole;
    const traced = tracer.exportsOf(barrel);
    const byFile = new Map<string, string[]>();
    const keep: string[] = [];
    const types: string[] = [];
    for (const s of parseSpecifiers(list)) {
      if (s.type) {
        types.push(s.imported === s.local ? s.imported : `${s.imported} as ${s.local}`);
        continue;
      }
      const d = traced.get(s.imported);
      if (!d || d.file === barrel) {
        keep.push(s.imported === s.local ? s.imported : `${s.imported} as ${s.local}`);
        continue;
      }
      const names = byFile.get(d.file) ?? [];
      names.push(d.name === s.local ? d.name : `${d.name} as ${s.local}`);
      byFile.set(d.file, names);
    }
    const lines: string[] = [];
    for (const [file, names] of byFile) lines.push(`${keyword} { ${names.join(', ')} } from ${JSON.stringify(file)};`);
    if (keep.length) lines.push(`${keyword} { ${keep.join(', ')} } from ${JSON.stringify(spec)};`);
    if (types.length) lines.push(`${keyword} type { ${types.join(', ')} } from ${JSON.stringify(spec)};`);
    return lines.join(' ');
  });
}
