import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, CfnParameter, Duration, Fn, RemovalPolicy, SecretValue, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { FAX_INBOX, listPrefixes, PREFIXES, PROBE_PREFIX, SERVICES, type ServiceName, type ServiceSpec } from './services.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The CloudWatch namespace `intake metrics` publishes into (Embedded Metric Format lines in its log stream). */
export const METRICS_NAMESPACE = 'Intake';

export interface IntakeStackProps extends StackProps {
  /** The image every service runs. Default: built from the repository's Dockerfile as a CDK asset. */
  image?: ecs.ContainerImage;
  /** Read-worker task count range; scaled on the depth of the read queue. */
  readWorkers?: { min: number; max: number };
  /** Queue names (from @intake/core's job definitions), used by the alarms and the scaling metric. */
  queues: { read: string; extract: string };
  /** Years the audit copy is locked (Object Lock, compliance mode). */
  auditRetentionYears?: number;
  /** Keep the data stores when the stack is deleted (default: true). */
  retainData?: boolean;
}

/**
 * The production deployment: one VPC, the review-store and audit buckets, ElastiCache
 * Redis for the queues, Aurora PostgreSQL for the index, and one Fargate service per
 * process, all from one image, each with its own task role.
 */
export class IntakeStack extends Stack {
  readonly key: kms.Key;
  readonly reviewBucket: s3.Bucket;
  readonly auditBucket: s3.Bucket;
  readonly services = new Map<ServiceName, ecs.FargateService>();
  readonly taskRoles = new Map<ServiceName, iam.Role>();

  constructor(scope: Construct, id: string, props: IntakeStackProps) {
    super(scope, id, props);
    const retain = props.retainData ?? true;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // ---- deploy-time inputs (no AWS lookups at synth: `npm run infra:synth` runs offline) ----
    const certificateArn = new CfnParameter(this, 'CertificateArn', {
      type: 'String',
      description: 'ACM certificate for the review UI (HTTPS listener of the load balancer).',
      allowedPattern: '^arn:aws[a-z-]*:acm:.+',
    });
    const reviewUrl = new CfnParameter(this, 'ReviewPublicUrl', {
      type: 'String',
      description: 'Public https URL of the review UI (OIDC redirect is <url>/auth/oidc/callback).',
      allowedPattern: '^https://.+',
    });
    const oidcIssuer = new CfnParameter(this, 'OidcIssuer', {
      type: 'String',
      description: 'OpenID Connect issuer URL of the clerks’ identity provider.',
    });
    const oidcClientId = new CfnParameter(this, 'OidcClientId', {
      type: 'String',
      description: 'OIDC client id of the review UI.',
    });
    const imapHost = new CfnParameter(this, 'ImapHost', { type: 'String', description: 'IMAP server of the records mailbox.' });
    const imapUser = new CfnParameter(this, 'ImapUser', { type: 'String', description: 'IMAP login of the records mailbox.' });

    // ---- network: private subnets with NAT for IMAP/OIDC egress, isolated ones for data ----
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    // S3 traffic stays on the AWS network (gateway endpoint), not through the NAT.
    vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const [name, service] of [
      ['SecretsManagerEndpoint', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ['EcrApiEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDockerEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ['KmsEndpoint', ec2.InterfaceVpcEndpointAwsService.KMS],
    ] as const) {
      vpc.addInterfaceEndpoint(name, { service, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
    }

    // ---- keys and buckets ----
    this.key = new kms.Key(this, 'DataKey', {
      description: 'intake: review store, audit copy, Redis, PostgreSQL, secrets, logs',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));

    const accessLogs = new s3.Bucket(this, 'AccessLogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED, // S3 server access logging cannot write SSE-KMS objects
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });

    // Audit events are copied here by S3 replication and locked: nobody, root included,
    // can delete or overwrite a locked version before its retention ends.
    this.auditBucket = new s3.Bucket(this, 'AuditBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(365 * (props.auditRetentionYears ?? 7))),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'audit/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.reviewBucket = new s3.Bucket(this, 'ReviewBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'review/',
      // Nothing is expired: removing PHI needs a records-retention decision, not a lifecycle rule.
      // Old versions only arise from status/extraction rewrites; they move to cheaper storage.
      lifecycleRules: [
        {
          id: 'noncurrent-to-ia',
          noncurrentVersionTransitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
      ],
      replicationRules: [
        {
          id: 'audit-to-locked-bucket',
          destination: this.auditBucket,
          priority: 1,
          filter: { prefix: PREFIXES.audit },
          sseKmsEncryptedObjects: true,
          kmsKey: this.key,
          deleteMarkerReplication: false,
        },
      ],
      removalPolicy,
    });
    // Every write must ask for SSE-KMS (the services send S3_SSE=aws:kms with the key id).
    this.reviewBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUnencryptedObjectUploads',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.reviewBucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    );
    this.reviewBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyOtherKmsKeys',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.reviewBucket.arnForObjects('*')],
        conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.key.keyArn } },
      }),
    );
    // Audit events are append-only for everyone.
    this.reviewBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyAuditDeletes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.reviewBucket.arnForObjects(`${PREFIXES.audit}*`)],
      }),
    );

    // ---- Redis (BullMQ queues, sessions, leases) ----
    const redisSg = new ec2.SecurityGroup(this, 'RedisSecurityGroup', {
      vpc,
      description: 'intake Redis',
      allowAllOutbound: false,
    });
    const redisAuth = new secretsmanager.Secret(this, 'RedisAuthToken', {
      description: 'intake: ElastiCache AUTH token',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const redisParams = new elasticache.CfnParameterGroup(this, 'RedisParameters', {
      cacheParameterGroupFamily: 'redis7',
      description: 'intake: BullMQ needs noeviction',
      properties: { 'maxmemory-policy': 'noeviction' },
    });
    const redisSubnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'intake Redis',
      subnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'intake queues, sessions and leases',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      kmsKeyId: this.key.keyId,
      authToken: redisAuth.secretValue.unsafeUnwrap(),
      cacheParameterGroupName: redisParams.ref,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSg.securityGroupId],
      snapshotRetentionLimit: 7,
      port: 6379,
    });
    // The services read one REDIS_URL; this secret holds it, token included, resolved by CloudFormation.
    const redisUrl = new secretsmanager.Secret(this, 'RedisUrl', {
      description: 'intake: REDIS_URL (rediss://:token@primary:6379)',
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          'rediss://:',
          redisAuth.secretValue.unsafeUnwrap(),
          '@',
          redis.attrPrimaryEndPointAddress,
          ':',
          redis.attrPrimaryEndPointPort,
        ]),
      ),
    });

    // ---- PostgreSQL (the index) ----
    const dbSg = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc,
      description: 'intake PostgreSQL',
      allowAllOutbound: false,
    });
    const database = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      credentials: rds.Credentials.fromGeneratedSecret('intake', { encryptionKey: this.key }),
      defaultDatabaseName: 'intake',
      writer: rds.ClusterInstance.serverlessV2('writer'),
      readers: [rds.ClusterInstance.serverlessV2('reader', { scaleWithWriter: true })],
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 8,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [dbSg],
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      iamAuthentication: false,
      backup: { retention: Duration.days(14), preferredWindow: '03:00-04:00' },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      cloudwatchLogsExports: ['postgresql'],
    });
    const dbSecret = database.secret!;
    // DATABASE_URL for the index, password included, resolved by CloudFormation. The generated
    // password has no URL-reserved characters (CDK's default exclusions). TLS without CA
    // verification: the image does not carry the RDS CA bundle (docs/operations.md).
    const databaseUrl = new secretsmanager.Secret(this, 'DatabaseUrl', {
      description: 'intake: DATABASE_URL (postgres://intake:…@writer:5432/intake)',
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          'postgres://',
          dbSecret.secretValueFromJson('username').unsafeUnwrap(),
          ':',
          dbSecret.secretValueFromJson('password').unsafeUnwrap(),
          '@',
          database.clusterEndpoint.hostname,
          ':',
          database.clusterEndpoint.port.toString(),
          '/intake?sslmode=no-verify',
        ]),
      ),
    });

    // ---- application secrets (values are set by operators; see docs/operations.md) ----
    const imapSecret = new secretsmanager.Secret(this, 'ImapPassword', {
      description: 'intake: IMAP password (or app password) of the records mailbox; set by an operator',
      encryptionKey: this.key,
    });
    const oidcSecret = new secretsmanager.Secret(this, 'OidcClientSecret', {
      description: 'intake: OIDC client secret of the review UI; set by an operator',
      encryptionKey: this.key,
    });

    // ---- the fax inbox: a cloud fax gateway writes incoming/, fax-drop takes and archives to taken/ ----
    const faxInbox = new s3.Bucket(this, 'FaxInboxBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'fax-inbox/',
      removalPolicy,
    });

    // ---- ECS ----
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const image = props.image ?? ecs.ContainerImage.fromAsset(repoRoot, { file: 'Dockerfile' });
    const appSg = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', { vpc, description: 'intake services' });
    redisSg.addIngressRule(appSg, ec2.Port.tcp(6379), 'services to Redis');
    dbSg.addIngressRule(appSg, ec2.Port.tcp(5432), 'services to PostgreSQL');

    const common: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      INTAKE_REDIS_AUTOSTART: 'false',
      S3_BUCKET: this.reviewBucket.bucketName,
      S3_REGION: this.region,
      S3_FORCE_PATH_STYLE: 'false',
      S3_SSE: 'aws:kms',
      S3_KMS_KEY_ID: this.key.keyArn,
      INTAKE_OCR_ENGINE: 'native',
      INTAKE_DATA_DIR: '/tmp/intake',
    };
    const dbSecrets: Record<string, ecs.Secret> = { DATABASE_URL: ecs.Secret.fromSecretsManager(databaseUrl) };

    const perService: Record<ServiceName, { env?: Record<string, string>; secrets?: Record<string, ecs.Secret> }> = {
      review: {
        env: {
          REVIEW_HOST: '0.0.0.0',
          REVIEW_PORT: '8080',
          REVIEW_TRUST_PROXY: 'true',
          REVIEW_COOKIE_SECURE: 'true',
          REVIEW_BOOTSTRAP_ADMIN: 'false',
          OIDC_ISSUER: oidcIssuer.valueAsString,
          OIDC_CLIENT_ID: oidcClientId.valueAsString,
          OIDC_REDIRECT_URL: Fn.join('', [reviewUrl.valueAsString, '/auth/oidc/callback']),
        },
        secrets: { OIDC_CLIENT_SECRET: ecs.Secret.fromSecretsManager(oidcSecret) },
      },
      'read-worker': {},
      'extract-worker': {},
      'fax-drop': {
        env: {
          FAX_DROP_S3_BUCKET: faxInbox.bucketName,
          FAX_DROP_S3_PREFIX: FAX_INBOX.incoming,
          FAX_ARCHIVE_S3_PREFIX: FAX_INBOX.taken,
          // The folder watcher has nothing to watch in the cloud: an empty scratch folder.
          FAX_DROP_DIR: '/tmp/fax-drop',
        },
      },
      'imap-listener': {
        env: { IMAP_HOST: imapHost.valueAsString, IMAP_USER: imapUser.valueAsString },
        secrets: { IMAP_PASSWORD: ecs.Secret.fromSecretsManager(imapSecret) },
      },
      'queue-metrics': { env: { INTAKE_METRICS_NAMESPACE: METRICS_NAMESPACE } },
    };

    for (const spec of SERVICES) {
      const role = this.taskRole(spec);
      const logGroup = new logs.LogGroup(this, `${pascal(spec.name)}Logs`, {
        logGroupName: `/intake/${spec.name}`,
        retention: logs.RetentionDays.ONE_YEAR,
        encryptionKey: this.key,
        removalPolicy,
      });
      const task = new ecs.FargateTaskDefinition(this, `${pascal(spec.name)}Task`, {
        cpu: spec.cpu,
        memoryLimitMiB: spec.memoryMiB,
        taskRole: role,
        runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      });
      const extra = perService[spec.name];
      const container = task.addContainer('app', {
        image,
        command: spec.command,
        environment: { ...common, ...extra.env },
        secrets: { REDIS_URL: ecs.Secret.fromSecretsManager(redisUrl), ...(spec.database ? dbSecrets : {}), ...extra.secrets },
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: spec.name }),
        readonlyRootFilesystem: true,
        user: '1000:1000',
        stopTimeout: Duration.seconds(110),
        portMappings: spec.name === 'review' ? [{ containerPort: 8080 }] : [],
        healthCheck:
          spec.name === 'review'
            ? {
                command: [
                  'CMD',
                  'node',
                  '-e',
                  "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
                ],
                interval: Duration.seconds(30),
              }
            : undefined,
      });
      // Writable scratch space (the root filesystem is read-only).
      task.addVolume({ name: 'tmp' });
      container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
      if (spec.name === 'fax-drop') {
        // Take from incoming/ (read, then delete once archived), archive to taken/.
        role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [faxInbox.bucketArn] }));
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetObject', 's3:DeleteObject'],
            resources: [faxInbox.arnForObjects(`${FAX_INBOX.incoming}*`)],
          }),
        );
        role.addToPolicy(
          new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [faxInbox.arnForObjects(`${FAX_INBOX.taken}*`)] }),
        );
      }
      const service = new ecs.FargateService(this, `${pascal(spec.name)}Service`, {
        cluster,
        taskDefinition: task,
        serviceName: `intake-${spec.name}`,
        desiredCount: spec.desiredCount,
        securityGroups: [appSg],
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        circuitBreaker: { rollback: true },
        // The IMAP listener and fax drop must not run twice during a deployment.
        ...(spec.name === 'imap-listener' || spec.name === 'fax-drop'
          ? { minHealthyPercent: 0, maxHealthyPercent: 100 }
          : { minHealthyPercent: 100 }),
      });
      this.services.set(spec.name, service);
    }

    // ---- review behind an HTTPS load balancer ----
    const albSg = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', { vpc, description: 'intake review load balancer' });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS');
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
    const alb = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      securityGroup: albSg,
      dropInvalidHeaderFields: true,
    });
    // Access logs need the region's ELB account: on when the stack has a region (cdk deploy sets it).
    if (!Token.isUnresolved(this.region)) alb.logAccessLogs(accessLogs, 'alb');
    alb.addRedirect({ sourcePort: 80, targetPort: 443 });
    const https = alb.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      certificates: [elbv2.ListenerCertificate.fromArn(certificateArn.valueAsString)],
    });
    https.addTargets('Review', {
      port: 8080,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.services.get('review')!],
      healthCheck: { path: '/healthz', healthyHttpCodes: '200' },
      deregistrationDelay: Duration.seconds(30),
    });
    appSg.addIngressRule(albSg, ec2.Port.tcp(8080), 'load balancer to review');

    // ---- scaling and alarms on what `intake metrics` publishes ----
    const metric = (name: string, dims: Record<string, string>, statistic = 'Maximum', period = Duration.minutes(1)) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: dims, statistic, period });
    const readDepth = metric('QueueWaiting', { Queue: props.queues.read });
    const range = props.readWorkers ?? { min: 1, max: 10 };
    const scaling = this.services.get('read-worker')!.autoScaleTaskCount({ minCapacity: range.min, maxCapacity: range.max });
    scaling.scaleOnMetric('ReadQueueDepth', {
      metric: readDepth,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      scalingSteps: [
        { upper: 0, change: -1 },
        { lower: 10, change: +1 },
        { lower: 50, change: +2 },
        { lower: 200, change: +4 },
      ],
      cooldown: Duration.minutes(3),
    });

    const alarms: cloudwatch.Alarm[] = [];
    alarms.push(
      new cloudwatch.MathExpression({
        expression: 'DIFF(q)',
        usingMetrics: { q: metric('QuarantineRecords', {}, 'Maximum', Duration.hours(1)) },
        period: Duration.hours(1),
        label: 'quarantine records added per hour',
      }).createAlarm(this, 'QuarantineGrowthAlarm', {
        alarmDescription: 'More than 20 documents quarantined in an hour: check the quarantine view for a common reason.',
        threshold: 20,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const [label, queue] of [
      ['Read', props.queues.read],
      ['Extract', props.queues.extract],
    ] as const) {
      alarms.push(
        metric('OldestWaitingSeconds', { Queue: queue }).createAlarm(this, `${label}OldestJobAlarm`, {
          alarmDescription: `The oldest waiting ${queue} job has waited more than 15 minutes: workers are down or too few.`,
          threshold: 15 * 60,
          evaluationPeriods: 5,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
        new cloudwatch.MathExpression({
          expression: 'DIFF(f)',
          usingMetrics: { f: metric('QueueFailed', { Queue: queue }, 'Maximum', Duration.minutes(5)) },
          period: Duration.minutes(5),
          label: `${queue} jobs failed for good per 5 minutes`,
        }).createAlarm(this, `${label}FailedJobsAlarm`, {
          alarmDescription: `Jobs on ${queue} failed for good (retries exhausted); their documents are in quarantine.`,
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    // Every alarm notifies one topic; operators subscribe to it (docs/operations.md).
    const alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'intake alarms', masterKey: this.key });
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    for (const alarm of alarms) alarm.addAlarmAction(new cloudwatchActions.SnsAction(alarmTopic));

    new CfnOutput(this, 'ReviewLoadBalancerDns', {
      value: alb.loadBalancerDnsName,
      description: 'Point the review URL’s DNS name here (CNAME/alias).',
    });
    new CfnOutput(this, 'ReviewBucketName', { value: this.reviewBucket.bucketName });
    new CfnOutput(this, 'AuditBucketName', { value: this.auditBucket.bucketName });
    new CfnOutput(this, 'FaxInboxBucketName', {
      value: faxInbox.bucketName,
      description: `The fax gateway writes received faxes under ${FAX_INBOX.incoming} (SSE-KMS, TLS).`,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topicArn,
      description: 'Subscribe the on-call address or pager to this topic.',
    });
    new CfnOutput(this, 'ImapPasswordSecret', { value: imapSecret.secretArn });
    new CfnOutput(this, 'OidcClientSecretArn', { value: oidcSecret.secretArn });
  }

  /** One role per service: only its prefixes, no deletes, the data key for SSE-KMS. */
  private taskRole(spec: ServiceSpec): iam.Role {
    const role = new iam.Role(this, `${pascal(spec.name)}TaskRole`, {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `intake ${spec.name}: review-store prefixes ${listPrefixes(spec).join(', ') || '(none)'}`,
    });
    const bucket = this.reviewBucket;
    if (spec.store.read.length > 0) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: spec.store.read.map((p) => bucket.arnForObjects(`${p}*`)),
        }),
      );
    }
    if (spec.store.write.length > 0) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: spec.store.write.map((p) => bucket.arnForObjects(`${p}*`)),
        }),
      );
    }
    // The store's start-up probe (does the endpoint enforce conditional writes?) writes and
    // deletes one object under .probe/; the only delete any service is allowed.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        resources: [bucket.arnForObjects(`${PROBE_PREFIX}*`)],
      }),
    );
    // HeadBucket at start-up and listing under its own prefixes only.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLikeIfExists: { 's3:prefix': listPrefixes(spec).map((p) => `${p}*`) } },
      }),
    );
    this.key.grantEncryptDecrypt(role);
    this.taskRoles.set(spec.name, role);
    return role;
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase());
}
