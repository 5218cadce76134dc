import { App } from 'aws-cdk-lib';
import type { ContainerImage } from 'aws-cdk-lib/aws-ecs';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { IntakeStack } from './intake-stack.ts';

/**
 * The CDK app: one stack, `Intake`. Account and region come from the deploying
 * credentials (CDK_DEFAULT_*); synthesis needs neither (no lookups).
 */
export function buildApp(options: { outdir?: string; image?: ContainerImage } = {}): { app: App; stack: IntakeStack } {
  const app = new App({ outdir: options.outdir });
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stack = new IntakeStack(app, 'Intake', {
    env: account && region ? { account, region } : undefined,
    description: 'intake: medical-records intake, OCR, extraction and review',
    image: options.image,
    queues: { read: readDocumentJob.queue, extract: extractDocumentJob.queue },
  });
  return { app, stack };
}
