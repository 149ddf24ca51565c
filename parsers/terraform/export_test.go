package terraform

import "github.com/s3lint/s3lint/limits"

// SetTestHookEvalRoot sets the function run before each root module is
// evaluated, for tests of --file-timeout; nil removes it.
func SetTestHookEvalRoot(h func(stop limits.Stop)) { testHookEvalRoot = h }

// SetPlainDynamic turns decodeBody's own expansion of plain dynamic blocks
// on or off (off: dynblock expands every body with dynamic blocks), for the
// test that compares the two.
func SetPlainDynamic(on bool) { expandPlainDynamic = on }

// DeepDump writes everything reachable from v as text, for comparing two
// graphs.
func DeepDump(v any) string { return deepDump(v) }

var SameModuleSource = sameModuleSource
