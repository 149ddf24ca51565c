#!/usr/bin/env node
// CDK app for the s3lint CDK integration test (see README.md and run).
//
// Two environment-agnostic stacks, S3lintDemo and S3lintSuppressed, with no
// assets, no lookups and no Lambda code, so `cdk synth` is deterministic and
// needs no AWS account, credentials or network. S3lintSuppressed is
// S3lintDemo with the wrong statement's finding suppressed the way CDK users
// can: templates have no comments, so the policy's Metadata carries an
// s3lint ignore list.
'use strict';

const cdk = require('aws-cdk-lib');
const cloudfront = require('aws-cdk-lib/aws-cloudfront');
const origins = require('aws-cdk-lib/aws-cloudfront-origins');
const cloudtrail = require('aws-cdk-lib/aws-cloudtrail');
const ec2 = require('aws-cdk-lib/aws-ec2');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const lambda = require('aws-cdk-lib/aws-lambda');
const s3 = require('aws-cdk-lib/aws-s3');
const s3n = require('aws-cdk-lib/aws-s3-notifications');
const sqs = require('aws-cdk-lib/aws-sqs');

class S3lintDemo extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // CORRECT deliveries as the CDK writes them: server access logs (the
    // CDK adds the logging.s3.amazonaws.com statement to the log bucket's
    // policy), a trail with its own bucket and policy, and VPC flow logs
    // into a bucket (the CDK adds the delivery.logs.amazonaws.com
    // statements). s3lint must report nothing about them (S3L032, S3L082).
    const logs = new s3.Bucket(this, 'AccessLogs', { enforceSSL: true });
    const bucket = new s3.Bucket(this, 'Data', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'data/' });
    new cloudtrail.Trail(this, 'Trail');
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [] });
    vpc.addFlowLog('FlowLogS3', { destination: ec2.FlowLogDestination.toS3(logs, 'flows/') });
    const role = new iam.Role(this, 'Reader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });

    // CORRECT: grantRead names both the bucket ARN and "<bucket ARN>/*";
    // s3lint must report nothing about it.
    bucket.grantRead(role);

    // WRONG: s3:PutObject is authorized against objects, but this statement
    // names only the bucket ARN, and no other statement grants it (grantRead
    // does not), so every upload gets 403. s3lint must report it as S3L010.
    // (s3:GetObject here would be harmless: grantRead already grants it on
    // the objects, and s3lint stays silent about such a repetition.)
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [bucket.bucketArn],
    }));

    if (props && props.suppress) {
      // The role's default policy holds both statements; its CfnPolicy gets
      // Metadata: {s3lint: {ignore: [{id, reason}]}}.
      const policy = role.node.findChild('DefaultPolicy').node.defaultChild;
      policy.addMetadata('s3lint', {
        ignore: [{ id: 'S3L010', reason: 'uploads go through another role' }],
      });
    }
  }
}

// S3lintCorrect: the S3 access the CDK's own constructs set up, all of it
// correct, so s3lint must report nothing here. It has an account and a
// region (ALB access logs need the region's ELB account), which no
// construct below looks anything up with.
class S3lintCorrect extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // SSE-KMS, TLS only, grants to roles, a function, another account and
    // a role of it (the CDK adds the key policy statements they need).
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true });
    const data = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true, enforceSSL: true, versioned: true,
    });
    const writer = new iam.Role(this, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    data.grantReadWrite(writer);
    const reader = new iam.Role(this, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    data.grantRead(reader, 'reports/*');
    data.grantRead(new iam.AccountPrincipal('444455556666'));
    data.grantPut(new iam.ArnPrincipal('arn:aws:iam::444455556666:role/uploader'));
    const fn = new lambda.Function(this, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    data.grantRead(fn);
    data.grantDelete(fn);
    data.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(new sqs.Queue(this, 'Events')));
    s3.Bucket.fromBucketName(this, 'External', 'acme-external-bucket').grantRead(reader);
    const inventory = new s3.Bucket(this, 'Inventory', { enforceSSL: true });
    new s3.Bucket(this, 'Counted', { inventories: [{ destination: { bucket: inventory, prefix: 'inv' }, frequency: s3.InventoryFrequency.DAILY }] });

    // CloudFront: origin access control (also in front of an SSE-KMS
    // bucket), the legacy origin access identity, and standard logs into a
    // bucket with ACLs enabled; a public website bucket. Viewers are
    // redirected to HTTPS: CloudFront forwards a viewer's request to an S3
    // origin with the viewer's protocol, and enforceSSL refuses plain HTTP
    // (with the CDK's default, allow-all, that is S3L033's warning).
    const https = cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS;
    const cdnLogs = new s3.Bucket(this, 'CdnLogs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED, enforceSSL: true });
    const site = new s3.Bucket(this, 'Site', { enforceSSL: true });
    new cloudfront.Distribution(this, 'Cdn', {
      defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site), viewerProtocolPolicy: https }, enableLogging: true, logBucket: cdnLogs,
    });
    const secure = new s3.Bucket(this, 'SecureSite', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(this, 'SiteKey'), enforceSSL: true });
    new cloudfront.Distribution(this, 'SecureCdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(secure), viewerProtocolPolicy: https } });
    const legacy = new s3.Bucket(this, 'LegacySite', { enforceSSL: true });
    new cloudfront.Distribution(this, 'LegacyCdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessIdentity(legacy), viewerProtocolPolicy: https } });
    new s3.Bucket(this, 'Public', { publicReadAccess: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS, websiteIndexDocument: 'index.html' });

    // Network: a bucket reachable only through the VPC's gateway endpoint,
    // whose policy lets those calls through; ALB access logs, a trail, VPC
    // flow logs and server access logs, through the bucket policy or the
    // log delivery group's ACL.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const endpoint = vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const inside = new s3.Bucket(this, 'Inside', { enforceSSL: true });
    endpoint.addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], resources: [inside.bucketArn, inside.arnForObjects('*')],
    }));
    inside.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:PutObject'], resources: [inside.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
    }));
    const albLogs = new s3.Bucket(this, 'AlbLogs', { enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED });
    new elbv2.ApplicationLoadBalancer(this, 'Lb', { vpc, internetFacing: true }).logAccessLogs(albLogs, 'alb');
    new cloudtrail.Trail(this, 'Trail', { sendToCloudWatchLogs: false });
    vpc.addFlowLog('Flows', { destination: ec2.FlowLogDestination.toS3(new s3.Bucket(this, 'FlowLogs', { enforceSSL: true }), 'flows/') });
    new s3.Bucket(this, 'Logged', { serverAccessLogsBucket: new s3.Bucket(this, 'AccessLogs', { enforceSSL: true }), serverAccessLogsPrefix: 'logged/' });
    const aclLogs = new s3.Bucket(this, 'AclLogs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER, accessControl: s3.BucketAccessControl.LOG_DELIVERY_WRITE });
    new s3.Bucket(this, 'AclLogged', { serverAccessLogsBucket: aclLogs });
  }
}

// The availability zones S3lintCorrect's VPC would look up, given instead.
const app = new cdk.App({ context: { 'availability-zones:account=111122223333:region=eu-west-1': ['eu-west-1a', 'eu-west-1b'] } });
// No env: the stack is environment-agnostic (no account or region lookups).
// analyticsReporting off: no AWS::CDK::Metadata resource, whatever the flags.
new S3lintDemo(app, 'S3lintDemo', { analyticsReporting: false });
new S3lintDemo(app, 'S3lintSuppressed', { analyticsReporting: false, suppress: true });
new S3lintCorrect(app, 'S3lintCorrect', { analyticsReporting: false, env: { account: '111122223333', region: 'eu-west-1' } });
app.synth();
