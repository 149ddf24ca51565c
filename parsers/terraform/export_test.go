package terraform

import "github.com/s3lint/s3lint/limits"

// SetTestHookEvalRoot sets the function run before each root module is
// evaluated, for tests of --file-timeout; nil removes it.
func SetTestHookEvalRoot(h func(stop limits.Stop)) { testHookEvalRoot = h }
