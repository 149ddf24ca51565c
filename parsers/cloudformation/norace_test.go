//go:build !race

package cloudformation_test

const raceEnabled = false
