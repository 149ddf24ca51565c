// Package sandbox_test proves that the s3lint binary keeps its promises to
// the repositories it scans: it opens no network connection, starts no
// process, and writes nothing but the report file it was told to write.
//
// Two proofs, since each has a blind spot:
//   - the linked symbols: the linker drops code nothing can reach, so a
//     binary without any function that dials, listens or starts a process
//     cannot do so, whatever its input;
//   - the system calls of a real scan of the fixtures, the bad-input corpus
//     (committed and generated) and the examples, traced with strace (the test is skipped where strace
//     is not installed; .ci/run installs it).
package sandbox_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/s3lint/s3lint/integration/internal/badcorpus"
)

// repoRoot is the repository, two levels up from this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "s3lint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/s3lint")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// forbidden are the functions through which Go code reaches the network or
// starts processes. The standard library's os and net packages are linked
// (for files, and for the IP address functions of Terraform), but none of
// these.
var forbidden = regexp.MustCompile(`^(os\.StartProcess|os\.\(\*Process\)|os/exec\.|syscall\.StartProcess|syscall\.forkExec|syscall\.Exec|` +
	`net\.Dial|net\.\(\*Dialer\)|net\.Listen|net\.\(\*ListenConfig\)|net\.socket|net\.\(\*netFD\)\.connect|net\.Lookup|net\.\(\*Resolver\)|` +
	`syscall\.Socket|syscall\.Connect|net/http\.|plugin\.Open)`)

func TestNoDialNoExecLinked(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	var readFile bool
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || (fields[1] != "T" && fields[1] != "t") {
			continue
		}
		name := fields[2]
		if forbidden.MatchString(name) {
			t.Errorf("the binary links %s", name)
		}
		readFile = readFile || name == "os.ReadFile"
	}
	if !readFile {
		t.Fatal("os.ReadFile is not among the symbols: the listing is not what this test expects")
	}
}

// syscallLine is one line of `strace -f -o`: a thread ID, then the call.
var syscallLine = regexp.MustCompile(`^\d+\s+([a-z_0-9]+)\((.*)$`)

func TestScanUnderStrace(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		if os.Getenv("S3LINT_REQUIRE_STRACE") != "" {
			t.Fatal("strace is not installed, and S3LINT_REQUIRE_STRACE is set")
		}
		t.Skip("strace is not installed (Debian package strace; .ci/run installs it)")
	}
	bin := buildBinary(t)
	root := repoRoot(t)
	var paths []string
	for _, p := range []string{"fixtures", "testdata/bad", "examples"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			paths = append(paths, p)
		}
	}
	tmp := t.TempDir()
	// The generated cases of the corpus too: the huge files, the deep
	// nesting, the million instances and the symbolic links.
	for _, c := range badcorpus.Generated {
		dir := filepath.Join(tmp, "generated", c.Name, "case")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := c.Write(dir); err != nil && !errors.Is(err, badcorpus.ErrNoSymlinks) {
			t.Fatal(err)
		}
		paths = append(paths, dir)
	}
	report := filepath.Join(tmp, "report.sarif")
	trace := filepath.Join(tmp, "trace.txt")
	// A short --file-timeout: the million for_each keys are cut off
	// after 3 s instead of taking 20 s, slower still under strace.
	args := append([]string{"-f", "-qq", "-e", "trace=%network,%process,%file,%desc", "-o", trace,
		bin, "scan", "--no-config", "--file-timeout", "3s", "--format", "sarif", "--output", report}, paths...)
	cmd := exec.Command(strace, args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	// Exit codes 1 (findings) and 2 (the bad-input corpus) are expected.
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || ee.ExitCode() > 2) {
		t.Fatalf("s3lint under strace: %v\n%s", err, out)
	}
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var execs, opens int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		m := syscallLine.FindStringSubmatch(line)
		if m == nil {
			continue // "<... resumed>", signals, exits
		}
		call, rest := m[1], m[2]
		switch call {
		case "execve", "execveat":
			execs++
			if execs > 1 {
				t.Errorf("started a process: %s", line)
			}
		case "clone", "clone3":
			if !strings.Contains(rest, "CLONE_THREAD") {
				t.Errorf("started a process: %s", line)
			}
		case "fork", "vfork", "ptrace", "kill":
			t.Errorf("%s: %s", call, line)
		case "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg", "sendmmsg", "recvfrom", "recvmsg", "getsockname", "getpeername", "setsockopt", "shutdown":
			t.Errorf("used the network: %s", line)
		case "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir", "symlink", "symlinkat", "link", "linkat",
			"chmod", "fchmod", "fchmodat", "chown", "fchown", "fchownat", "lchown", "truncate", "utimensat", "mknod", "mknodat":
			t.Errorf("changed the file system: %s", line)
		case "open", "openat", "openat2", "creat":
			opens++
			if writes(call, rest) && !strings.Contains(rest, `"`+report+`"`) {
				t.Errorf("opened a file for writing other than the report: %s", line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if execs != 1 || opens < 100 {
		t.Fatalf("the trace is not of the scan: %d execve, %d opens", execs, opens)
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("no report written: %v", err)
	}
}

// writes reports whether an open call's flags allow writing or creating.
func writes(call, args string) bool {
	if call == "creat" {
		return true
	}
	return strings.Contains(args, "O_WRONLY") || strings.Contains(args, "O_RDWR") || strings.Contains(args, "O_CREAT") || strings.Contains(args, "O_TRUNC")
}
