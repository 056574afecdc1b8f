package generators

import (
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/internal/percent"
	"github.com/sigconform/sigconform/scheme/zstack"
	"github.com/sigconform/sigconform/vectors"
)

func TestZstackFiles(t *testing.T) {
	files, set := loadGenerated(t, zstackFiles)
	wantTopics := []string{"path", "query", "methods", "date", "verify"}
	var topics []string
	for _, f := range files {
		topics = append(topics, f.Topic)
	}
	if !slices.Equal(topics, wantTopics) {
		t.Errorf("topics = %v, want %v", topics, wantTopics)
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
		if got := percent.Escape(tt.in); got != tt.want {
			t.Errorf("percent.Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
