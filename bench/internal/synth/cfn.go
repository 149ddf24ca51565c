package synth

import (
	"fmt"
	"strings"
)

func title(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(s, "-") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

// cfnYAML writes a CloudFormation YAML stack.
func (r *Repo) cfnYAML(path, team, name, defect string) {
	f := r.newFile(path, "cfn-yaml")
	useKMS := r.chance(0.4) || defect == dYAML080
	withQueue := r.chance(0.5)
	withTable := r.chance(0.4)
	f.L(`AWSTemplateFormatVersion: "2010-09-09"
Description: %s %s storage and processing
Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [dev, staging, prod]
  RetentionDays:
    Type: Number
    Default: %d
Mappings:
  EnvConfig:
    dev:
      LogLevel: debug
      ExpireDays: 7
    staging:
      LogLevel: info
      ExpireDays: 14
    prod:
      LogLevel: warn
      ExpireDays: 90
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:`, team, name, 7*(1+r.rng.IntN(8)))
	if useKMS {
		f.L(`  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: !Sub "${AWS::StackName} data key"
      EnableKeyRotation: true`)
		if defect == dYAML080 {
			f.L(`      KeyPolicy:`)
			f.Mark("S3L080")
			f.L(`        Version: "2012-10-17"
        Statement:
          - Sid: KeyAdministrators
            Effect: Allow
            Principal:
              AWS: !GetAtt KeyAdminRole.Arn
            Action: kms:*
            Resource: "*"
  KeyAdminRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: acme-%s-%s-key-admin
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root" }
            Action: sts:AssumeRole`, team, name)
		} else {
			f.L(`      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: AccountAdministration
            Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"`)
		}
	}
	f.L(`  DataBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub acme-${Env}-%s-%s-data
      VersioningConfiguration:
        Status: !If [IsProd, Enabled, Suspended]
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced`, team, name)
	if defect == dYAML040 {
		f.L(`      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: false`)
	} else {
		f.L(`      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true`)
	}
	f.L(`      LifecycleConfiguration:
        Rules:
          - Id: expire-tmp
            Status: Enabled
            Prefix: tmp/
            ExpirationInDays: !FindInMap [EnvConfig, !Ref Env, ExpireDays]
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:`)
	if useKMS {
		f.L(`              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt DataKey.Arn
            BucketKeyEnabled: true`)
	} else {
		f.L(`              SSEAlgorithm: AES256`)
	}
	f.L(`  DataBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref DataBucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource:
              - !GetAtt DataBucket.Arn
              - !Sub "${DataBucket.Arn}/*"
            Condition:
              Bool:
                aws:SecureTransport: "false"`)
	if defect == dYAML040 {
		f.L(`          - Sid: PublicDownloads
            Effect: Allow`)
		f.L(`            Principal: "*"`)
		f.Mark("S3L040")
		f.L(`            Action: s3:GetObject
            Resource: !Sub "${DataBucket.Arn}/downloads/*"`)
	}
	f.L(`  ProcessorRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: acme-%s-%s-processor
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data-access
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - s3:ListBucket
                  - s3:GetBucketLocation
                Resource: !GetAtt DataBucket.Arn
              - Effect: Allow
                Action:
                  - s3:GetObject
                  - s3:PutObject
                Resource: !Sub "${DataBucket.Arn}/*"`, team, name)
	if useKMS {
		f.L(`              - Effect: Allow
                Action: [kms:Decrypt, kms:GenerateDataKey]
                Resource: !GetAtt DataKey.Arn`)
	}
	if defect == dYAML010 {
		f.L(`              - Effect: Allow
                Action: s3:DeleteObject`)
		f.L(`                Resource: !GetAtt DataBucket.Arn`)
		f.Mark("S3L010")
	}
	if withQueue {
		f.L(`              - Effect: Allow
                Action: [sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage]
                Resource: !GetAtt WorkQueue.Arn
  WorkQueue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: !If [IsProd, 1209600, 345600]
      VisibilityTimeout: 120`)
	}
	if withTable {
		f.L(`  StateTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH`)
	}
	f.L(`Outputs:
  DataBucketName:
    Value: !Ref DataBucket
    Export:
      Name: !Sub "${AWS::StackName}-DataBucket"
  ProcessorRoleArn:
    Value: !GetAtt ProcessorRole.Arn`)
}

// cfnJSON writes a CloudFormation JSON stack.
func (r *Repo) cfnJSON(path, team, name, defect string) {
	f := r.newFile(path, "cfn-json")
	useKMS := r.chance(0.3)
	f.L(`{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "%s %s exports",
  "Parameters": {
    "Env": { "Type": "String", "Default": "staging" }
  },
  "Resources": {`, team, name)
	if useKMS {
		f.L(`    "ExportKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "EnableKeyRotation": true,
        "KeyPolicy": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "AccountAdministration",
              "Effect": "Allow",
              "Principal": { "AWS": { "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root" } },
              "Action": "kms:*",
              "Resource": "*"
            }
          ]
        }
      }
    },`)
	}
	f.L(`    "ExportBucket": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "BucketName": { "Fn::Join": ["-", ["acme", { "Ref": "Env" }, "%s", "%s", "exports"]] },
        "PublicAccessBlockConfiguration": {
          "BlockPublicAcls": true,
          "BlockPublicPolicy": true,
          "IgnorePublicAcls": true,
          "RestrictPublicBuckets": true
        },
        "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
        "BucketEncryption": {
          "ServerSideEncryptionConfiguration": [`, team, name)
	if useKMS {
		f.L(`            { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": { "Fn::GetAtt": ["ExportKey", "Arn"] } } }`)
	} else {
		f.L(`            { "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }`)
	}
	f.L(`          ]
        }
      }
    },
    "ExporterRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            { "Effect": "Allow", "Principal": { "Service": "ecs-tasks.amazonaws.com" }, "Action": "sts:AssumeRole" }
          ]
        }
      }
    },
    "ExporterPolicy": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "Roles": [{ "Ref": "ExporterRole" }],
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": ["s3:ListBucket"],
              "Resource": { "Fn::GetAtt": ["ExportBucket", "Arn"] }
            },
            {
              "Effect": "Allow",
              "Action": ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
              "Resource": { "Fn::Join": ["", [{ "Fn::GetAtt": ["ExportBucket", "Arn"] }, "/*"]] }
            }`)
	if useKMS {
		f.L(`,
            {
              "Effect": "Allow",
              "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
              "Resource": { "Fn::GetAtt": ["ExportKey", "Arn"] }
            }`)
	}
	f.L(`          ]
        }
      }
    }`)
	if defect == dJSON011 {
		f.L(`,
    "InventoryPolicy": {
      "Type": "AWS::IAM::ManagedPolicy",
      "Properties": {
        "PolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": "s3:ListBucketVersions",`)
		f.L(`              "Resource": { "Fn::Sub": "${ExportBucket.Arn}/*" }`)
		f.Mark("S3L011")
		f.L(`            }
          ]
        }
      }
    }`)
	}
	if r.chance(0.5) {
		f.L(`,
    "ExportTable": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
        "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }]
      }
    }`)
	}
	f.L(`
  },
  "Outputs": {
    "BucketArn": { "Value": { "Fn::GetAtt": ["ExportBucket", "Arn"] } }
  }
}`)
}

// sam writes a SAM application: template.yaml and its handler.
func (r *Repo) sam(dir, team, name, defect string) {
	f := r.newFile(dir+"/template.yaml", "sam")
	f.L(`AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: %s %s service
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    MemorySize: %d
Resources:
  UploadsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "acme-${Stage}-%s-%s-uploads"
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
  %sFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Environment:
        Variables:
          BUCKET: !Ref UploadsBucket
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref UploadsBucket
        - Statement:
            - Effect: Allow
              Action:
                - s3:PutObject`, team, name, 128<<r.rng.IntN(4), team, name, title(name))
	if defect == dSAM013 {
		f.L(`                - s3:PutObjectTaging`)
		f.Mark("S3L013")
	} else {
		f.L(`                - s3:PutObjectTagging`)
	}
	f.L(`              Resource: !Sub "arn:${AWS::Partition}:s3:::${UploadsBucket}/*"`)
	if r.chance(0.5) {
		f.L(`      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)`)
	}
	f.L(`Outputs:
  FunctionArn:
    Value: !GetAtt %sFunction.Arn`, title(name))
	h := r.newFile(dir+"/src/app.py", "noise")
	h.L(`"""Handler of the %s service."""
import json
import logging
import os

import boto3

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

s3 = boto3.client("s3")


def handler(event, context):
    bucket = os.environ["BUCKET"]
    resp = s3.list_objects_v2(Bucket=bucket, Prefix="incoming/")
    done = 0
    for obj in resp.get("Contents", []):
        body = s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
        s3.put_object(Bucket=bucket, Key="processed/" + obj["Key"], Body=body)
        s3.put_object_tagging(
            Bucket=bucket,
            Key="processed/" + obj["Key"],
            Tagging={"TagSet": [{"Key": "state", "Value": "done"}]},
        )
        done += 1
    logger.info(json.dumps({"processed": done}))
    return {"count": done}`, name)
}

// noise writes one file s3lint must ignore.
func (r *Repo) noise(i int) {
	switch i % 5 {
	case 0:
		f := r.newFile(fmt.Sprintf(".github/workflows/deploy-%d.yml", i), "noise")
		f.L(`name: deploy-%d
on:
  push:
    branches: [main]
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-terraform@v3
      - run: terraform init && terraform plan`, i)
	case 1:
		f := r.newFile(fmt.Sprintf("docs/runbook-%d.md", i), "noise")
		f.L("# Runbook %d\n\nRotate the keys yearly. Buckets are private; see `live/` for the Terraform roots.", i)
	case 2:
		f := r.newFile(fmt.Sprintf("tools/app-%d/package.json", i), "noise")
		f.L(`{
  "name": "acme-tool-%d",
  "version": "1.%d.0",
  "private": true,
  "scripts": { "build": "tsc", "test": "jest" },
  "dependencies": { "@aws-sdk/client-s3": "^3.600.0" }
}`, i, i%20)
	case 3:
		f := r.newFile(fmt.Sprintf("config/service-%d.yaml", i), "noise")
		f.L(`service: svc-%d
replicas: %d
resources:
  cpu: 250m
  memory: 512Mi
storage:
  bucket: acme-prod-shared
  prefix: svc-%d/`, i, 1+i%4, i)
	default:
		f := r.newFile(fmt.Sprintf("config/feature-flags-%d.json", i), "noise")
		f.L(`{
  "flags": {
    "new-uploader": %v,
    "batch-size": %d
  },
  "Statement": "not a policy"
}`, i%2 == 0, 10*(1+i%7))
	}
}
