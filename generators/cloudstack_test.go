package generators

import (
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/vectors"
)

// cloudstackClasses are the edge classes the CloudStack generator claims:
// each has signer and verifier cases.
var cloudstackClasses = []string{"encoding", "ascii", "utf8", "params", "expiry", "console", "post"}

func TestCloudstackFiles(t *testing.T) {
	files, set := loadGenerated(t, cloudstackFiles)
	wantTopics := []string{"encoding", "keys", "expires", "console", "post", "json", "verify"}
	var topics []string
	for _, f := range files {
		topics = append(topics, f.Topic)
	}
	if !slices.Equal(topics, wantTopics) {
		t.Errorf("topics = %v, want %v", topics, wantTopics)
	}

	count := map[string]map[vectors.Kind]int{}
	kinds := map[vectors.Kind]int{}
	for _, c := range set.Cases() {
		kinds[c.Kind]++
		if topic, _, _ := strings.Cut(strings.TrimPrefix(c.ID, "cloudstack/"), "/"); (c.Kind == vectors.Verify) != (topic == "verify") {
			t.Errorf("%s: a %s case in topic %s", c.ID, c.Kind, topic)
		}
		for _, tag := range c.Tags {
			if count[tag] == nil {
				count[tag] = map[vectors.Kind]int{}
			}
			count[tag][c.Kind]++
		}
	}
	for _, class := range cloudstackClasses {
		if count[class][vectors.Sign] == 0 || count[class][vectors.Verify] == 0 {
			t.Errorf("class %s: %d sign and %d verify cases; want both", class, count[class][vectors.Sign], count[class][vectors.Verify])
		}
	}
	if n := kinds[vectors.Sign]; n < 150 || n > 400 {
		t.Errorf("%d sign cases, want 150-400", n)
	}
	if n := kinds[vectors.Verify]; n < 50 || n > 120 {
		t.Errorf("%d verify cases, want 50-120", n)
	}
}

// TestCloudstackPins checks a few outcomes the generator exists to show, so
// that a change in the reference or the generator that loses them fails here.
func TestCloudstackPins(t *testing.T) {
	files, _ := loadGenerated(t, cloudstackFiles)
	byID := map[string]*vectors.Case{}
	for _, f := range files {
		for i := range f.Cases {
			byID[f.Cases[i].ID] = &f.Cases[i]
		}
	}
	get := func(id string) *vectors.Case {
		c := byID[id]
		if c == nil {
			t.Fatalf("no case %s", id)
		}
		return c
	}
	stage := func(id string) string {
		s, _ := get(id).Expected.Stages.Get(cloudstack.StageCommandString)
		return s
	}
	key := strings.ToLower(cloudstackCreds.AccessKey)
	// Exact command strings, derived by hand from ApiServer.verifyRequest:
	// names sorted as received, values URLEncoded ('+' as %20), lowercased.
	k := "apikey=" + key
	for id, want := range map[string]string{
		"cloudstack/encoding/char-2a":                  k + "&command=listvirtualmachines&name=*",
		"cloudstack/encoding/char-7e":                  k + "&command=listvirtualmachines&name=%7e",
		"cloudstack/encoding/char-20":                  k + "&command=listvirtualmachines&name=%20",
		"cloudstack/encoding/char-2b":                  k + "&command=listvirtualmachines&name=%2b",
		"cloudstack/encoding/raw-plus-is-space":        k + "&command=listvirtualmachines&name=a%20b",
		"cloudstack/encoding/invalid-utf8":             k + "&command=listvirtualmachines&name=a%ef%bf%bdb",
		"cloudstack/encoding/already-encoded":          k + "&command=listvirtualmachines&name=a%2520b%252fc",
		"cloudstack/keys/sort-changes-lowercased":      k + "&command=deployvirtualmachine&templateidd=1&templateid=2&zoneid=4",
		"cloudstack/keys/uppercase-and-underscore":     "zoneid=1&ab=y&a_b=x&" + k + "&command=listzones",
		"cloudstack/keys/prefix-names":                 k + "&command=listvirtualmachines&name=a&name2=b",
		"cloudstack/keys/repeated-name-last-wins":      k + "&command=listvirtualmachines&id=2",
		"cloudstack/keys/case-only-names":              "name=b&" + k + "&command=listvirtualmachines&name=a",
		"cloudstack/keys/case-only-names-reordered":    "name=b&" + k + "&command=listvirtualmachines&name=a",
		"cloudstack/keys/name-without-equals":          k + "&command=listvirtualmachines&listall=",
		"cloudstack/keys/key-dotted-capital-i":         k + "&command=listzones&i\u0307d=1",
		"cloudstack/post/repeated-in-body-first-wins":  k + "&command=listvirtualmachines&id=1",
		"cloudstack/post/repeated-in-query-and-body":   k + "&command=listvirtualmachines&id=1",
		"cloudstack/post/non-form-content-type":        k + "&command=listzones",
		"cloudstack/console/repeated-vm-first-wins":    k + "&cmd=access&vm=" + cloudstackVM,
		"cloudstack/console/repeated-vm-on-api":        k + "&cmd=access&vm=00000000-0000-0000-0000-000000000000",
		"cloudstack/expires/expires-offset-hhmm":       k + "&command=listzones&expires=2024-01-02t03%3a19%3a05%2b0000&signatureversion=3",
		"cloudstack/expires/v3-param-names-other-case": "expires=2024-01-02t03%3a19%3a05%2b0000&" + k + "&command=listzones&signatureversion=3",
	} {
		if s := stage(id); s != want {
			t.Errorf("%s: command string\n got %q\nwant %q", id, s, want)
		}
	}
	if s := stage("cloudstack/keys/tags-index-key"); !strings.Contains(s, "&tags[0].key=env&tags[0].value=prod") {
		t.Errorf("tags-index-key: command string %q does not sign the bracketed names unencoded", s)
	}
	// The same request signs alike however its brackets are sent.
	if a, b := get("cloudstack/keys/tags-index-key"), get("cloudstack/keys/tags-index-key-raw-brackets"); a.Expected.Signature != b.Expected.Signature {
		t.Errorf("tags-index-key signatures differ: %s, %s", a.Expected.Signature, b.Expected.Signature)
	}
	// Lowercasing first changes the order exactly where the names say so.
	for id, differs := range map[string]bool{
		"cloudstack/keys/sort-changes-lowercased": true,
		"cloudstack/keys/many-params-mixed-case":  true,
		"cloudstack/keys/many-params":             false,
		"cloudstack/console/access":               false,
	} {
		if _, ok := get(id).Variant(cloudstack.LowercaseThenSort); ok != differs {
			t.Errorf("%s: lowercase-then-sort variant recorded %v, want %v", id, ok, differs)
		}
	}
	verdicts := map[string]string{
		"cloudstack/verify/v3-expired":                    "reject expired",
		"cloudstack/verify/console-v3-expired":            "accept ",
		"cloudstack/verify/console-param-repeated":        "accept ",
		"cloudstack/verify/listvms-param-repeated":        "reject bad-signature",
		"cloudstack/verify/listvms-urlsafe-unpadded":      "reject wrong-encoding",
		"cloudstack/verify/console-urlsafe-unpadded":      "reject wrong-encoding",
		"cloudstack/verify/post-body-param-repeated":      "accept ",
		"cloudstack/verify/expires-offset-positive-after": "reject expired",
	}
	for id, want := range verdicts {
		c := get(id)
		if got := string(c.Expected.Verdict) + " " + string(c.Expected.Reason); got != want {
			t.Errorf("%s: verdict %q, want %q", id, got, want)
		}
	}
	// The 4.0/4.1 console accepts the URL-safe form and refuses the
	// standard one; both cases say so.
	for _, id := range []string{"cloudstack/verify/console-urlsafe-unpadded", "cloudstack/verify/console-valid", "cloudstack/verify/console-v3-expired"} {
		c := get(id)
		if c.Disputed == "" {
			t.Errorf("%s: not disputed", id)
		}
		if _, ok := c.Variant(cloudstack.URLSafeBase64); !ok {
			t.Errorf("%s: no urlsafe-base64 outcome", id)
		}
	}
}
