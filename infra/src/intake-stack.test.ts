import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { extractDocumentJob, readDocumentJob } from '@intake/core';
import { checkKeys, containerRecordKey } from '@intake/arrivals';
import { keys } from '@intake/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryPoints } from '../../scripts/build.ts';
import { buildApp } from './app.ts';
import { PREFIXES, PROBE_PREFIX, SERVICES } from './services.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

let outdir: string;
let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, Resource] => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const byPrefix = (type: string, prefix: string): [string, Resource] => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]!;
};
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const json = (v: unknown) => JSON.stringify(v);
const pascalName = (name: string) => name.replace(/(^|-)([a-z])/g, (_, _d, c: string) => c.toUpperCase());
const taskFor = (name: string) => byPrefix('AWS::ECS::TaskDefinition', `${pascalName(name)}Task`)[1];
const container = (name: string) => (taskFor(name).Properties.ContainerDefinitions as Record<string, unknown>[])[0]!;

beforeAll(() => {
  // The real app, synthesised offline as `npm run infra:synth` does (the image is a Dockerfile asset).
  outdir = mkdtempSync(path.join(os.tmpdir(), 'intake-cdk-'));
  const { stack } = buildApp({ outdir });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('review store bucket', () => {
  it('is versioned, SSE-KMS with the stack’s customer key, and blocks public access', () => {
    const [keyId] = only('AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [, bucket] = byPrefix('AWS::S3::Bucket', 'ReviewBucket');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        },
      ],
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    // No rule expires anything.
    expect(json(bucket.Properties.LifecycleConfiguration)).not.toMatch(/Expiration/);
  });

  it('refuses non-TLS requests, unencrypted or foreign-key uploads, and audit deletes', () => {
    const [bucketId] = byPrefix('AWS::S3::Bucket', 'ReviewBucket');
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => json(p.Properties.Bucket).includes(bucketId))![1];
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const denies = statements.filter((s) => s.Effect === 'Deny');
    expect(denies.some((s) => json(s.Condition) === json({ Bool: { 'aws:SecureTransport': 'false' } }))).toBe(true);
    expect(
      denies.some(
        (s) => json(s.Condition).includes('"s3:x-amz-server-side-encryption":"aws:kms"') && actions(s).includes('s3:PutObject'),
      ),
    ).toBe(true);
    expect(denies.some((s) => json(s.Condition).includes('s3:x-amz-server-side-encryption-aws-kms-key-id'))).toBe(true);
    const auditDeny = denies.find((s) => actions(s).includes('s3:DeleteObject'))!;
    expect(json(auditDeny.Resource)).toContain('/audit/*');
  });
});

describe('audit bucket', () => {
  it('has Object Lock in compliance mode and receives audit/ by replication', () => {
    const [auditId, audit] = byPrefix('AWS::S3::Bucket', 'AuditBucket');
    expect(audit.Properties.ObjectLockEnabled).toBe(true);
    expect(audit.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 7 * 365 } },
    });
    expect(audit.Properties.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const [, review] = byPrefix('AWS::S3::Bucket', 'ReviewBucket');
    const rules = (review.Properties.ReplicationConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      Status: 'Enabled',
      Filter: { Prefix: PREFIXES.audit },
      SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
    });
    expect(json(rules[0]!.Destination)).toContain(auditId);
  });
});

describe('Redis and PostgreSQL', () => {
  it('ElastiCache Redis: TLS, AUTH from Secrets Manager, encrypted at rest, multi-AZ, noeviction', () => {
    const [, group] = only('AWS::ElastiCache::ReplicationGroup');
    expect(group.Properties).toMatchObject({
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      NumCacheClusters: 2,
    });
    expect(json(group.Properties.AuthToken)).toMatch(/resolve:secretsmanager/);
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'maxmemory-policy': 'noeviction' } });
  });

  it('Aurora PostgreSQL, storage encrypted with the customer key, generated credentials', () => {
    const [keyId] = only('AWS::KMS::Key');
    const [, cluster] = only('AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(json(cluster.Properties.MasterUserPassword)).toMatch(/resolve:secretsmanager/);
    expect(ofType('AWS::RDS::DBInstance').every(([, i]) => i.Properties.PubliclyAccessible === false)).toBe(true);
  });
});

describe('services', () => {
  it('one Fargate service per process, all from the same image built from the Dockerfile', () => {
    const services = ofType('AWS::ECS::Service');
    expect(services.map(([, s]) => s.Properties.ServiceName).sort()).toEqual(SERVICES.map((s) => `intake-${s.name}`).sort());
    expect(services.every(([, s]) => s.Properties.LaunchType === 'FARGATE')).toBe(true);
    const images = new Set(SERVICES.map((s) => json(container(s.name).Image)));
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(/cdk-hnb659fds-container-assets/);
  });

  it('each service runs its own entry of the production build, as a non-root user on a read-only root', () => {
    const built = Object.keys(entryPoints());
    for (const spec of SERVICES) {
      const c = container(spec.name);
      expect(c.Command).toEqual(spec.command);
      const entry = /^dist\/(.+)\.js$/.exec(spec.command[2]!)?.[1];
      expect(built, `${spec.name} runs dist/${entry}.js`).toContain(entry);
      expect(c).toMatchObject({ User: '1000:1000', ReadonlyRootFilesystem: true });
      const env = Object.fromEntries((c.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));
      expect(env).toMatchObject({
        NODE_ENV: 'production',
        INTAKE_REDIS_AUTOSTART: 'false',
        S3_SSE: 'aws:kms',
        INTAKE_OCR_ENGINE: 'native',
      });
      const secrets = (c.Secrets as { Name: string }[]).map((s) => s.Name);
      expect(secrets).toContain('REDIS_URL');
      // Nothing secret travels as a plain environment variable.
      expect(Object.keys(env).filter((k) => /PASSWORD|SECRET|TOKEN|REDIS_URL/.test(k))).toEqual([]);
    }
    expect((container('imap-listener').Secrets as { Name: string }[]).map((s) => s.Name)).toContain('IMAP_PASSWORD');
    expect((container('review').Secrets as { Name: string }[]).map((s) => s.Name)).toContain('OIDC_CLIENT_SECRET');
    expect((container('read-worker').Secrets as { Name: string }[]).map((s) => s.Name)).toContain('DATABASE_URL');
  });

  it('exactly one IMAP listener, never two during a deployment', () => {
    const [, imap] = ofType('AWS::ECS::Service').find(([, s]) => s.Properties.ServiceName === 'intake-imap-listener')!;
    expect(imap.Properties.DesiredCount).toBe(1);
    expect(imap.Properties.DeploymentConfiguration).toMatchObject({ MaximumPercent: 100, MinimumHealthyPercent: 0 });
  });

  it('review behind an internet-facing ALB: HTTPS with the given certificate, HTTP redirected', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }],
      SslPolicy: Match.stringLikeRegexp('TLS'),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/healthz' });
  });

  it('the read worker scales on the depth of the read queue', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 1,
      MaxCapacity: 10,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    const [, alarmHigh] = ofType('AWS::CloudWatch::Alarm').find(([id]) => id.includes('ReadQueueDepth') && id.includes('Upper'))!;
    expect(alarmHigh.Properties).toMatchObject({
      Namespace: 'Intake',
      MetricName: 'QueueWaiting',
      Dimensions: [{ Name: 'Queue', Value: readDocumentJob.queue }],
    });
  });

  it('the scaling target is the read worker’s service, stepped on the read queue’s depth', () => {
    const [, target] = only('AWS::ApplicationAutoScaling::ScalableTarget');
    const [readServiceId] = ofType('AWS::ECS::Service').find(([, s]) => s.Properties.ServiceName === 'intake-read-worker')!;
    expect(json(target.Properties.ResourceId)).toContain(readServiceId);
    const policies = ofType('AWS::ApplicationAutoScaling::ScalingPolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const [, p] of policies) expect(p.Properties.PolicyType).toBe('StepScaling');
  });

  it('every secret a container gets comes from Secrets Manager, encrypted with the customer key', () => {
    const [keyId] = only('AWS::KMS::Key');
    const secretIds = new Set(ofType('AWS::SecretsManager::Secret').map(([id]) => id));
    const attachments = new Set(ofType('AWS::SecretsManager::SecretTargetAttachment').map(([id]) => id));
    for (const spec of SERVICES) {
      for (const s of container(spec.name).Secrets as { Name: string; ValueFrom: { Ref?: string } }[]) {
        const ref = s.ValueFrom.Ref ?? '';
        expect(secretIds.has(ref) || attachments.has(ref), `${spec.name} ${s.Name} from ${json(s.ValueFrom)}`).toBe(true);
      }
    }
    for (const [id, secret] of ofType('AWS::SecretsManager::Secret'))
      expect(secret.Properties.KmsKeyId, id).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  it('S3 is reached through a gateway endpoint', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.s3'])]) }),
    });
  });
});

describe('IAM: one role per service with only its prefixes', () => {
  const policyOf = (name: string) => {
    const roleId = byPrefix('AWS::IAM::Role', `${pascalName(name)}TaskRole`)[0];
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) => json(p.Properties.Roles).includes(roleId));
    return policies.flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const reviewBucketId = () => byPrefix('AWS::S3::Bucket', 'ReviewBucket')[0];
  const objectPrefixes = (statements: Statement[], action: string, bucketId = reviewBucketId()) =>
    statements
      .filter((s) => actions(s).includes(action))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
      .filter((r) => json(r).includes(bucketId))
      .map((r) => /\/([a-z./]+)\*"?\]\]\}$/.exec(json(r))?.[1])
      .sort();

  it('each service’s task runs under its own task role', () => {
    const taskRoles = SERVICES.map((spec) => json(taskFor(spec.name).Properties.TaskRoleArn));
    expect(new Set(taskRoles).size).toBe(SERVICES.length);
    for (const spec of SERVICES) {
      const roleId = byPrefix('AWS::IAM::Role', `${pascalName(spec.name)}TaskRole`)[0];
      expect(json(taskFor(spec.name).Properties.TaskRoleArn), spec.name).toContain(roleId);
    }
  });

  it('grants GetObject and PutObject exactly on the prefixes in the service table, and never Delete', () => {
    for (const spec of SERVICES) {
      const statements = policyOf(spec.name);
      expect(objectPrefixes(statements, 's3:GetObject'), `${spec.name} read`).toEqual([...spec.store.read, PROBE_PREFIX].sort());
      expect(objectPrefixes(statements, 's3:PutObject'), `${spec.name} write`).toEqual(
        [...spec.store.write, PROBE_PREFIX].sort(),
      );
      // The one delete: the start-up probe object.
      expect(objectPrefixes(statements, 's3:DeleteObject'), `${spec.name} delete`).toEqual([PROBE_PREFIX]);
      const all = statements.flatMap(actions);
      expect(
        all.filter((a) =>
          /^s3:\*$|^\*$|^s3:DeleteObjectVersion|^s3:PutBucket|^s3:PutObjectRetention|^s3:BypassGovernance/.test(a),
        ),
        spec.name,
      ).toEqual([]);
    }
  });

  it('fax-drop takes from the fax inbox: reads and deletes incoming/, writes taken/', () => {
    const inboxId = byPrefix('AWS::S3::Bucket', 'FaxInboxBucket')[0];
    const statements = policyOf('fax-drop');
    expect(objectPrefixes(statements, 's3:GetObject', inboxId)).toEqual(['incoming/']);
    expect(objectPrefixes(statements, 's3:DeleteObject', inboxId)).toEqual(['incoming/']);
    expect(objectPrefixes(statements, 's3:PutObject', inboxId)).toEqual(['taken/']);
    for (const spec of SERVICES.filter((s) => s.name !== 'fax-drop')) expect(json(policyOf(spec.name))).not.toContain(inboxId);
    const env = (
      byPrefix('AWS::ECS::TaskDefinition', 'FaxDropTask')[1].Properties.ContainerDefinitions as {
        Environment: { Name: string; Value: unknown }[];
      }[]
    )[0]!.Environment;
    expect(Object.fromEntries(env.map((e) => [e.Name, e.Value]))).toMatchObject({
      FAX_DROP_S3_PREFIX: 'incoming/',
      FAX_ARCHIVE_S3_PREFIX: 'taken/',
      FAX_DROP_S3_BUCKET: { Ref: inboxId },
    });
  });

  it('only the channels and the read worker write originals; the metrics task writes nothing', () => {
    const writers = (p: string) =>
      SERVICES.filter((s) => s.store.write.includes(p as never))
        .map((s) => s.name)
        .sort();
    // The channels, and the read worker for documents inside a container that reached it.
    expect(writers(PREFIXES.originals)).toEqual(['fax-drop', 'imap-listener', 'read-worker']);
    // Every service that moves a document audits the transition; the metrics task writes nothing.
    expect(writers(PREFIXES.audit)).toEqual(['extract-worker', 'fax-drop', 'imap-listener', 'read-worker', 'review']);
    expect(writers(PREFIXES.rawEmail)).toEqual(['imap-listener']);
  });

  it('the table’s prefixes cover every key the review store writes', () => {
    const id = 'a'.repeat(64);
    const samples = [
      keys.original(id),
      keys.rawEmail(id),
      keys.emailRecord(id),
      keys.intake(id),
      keys.receipt(id, id),
      keys.status(id),
      keys.readManifest(id),
      keys.pageText(id, 1),
      keys.pageImage(id, 1, 'png'),
      keys.extraction(id),
      keys.revision(id, 1),
      keys.quarantine(id),
      keys.audit(new Date(), 'x'),
      checkKeys.checks(id),
      checkKeys.fingerprint(id),
      containerRecordKey(id),
    ];
    const prefixes = Object.values(PREFIXES);
    for (const key of samples)
      expect(
        prefixes.some((p) => key.startsWith(p)),
        key,
      ).toBe(true);
  });
});

describe('alarms', () => {
  it('on quarantine growth, oldest-job age and failed jobs of both queues, notifying one topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([id]) => !id.includes('ReadQueueDepth'));
    const ids = alarms.map(([id]) => id);
    for (const name of [
      'QuarantineGrowthAlarm',
      'ReadOldestJobAlarm',
      'ExtractOldestJobAlarm',
      'ReadFailedJobsAlarm',
      'ExtractFailedJobsAlarm',
    ]) {
      expect(
        ids.some((id) => id.startsWith(name)),
        name,
      ).toBe(true);
    }
    const [topicId] = only('AWS::SNS::Topic');
    for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    const text = json(alarms);
    for (const queue of [readDocumentJob.queue, extractDocumentJob.queue]) expect(text).toContain(`"Value":"${queue}"`);
    expect(text).toContain('OldestWaitingSeconds');
    expect(text).toContain('QuarantineRecords');
  });
});
