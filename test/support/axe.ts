import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core run inside the page as the clerk sees it. The script goes in through the DevTools
// protocol (page.evaluate), not a <script> tag: the review UI's strict CSP stays on.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Every violation axe finds on the page (all of its rules but the experimental ones, any impact). */
export async function axeViolations(page: Page, context?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async (ctx) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            c: unknown,
            o: unknown,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(ctx ? document.querySelector(ctx) : document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  }, context ?? null);
}

/** The axe results of each view checked in a file, printed at the end. */
export const axeLog: { view: string; violations: number }[] = [];

export async function checkAxe(page: Page, view: string, context?: string): Promise<AxeViolation[]> {
  const violations = await axeViolations(page, context);
  axeLog.push({ view, violations: violations.length });
  return violations;
}
