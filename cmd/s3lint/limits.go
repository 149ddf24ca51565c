package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/s3lint/s3lint/limits"
)

// limitFlags are the bounds on what a scan reads, shared by scan, explain,
// access and baseline write.
type limitFlags struct {
	maxFileSize    string // a size with an optional unit, parsed by limits.ParseSize
	maxNesting     int
	maxInstances   int
	maxModuleDepth int
	fileTimeout    time.Duration
}

func addLimitFlags(fl *pflag.FlagSet, f *limitFlags) {
	d := limits.Default()
	fl.StringVar(&f.maxFileSize, "max-file-size", strings.ReplaceAll(limits.FormatSize(d.MaxFileSize), " ", ""),
		"largest file read, in bytes or with a unit (KiB, MiB, GiB, KB, MB), e.g. 64MiB; a larger one is an error")
	fl.IntVar(&f.maxNesting, "max-nesting", d.MaxNesting,
		"deepest nesting of brackets, braces and YAML collections read; a file nested deeper is an error")
	fl.IntVar(&f.maxInstances, "max-instances", d.MaxInstances,
		"most instances (count, for_each) checked per resource or module call")
	fl.IntVar(&f.maxModuleDepth, "max-module-depth", d.MaxModuleDepth,
		"deepest chain of nested module calls followed")
	fl.DurationVar(&f.fileTimeout, "file-timeout", d.FileTimeout,
		"longest time spent on one template, plan, policy document or Terraform root module (with the modules it calls), e.g. 30s")
}

// limits checks the flags and returns the limits they give; a value that
// is not a positive number is a usage error.
func (f limitFlags) limits(stderr io.Writer) (limits.Limits, error) {
	size, err := limits.ParseSize(f.maxFileSize)
	if err != nil {
		return limits.Limits{}, usageError(stderr, "--max-file-size: %v", err)
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"--max-nesting", f.maxNesting}, {"--max-instances", f.maxInstances}, {"--max-module-depth", f.maxModuleDepth}} {
		if c.v <= 0 {
			return limits.Limits{}, usageError(stderr, "%s: %s", c.name, positive(fmt.Sprint(c.v)))
		}
	}
	if f.fileTimeout <= 0 {
		return limits.Limits{}, usageError(stderr, "--file-timeout: %s", positive(f.fileTimeout.String()))
	}
	return limits.Limits{MaxFileSize: size, MaxNesting: f.maxNesting, MaxInstances: f.maxInstances,
		MaxModuleDepth: f.maxModuleDepth, FileTimeout: f.fileTimeout}, nil
}

func positive(v string) string { return fmt.Sprintf("%s: must be positive", v) }
