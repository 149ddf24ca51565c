package cloudformation

import "github.com/s3lint/s3lint/limits"

// SetTestHookLoadFile sets the function run before each template is read,
// for tests of --file-timeout; nil removes it.
func SetTestHookLoadFile(h func(stop limits.Stop)) { testHookLoadFile = h }

// MayBeTemplate is mayBeTemplate, for tests.
var MayBeTemplate = mayBeTemplate

// CDKEnvironment is parseCDKEnvironment, for tests: the account and region
// it keeps, and whether it keeps any.
func CDKEnvironment(s string) (account, region string, ok bool) {
	env, ok := parseCDKEnvironment(s)
	return string(env.account), env.region, ok
}
