package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Lexing prefixes finds what lexing the whole file finds, wherever the
// cuts fall: checked with tiny prefixes on every configuration in the
// repository and on deep input of every kind.
func TestNestingPrefixesAgreeWithWholeFile(t *testing.T) {
	inputs := map[string]string{
		"brackets":  "locals {\n  a = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n}\n",
		"interp":    `a = "` + strings.Repeat(`${"`, 40) + "1" + strings.Repeat(`"}`, 40) + `"`,
		"heredoc":   "a = <<EOT\n" + strings.Repeat("[", 60) + "${" + strings.Repeat("[", 40) + "1" + strings.Repeat("]", 40) + "}\nEOT\n",
		"comments":  "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n/* {{{{{{{{{{{{{{{{{{{{{{{{{{ */\na = " + strings.Repeat("(", 40) + "1" + strings.Repeat(")", 40),
		"strings":   `a = "` + strings.Repeat("[", 80) + `"` + "\nb = " + strings.Repeat("!", 40) + "true\n",
		"templates": `a = "` + strings.Repeat("%{if true}", 40) + "x" + strings.Repeat("%{endif}", 40) + `"`,
		"conds":     "a = " + strings.Repeat("x ? 1 : ", 40) + "0\n",
		"block":     "/* " + strings.Repeat("[", 50) + " */\na = " + strings.Repeat("[", 30) + "/*[[[*/" + strings.Repeat("[", 30) + "1",
		"open":      "a = " + strings.Repeat("[", 30) + "\n/* " + strings.Repeat("[", 50),
		"slashes":   "a = 4/2*" + strings.Repeat("(", 45) + "1" + strings.Repeat(")", 45),
	}
	_ = filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json") || strings.HasSuffix(p, ".tfvars")) {
			if b, err := os.ReadFile(p); err == nil {
				inputs[p] = string(b)
			}
		}
		return nil
	})
	for name, src := range inputs {
		for _, limit := range []int{5, 20, 39, 41, 256} {
			whole := nestingOffsetFrom([]byte(src), false, limit, len(src)+1)
			for _, first := range []int{1, 2, 3, 7, 16, 100} {
				if got := nestingOffsetFrom([]byte(src), false, limit, first); got != whole {
					t.Errorf("%s, limit %d, first prefix %d: offset %d, whole file %d", name, limit, first, got, whole)
				}
			}
		}
	}
}
