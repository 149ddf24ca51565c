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
const cloudtrail = require('aws-cdk-lib/aws-cloudtrail');
const ec2 = require('aws-cdk-lib/aws-ec2');
const iam = require('aws-cdk-lib/aws-iam');
const s3 = require('aws-cdk-lib/aws-s3');

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

const app = new cdk.App();
// No env: the stack is environment-agnostic (no account or region lookups).
// analyticsReporting off: no AWS::CDK::Metadata resource, whatever the flags.
new S3lintDemo(app, 'S3lintDemo', { analyticsReporting: false });
new S3lintDemo(app, 'S3lintSuppressed', { analyticsReporting: false, suppress: true });
app.synth();
