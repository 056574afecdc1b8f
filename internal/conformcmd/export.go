package conformcmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sigconform/sigconform/vectors"
)

const exportUsage = `usage: conform export [-format json] [-vectors DIR] [-o FILE]

Writes the vectors (the embedded corpus, or the files in DIR) as one JSON
document, described by docs/corpus.schema.json: every file with its variant
descriptions and its cases, each case whole (the defaults of its file
applied), with the same snake_case keys as the YAML. For a project that
vendors the vectors and reads JSON more easily than YAML.

flags:
`

// CorpusFormat is the value of the export's format field.
const CorpusFormat = "sigconform-corpus/v1"

// corpusJSON is the document conform export writes.
type corpusJSON struct {
	Format string `json:"format"`
	// CorpusVersion is the embedded corpus's version; absent for a
	// directory of the user's own files.
	CorpusVersion string     `json:"corpus_version,omitempty"`
	Files         []fileJSON `json:"files"`
}

// fileJSON is one vector file, with where it lies under the directory.
type fileJSON struct {
	Path string `json:"path"`
	*vectors.File
}

func cmdExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("conform export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportUsage); fs.PrintDefaults() }
	format := fs.String("format", "json", "the output format: json (the only one)")
	dir := fs.String("vectors", "", "export the vector files in this directory instead of the embedded ones")
	out := fs.String("o", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "conform export: "+format+"\n", a...)
		return 2
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *format != "json" {
		return fail("-format must be json, not %q", *format)
	}
	doc := corpusJSON{Format: CorpusFormat, Files: []fileJSON{}}
	if *dir == "" {
		doc.CorpusVersion = vectors.CorpusVersion
	}
	set, err := loadCheckedSet(*dir)
	if err != nil {
		return fail("%v", err)
	}
	for _, f := range set.Files {
		doc.Files = append(doc.Files, fileJSON{Path: f.Path, File: f})
	}
	w := stdout
	if *out != "" {
		if err := checkOutput(*out); err != nil {
			return fail("%v", err)
		}
		f, err := os.Create(*out)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		w = f
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fail("writing: %v", err)
	}
	return 0
}
