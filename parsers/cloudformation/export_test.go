package cloudformation

import "github.com/s3lint/s3lint/limits"

// SetTestHookLoadFile sets the function run before each template is read,
// for tests of --file-timeout; nil removes it.
func SetTestHookLoadFile(h func(stop limits.Stop)) { testHookLoadFile = h }

// MayBeTemplate is mayBeTemplate, for tests.
var MayBeTemplate = mayBeTemplate
