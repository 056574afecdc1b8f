package vecreq

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// decodingCases: raw queries, and whether decoding them into name/value
// pairs is neutral (the pairs give the query back exactly).
var decodingCases = []struct {
	raw     string
	neutral bool
}{
	{"", true},
	{"Action=DescribeInstances&Version=2016-11-15", true},
	{"a=&b=c", true},
	{"name=my%20key&x=%C3%A9%2A~", true},
	{"flag", false},                   // a name without '='
	{"a=1&&b=2", false},               // an empty pair
	{"a=1&", false},                   // a trailing '&'
	{"a=%7e", false},                  // a lower-case escape
	{"a=%7E", false},                  // a needless escape
	{"a=%2a", false},                  // lower-case hex
	{"a=*", false},                    // a raw byte the canonical form escapes
	{"a=b+c", false},                  // '+': a space to a form decoder, '+' to others
	{"a=b=c", false},                  // a raw '=' in the value
	{"a=%FF", false},                  // not UTF-8
	{"a=%C0%AF", false},               // overlong UTF-8
	{"a=%", false},                    // a malformed escape
	{"tags%5B0%5D.key=x", true},       // brackets escaped
	{"tags[0].key=x", false},          // raw brackets
	{"%E2%82%AC=%F0%9F%98%80", true},  // UTF-8 names and values
	{"a=caf%C3%A9&a=caf%C3%A9", true}, // a repeat is the library's matter, not the decoder's
}

func TestDecodingChoice(t *testing.T) {
	for _, tc := range decodingCases {
		why := DecodingChoice(tc.raw)
		if (why == "") != tc.neutral {
			t.Errorf("DecodingChoice(%q) = %q, want neutral=%v", tc.raw, why, tc.neutral)
		}
	}
}

// TestDecodingChoiceSameRule checks that the Python and Node adapters
// apply the rule the Go adapters do: the three say "neutral" for the same
// queries. Skipped, saying so, when python3 or node is not installed.
func TestDecodingChoiceSameRule(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	impls := filepath.Join(filepath.Dir(file), "..", "..", "..")
	var raws []string
	for _, tc := range decodingCases {
		raws = append(raws, tc.raw)
	}
	in, err := json.Marshal(raws)
	if err != nil {
		t.Fatal(err)
	}
	runs := []struct{ name, bin, script string }{
		{"python", "python3", "import json,sys; sys.path.insert(0, sys.argv[1]); import sigconform_common as c; " +
			"print(json.dumps([c.decoding_choice(r) or '' for r in json.load(sys.stdin)]))"},
		{"node", "node", "const c = require(require('path').join(process.argv[1], 'common.js')); " +
			"let s = ''; process.stdin.on('data', (d) => s += d).on('end', () => " +
			"console.log(JSON.stringify(JSON.parse(s).map((r) => c.decodingChoice(r) || ''))));"},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			bin, err := exec.LookPath(r.bin)
			if err != nil {
				t.Skipf("%s is not installed: the %s adapters' rule is not checked", r.bin, r.name)
			}
			flag := "-c"
			if r.name == "node" {
				flag = "-e"
			}
			cmd := exec.Command(bin, flag, r.script, filepath.Join(impls, r.name))
			cmd.Stdin = strings.NewReader(string(in))
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v", r.bin, err)
			}
			var got []string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%s printed %q: %v", r.bin, out, err)
			}
			if len(got) != len(decodingCases) {
				t.Fatalf("%s answered %d queries, want %d", r.bin, len(got), len(decodingCases))
			}
			for i, tc := range decodingCases {
				if (got[i] == "") != tc.neutral {
					t.Errorf("%s: %q: %q, want neutral=%v", r.name, tc.raw, got[i], tc.neutral)
				}
			}
		})
	}
}
