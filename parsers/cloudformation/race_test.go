//go:build race

package cloudformation_test

// raceEnabled slows everything down: time limits are scaled by it.
const raceEnabled = true
