package vectors

import (
	"strings"

	"github.com/sigconform/sigconform"
)

// Mismatch is one expected value that a result did not reproduce.
type Mismatch struct {
	// Field is "stage <name>", "signature", "url", "header <Name>" or
	// "verdict".
	Field string `json:"field"`
	Want  string `json:"want"`
	Got   string `json:"got"`
	// Missing is set when the result did not report the field at all, as a
	// signer under test may leave out its intermediate stages.
	Missing bool `json:"missing,omitempty"`
}

// CompareResult lists, in order (stages first, then signature, URL and
// headers), the expected signing values that r does not reproduce.
func (o Outcome) CompareResult(r sigconform.Result) []Mismatch {
	var out []Mismatch
	for _, st := range o.Stages {
		got, ok := r.Stage(st.Name)
		if !ok || got != st.Value {
			out = append(out, Mismatch{Field: "stage " + st.Name, Want: st.Value, Got: got, Missing: !ok})
		}
	}
	if o.Signature != "" && !sigconform.SameMAC(r.Signature, o.Signature) {
		out = append(out, Mismatch{Field: "signature", Want: o.Signature, Got: r.Signature, Missing: r.Signature == ""})
	}
	if o.URL != "" && r.URL != o.URL {
		out = append(out, Mismatch{Field: "url", Want: o.URL, Got: r.URL, Missing: r.URL == ""})
	}
	for _, h := range o.Headers {
		got, ok := headerValue(r.Headers, h.Name)
		if !ok || got != h.Value {
			out = append(out, Mismatch{Field: "header " + h.Name, Want: h.Value, Got: got, Missing: !ok})
		}
	}
	return out
}

// CompareVerdict returns the mismatch between the expected verdict and v, if
// any. A rejection's reason counts only when v gives one.
func (o Outcome) CompareVerdict(v sigconform.Verdict) []Mismatch {
	got := Reject
	if v.Accept {
		got = Accept
	}
	if got != o.Verdict {
		return []Mismatch{{Field: "verdict", Want: o.verdictString(), Got: verdictString(v)}}
	}
	if got == Reject && v.Reason != "" && v.Reason != o.Reason {
		return []Mismatch{{Field: "reason", Want: string(o.Reason), Got: string(v.Reason)}}
	}
	return nil
}

func (o Outcome) verdictString() string {
	if o.Verdict == Reject {
		return "reject (" + string(o.Reason) + ")"
	}
	return string(o.Verdict)
}

func verdictString(v sigconform.Verdict) string {
	if v.Accept {
		return "accept"
	}
	if v.Reason == "" {
		return "reject"
	}
	return "reject (" + string(v.Reason) + ")"
}

func headerValue(hs []sigconform.Header, name string) (string, bool) {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return "", false
}
