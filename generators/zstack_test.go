package generators

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sigconform/sigconform/scheme/schemetest"
	"github.com/sigconform/sigconform/scheme/zstack"
	"github.com/sigconform/sigconform/vectors"
)

// zstackMarshalAll marshals the files zstackFiles produces, by path.
func zstackMarshalAll(t *testing.T) (map[string][]byte, []*vectors.File) {
	t.Helper()
	files, err := zstackFiles()
	if err != nil {
		t.Fatalf("zstackFiles: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := vectors.Marshal(f)
		if err != nil {
			t.Fatalf("%s: Marshal: %v", f.Path, err)
		}
		out[f.Path] = data
	}
	return out, files
}

func TestZstackFiles(t *testing.T) {
	data, files := zstackMarshalAll(t)
	wantTopics := []string{"path", "query", "methods", "date", "verify"}
	var topics []string
	for _, f := range files {
		topics = append(topics, f.Topic)
	}
	if !slices.Equal(topics, wantTopics) {
		t.Errorf("topics = %v, want %v", topics, wantTopics)
	}

	// Round trip: each file parses strictly as written.
	mfs := fstest.MapFS{}
	for _, f := range files {
		parsed, err := vectors.Parse(f.Path, data[f.Path])
		if err != nil {
			t.Fatalf("%s: Parse: %v", f.Path, err)
		}
		if len(parsed.Cases) != len(f.Cases) {
			t.Errorf("%s: %d cases parsed, %d written", f.Path, len(parsed.Cases), len(f.Cases))
		}
		again, err := vectors.Marshal(parsed)
		if err != nil || !bytes.Equal(again, data[f.Path]) {
			t.Errorf("%s: Marshal(Parse(Marshal(f))) differs (err %v)", f.Path, err)
		}
		mfs[f.Path] = &fstest.MapFile{Data: data[f.Path]}
	}
	set, err := vectors.Load(mfs)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	// Every class claimed has signer and verifier cases.
	count := map[string]map[vectors.Kind]int{}
	kinds := map[vectors.Kind]int{}
	for _, c := range set.Cases() {
		kinds[c.Kind]++
		for _, tag := range c.Tags {
			if count[tag] == nil {
				count[tag] = map[vectors.Kind]int{}
			}
			count[tag][c.Kind]++
		}
		if c.Source != vectors.Generated {
			t.Errorf("%s: source %q, want generated", c.ID, c.Source)
		}
		if c.Disputed != "" && len(c.Variants) == 0 {
			t.Errorf("%s: disputed but no variant decides otherwise", c.ID)
		}
		if c.Kind == vectors.Verify && c.Tamper == "" && !slices.Contains(c.Tags, "valid") && !slices.Contains(c.Tags, "date") {
			t.Errorf("%s: a verify case without a tamper word", c.ID)
		}
	}
	for _, class := range []string{"path", "encoding", "utf8", "params", "query", "methods", "post", "date", "timezone"} {
		if count[class][vectors.Sign] == 0 || count[class][vectors.Verify] == 0 {
			t.Errorf("class %s: %d sign, %d verify cases; want both", class, count[class][vectors.Sign], count[class][vectors.Verify])
		}
	}
	if n := kinds[vectors.Sign]; n < 150 || n > 400 {
		t.Errorf("%d signer cases, want 150-400", n)
	}
	if n := kinds[vectors.Verify]; n < 50 || n > 125 {
		t.Errorf("%d verifier cases, want about 50-120", n)
	}

	// The value edges all appear in the path and query files.
	for _, e := range ValueEdges() {
		for _, topic := range []string{"path", "query"} {
			if set.Lookup("zstack/"+topic+"/"+e.Name) == nil {
				t.Errorf("no case zstack/%s/%s", topic, e.Name)
			}
		}
	}

	// What the files are for: the query is not signed, the variant that
	// signs it is recorded, and the added parameter is accepted.
	q := set.Lookup("zstack/query/char-2a")
	p := set.Lookup("zstack/methods/get-list")
	if q == nil || p == nil || q.Expected.Signature != p.Expected.Signature {
		t.Errorf("a query changed the reference signature")
	} else if _, ok := q.Variant(zstack.WithQueryString); !ok {
		t.Errorf("%s: no %s variant recorded", q.ID, zstack.WithQueryString)
	}
	if c := set.Lookup("zstack/verify/get-list-param-added"); c == nil || c.Expected.Verdict != vectors.Accept ||
		!strings.Contains(c.Notes, "ACCEPTED") {
		t.Errorf("zstack/verify/get-list-param-added: want an accepted case with a note, got %+v", c)
	}
	if c := set.Lookup("zstack/date/verify-cst-server-plus-0800"); c == nil || c.Disputed == "" {
		t.Errorf("zstack/date/verify-cst-server-plus-0800: want a disputed case")
	}

	// The reference reproduces every case and variant from the files.
	schemetest.RunSet(t, zstack.Scheme, set)
}

func TestZstackDeterministic(t *testing.T) {
	a, _ := zstackMarshalAll(t)
	b, _ := zstackMarshalAll(t)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for path, data := range a {
		if !bytes.Equal(data, b[path]) {
			t.Errorf("%s differs between two runs", path)
		}
	}
}

func TestZstackEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"aZ09-_.~", "aZ09-_.~"},
		{"a b+c", "a%20b%2Bc"},
		{"/?#%", "%2F%3F%23%25"},
		{"caf\u00e9", "caf%C3%A9"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := zstackEscape(tt.in); got != tt.want {
			t.Errorf("zstackEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
