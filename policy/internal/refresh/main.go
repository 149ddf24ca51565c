// Command refresh copies AWS's action and resource-type tables into the
// policy package, checking their shape first so that a malformed download
// never reaches the embedded copy.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

var tables = map[string]string{
	"s3_actions.csv":         "action,access_level,resource_types,condition_keys",
	"kms_actions.csv":        "action,access_level,resource_types,condition_keys",
	"s3_resource_types.csv":  "resource_type,arn_pattern,condition_keys",
	"kms_resource_types.csv": "resource_type,arn_pattern,condition_keys",
}

func main() {
	from := flag.String("from", "", "directory holding the source CSV tables")
	to := flag.String("to", "data", "directory to write the copies to")
	flag.Parse()
	if *from == "" {
		fmt.Fprintln(os.Stderr, "refresh: -from is required")
		os.Exit(2)
	}
	for name, header := range tables {
		if err := copyTable(filepath.Join(*from, name), filepath.Join(*to, name), header); err != nil {
			fmt.Fprintln(os.Stderr, "refresh:", err)
			os.Exit(1)
		}
	}
}

func copyTable(src, dst, header string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	if len(recs) < 2 || strings.Join(recs[0], ",") != header {
		return fmt.Errorf("%s: want header %q and at least one row", src, header)
	}
	return os.WriteFile(dst, b, 0o644)
}
