#!/usr/bin/env node
// Checks s3lint's JSON report on the synthesized CDK app (called by run).
//
//   node check.js TEMPLATE REPORT STDERR EXIT_CODE
//
// TEMPLATE is cdk.out/S3lintDemo.template.json, REPORT the output of
// `s3lint scan --format json cdk.out`, STDERR its standard error and
// EXIT_CODE its exit code. What is expected is read from the template, not
// written here, so a CDK upgrade that renames logical IDs still tests the
// same thing:
//
//   - exactly one finding, rule S3L010, exit code 1 (so nothing at all in
//     cdk.out/S3lintCorrect.template.json, whose S3 access is all correct);
//   - its message names the bucket ARN, which is known only as Fn::GetAtt of
//     the bucket resource (the bucket has no name): so the message must hold
//     the bucket's logical ID or CDK path;
//   - its location file is S3lintDemo.template.json;
//   - its resource is the aws:cdk:path of the AWS::IAM::Policy that holds
//     the wrong statement;
//   - it starts where that statement's Resource value starts.
//
// The app also synthesizes S3lintSuppressed (the same stack, the policy's
// Metadata carrying {s3lint: {ignore: [{id: S3L010, reason}]}}), read from
// beside TEMPLATE: its finding must be in the report's "suppressed" list,
// not in "findings", with kind inSource, the reason from the Metadata as
// justification, and the location of the ignore entry.
//
// Prints PASS or FAIL (with the report on failure) and exits 0 or 1.
'use strict';

const fs = require('fs');
const path = require('path');

const TEMPLATE_FILE = 'S3lintDemo.template.json';
const SUPPRESSED_FILE = 'S3lintSuppressed.template.json';

function main(argv) {
  if (argv.length !== 4) {
    console.error('usage: node check.js TEMPLATE REPORT STDERR EXIT_CODE');
    return 2;
  }
  const [templatePath, reportPath, stderrPath, exitCodeArg] = argv;
  const templateText = fs.readFileSync(templatePath, 'utf8');
  const reportText = fs.readFileSync(reportPath, 'utf8');
  const stderrText = fs.readFileSync(stderrPath, 'utf8');
  const exitCode = Number(exitCodeArg);

  const problems = [];
  const notes = [];

  // 1. What the template says the finding must be.
  const want = expected(templateText, problems);
  if (want) {
    console.log(`expected: S3L010 at ${TEMPLATE_FILE}:${want.start.line}:${want.start.column}` +
      ` (the Resource value of statement ${want.statementIndex} of ${want.policyId}),` +
      ` resource "${want.policyPath}", naming bucket ${want.bucketId} (${want.bucketPath})`);
  }

  // 2. What s3lint said.
  let report;
  try {
    report = JSON.parse(reportText);
  } catch (e) {
    problems.push(`s3lint did not write a JSON report (${e.message}; exit code ${exitCode})`);
  }
  if (report && want) {
    checkReport(report, exitCode, want, problems, notes);
  }
  if (report) {
    checkSuppressed(report, path.join(path.dirname(templatePath), SUPPRESSED_FILE), problems);
  }

  for (const n of notes) console.log(`note: ${n}`);
  if (problems.length === 0) {
    const f = report.findings[0];
    const s = report.suppressed[0];
    console.log(`PASS: s3lint found the one wrong statement in the CDK output: ` +
      `${f.location.file}:${f.location.start.line}:${f.location.start.column} ${f.rule} [${f.resource}]`);
    console.log(`PASS: and the same statement suppressed by the policy's Metadata: ` +
      `${s.location.file}:${s.location.start.line}:${s.location.start.column} ${s.rule} [${s.resource}] ` +
      `(${s.suppression.kind} at line ${s.suppression.location.start.line}: ${JSON.stringify(s.suppression.justification)})`);
    return 0;
  }
  console.log('FAIL: s3lint on the synthesized CDK app (cdk.out):');
  for (const p of problems) console.log(`  - ${p}`);
  if (report && Array.isArray(report.findings) && report.findings.length === 0) {
    console.log('  (No findings at all: s3lint did not read cdk.out/*.template.json. This is expected until');
    console.log('   the CloudFormation loader is wired into `s3lint scan`; once it is, this test must pass.)');
  }
  console.log(`--- s3lint exit code: ${exitCode}`);
  console.log('--- s3lint JSON report:');
  process.stdout.write(reportText.endsWith('\n') || reportText === '' ? reportText : reportText + '\n');
  if (stderrText.trim() !== '') {
    console.log('--- s3lint standard error:');
    process.stdout.write(stderrText.endsWith('\n') ? stderrText : stderrText + '\n');
  }
  return 1;
}

// expected finds, in the template, the one statement that grants s3:PutObject
// on Fn::GetAtt [<bucket>, Arn] alone, and returns where it is and who holds it.
function expected(text, problems) {
  let tpl;
  try {
    tpl = parse(text);
  } catch (e) {
    problems.push(`the synthesized template is not JSON: ${e.message}`);
    return null;
  }
  const resources = tpl.value.Resources || {};
  const found = [];
  for (const [id, res] of Object.entries(resources)) {
    if (res.Type !== 'AWS::IAM::Policy') continue;
    const statements = ((res.Properties || {}).PolicyDocument || {}).Statement;
    (Array.isArray(statements) ? statements : [statements]).forEach((st, i) => {
      if (!st || st.Effect !== 'Allow') return;
      const actions = [].concat(st.Action);
      if (actions.length !== 1 || actions[0] !== 's3:PutObject') return;
      const r = st.Resource;
      const getAtt = r && !Array.isArray(r) && r['Fn::GetAtt'];
      if (!Array.isArray(getAtt) || getAtt[1] !== 'Arn') return;
      const bucket = resources[getAtt[0]];
      if (!bucket || bucket.Type !== 'AWS::S3::Bucket') return;
      const at = tpl.positions.get(`/Resources/${id}/Properties/PolicyDocument/Statement/${i}/Resource`);
      found.push({
        policyId: id,
        policyPath: (res.Metadata || {})['aws:cdk:path'],
        statementIndex: i,
        bucketId: getAtt[0],
        bucketPath: (bucket.Metadata || {})['aws:cdk:path'],
        start: at.start,
        end: at.end,
      });
    });
  }
  if (found.length !== 1) {
    problems.push(`the template has ${found.length} statements granting s3:PutObject on a bucket ARN alone, ` +
      'want 1: app.js or the CDK changed what it synthesizes');
    return null;
  }
  const w = found[0];
  if (!w.policyPath || !w.bucketPath) {
    problems.push('the template has no aws:cdk:path metadata (was --no-path-metadata given?)');
    return null;
  }
  return w;
}

function checkReport(report, exitCode, want, problems, notes) {
  const findings = Array.isArray(report.findings) ? report.findings : null;
  if (!findings) {
    problems.push('the report has no "findings" list');
    return;
  }
  if (findings.length !== 1) {
    problems.push(`${findings.length} findings, want exactly 1 (S3L010 on the hand-written statement; ` +
      'nothing on bucket.grantRead, nor in S3lintCorrect)');
  }
  if (exitCode !== 1) {
    problems.push(`exit code ${exitCode}, want 1 (findings, no input error)`);
  }
  if (findings.length === 0) return;

  const f = findings.find((x) => x.rule === 'S3L010') || findings[0];
  if (f.rule !== 'S3L010') {
    problems.push(`rule ${f.rule}, want S3L010`);
  }
  const msg = String(f.message || '');
  // The logical ID, or the CDK path with or without /Resource, as written or
  // with "/" escaped as in s3lint's symbolic names ("<name of a%2Fb>").
  const paths = [want.bucketPath, want.bucketPath.replace(/\/Resource$/, '')];
  const names = [want.bucketId, ...paths, ...paths.map((p) => p.replace(/\//g, '%2F'))];
  if (!names.some((n) => msg.includes(n))) {
    problems.push(`the message does not name the bucket ARN (none of ${names.map((n) => JSON.stringify(n)).join(', ')} ` +
      `in it): ${JSON.stringify(msg)}`);
  }
  const loc = f.location || {};
  const file = String(loc.file || '');
  if (path.posix.basename(file) !== TEMPLATE_FILE) {
    problems.push(`location file ${JSON.stringify(file)}, want .../${TEMPLATE_FILE}`);
  }
  if (f.resource !== want.policyPath) {
    problems.push(`resource ${JSON.stringify(f.resource)}, want the policy's CDK path ${JSON.stringify(want.policyPath)}` +
      ` (aws:cdk:path of ${want.policyId})`);
  }
  const start = loc.start || {};
  if (start.line !== want.start.line || start.column !== want.start.column) {
    const m = `location starts at ${start.line}:${start.column}, the statement's Resource value at ` +
      `${want.start.line}:${want.start.column}`;
    problems.push(m);
  }
}

// checkSuppressed checks the finding of S3lintSuppressed: suppressed by the
// policy's Metadata, so in "suppressed" and not in "findings".
function checkSuppressed(report, templatePath, problems) {
  let text;
  try {
    text = fs.readFileSync(templatePath, 'utf8');
  } catch (e) {
    problems.push(`cdk synth wrote no ${SUPPRESSED_FILE}: ${e.message}`);
    return;
  }
  const want = expected(text, problems);
  if (!want) return;
  const tpl = parse(text);
  const md = ((tpl.value.Resources[want.policyId].Metadata || {}).s3lint || {}).ignore;
  if (!Array.isArray(md) || md.length !== 1 || !md[0].reason) {
    problems.push(`${SUPPRESSED_FILE}: the policy's Metadata has no s3lint ignore list: app.js or the CDK changed`);
    return;
  }
  const entry = tpl.positions.get(`/Resources/${want.policyId}/Metadata/s3lint/ignore/0`);
  const inFile = (x) => path.posix.basename(String((x.location || {}).file || '')) === SUPPRESSED_FILE;
  if ((report.findings || []).some(inFile)) {
    problems.push(`a finding in ${SUPPRESSED_FILE} is reported although its Metadata suppresses it`);
  }
  const sup = Array.isArray(report.suppressed) ? report.suppressed : [];
  if (sup.length !== 1) {
    problems.push(`${sup.length} suppressed findings, want exactly 1 (S3L010 in ${SUPPRESSED_FILE})`);
    return;
  }
  const s = sup[0];
  const start = (s.location || {}).start || {};
  const where = ((s.suppression || {}).location || {});
  if (s.rule !== 'S3L010' || !inFile(s) || s.resource !== want.policyPath ||
    start.line !== want.start.line || start.column !== want.start.column) {
    problems.push(`suppressed finding ${s.rule} at ${(s.location || {}).file}:${start.line}:${start.column} ` +
      `[${s.resource}], want S3L010 at ${SUPPRESSED_FILE}:${want.start.line}:${want.start.column} [${want.policyPath}]`);
  }
  if (!s.suppression || s.suppression.kind !== 'inSource' || s.suppression.justification !== md[0].reason) {
    problems.push(`suppression ${JSON.stringify(s.suppression)}, want kind inSource and justification ${JSON.stringify(md[0].reason)}`);
  } else if (path.posix.basename(String(where.file || '')) !== SUPPRESSED_FILE ||
    (where.start || {}).line !== entry.start.line) {
    problems.push(`the suppression's location ${JSON.stringify(where)} is not the ignore entry at line ${entry.start.line}`);
  }
}

// parse is JSON.parse that also records where each value starts and ends:
// positions maps a JSON pointer ("/Resources/X/Type") to {start, end}, each
// {line, column}, 1-based, columns counting Unicode code points, end
// exclusive (s3lint's convention).
function parse(text) {
  const positions = new Map();
  let i = 0;
  let line = 1;
  let col = 1;
  const here = () => ({ line, column: col });
  const advance = () => {
    const cp = text.codePointAt(i);
    i += cp > 0xffff ? 2 : 1;
    if (cp === 0x0a) { line++; col = 1; } else { col++; }
  };
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) advance(); };
  const fail = (what) => { throw new Error(`${what} at ${line}:${col}`); };
  const expect = (ch) => { if (text[i] !== ch) fail(`expected ${ch}`); advance(); };

  function value(ptr) {
    ws();
    const start = here();
    let v;
    const c = text[i];
    if (c === '{') {
      advance();
      v = {};
      ws();
      if (text[i] === '}') advance();
      else {
        for (;;) {
          ws();
          const k = string();
          ws();
          expect(':');
          v[k] = value(`${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
          ws();
          if (text[i] === ',') { advance(); continue; }
          expect('}');
          break;
        }
      }
    } else if (c === '[') {
      advance();
      v = [];
      ws();
      if (text[i] === ']') advance();
      else {
        for (;;) {
          v.push(value(`${ptr}/${v.length}`));
          ws();
          if (text[i] === ',') { advance(); continue; }
          expect(']');
          break;
        }
      }
    } else if (c === '"') {
      v = string();
    } else {
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
      if (!m) fail('unexpected character');
      v = JSON.parse(m[0]);
      for (let n = 0; n < m[0].length; n++) advance();
    }
    positions.set(ptr, { start, end: here() });
    return v;
  }

  function string() {
    const from = i;
    expect('"');
    while (text[i] !== '"') {
      if (i >= text.length) fail('unterminated string');
      if (text[i] === '\\') advance();
      advance();
    }
    advance();
    return JSON.parse(text.slice(from, i));
  }

  const v = value('');
  ws();
  if (i !== text.length) fail('trailing data');
  return { value: v, positions };
}

process.exitCode = main(process.argv.slice(2));
