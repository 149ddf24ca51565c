package cloudformation_test

import (
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	var opts []option
	if p := os.Getenv("PARAMS"); p != "" {
		opts = append(opts, withParams(p))
	}
	l := loadDir(t, dir, opts...)
	t.Log("\n" + l.dump())
}
