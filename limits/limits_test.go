package limits

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/internal/parallel"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1": 1, "1000": 1000, "64MiB": 64 << 20, "64 MiB": 64 << 20, "64mib": 64 << 20, "2KiB": 2048,
		"1GiB": 1 << 30, "1KB": 1000, "3MB": 3_000_000, "1GB": 1_000_000_000, "5M": 5 << 20, "7K": 7 << 10, "10B": 10,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"":                     `"" is not a size`,
		"abc":                  `"abc" is not a size`,
		"12x":                  `"12x" is not a size`,
		"1.5MiB":               `"1.5MiB" is not a size`,
		"MiB":                  `"MiB" is not a size`,
		"0":                    `"0": the size must be positive`,
		"-5":                   `"-5": the size must be positive`,
		"9223372036854775807G": "too large",
	} {
		if _, err := ParseSize(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSize(%q): %v, want an error with %q", in, err, want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		100: "100 bytes", 1 << 10: "1 KiB", 1536: "1.5 KiB", 32 << 20: "32 MiB", 54_945_382: "52.4 MiB", 3 << 30: "3 GiB",
		1025: "1.0 KiB", 52_429_069: "50.0 MiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMessages(t *testing.T) {
	for got, want := range map[string]string{
		FileTooLarge(54_945_382, 32<<20): "file is 52.4 MiB, over the 32 MiB limit (--max-file-size); not read",
		FileTooLarge(32<<20+1, 32<<20):   "file is 33554433 bytes, over the 32 MiB limit (--max-file-size); not read",
		FileTooLarge(1100, 1<<10):        "file is 1.1 KiB, over the 1 KiB limit (--max-file-size); not read",
		TooDeep(256):                     "nesting deeper than 256 levels (--max-nesting); the file is not read",
		TimedOut(30 * time.Second):       "evaluating this took longer than 30s (--file-timeout); its results are left out",
	} {
		if got != want {
			t.Errorf("got %q\nwant %q", got, want)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	if got := (Limits{}).WithDefaults(); got != Default() {
		t.Errorf("zero limits: %+v, want the defaults %+v", got, Default())
	}
	set := Limits{MaxFileSize: 1, MaxNesting: 2, MaxInstances: 3, MaxModuleDepth: 4, FileTimeout: 5}
	if got := set.WithDefaults(); got != set {
		t.Errorf("set limits changed: %+v", got)
	}
}

// Watch returns the work's completion, reports a timeout without waiting
// for the work, closes its stop channel, and raises its panic again with
// the stack where it happened.
func TestWatch(t *testing.T) {
	ran := false
	if Watch(time.Hour, func(Stop) { ran = true }) || !ran {
		t.Error("work that finishes: timed out, or did not run")
	}
	stopped := make(chan struct{})
	if !Watch(time.Nanosecond, func(s Stop) {
		<-s // blocks until the watchdog gives up: deterministic
		if !s.Expired() {
			t.Error("Expired is false after the stop channel closed")
		}
		close(stopped)
	}) {
		t.Error("work that blocks until stopped: not timed out")
	}
	<-stopped
	defer func() {
		p, ok := recover().(*parallel.Panic)
		if !ok || p.Value != "boom" || !strings.Contains(string(p.Stack), "limits.TestWatch") {
			t.Errorf("recovered %#v, want boom with the stack of the work", p)
		}
	}()
	Watch(time.Hour, func(Stop) { panic("boom") })
}

// LoadFile returns the load's graph, or only the timeout error on the file.
func TestLoadFile(t *testing.T) {
	g := &graph.Graph{}
	if got := LoadFile(time.Hour, "t.yaml", func(Stop) *graph.Graph { return g }); got != g {
		t.Errorf("got %v, want the load's graph", got)
	}
	got := LoadFile(time.Nanosecond, "t.yaml", func(s Stop) *graph.Graph { <-s; return g })
	want := []graph.Diagnostic{{Severity: graph.DiagError, File: "t.yaml",
		Message: "evaluating this took longer than 1ns (--file-timeout); its results are left out"}}
	if got == g || !reflect.DeepEqual(got.Diagnostics, want) {
		t.Errorf("got %+v, want only %+v", got, want)
	}
}
