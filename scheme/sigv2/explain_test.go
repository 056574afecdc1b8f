package sigv2

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/schemetest"
)

var _ sigconform.Explainer = Scheme

// sentRequest is the request as sent. For a GET it is Result.Apply,
// copied (the generators package imports this one): in's request with the
// result's URL. A form POST's parameters travel in the body, which Result
// has no field for, so the body is written as the signer (variant) sends
// it: the parameters it signed (in the order the reference writes them) and
// the Signature.
func sentRequest(t *testing.T, in sigconform.Input, r sigconform.Result, variant string) sigconform.Request {
	t.Helper()
	sent := r.Apply(in.Request)
	req, err := parseRequest(in.Request)
	if err != nil {
		t.Fatal(err)
	}
	if req.inBody {
		version, method, err := signingVersion(in.Context)
		if err != nil {
			t.Fatal(err)
		}
		params, err := mustRules(variant).authParams(req.params, in, version, method)
		if err != nil {
			t.Fatal(err)
		}
		sent.Body = sentQuery(params, version, false, false) + "&" + paramSignature + "=" + Encode(r.Signature)
	}
	return sent
}

// TestExplainIdentifiesVariants signs each case with the reference and
// with each signing variant, sends it, and checks that Explain finds the
// signature, that the variant's explanation recomputes it (string to sign
// included), and that the reference's explanation is the reference's
// signature, matching the given one exactly when Verify accepts.
func TestExplainIdentifiesVariants(t *testing.T) {
	for _, c := range schemetest.SignCases(t, Scheme.Name()) {
		t.Run(c.ID, func(t *testing.T) {
			in := c.Input()
			ref, err := Scheme.Sign(in, "")
			if err != nil {
				t.Fatalf("reference Sign: %v", err)
			}
			for _, v := range append([]sigconform.Variant{{Name: "", Signs: true}}, Scheme.Variants()...) {
				if !v.Signs {
					continue
				}
				res, err := Scheme.Sign(in, v.Name)
				if err != nil {
					t.Fatalf("Sign %q: %v", v.Name, err)
				}
				got := sigconform.Input{Credentials: in.Credentials, Request: sentRequest(t, in, res, v.Name), Context: in.Context}
				got.Context.Time = "" // explain never reads the clock
				got.Credentials.AccessKey = ""

				ex, err := Scheme.Explain(got, "")
				if err != nil {
					t.Fatalf("variant %q: Explain reference: %v", v.Name, err)
				}
				if ex.Given != res.Signature {
					t.Errorf("variant %q: Given = %q, signed %q", v.Name, ex.Given, res.Signature)
				}
				// security-token-unsigned (and libcloud) send other parameters (no
				// SecurityToken): the reference explains what it received.
				if ex.Signature != ref.Signature && !(mustRules(v.Name).noToken && in.Credentials.SessionToken != "") {
					t.Errorf("variant %q: reference explanation %q, reference signed %q", v.Name, ex.Signature, ref.Signature)
				}
				got.Credentials.AccessKey = in.Credentials.AccessKey
				got.Context.Time = in.Context.Time
				if verdict := Scheme.Verify(got, ""); verdict.Reason != sigconform.Expired && verdict.Accept != (ex.Given == ex.Signature) {
					t.Errorf("variant %q: Verify %+v, explanation matches = %v", v.Name, verdict, ex.Given == ex.Signature)
				}

				exv, err := Scheme.Explain(got, v.Name)
				if err != nil {
					t.Fatalf("Explain %q: %v", v.Name, err)
				}
				if exv.Signature != exv.Given {
					t.Errorf("variant %q: explained %q, given %q", v.Name, exv.Signature, exv.Given)
				}
				if !slices.Equal(res.Stages, exv.Stages) {
					t.Errorf("variant %q: stages %q, signed %q", v.Name, exv.Stages, res.Stages)
				}
			}
		})
	}
}

func TestExplainErrors(t *testing.T) {
	signed := "https://elasticmapreduce.amazonaws.com?" + docQuery + "&Signature=" + docSig
	valid := docInput(signed, "")
	other := valid
	other.Credentials.AccessKey = "AKIDOTHER"
	noSecret := valid
	noSecret.Credentials.SecretKey = ""
	for name, in := range map[string]sigconform.Input{
		"unsigned":    docInput("https://elasticmapreduce.amazonaws.com?"+docQuery, ""),
		"other key":   other,
		"no secret":   noSecret,
		"no method":   docInput(strings.Replace(signed, "SignatureMethod=HmacSHA256&", "", 1), ""),
		"expires too": docInput(signed+"&Expires=2011-10-03T15%3A19%3A30", ""),
	} {
		_, err := Scheme.Explain(in, "")
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), docCreds.SecretKey) {
			t.Errorf("%s: error leaks the secret", name)
		}
	}
	for _, v := range []string{"nope", Keystone} {
		if _, err := Scheme.Explain(valid, v); !errors.Is(err, sigconform.ErrUnknownVariant) {
			t.Errorf("%s: %v", v, err)
		}
	}
	// The published example, long after its Timestamp, access key taken
	// from the request.
	late := valid
	late.Context.Time = "2030-01-01T00:00:00Z"
	late.Credentials.AccessKey = ""
	ex, err := Scheme.Explain(late, "")
	want := "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
	if err != nil || ex.Given != want || ex.Signature != want {
		t.Errorf("published example: %+v, %v", ex, err)
	}
	// It names its key and the time it is current at, its Timestamp, so
	// that it can be verified as received (sigconform.RefusingVerifiers).
	if ex.AccessKey != "AKIAIOSFODNN7EXAMPLE" || ex.Clock != docTime {
		t.Errorf("published example: key %q, clock %q; want the request's key and %s", ex.AccessKey, ex.Clock, docTime)
	}
	received := late
	received.Context.Time = "" // as conform explain has it: no clock
	ok, refusing, err := sigconform.RefusingVerifiers(Scheme, received)
	if err != nil || !ok {
		t.Errorf("RefusingVerifiers: the reference at the request's own time refuses it (%v, %v)", ok, err)
	}
	// A clock the caller gives is kept: in 2030 the request has expired.
	if ok, _, err := sigconform.RefusingVerifiers(Scheme, late); err != nil || ok {
		t.Errorf("RefusingVerifiers in 2030: accepted %v, %v; want the reference to refuse", ok, err)
	}
	for _, v := range refusing {
		if !v.Verifies {
			t.Errorf("RefusingVerifiers names %s, which does not verify", v.Name)
		}
	}
}

// TestExplainHostVariants explains one request to a non-default port,
// signed by each host variant, under every signing variant: only the one
// that signed it recomputes its signature.
func TestExplainHostVariants(t *testing.T) {
	in := sigconform.Input{
		Credentials: docCreds,
		Request:     sigconform.Request{Method: "GET", URL: "https://EC2.Example.com:8773/services/Cloud?Action=DescribeInstances&Filter=a b~c"},
		Context:     sigconform.Context{Time: docTime},
	}
	signers := []string{"", PlusForSpace, TildeEncoded, HostWithoutPort, HostAsWritten}
	for _, signer := range signers {
		res, err := Scheme.Sign(in, signer)
		if err != nil {
			t.Fatal(err)
		}
		got := in
		got.Request = sentRequest(t, in, res, "")
		for _, explainer := range signers {
			ex, err := Scheme.Explain(got, explainer)
			if err != nil {
				t.Fatal(err)
			}
			if match := ex.Signature == ex.Given; match != (signer == explainer) {
				t.Errorf("signed as %q, explained as %q: match = %v", signer, explainer, match)
			}
		}
	}
}

// mustRules is rulesFor for a variant name the test knows.
func mustRules(variant string) rules {
	r, err := rulesFor(variant)
	if err != nil {
		panic(err)
	}
	return r
}
