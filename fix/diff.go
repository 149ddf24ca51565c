package fix

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// contextLines is the number of unchanged lines shown around a change.
const contextLines = 3

// maxLCSCells bounds the work of the line matching; beyond it the changed
// middle of a file is shown as removed and added whole.
const maxLCSCells = 4 << 20

// WriteDiff writes the changes of the plan as a unified diff (as diff -u and
// git apply read it), one file after another in path order.
func (plan *Plan) WriteDiff(w io.Writer) error {
	for _, f := range plan.Files {
		if err := writeFileDiff(w, filepath.ToSlash(f.Path), f.Old, f.New); err != nil {
			return err
		}
	}
	return nil
}

// op is one line of a diff: ' ' kept, '-' removed, '+' added.
type op struct {
	kind byte
	line string
}

func writeFileDiff(w io.Writer, name string, old, updated []byte) error {
	a, b := splitLines(old), splitLines(updated)
	ops := diffLines(a, b)
	var buf bytes.Buffer
	if strings.HasPrefix(name, "/") {
		fmt.Fprintf(&buf, "--- %s\n+++ %s\n", name, name)
	} else {
		fmt.Fprintf(&buf, "--- a/%s\n+++ b/%s\n", name, name)
	}
	// Group the changes into hunks with their context.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-contextLines)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			// A run of kept lines ends the hunk when it is longer than
			// the context on both sides.
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*contextLines {
				end = min(end+contextLines, len(ops))
				break
			}
			end = run
		}
		oldStart, newStart := 1, 1
		for _, o := range ops[:start] {
			if o.kind != '+' {
				oldStart++
			}
			if o.kind != '-' {
				newStart++
			}
		}
		oldN, newN := 0, 0
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				oldN++
			}
			if o.kind != '-' {
				newN++
			}
		}
		fmt.Fprintf(&buf, "@@ -%s +%s @@\n", hunkRange(oldStart, oldN), hunkRange(newStart, newN))
		for _, o := range ops[start:end] {
			buf.WriteByte(o.kind)
			line, nl := strings.CutSuffix(o.line, "\n")
			buf.WriteString(line)
			buf.WriteByte('\n')
			if !nl {
				buf.WriteString("\\ No newline at end of file\n")
			}
		}
		i = end
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// hunkRange writes a hunk's line range as diff -u does: "3,2", "3" for one
// line, and "2,0" (the line before) for none.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// splitLines splits text after each newline; the last line may lack one.
func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

// diffLines matches the lines of a and b: the common beginning and end,
// and in between a longest common subsequence.
func diffLines(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []op
	for _, l := range a[:pre] {
		ops = append(ops, op{' ', l})
	}
	ops = append(ops, lcs(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, op{' ', l})
	}
	return ops
}

func lcs(a, b []string) []op {
	var ops []op
	if len(a)*len(b) > maxLCSCells || len(a) == 0 || len(b) == 0 {
		for _, l := range a {
			ops = append(ops, op{'-', l})
		}
		for _, l := range b {
			ops = append(ops, op{'+', l})
		}
		return ops
	}
	// n[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	n := make([][]int, len(a)+1)
	for i := range n {
		n[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				n[i][j] = n[i+1][j+1] + 1
			} else {
				n[i][j] = max(n[i+1][j], n[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i++
			j++
		case n[i+1][j] >= n[i][j+1]:
			ops = append(ops, op{'-', a[i]})
			i++
		default:
			ops = append(ops, op{'+', b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		ops = append(ops, op{'-', a[i]})
	}
	for ; j < len(b); j++ {
		ops = append(ops, op{'+', b[j]})
	}
	return ops
}
