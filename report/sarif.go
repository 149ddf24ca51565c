package report

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/s3lint/s3lint/graph"
	"github.com/s3lint/s3lint/rules"
)

// The SARIF log is written from the structs below rather than with
// github.com/owenrumney/go-sarif: that package's 2.1.0 structs serialise
// zero values that carry meaning (result.rank 0, location.id 0,
// artifactLocation.index 0 pointing into an artifacts array we do not
// write, toolComponent.language "" which fails the schema's pattern), and
// its 2.1.0 package imports a JSON-schema library that is not among our
// dependencies. Writing the subset we use keeps every emitted field
// deliberate; the tests validate the output against the official schema.

// SARIF constants.
const (
	sarifSchemaURI   = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion     = "2.1.0"
	informationURI   = "https://github.com/s3lint/s3lint"
	srcRootID        = "%SRCROOT%"
	fingerprintKey   = "primaryLocationLineHash"
	ownFingerprint   = "s3lint/v1"
	columnKind       = "unicodeCodePoints"
	resourceKind     = "resource"
	defaultPrecision = "high"
)

// MaxSARIFResults is the number of results GitHub code scanning accepts in
// one run; WriteSARIF writes no more.
const MaxSARIFResults = 25000

// GitHub code scanning limits (uploads beyond them are rejected).
const (
	maxSARIFResults   = MaxSARIFResults
	maxSARIFLocations = 1000 // related locations per result
	maxSARIFTags      = 20   // tags per rule
	maxRuleNameLen    = 255  // runes in reportingDescriptor.name
	maxShortDescLen   = 1024 // runes in shortDescription.text
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool              `json:"tool"`
	Invocations        []sarifInvocation      `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifBaseID `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                 `json:"columnKind"`
	Results            []sarifResult          `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifMessage    `json:"shortDescription"`
	FullDescription      sarifMessage    `json:"fullDescription"`
	Help                 sarifHelp       `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Fixes               []sarifFix         `json:"fixes,omitempty"`
}

// sarifFix is a result's fix: the edits of rules.Fix, per file, with the
// replaced bytes given by offset and length.
type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifByteRegion       `json:"deletedRegion"`
	InsertedContent *sarifArtifactContent `json:"insertedContent,omitempty"`
}

type sarifByteRegion struct {
	ByteOffset int `json:"byteOffset"`
	ByteLength int `json:"byteLength"`
}

type sarifArtifactContent struct {
	Text string `json:"text"`
}

type sarifLocation struct {
	ID               int                    `json:"id,omitempty"` // 1-based; 0 = none
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

// sarifBaseID declares a uriBaseId. It carries no uri: the absolute path of
// the checkout would make the report differ between machines and leak the
// runner's file system, and code scanning resolves %SRCROOT% to the
// repository root by itself.
type sarifBaseID struct {
	Description sarifMessage `json:"description"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

// WriteSARIF writes r as a SARIF 2.1.0 log for GitHub code scanning,
// indented, ending in a newline. Artifact URIs are relative to r.SrcRoot
// with uriBaseId "%SRCROOT%", which run.originalUriBaseIds declares without
// a uri, so no absolute path is ever written. Relative file names in ranges
// are taken from r.WorkDir (or SrcRoot when WorkDir is empty). A place in a
// file outside SrcRoot has no physical location (code scanning could not
// show it and rejects absolute file URIs): its location carries the path
// relative to SrcRoot in its message instead. Every result has a location.
// Every diagnostic becomes a tool execution notification, and any error
// diagnostic marks the invocation as not successful. At most
// [MaxSARIFResults] results are written, the most severe first chosen and
// then in the order of r.Findings; a notification says how many were left
// out (see [SARIFOmitted]). At most 1,000 related locations are written per
// result.
func WriteSARIF(w io.Writer, r *Result) error {
	return writeIndentedJSON(w, newSARIFLog(r))
}

func newSARIFLog(r *Result) *sarifLog {
	loc := newLocator(r.SrcRoot, r.WorkDir)

	driver := sarifDriver{
		Name:           r.toolName(),
		Version:        r.Version,
		InformationURI: informationURI,
		Rules:          make([]sarifRule, 0, len(r.Rules)),
	}
	if v, ok := semanticVersion(r.Version); ok {
		driver.SemanticVersion = v
	}
	// Rules are written once per ID, so ruleIndex points into the array as
	// written.
	index := map[string]int{}
	for _, m := range r.Rules {
		if _, dup := index[m.ID]; dup {
			continue
		}
		index[m.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleOf(m, r.helpURI(m.ID)))
	}

	findings := sarifFindings(r.Findings)
	var notes []sarifNotification
	if n := len(r.Findings) - len(findings); n > 0 {
		notes = append(notes, sarifNotification{
			Level: "warning",
			Message: sarifMessage{Text: fmt.Sprintf(
				"%d findings; only the %d most severe are included because GitHub code scanning rejects runs with more results. The other formats (text, json) list all of them.",
				len(r.Findings), len(findings))},
		})
	}
	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		results = append(results, sarifResultOf(f, index, loc))
	}
	results = appendSuppressed(results, r, index, loc)

	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, d := range r.Diagnostics {
		if d.Severity != graph.DiagWarning && d.Severity != graph.DiagNote {
			inv.ExecutionSuccessful = false
		}
		n := sarifNotification{Level: diagLevel(d.Severity), Message: sarifMessage{Text: messageText(d.Message)}}
		if pl, where := loc.place(diagFile(d), d.Range); pl != nil {
			n.Locations = []sarifLocation{{PhysicalLocation: pl}}
		} else if where != "" {
			n.Message.Text = where + ": " + n.Message.Text
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notes...)
	if inv.ToolExecutionNotifications == nil {
		inv.ToolExecutionNotifications = []sarifNotification{}
	}

	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{inv},
		ColumnKind:  columnKind,
		Results:     results,
	}
	run.OriginalURIBaseIDs = map[string]sarifBaseID{srcRootID: {Description: sarifMessage{Text: "The root of the repository that was scanned."}}}
	return &sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}
}

// SARIFOmitted is the number of findings of r that WriteSARIF leaves out
// because of GitHub's limit of MaxSARIFResults results per run.
func SARIFOmitted(r *Result) int {
	return max(0, len(r.Findings)-MaxSARIFResults)
}

// sarifFindings returns fs, or when there are more than GitHub accepts, the
// MaxSARIFResults most severe of them (the earlier of equally severe ones),
// still in the order of fs.
func sarifFindings(fs []rules.Finding) []rules.Finding {
	if len(fs) <= maxSARIFResults {
		return fs
	}
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return fs[idx[a]].Severity > fs[idx[b]].Severity })
	idx = idx[:maxSARIFResults]
	sort.Ints(idx)
	out := make([]rules.Finding, len(idx))
	for i, j := range idx {
		out[i] = fs[j]
	}
	return out
}

func sarifRuleOf(m rules.Meta, helpURI string) sarifRule {
	name := m.Name
	if name == "" {
		name = m.ID
	}
	short := m.Title
	if short == "" {
		short = name
	}
	full := firstParagraph(m.Doc)
	if full == "" {
		full = short
	}
	help := markdownToPlain(m.Doc)
	if help == "" {
		help = full
	}
	precision := m.Precision
	switch precision {
	case "very-high", "high", "medium", "low":
	default:
		precision = defaultPrecision
	}
	return sarifRule{
		ID:                   m.ID,
		Name:                 truncateRunes(name, maxRuleNameLen),
		ShortDescription:     sarifMessage{Text: truncateRunes(short, maxShortDescLen)},
		FullDescription:      sarifMessage{Text: full},
		Help:                 sarifHelp{Text: help, Markdown: m.Doc},
		HelpURI:              helpURI,
		DefaultConfiguration: sarifRuleConfig{Level: m.Severity.String()},
		Properties: sarifRuleProps{
			Tags:             ruleTags(m.Tags),
			Precision:        precision,
			SecuritySeverity: m.SecuritySeverity(),
		},
	}
}

// ruleTags returns "security", "s3" and then extra, without duplicates or
// empty tags, at most maxSARIFTags.
func ruleTags(extra []string) []string {
	tags := []string{"security", "s3"}
	seen := map[string]bool{"security": true, "s3": true}
	for _, t := range extra {
		if len(tags) == maxSARIFTags {
			break
		}
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		tags = append(tags, t)
	}
	return tags
}

func sarifResultOf(f rules.Finding, index map[string]int, loc *locator) sarifResult {
	res := sarifResult{
		RuleID:  f.RuleID,
		Level:   f.Severity.String(),
		Message: sarifMessage{Text: messageText(f.Message)},
	}
	if i, ok := index[f.RuleID]; ok {
		res.RuleIndex = &i
	}
	// GitHub requires a location on every result; a finding without a
	// file in the source root still gets one, with its resource and the
	// place in words.
	var primary sarifLocation
	pl, where := loc.place(f.Range.File, f.Range)
	primary.PhysicalLocation = pl
	if f.Resource != "" {
		primary.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: f.Resource, Kind: resourceKind}}
	}
	if pl == nil {
		if where == "" {
			where = "(no file)"
		}
		primary.Message = &sarifMessage{Text: where}
	}
	res.Locations = []sarifLocation{primary}
	for i, rel := range f.Related {
		if i == maxSARIFLocations {
			res.Message.Text += fmt.Sprintf(" (%d more related locations are not included.)", len(f.Related)-maxSARIFLocations)
			break
		}
		pl, where := loc.place(rel.Range.File, rel.Range)
		text := messageText(rel.Message)
		if pl == nil && where != "" {
			text += " (" + where + ")"
		}
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
			ID:               i + 1,
			PhysicalLocation: pl,
			Message:          &sarifMessage{Text: text},
		})
	}
	if fx := sarifFixOf(f.Fix, loc); fx != nil {
		res.Fixes = []sarifFix{*fx}
	}
	if f.Fingerprint != "" {
		res.PartialFingerprints = map[string]string{
			fingerprintKey: f.Fingerprint,
			ownFingerprint: f.Fingerprint,
		}
	}
	return res
}

// sarifFixOf converts a fix; nil when there is none or when it edits a
// file outside the source root, which SARIF cannot name.
func sarifFixOf(fx *rules.Fix, loc *locator) *sarifFix {
	if fx == nil || len(fx.Edits) == 0 {
		return nil
	}
	out := &sarifFix{Description: sarifMessage{Text: messageText(fx.Description)}}
	index := map[string]int{}
	for _, ed := range fx.Edits {
		s, e := ed.Range.Start.Byte, ed.Range.End.Byte
		if s < 0 || e < s {
			return nil
		}
		i, seen := index[ed.Range.File]
		if !seen {
			art, ok := loc.artifact(ed.Range.File)
			if !ok {
				return nil
			}
			i = len(out.ArtifactChanges)
			index[ed.Range.File] = i
			out.ArtifactChanges = append(out.ArtifactChanges, sarifArtifactChange{ArtifactLocation: art})
		}
		rep := sarifReplacement{DeletedRegion: sarifByteRegion{ByteOffset: s, ByteLength: e - s}}
		if ed.New != "" {
			rep.InsertedContent = &sarifArtifactContent{Text: ed.New}
		}
		out.ArtifactChanges[i].Replacements = append(out.ArtifactChanges[i].Replacements, rep)
	}
	return out
}

// messageText returns s, or a placeholder when it is empty: SARIF requires
// message.text.
func messageText(s string) string {
	if s == "" {
		return "(no message)"
	}
	return s
}

// region converts a range; nil when its start line is unknown. Columns are
// written only when known, and the end only when it does not lie before the
// start. Range.End is exclusive, as SARIF's endColumn is.
func region(r graph.Range) *sarifRegion {
	if r.Start.Line < 1 {
		return nil
	}
	reg := &sarifRegion{StartLine: r.Start.Line}
	if r.Start.Col >= 1 {
		reg.StartColumn = r.Start.Col
	}
	if r.End.Line < r.Start.Line {
		return reg
	}
	if r.Start.Col >= 1 && r.End.Col >= 1 {
		if r.End.Line == r.Start.Line && r.End.Col < r.Start.Col {
			return reg
		}
		reg.EndColumn = r.End.Col
	}
	reg.EndLine = r.End.Line
	return reg
}

// locator turns file names from ranges into SARIF artifact locations.
type locator struct {
	root string // absolute, cleaned; "" when unknown
	base string // where relative names start; "" when unknown
}

func newLocator(srcRoot, workDir string) *locator {
	l := &locator{}
	if srcRoot != "" {
		l.root = filepath.Clean(srcRoot)
	}
	l.base = l.root
	if workDir != "" {
		l.base = filepath.Clean(workDir)
	}
	if l.root == "" {
		l.root = l.base
	}
	return l
}

// rel returns file as a slash-separated path relative to the source root;
// inside is false when file lies outside it, and rel is then the relative
// path up and out of the root ("../x/main.tf"), or only the file's base
// name when there is none (another volume). No absolute path is returned.
func (l *locator) rel(file string) (rel string, inside bool) {
	p := file
	if !filepath.IsAbs(p) {
		if l.base == "" {
			// Nothing to resolve against: take the name as relative
			// to the source root, as the upload action will.
			p = filepath.ToSlash(filepath.Clean(p))
			return p, p != ".." && !strings.HasPrefix(p, "../")
		}
		p = filepath.Join(l.base, p)
	}
	p = filepath.Clean(p)
	if l.root == "" {
		return filepath.Base(p), false
	}
	r, err := filepath.Rel(l.root, p)
	if err != nil || filepath.IsAbs(r) {
		return filepath.Base(p), false
	}
	r = filepath.ToSlash(r)
	return r, r != ".." && !strings.HasPrefix(r, "../")
}

// artifact returns the location of file relative to %SRCROOT%; ok is false
// when file lies outside the source root.
func (l *locator) artifact(file string) (loc sarifArtifactLocation, ok bool) {
	r, inside := l.rel(file)
	if !inside {
		return sarifArtifactLocation{}, false
	}
	return sarifArtifactLocation{URI: escapePath(r), URIBaseID: srcRootID}, true
}

// place returns the physical location of a range in file. For a file
// outside the source root it returns nil and where, the place as
// "../path:line:col" relative to the root; both are empty when file is.
func (l *locator) place(file string, r graph.Range) (pl *sarifPhysicalLocation, where string) {
	if file == "" {
		return nil, ""
	}
	art, ok := l.artifact(file)
	if !ok {
		rel, _ := l.rel(file)
		return nil, position(rel, r)
	}
	return &sarifPhysicalLocation{ArtifactLocation: art, Region: region(r)}, ""
}

// escapePath percent-encodes a slash-separated relative path for use in a
// URI. It keeps unreserved characters, "/" and the sub-delimiters allowed in
// a path segment, but not ":", because in a relative reference a colon in
// the first segment would read as a scheme.
func escapePath(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(s) {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~/!$&'()*+,;=@", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// semverRE is the regular expression of semver.org (2.0.0).
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// semanticVersion returns v without a leading "v" when it is a semantic
// version ("v1.2.3" → "1.2.3"); ok is false for anything else ("dev",
// "(devel)", "").
func semanticVersion(v string) (string, bool) {
	v = strings.TrimPrefix(v, "v")
	return v, semverRE.MatchString(v)
}

// truncateRunes shortens s to at most n runes, ending in "…" when cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
