package sigv4

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/schemetest"
)

var _ sigconform.Explainer = Scheme

// sentOtherwise are the variants whose client sends another request than
// the case's (headers added or left unsigned, the path escaped, the body
// moved): the reference explains that request as the request says.
var sentOtherwise = map[string]bool{
	PresignBodyInQuery: true, PresignDateHeaderSigned: true, ExpectSigned: true, RangeUnsigned: true,
	UnsafePathEscaped: true, PayloadAlwaysBodyHash: true, BodyHeadersSigned: true, HostAndAmzHeadersOnly: true,
	ContentSha256Signed: true, BotocoreS3: true, Boto2V4: true, LibcloudV4: true,
}

// TestExplainIdentifiesVariants signs each case with the reference and
// with each signing variant, sends it, and checks that Explain finds the
// signature, that the variant's explanation recomputes it stage by stage,
// and that the reference's explanation is the reference's signature.
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
				got := sigconform.Input{Credentials: in.Credentials, Request: res.Apply(in.Request), Context: in.Context}
				got.Context.Time = "" // explain never reads the clock
				got.Credentials.AccessKey = ""

				if sentOtherwise[v.Name] {
					// The reference verifier reads what the request
					// says it signed: only the variant's own
					// explanation is checked.
					exv, err := Scheme.Explain(got, v.Name)
					if err != nil {
						t.Fatalf("Explain %q: %v", v.Name, err)
					}
					if exv.Given != res.Signature || exv.Signature != exv.Given {
						t.Errorf("variant %q: explained %q, given %q, signed %q", v.Name, exv.Signature, exv.Given, res.Signature)
					}
					if d := cmp.Diff(res.Stages, exv.Stages); d != "" {
						t.Errorf("variant %q: stages differ from Sign's (-sign +explain):\n%s", v.Name, d)
					}
					continue
				}
				ex, err := Scheme.Explain(got, "")
				if err != nil {
					t.Fatalf("variant %q: Explain reference: %v", v.Name, err)
				}
				if ex.Given != res.Signature {
					t.Errorf("variant %q: Given = %q, signed %q", v.Name, ex.Given, res.Signature)
				}
				// Given == Signature exactly when the reference verifier accepts.
				got.Credentials.AccessKey = in.Credentials.AccessKey
				if acc := Scheme.Verify(got, "").Accept; acc != (ex.Given == ex.Signature) {
					t.Errorf("variant %q: Verify accepts = %v, explanation matches = %v", v.Name, acc, ex.Given == ex.Signature)
				}
				if ex.Signature != ref.Signature {
					// Only a variant that changes what the request
					// lists may make the reference compute otherwise:
					// the token header left out of SignedHeaders,
					// which the reference verifier then accepts.
					if v.Name != SessionTokenUnsigned || ex.Signature != ex.Given {
						t.Errorf("variant %q: reference explanation %q, reference signed %q", v.Name, ex.Signature, ref.Signature)
					}
				}

				exv, err := Scheme.Explain(got, v.Name)
				if err != nil {
					t.Fatalf("Explain %q: %v", v.Name, err)
				}
				if exv.Signature != exv.Given {
					t.Errorf("variant %q: explained %q, given %q", v.Name, exv.Signature, exv.Given)
				}
				if d := cmp.Diff(res.Stages, exv.Stages); d != "" {
					t.Errorf("variant %q: stages differ from Sign's (-sign +explain):\n%s", v.Name, d)
				}
			}
		})
	}
}

// TestExplainFormPost explains a form POST as the server received it:
// only params-in-canonical-query recomputes a keystoneclient signature,
// only post-query-ignored a boto 2 one.
func TestExplainFormPost(t *testing.T) {
	form := sigconform.Request{Method: "POST", URL: "https://example.amazonaws.com/?Action=x", Body: "b=2&a=1+1",
		Headers: []sigconform.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}}}
	for _, presign := range []int{0, 300} {
		for _, signer := range []string{"", ParamsInCanonicalQuery, PostQueryIgnored} {
			in := vanilla
			in.Request = form
			in.Context.PresignExpires = presign
			res, err := Scheme.Sign(in, signer)
			if err != nil {
				t.Fatal(err)
			}
			got := in
			got.Request = res.Apply(in.Request)
			for _, explainer := range []string{"", ParamsInCanonicalQuery, PostQueryIgnored} {
				ex, err := Scheme.Explain(got, explainer)
				if err != nil {
					t.Fatal(err)
				}
				if match := ex.Signature == ex.Given; match != (signer == explainer) {
					t.Errorf("presign=%d signed as %q, explained as %q: match = %v", presign, signer, explainer, match)
				}
				cr, _ := res.Stage(StageCanonicalRequest)
				if signer == explainer && ex.Stages[0].Value != cr {
					t.Errorf("presign=%d %q: canonical request %q, signed %q", presign, signer, ex.Stages[0].Value, cr)
				}
			}
			if signer == ParamsInCanonicalQuery {
				ex, _ := Scheme.Explain(got, signer)
				if cq := strings.Split(ex.Stages[0].Value, "\n")[2]; !strings.HasPrefix(cq, "Action=x&") || !strings.HasSuffix(cq, "&a=1%201&b=2") {
					t.Errorf("form parameters not in the canonical query: %q", ex.Stages[0].Value)
				}
			}
		}
	}
}

func TestExplainErrors(t *testing.T) {
	valid := withAuthz(vanillaSig)
	other := valid
	other.Credentials.AccessKey = "AKIDOTHER"
	noSecret := valid
	noSecret.Credentials.SecretKey = ""
	badDate := withAuthz(vanillaSig)
	badDate.Request.Headers = slices.DeleteFunc(slices.Clone(badDate.Request.Headers),
		func(h sigconform.Header) bool { return h.Name == "X-Amz-Date" })
	for name, in := range map[string]sigconform.Input{
		"unsigned": vanilla, "other key": other, "no secret": noSecret, "no date": badDate,
	} {
		_, err := Scheme.Explain(in, "")
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), vanilla.Credentials.SecretKey) {
			t.Errorf("%s: error leaks the secret", name)
		}
	}
	if _, err := Scheme.Explain(valid, "nope"); !errors.Is(err, sigconform.ErrUnknownVariant) {
		t.Errorf("unknown variant: %v", err)
	}
	late := valid
	late.Context.Time = "2030-01-01T00:00:00Z"
	ex, err := Scheme.Explain(late, "")
	if err != nil || ex.Given != vanillaSig || ex.Signature != vanillaSig {
		t.Errorf("get-vanilla long after: %+v, %v", ex, err)
	}
}

// TestExplainSessionToken: a token header added after signing is what
// SignedHeaders says, so both explanations match; a token appended to a
// presigned URL after signing is matched only by the variant's.
func TestExplainSessionToken(t *testing.T) {
	for _, presign := range []int{0, 300} {
		in := vanilla
		in.Credentials.SessionToken = "tok/en+=="
		in.Context.PresignExpires = presign
		res, err := Scheme.Sign(in, SessionTokenUnsigned)
		if err != nil {
			t.Fatal(err)
		}
		got := in
		got.Request = res.Apply(in.Request)
		if !strings.Contains(got.Request.URL+headerText(got.Request.Headers), "tok%2Fen%2B%3D%3D") &&
			!strings.Contains(headerText(got.Request.Headers), "tok/en+==") {
			t.Fatalf("presign=%d: token not sent: %+v", presign, got.Request)
		}
		for _, variant := range []string{"", SessionTokenUnsigned} {
			ex, err := Scheme.Explain(got, variant)
			if err != nil {
				t.Fatal(err)
			}
			want := variant == SessionTokenUnsigned || presign == 0
			if match := ex.Signature == ex.Given; match != want {
				t.Errorf("presign=%d explained as %q: match = %v", presign, variant, match)
			}
		}
	}
}

func headerText(hs []sigconform.Header) string {
	var b strings.Builder
	for _, h := range hs {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	return b.String()
}
