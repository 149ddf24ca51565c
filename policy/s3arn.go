package policy

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Partitions are the AWS partitions: the first field of every ARN after
// "arn". An ARN with any other partition names nothing.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// IsPartition reports whether p is the name of an AWS partition.
func IsPartition(p string) bool {
	for _, q := range Partitions {
		if p == q {
			return true
		}
	}
	return false
}

var regionPattern = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$`)

// PartitionOf is the partition to build ARNs with for a region: its own,
// or "aws" (AWS's default) when RegionPartition does not know it.
func PartitionOf(region string) string {
	if p := RegionPartition(region); p != "" {
		return p
	}
	return "aws"
}

// RegionPartition returns the partition a region belongs to, or "" when
// region does not look like an AWS region or belongs to an isolated
// partition this table does not know: callers that compare partitions must
// not guess there.
func RegionPartition(region string) string {
	if !regionPattern.MatchString(region) {
		return ""
	}
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(region, "us-isof-"):
		return "aws-iso-f"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	for _, seg := range strings.Split(region, "-") {
		if strings.HasPrefix(seg, "iso") {
			// An isolated partition added after this table.
			return ""
		}
	}
	return "aws"
}

// S3ARNDefect says why an S3 ARN written in a policy can never match a real
// resource.
type S3ARNDefect struct {
	// Problem says what is wrong, for a message: "a bucket ARN has no
	// region or account".
	Problem string
	// Hint says how to correct the ARN when no Suggestion can be made:
	// "write it as arn:PARTITION:s3:::BUCKET…".
	Hint string
	// Suggestion is the ARN corrected, or "" when the intent is unclear.
	Suggestion string
	// Legacy is set when the only defect is one that buckets created in
	// us-east-1 before March 2018 may share (uppercase letters,
	// underscores, names up to 255 characters): the ARN is then only
	// possibly wrong.
	Legacy bool
	// Partition is set when the defect is the partition: unknown, or other
	// than the one the configuration deploys to.
	Partition bool
}

// Shapes of S3 ARNs, for messages.
const (
	bucketForm      = "write it as arn:PARTITION:s3:::BUCKET or arn:PARTITION:s3:::BUCKET/KEY"
	accessPointForm = "write it as arn:PARTITION:s3:REGION:ACCOUNT:accesspoint/NAME (and …/object/KEY for its objects)"
	nameHint        = "write the bucket's actual name"
)

// anyRun stands for an IAM policy variable (${aws:username}) while an ARN is
// checked: like *, it may become any text, including colons and slashes.
const anyRun = '\x00'

// regionalTypes are the resource types of S3 ARNs that carry a region and
// an account (AWS's Service Authorization Reference), besides access points.
// outpost is listed so that an s3-outposts-like ARN written with service s3
// is left alone: s3lint does not know its rules well enough to judge it.
var regionalTypes = map[string]bool{
	"job": true, "storage-lens": true, "storage-lens-group": true, "access-grants": true,
	"async-request": true, "outpost": true,
}

// CheckS3ARN reports why s, a Resource or NotResource entry of a policy,
// can never match an S3 resource. partition is the partition the policy is
// deployed to, "" when unknown. ok is false when s is fine, is not an S3
// ARN (other services, "*", s3-object-lambda, s3-outposts, s3express), or
// cannot be judged: it holds a placeholder a tool substitutes later
// (<bucket>, {{bucket}}, __BUCKET__, %s, ${var.bucket}) or a wildcard
// where the defect would be. IAM policy variables (${aws:username}) and
// wildcards may stand for any text, so a bucket name is wrong only when no
// text in their place could make it right.
func CheckS3ARN(s, partition string) (d S3ARNDefect, ok bool) {
	if !strings.HasPrefix(s, "arn:") {
		return d, false
	}
	t, clean := maskVariables(s)
	if !clean || looksLikePlaceholder(t) {
		return d, false
	}
	parts := strings.SplitN(t, ":", 4)
	if len(parts) < 3 || parts[2] != "s3" {
		return d, false
	}
	part := parts[1]
	if strings.ContainsRune(part, anyRun) {
		// A policy variable as the partition: not a form s3lint knows.
		return d, false
	}
	if !hasWild(part) && !IsPartition(part) {
		return S3ARNDefect{Problem: "\"" + part + "\" is not an AWS partition (" + strings.Join(Partitions, ", ") + ")",
			Suggestion: fixPartition(s, part, partition), Partition: true}, true
	}
	if len(parts) == 3 {
		return S3ARNDefect{Problem: "it ends after the service and names no resource", Hint: bucketForm}, true
	}
	tail := parts[3]
	rest := strings.TrimLeft(tail, ":")
	colons := len(tail) - len(rest)
	name, _, _ := strings.Cut(rest, "/")
	if colons != 2 && !strings.Contains(name, ":") {
		// The bucket name follows the service with other than the two
		// colons of the empty region and account fields. A wildcard at
		// the start may stand for the missing colons.
		if strings.HasPrefix(rest, "*") || (rest != "" && rest[0] == anyRun) {
			return d, false
		}
		d = S3ARNDefect{Problem: colonsProblem(colons), Hint: bucketForm}
		if rest != "" && bucketNameProblem(name).problem == "" {
			d.Suggestion = "arn:" + part + ":s3:::" + suffix(s, t, len(rest))
		}
		return d, true
	}
	a, _ := ParseARN(t)
	if a.Region == "" && a.Account == "" {
		if d, bad := checkBucketResource(s, t, a); bad {
			return d, true
		}
	} else if d, bad := checkRegional(s, t, a); bad {
		return d, true
	}
	if partition != "" && !hasWild(part) && part != partition {
		d = S3ARNDefect{
			Problem:   "its partition is " + part + " but the configuration deploys to " + partition + ", whose resources have ARNs beginning arn:" + partition + ":",
			Partition: true,
		}
		if a.Region == "" {
			d.Suggestion = fixPartition(s, part, partition)
		} else {
			// A regional ARN needs a region of that partition too,
			// which s3lint cannot pick.
			d.Hint = "write it with partition " + partition + " and a region of " + partition
		}
		return d, true
	}
	return d, false
}

func colonsProblem(colons int) string {
	switch colons {
	case 0:
		return "the region and account fields are missing (S3 bucket and object ARNs have six colon-separated fields, the region and account empty)"
	case 1:
		return "a colon is missing (S3 bucket and object ARNs have six colon-separated fields, the region and account empty: three colons after s3)"
	default:
		return "it has too many colons (S3 bucket and object ARNs have six colon-separated fields, the region and account empty: three colons after s3)"
	}
}

// checkBucketResource checks a bucket or object ARN: one with empty region
// and account.
func checkBucketResource(s, t string, a ARN) (S3ARNDefect, bool) {
	name, key, _ := strings.Cut(a.Resource, "/")
	if name == "" {
		// No bucket name at all is what an optional input left empty
		// renders (a parameter's default '' in the Fn::If branch its
		// condition rules out, a variable a count guards): whether that
		// value is ever deployed is not known, so nothing is said.
		return S3ARNDefect{}, false
	}
	if i := strings.IndexAny(name, "*?"+string(anyRun)); i >= 0 {
		// A wildcard may match "/" too (arn:aws:s3:::*SageMaker* covers
		// my-bucket/SageMaker/model): only the text before it is
		// certainly part of the bucket name.
		name = name[:i] + "*"
	}
	if p := bucketNameProblem(name); p.problem != "" {
		at := len(t) - len(a.Resource)
		d := S3ARNDefect{Problem: "\"" + restore(s, at, at+len(name)) + "\" " + p.problem, Legacy: p.legacy, Hint: nameHint}
		if p.fixed != "" && bucketNameProblem(p.fixed).problem == "" {
			d.Suggestion = "arn:" + a.Partition + ":s3:::" + p.fixed
			if key != "" || strings.HasSuffix(a.Resource, "/") {
				d.Suggestion += "/" + suffix(s, t, len(key))
			}
		}
		return d, true
	}
	return S3ARNDefect{}, false
}

// checkRegional checks an ARN with a region or an account: an access point
// (or one of its objects), another regional S3 resource, or a bucket or
// object ARN that wrongly has them.
func checkRegional(s, t string, a ARN) (S3ARNDefect, bool) {
	if a.Resource == "" {
		return S3ARNDefect{Problem: "it names no resource", Hint: bucketForm + ", or for an access point " + strings.TrimPrefix(accessPointForm, "write it as ")}, true
	}
	typ, after, hasSlash := strings.Cut(a.Resource, "/")
	if hasWild(typ) || regionalTypes[typ] {
		return S3ARNDefect{}, false
	}
	if typ == "accesspoint" {
		return checkAccessPoint(t, a, after, hasSlash)
	}
	if !nonEmpty(a.Region) && !nonEmpty(a.Account) {
		// Wildcards that may match the empty fields of a bucket ARN.
		return S3ARNDefect{}, false
	}
	if bucketNameProblem(typ).problem != "" {
		// Neither a bucket nor a resource type s3lint knows: unsure.
		return S3ARNDefect{}, false
	}
	return S3ARNDefect{
		Problem:    "bucket and object ARNs have empty region and account fields, but this one has " + regionAccount(a),
		Suggestion: "arn:" + a.Partition + ":s3:::" + suffix(s, t, len(a.Resource)),
	}, true
}

func regionAccount(a ARN) string {
	switch {
	case a.Region != "" && a.Account != "":
		return "a region and an account"
	case a.Region != "":
		return "a region"
	default:
		return "an account"
	}
}

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

func checkAccessPoint(s string, a ARN, after string, hasSlash bool) (S3ARNDefect, bool) {
	name, _, _ := strings.Cut(after, "/")
	switch {
	case !hasSlash || name == "":
		return S3ARNDefect{Problem: "it names no access point", Hint: accessPointForm}, true
	case a.Account == "":
		return S3ARNDefect{Problem: "an access point ARN needs the 12-digit account ID that owns the access point", Hint: accessPointForm}, true
	case a.Region == "" && !hasWild(name) && !strings.HasSuffix(name, ".mrap"):
		// Multi-Region Access Points have no region, but their ARNs
		// name them by an alias ending in .mrap.
		return S3ARNDefect{Problem: "an access point ARN needs the region of the access point (only Multi-Region Access Points, named by an alias ending in .mrap, have none)",
			Hint: accessPointForm}, true
	case !hasWild(a.Account) && !accountPattern.MatchString(a.Account):
		d := S3ARNDefect{Problem: "\"" + a.Account + "\" is not a 12-digit account ID", Hint: accessPointForm}
		if digits := strings.ReplaceAll(a.Account, "-", ""); accountPattern.MatchString(digits) && !strings.ContainsRune(s, anyRun) {
			// The account as the console shows it, 1111-2222-3333.
			d.Suggestion = strings.Replace(s, ":"+a.Account+":", ":"+digits+":", 1)
		}
		return d, true
	}
	return S3ARNDefect{}, false
}

// nameProblem is what is wrong with a bucket name: problem is "" when some
// text in place of its wildcards and variables makes it valid. fixed is the
// name lower-cased with underscores as hyphens, when that is all it takes
// and the name holds neither wildcards nor variables.
type nameProblem struct {
	problem string
	legacy  bool
	fixed   string
}

var ipv4Pattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)

// bucketNameProblem applies S3's bucket naming rules to name, where * and
// anyRun stand for any text and ? for one character: 3 to 63 characters of
// lowercase letters, digits, dots and hyphens, beginning and ending with a
// letter or digit, no two dots in a row, not an IP address.
func bucketNameProblem(name string) nameProblem {
	if name == "" {
		return nameProblem{problem: "is not a valid bucket name: it is empty"}
	}
	fixed := ""
	if !hasWild(name) {
		fixed = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
		if fixed == name {
			fixed = ""
		}
	}
	minLen, open := 0, false
	var legacy []string
	upper, under := false, false
	for i := range len(name) {
		c := name[i]
		switch {
		case c == '*' || c == anyRun:
			open = true
			continue
		case c == '?':
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '.', c == '-':
		case 'A' <= c && c <= 'Z':
			upper = true
		case c == '_':
			under = true
		default:
			return nameProblem{problem: "is not a valid bucket name: bucket names hold only lowercase letters, digits, dots and hyphens, not " + quoteChar(name, i)}
		}
		minLen++
	}
	first, last := name[0], name[len(name)-1]
	switch {
	case !open && minLen < 3:
		return nameProblem{problem: "is not a valid bucket name: bucket names have 3 to 63 characters"}
	case minLen > 255:
		return nameProblem{problem: "is not a valid bucket name: bucket names have 3 to 63 characters"}
	case first == '.' || first == '-':
		return nameProblem{problem: "is not a valid bucket name: bucket names begin with a letter or digit"}
	case last == '.' || last == '-':
		return nameProblem{problem: "is not a valid bucket name: bucket names end with a letter or digit"}
	case strings.Contains(name, ".."):
		return nameProblem{problem: "is not a valid bucket name: bucket names have no two dots in a row"}
	case !open && !strings.Contains(name, "?") && ipv4Pattern.MatchString(name):
		return nameProblem{problem: "is not a valid bucket name: bucket names are not formatted as IP addresses"}
	}
	if upper {
		legacy = append(legacy, "uppercase letters")
	}
	if under {
		legacy = append(legacy, "underscores")
	}
	if minLen > 63 {
		legacy = append(legacy, "more than 63 characters")
	}
	if len(legacy) == 0 {
		return nameProblem{}
	}
	return nameProblem{
		problem: "is not a valid bucket name: bucket names have no " + strings.Join(legacy, " or ") +
			" (only buckets created in us-east-1 before March 1, 2018 may have them)",
		legacy: true,
		fixed:  fixed,
	}
}

func quoteChar(name string, i int) string {
	switch name[i] {
	case ' ':
		return "spaces"
	case '/':
		return "slashes"
	}
	r := []rune(name[i:])
	if len(r) == 0 {
		return "other characters"
	}
	return "\"" + string(r[0]) + "\""
}

// hasWild reports whether s holds a wildcard or a policy variable.
func hasWild(s string) bool { return strings.ContainsAny(s, "*?\x00") }

// nonEmpty reports whether s cannot match the empty string.
func nonEmpty(s string) bool { return strings.Trim(s, "*\x00") != "" }

// maskVariables replaces each IAM policy variable in s (${aws:username},
// ${aws:PrincipalTag/team, 'default'}, ${*}, and the &{…} spelling of
// Terraform's aws_iam_policy_document) with anyRun. clean is false when s
// holds ${…} that is not a policy variable: an unrendered template
// (${var.bucket}, ${AWS::Region}, ${Bucket}) or an unterminated one.
func maskVariables(s string) (string, bool) {
	if !strings.Contains(s, "{") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if (s[i] == '$' || s[i] == '&') && i+1 < len(s) && s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return "", false
			}
			if !policyVariable(s[i+2 : i+end]) {
				return "", false
			}
			b.WriteByte(anyRun)
			i += end
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

// Variables returns the IAM policy variables written in s
// (aws:username for ${aws:username}, aws:PrincipalTag/team for
// ${aws:PrincipalTag/team, 'x'}; the &{…} spelling too), not the escapes
// ${*}, ${?} and ${$}.
func Variables(s string) []string {
	var out []string
	for i := 0; i+1 < len(s); i++ {
		if (s[i] != '$' && s[i] != '&') || s[i+1] != '{' {
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			break
		}
		if inner := s[i+2 : i+end]; policyVariablePattern.MatchString(inner) {
			name, _, _ := strings.Cut(inner, ",")
			out = append(out, strings.TrimSpace(name))
		}
		i += end
	}
	return out
}

// policyVariablePattern matches the inside of an IAM policy variable: a
// service-prefixed key with one colon (aws:username, s3:prefix,
// aws:PrincipalTag/team, cognito-identity.amazonaws.com:sub), maybe with a
// default value.
var policyVariablePattern = regexp.MustCompile(`^[A-Za-z0-9.\-]+:[A-Za-z0-9_./+=@\-]+(\s*,\s*'[^']*')?$`)

func policyVariable(v string) bool {
	return v == "*" || v == "?" || v == "$" || policyVariablePattern.MatchString(v)
}

// looksLikePlaceholder reports whether s holds text a tool substitutes
// before the policy reaches AWS: <bucket>, {{bucket}}, __BUCKET__, %s, or
// an all-caps token such as BUCKET_NAME or _S3_BUCKET_ARN_ before the
// object key (keys may hold anything).
func looksLikePlaceholder(s string) bool {
	for _, p := range []string{"<", ">", "{{", "}}", "%", "__", "$(", "#{", "[[", "@@"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	head, _, _ := strings.Cut(s, "/")
	// Runs of letters, digits and underscores with two capitals and no
	// small letter. (A loop: this runs for every ARN of every policy.)
	upper, lower := 0, false
	for i := 0; i <= len(head); i++ {
		var c byte
		if i < len(head) {
			c = head[i]
		}
		switch {
		case 'A' <= c && c <= 'Z':
			upper++
		case 'a' <= c && c <= 'z':
			lower = true
		case '0' <= c && c <= '9' || c == '_':
		default:
			if upper >= 2 && !lower {
				return true
			}
			upper, lower = 0, false
		}
	}
	return false
}

// restore returns the text of s that t[from:to] stands for, where t is s with its
// policy variables replaced by anyRun, so suggestions and messages keep the
// variables as written.
func restore(s string, from, to int) string {
	si, ti := 0, 0
	for ti < from && si < len(s) {
		si, ti = advance(s, si), ti+1
	}
	start := si
	for ti < to && si < len(s) {
		si, ti = advance(s, si), ti+1
	}
	return s[start:si]
}

// suffix is restore of the last n characters of t.
func suffix(s, t string, n int) string { return restore(s, len(t)-n, len(t)) }

// advance steps over one character of s as maskVariables read it: a
// whole variable, or one byte.
func advance(s string, i int) int {
	if (s[i] == '$' || s[i] == '&') && i+1 < len(s) && s[i+1] == '{' {
		if end := strings.IndexByte(s[i:], '}'); end >= 0 {
			return i + end + 1
		}
	}
	return i + 1
}

// fixPartition rewrites the partition of s to want or, when the deployed
// partition is unknown, to the partition have evidently means (aws-china is
// aws-cn); it returns "" when it cannot tell.
func fixPartition(s, have, want string) string {
	if want == "" {
		l := strings.ToLower(have)
		switch {
		case strings.Contains(l, "iso") || strings.Contains(l, "eusc"):
			return ""
		case strings.Contains(l, "cn") || strings.Contains(l, "china"):
			want = "aws-cn"
		case strings.Contains(l, "gov"):
			want = "aws-us-gov"
		default:
			want = "aws"
		}
	}
	return "arn:" + want + strings.TrimPrefix(s, "arn:"+have)
}

// NotAnARN reports a Resource entry that IAM and S3 refuse outright: neither
// "*" nor an ARN (IAM: "Resource … must be in ARN format or "*""). A
// bucket's name where its ARN belongs is the usual slip; bucket is that
// name when it is a valid one, for the suggestion. Empty entries (an
// optional input left empty), policy variables and placeholders are not
// judged.
func NotAnARN(s string) (bucket string, bad bool) {
	if s == "" || s == "*" || strings.ContainsAny(s, ":{}") {
		// ARNs, a service's own shorthand (API Gateway's
		// execute-api:/*), and {placeholders}.
		return "", false
	}
	t, clean := maskVariables(s)
	if !clean || strings.ContainsRune(t, anyRun) || looksLikePlaceholder(t) {
		return "", false
	}
	name, _, _ := strings.Cut(t, "/")
	if name == "" || name == "true" || name == "false" {
		// "/*": a name from an input left empty; a boolean is a value of
		// the wrong type, which the loaders report.
		return "", false
	}
	if _, err := strconv.ParseFloat(name, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return "", false
	}
	if bucketNameProblem(name).problem == "" && !hasWild(name) {
		bucket = name
	}
	return bucket, true
}
