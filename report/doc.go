// Package report writes scan results as text, JSON, SARIF, GitHub Actions
// workflow commands and JUnit XML.
//
// Every writer takes a [Result] and writes it in the order it arrives
// (findings and diagnostics are sorted by the scanner), so the same Result
// always gives byte-identical output.
//
// # Text
//
// [WriteText] writes one line per finding, then one indented line per related
// location, then a summary line:
//
//	main.tf:3:5: error S3L010 s3:GetObject acts on objects but the resource is the bucket ARN
//	    main.tf:12:1: note: bucket defined here
//	1 finding (1 error) in 1 file
//
// Suppressed findings are counted in the summary ("1 finding (1 error) in 1
// file; 2 suppressed") and, with [TextOptions].ShowSuppressed, written in
// order among the others, marked, with the suppression below them:
//
//	main.tf:9:7: error S3L010 (suppressed) s3:GetObject acts on objects …
//	    main.tf:8:7: note: suppressed: the replica reads these objects
//
// [WriteTextDiagnostics] writes input problems in the same style
// ("main.tf:7:1: error: message", or "main.tf: error: message" when only the
// file is known), so that a caller can send them to a different writer
// (stderr) from the findings.
//
// # JSON
//
// [WriteJSON] writes one JSON document, indented, ending in a newline. Its
// shape is a stable contract: fields are only ever added, never renamed,
// removed or given a different meaning, and "version" changes only if that
// promise has to be broken. Consumers should ignore fields they do not know.
// Lists are always present and are [] when empty, never null. The Go types
// [JSONReport] and those it contains describe the same shape and can be used
// to decode it.
//
//	{
//	  "version": "1",
//	  "tool": {"name": "s3lint", "version": "0.4.0"},
//	  "rules": [
//	    {"id": "S3L010", "name": "object-action-on-bucket-arn",
//	     "title": "object action on a bucket ARN", "severity": "error",
//	     "help_uri": "https://…/S3L010"}
//	  ],
//	  "findings": [
//	    {
//	      "rule": "S3L010",
//	      "name": "object-action-on-bucket-arn",
//	      "severity": "error",
//	      "message": "…",
//	      "location": {"file": "main.tf",
//	                   "start": {"line": 3, "column": 5},
//	                   "end": {"line": 3, "column": 20}},
//	      "resource": "aws_s3_bucket_policy.p",
//	      "related": [{"message": "bucket defined here", "location": {…}}],
//	      "fingerprint": "…"
//	    }
//	  ],
//	  "suppressed": [
//	    {
//	      "rule": "S3L011", …, "fingerprint": "…",
//	      "suppression": {"kind": "inSource",
//	                      "justification": "the replica reads these objects",
//	                      "location": {…}}
//	    }
//	  ],
//	  "diagnostics": [
//	    {"severity": "error", "message": "…", "location": {…}}
//	  ],
//	  "summary": {"findings": 1, "errors": 1, "warnings": 0, "notes": 0,
//	              "files": 1, "input_errors": 1, "input_warnings": 0,
//	              "input_notes": 0, "suppressed": 1}
//	}
//
// The fields:
//
//   - version: the version of this shape, "1".
//   - tool.name, tool.version: the program that wrote the document.
//   - rules: the rules that ran, sorted by id: id, name, title (one line),
//     severity (the rule's default: "error", "warning" or "note") and help_uri
//     (its documentation; "" when unknown).
//   - findings: problems found, sorted by file, position and rule.
//   - findings[].rule: the rule ID ("S3L010"), as used in configuration and
//     suppression comments.
//   - findings[].name: the rule's name; "" when the rule is not in rules.
//   - findings[].severity: "error", "warning" or "note" (this finding's
//     severity, which configuration may have changed from the rule's).
//   - findings[].message: what is wrong, in one or more sentences.
//   - findings[].location: the offending element.
//   - findings[].resource: the resource the element belongs to (a Terraform
//     address, a CloudFormation logical ID, or the construct path of a
//     template the CDK synthesized); "" when none.
//   - findings[].related: other places that explain the finding, such as the
//     bucket a policy refers to, each with a message and a location.
//   - findings[].fingerprint: an opaque string that stays the same for the
//     same finding across unrelated edits, for baselines; "" when not
//     computed.
//   - suppressed: findings that a suppression hides, sorted like findings;
//     they do not count as findings (nor in the exit code). Each has every
//     field of a finding and a suppression: kind "inSource" (an
//     s3lint:ignore comment or a template resource's Metadata) or "external"
//     (the baseline file), the justification (the reason written with the
//     suppression, or "in the baseline FILE"), and the location of the
//     suppression (empty for the baseline).
//   - diagnostics: problems with the input rather than with the
//     configuration, in input order: severity "error" (a file could not be
//     read or parsed, so it was not fully checked), "warning", or "note"
//     (informational: a module not followed, a value that cannot be known).
//   - summary: counts. findings is the total; errors, warnings and notes
//     count findings by severity; files is the number of distinct files with
//     at least one finding; input_errors, input_warnings and input_notes
//     count diagnostics by severity; suppressed counts suppressed findings.
//
// A location is {"file", "start", "end"}. file is the path as given on the
// command line or found by walking a directory (relative to the working
// directory unless it was given as an absolute path), with forward slashes.
// start and end are {"line", "column"}: 1-based, columns counting Unicode
// characters; end is exclusive (the position just after the element). A
// line or column of 0 means unknown, and a file of "" means that nothing is
// known (some diagnostics are not about a file).
//
// # SARIF
//
// [WriteSARIF] writes SARIF 2.1.0 for GitHub code scanning: one run, the
// rules with their documentation, results with region, related locations and
// partial fingerprints, and one tool execution notification per diagnostic.
// Suppressed findings follow the others as results with a suppression of
// kind "inSource" (with the justification and the location of the comment
// or Metadata entry) or "external" (the baseline), status "accepted".
// Artifact URIs are relative to [Result.SrcRoot] (uriBaseId "%SRCROOT%",
// declared without a uri); no absolute path is written: a place in a file
// outside SrcRoot has no physical location, and its location's message gives
// the path relative to the root instead. Every result has a location. At
// most [MaxSARIFResults] (25,000, GitHub's upload limit) results are written,
// the most severe kept, with a notification saying how many were left out
// ([SARIFOmitted]); at most 1,000 related locations per result. The output
// passes Microsoft's SARIF validator with GitHub's rules (.ci/sarif-validate).
//
// # GitHub Actions
//
// [WriteGitHub] writes one workflow command per finding, which the Actions
// runner turns into an annotation on the pull request:
//
//	::error file=infra/main.tf,line=3,endLine=3,col=5,endColumn=19,title=S3L010 object-action-on-bucket-arn::message
//
// The level is error, warning or notice (for note); input errors and
// warnings are annotated too. Paths are relative to SrcRoot; values are
// escaped as the runner expects, so no scanned text can inject a command.
//
// # JUnit
//
// [WriteJUnit] writes JUnit XML as GitLab and Jenkins read it: a testsuite
// per rule that ran, a failing testcase per finding (classname "S3L010
// object-action-on-bucket-arn", name "resource in file" without a line, so
// that GitLab does not take a moved finding for a new one; file and line
// attributes; a failure with the message, the severity as type and the
// details as text), a skipped testcase per suppressed finding, one passing
// "no findings" testcase for a rule that found nothing, and a testsuite
// "input" with an error testcase per input error.
//
// # Rules
//
// [WriteRulesJSON] and [WriteRulesMarkdown] describe rules for `s3lint
// rules --format json|markdown`: a [RulesDoc] with each rule's metadata and
// documentation page, or a markdown index table.
package report
