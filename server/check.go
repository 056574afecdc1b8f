package server

import (
	"fmt"
	"strings"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/internal/redact"
)

// Decision is what the server decided about one request and why.
type Decision struct {
	Accept bool
	// Reference is the reference verdict, whatever was finally decided.
	Reference sigconform.Verdict
	// Variant is the known variant that accepted the request (lenient
	// mode) or that produced the signature of a refused request; "" when
	// none did.
	Variant string
	// By says how Variant was found: "verifies" (the variant's verifier
	// accepts the request) or "signs" (the scheme's Explainer shows the
	// variant's signer produced the signature).
	By string
	// Stage is the first stage at which Variant's computation departs
	// from the reference's ("signature" when only the written form of the
	// MAC differs); empty when not known.
	Stage string
	// Explanation says, in one line and without the secret, why the
	// request was refused or which variant it was accepted as.
	Explanation string
}

// Checker verifies requests as a scheme's server, strictly (the reference
// only) or leniently (a known variant too).
type Checker struct {
	Scheme      sigconform.Scheme
	Credentials sigconform.Credentials
	Lenient     bool
	// AsVariant, when set, names a verifying variant of Scheme: the
	// checker then decides as that known buggy server does, so that a
	// client author can reproduce a reported failure locally. Lenient
	// does not apply.
	AsVariant string
	// Context is copied into each input; Time is set per request.
	Context sigconform.Context
}

// Check decides about req at now (RFC 3339).
func (c *Checker) Check(req sigconform.Request, now string) Decision {
	in := sigconform.Input{Scheme: c.Scheme.Name(), Credentials: c.Credentials, Request: req, Context: c.Context}
	in.Context.Time = now
	ref := c.Scheme.Verify(in, "")
	if c.AsVariant != "" {
		return c.checkAsVariant(in, ref)
	}
	d := Decision{Accept: ref.Accept, Reference: ref}
	if ref.Accept {
		d.Explanation = "the reference accepts it"
		return d
	}
	// Which known variant accepts the request, or produced its signature.
	if vs := sigconform.IdentifyVerify(c.Scheme, in, sigconform.Accepted()); len(vs) > 0 {
		d.Variant, d.By = vs[0].Name, "verifies"
	}
	ex, canExplain := c.Scheme.(sigconform.ExplainingScheme)
	signatureOnly := ref.Reason == sigconform.BadSignature || ref.Reason == sigconform.WrongEncoding
	if canExplain && signatureOnly {
		if id, err := sigconform.IdentifySigned(ex, in); err == nil {
			for _, m := range id.Matches {
				// A variant that accepts the request is the one to
				// explain; another one's signer does not say where it
				// departs.
				if d.Variant == "" {
					d.Variant, d.By = m.Variant.Name, "signs"
				}
				if m.Variant.Name == d.Variant {
					d.Stage = m.Stage
					break
				}
			}
		}
	}
	if d.Variant != "" && d.Stage == "" && d.By == "verifies" {
		d.Stage = "verify"
	}
	d.Accept = c.Lenient && d.Variant != ""
	d.Explanation = explain(c.Scheme, d, c.Credentials.SecretKey)
	return d
}

// checkAsVariant decides as the known variant c.AsVariant verifies, and
// says where that differs from the reference.
func (c *Checker) checkAsVariant(in sigconform.Input, ref sigconform.Verdict) Decision {
	v := c.Scheme.Verify(in, c.AsVariant)
	d := Decision{Accept: v.Accept, Reference: ref, Variant: c.AsVariant, By: "verifies", Stage: "verify"}
	var b strings.Builder
	switch {
	case v.Accept && ref.Accept:
		fmt.Fprintf(&b, "accepted, as the reference accepts it too")
	case v.Accept:
		fmt.Fprintf(&b, "accepted as the known variant %s accepts it; the reference refuses it: %s", c.AsVariant, ref.Reason)
	default:
		fmt.Fprintf(&b, "refused as the known variant %s refuses it: %s", c.AsVariant, v.Reason)
		if v.Detail != "" {
			fmt.Fprintf(&b, " (%s)", v.Detail)
		}
		if ref.Accept {
			b.WriteString("; the reference accepts it: the client is right and this server variant is the bug")
		}
	}
	d.Explanation = Scrub(b.String(), c.Credentials.SecretKey)
	return d
}

func explain(s sigconform.Scheme, d Decision, secret string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "reference: %s", d.Reference.Reason)
	if d.Reference.Detail != "" {
		fmt.Fprintf(&b, " (%s)", d.Reference.Detail)
	}
	if d.Variant != "" {
		v, _ := sigconform.LookupVariant(s, d.Variant)
		switch d.By {
		case "verifies":
			fmt.Fprintf(&b, "; the known variant %s accepts it", d.Variant)
		default:
			fmt.Fprintf(&b, "; produced by the known variant %s", d.Variant)
		}
		if d.Stage != "" && d.Stage != "verify" {
			fmt.Fprintf(&b, ", which diverges at stage %s", d.Stage)
		}
		if v.Summary != "" {
			fmt.Fprintf(&b, ": %s", v.Summary)
		}
	}
	return Scrub(b.String(), secret)
}

// Scrub removes the secret from anything about to be printed, in case a
// layer below quoted it.
// It knows every form of the secret that the schemes and reports produce
// (percent-encoded, lowercased, Base64, JSON-escaped: see internal/redact).
func Scrub(s, secret string) string {
	return redact.New(secret).String(s)
}
