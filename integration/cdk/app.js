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
const iam = require('aws-cdk-lib/aws-iam');
const s3 = require('aws-cdk-lib/aws-s3');

class S3lintDemo extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const bucket = new s3.Bucket(this, 'Data');
    const role = new iam.Role(this, 'Reader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });

    // CORRECT: grantRead names both the bucket ARN and "<bucket ARN>/*";
    // s3lint must report nothing about it.
    bucket.grantRead(role);

    // WRONG: s3:GetObject is authorized against objects, but this statement
    // names only the bucket ARN. s3lint must report it as S3L010.
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.bucketArn],
    }));

    if (props && props.suppress) {
      // The role's default policy holds both statements; its CfnPolicy gets
      // Metadata: {s3lint: {ignore: [{id, reason}]}}.
      const policy = role.node.findChild('DefaultPolicy').node.defaultChild;
      policy.addMetadata('s3lint', {
        ignore: [{ id: 'S3L010', reason: 'the reader only lists, through another policy' }],
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
