package main

import "testing"

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, 400},          // nothing known yet
		{50 * mib, 400},   // small: grow freely up to the bound
		{128 * mib, 400},  // (640-128)/128 = 400%
		{160 * mib, 300},  // (640-160)/160
		{256 * mib, 150},  // (640-256)/256
		{319 * mib, 100},  // just under half the target: at least Go's default
		{320 * mib, 100},  // half the target and more: Go's default
		{3000 * mib, 100}, // past the target: never below Go's default
	} {
		if got := gcPercentFor(tc.live); got != tc.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", tc.live/mib, got, tc.want)
		}
	}
}
