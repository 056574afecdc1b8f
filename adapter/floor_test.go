package adapter_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
	"testing"
	"time"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme"
	"github.com/sigconform/sigconform/scheme/cloudstack"
	"github.com/sigconform/sigconform/scheme/sigv2"
	"github.com/sigconform/sigconform/scheme/sigv4"
	"github.com/sigconform/sigconform/scheme/zstack"
	"github.com/sigconform/sigconform/vectors"
)

// The floor is the physical lower bound of a run over the corpus: per case,
// only the hashing, HMAC and encoding the scheme needs to reach the case's
// answer, on byte strings prepared beforehand. Everything our code does
// besides (parsing the request, building the canonical strings, the
// runner's bookkeeping, an adapter's I/O) is what the ratio to it shows.

// floorKind says which cryptographic work a case needs.
type floorKind uint8

const (
	floorNone   floorKind = iota // a verdict reached without a MAC (see floorFor)
	floorSHA1                    // HMAC-SHA1, standard Base64 (cloudstack, zstack, sigv2 HmacSHA1)
	floorSHA256                  // HMAC-SHA256, standard Base64 (sigv2 HmacSHA256)
	floorSigV4                   // SHA-256s, the signing key's four HMACs, one more, hex
	floorBody                    // sigv4 verify: the body's SHA-256, hex, against X-Amz-Content-Sha256
)

// floorCase holds one case's precomputed inputs.
type floorCase struct {
	kind floorKind
	key  []byte // the HMAC key: the secret (for sigv4, "AWS4"+secret)
	msg  []byte // what is MACed; for sigv4 the canonical request, less the payload hash when hashBody
	// sigv4 only.
	hashBody              bool   // the canonical request ends with the body's SHA-256, computed in the loop
	body                  []byte // the body hashed when hashBody
	stsHead               []byte // "AWS4-HMAC-SHA256\n<date>\n<scope>\n", before the hash of the canonical request
	date, region, service []byte
	// given is, for a verify case, the signature the request carries: the
	// verifier's comparison is part of its work. nil for a sign case.
	given []byte
}

// floorScratch is what the loop reuses, so that the floor does not
// allocate what it need not: hash states are reset rather than made anew.
// hmac.New is called per MAC all the same, since each case has its own key
// and the standard library cannot rekey an HMAC; the key schedule (the
// ipad and opad blocks) is work every signer does.
type floorScratch struct {
	sha       hash.Hash
	sum       [sha256.Size]byte
	bodyHex   [2 * sha256.Size]byte
	creqHex   [2 * sha256.Size]byte
	key       []byte
	out       [64]byte // the signature as written: Base64 of 32 bytes is 44, hex 64
	macBuffer [sha256.Size]byte
}

func newFloorScratch() *floorScratch { return &floorScratch{sha: sha256.New()} }

// sign does fc's work and returns the signature as the scheme writes it,
// in s.out (valid until the next call).
func (s *floorScratch) sign(fc *floorCase) []byte {
	switch fc.kind {
	case floorSHA1, floorSHA256:
		h := sha1.New
		if fc.kind == floorSHA256 {
			h = sha256.New
		}
		m := hmac.New(h, fc.key)
		m.Write(fc.msg)
		mac := m.Sum(s.macBuffer[:0])
		n := base64.StdEncoding.EncodedLen(len(mac))
		base64.StdEncoding.Encode(s.out[:n], mac)
		return s.out[:n]
	case floorSigV4:
		// The canonical request's hash takes in the payload's hash, computed
		// here, so the floor cannot leave either out.
		s.sha.Reset()
		s.sha.Write(fc.msg)
		if fc.hashBody {
			s.sum = sha256.Sum256(fc.body)
			hex.Encode(s.bodyHex[:], s.sum[:])
			s.sha.Write(s.bodyHex[:])
		}
		hex.Encode(s.creqHex[:], s.sha.Sum(s.sum[:0]))
		k := hmacSHA256(fc.key, fc.date, s.key[:0])
		k = hmacSHA256(k, fc.region, k[:0])
		k = hmacSHA256(k, fc.service, k[:0])
		k = hmacSHA256(k, aws4Request, k[:0])
		s.key = k
		m := hmac.New(sha256.New, k)
		m.Write(fc.stsHead)
		m.Write(s.creqHex[:])
		hex.Encode(s.out[:], m.Sum(s.macBuffer[:0]))
		return s.out[:]
	case floorBody:
		s.sum = sha256.Sum256(fc.body)
		hex.Encode(s.out[:], s.sum[:])
		return s.out[:]
	}
	return nil
}

var aws4Request = []byte("aws4_request")

func hmacSHA256(key, msg, dst []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(dst)
}

// run does one case's work: the signature, and for a verify case the
// constant-time comparison with the one the request carries.
func (s *floorScratch) run(fc *floorCase) {
	sig := s.sign(fc)
	if fc.given != nil {
		subtle.ConstantTimeCompare(sig, fc.given)
	}
}

// floorStats counts how the corpus maps onto the floor.
type floorStats struct {
	mac     int // cases whose MAC work the floor does, checked against the reference
	noMAC   int // verify cases whose verdict needs no MAC; in the floor with no work (or a body hash)
	skipped int // cases the floor could not reproduce; left out, see floorTime
}

// buildFloor prepares every case's floor, checking each against the
// reference: a sign case's computed signature must be its expected one; a
// verify case's must be what the reference's Explain computes for the
// request as received (what Verify compares). A case that fails the check
// is left out and counted, so the floor never stands for work it does not
// do.
func buildFloor(tb testing.TB, cases []*vectors.Case) ([]floorCase, floorStats) {
	var out []floorCase
	var st floorStats
	s := newFloorScratch()
	for _, c := range cases {
		fc, want, ok := floorFor(c)
		switch {
		case ok && fc.kind == floorNone:
			st.noMAC++
			out = append(out, fc)
		case ok && fc.kind == floorBody && string(s.sign(&fc)) != string(fc.given):
			st.noMAC++
			out = append(out, fc)
		case ok && string(s.sign(&fc)) == want:
			st.mac++
			out = append(out, fc)
		default:
			st.skipped++
			tb.Logf("floor: %s left out", c.ID)
		}
	}
	return out, st
}

// floorFor prepares c's floor and returns the signature it must produce.
func floorFor(c *vectors.Case) (fc floorCase, want string, ok bool) {
	stages := []sigconform.Stage(c.Expected.Stages)
	want = c.Expected.Signature
	if c.Kind == vectors.Verify {
		switch c.Expected.Verdict {
		case vectors.Accept:
		case vectors.Reject:
			switch c.Expected.Reason {
			case sigconform.BadSignature, sigconform.WrongEncoding:
			default:
				// Expired, missing-parameter, unknown-key, malformed: a
				// verifier can say so without computing a MAC, so the
				// floor, a lower bound, does none.
				return floorCase{kind: floorNone}, "", true
			}
		}
		// The stages and signature the verifier computes from the request as
		// received, and the signature it carries. Explain, not Sign: Sign
		// refuses or re-signs a request that already carries a signature.
		s, found := scheme.Lookup(c.Scheme())
		ex, isEx := s.(sigconform.Explainer)
		if !found || !isEx {
			return fc, "", false
		}
		e, err := ex.Explain(c.Input(), "")
		if err != nil {
			// A sigv4 request whose X-Amz-Content-Sha256 is not its body's
			// hash is refused once the body is hashed, before any MAC.
			v, has := c.Request.Header("X-Amz-Content-Sha256")
			if c.Scheme() == "sigv4" && has && c.Expected.Reason == sigconform.BadSignature {
				return floorCase{kind: floorBody, body: []byte(c.Request.Body), given: []byte(strings.TrimSpace(v))}, "", true
			}
			return fc, "", false
		}
		stages, want, fc.given = e.Stages, e.Signature, []byte(e.Given)
	}
	stage := func(name string) (string, bool) {
		if v, found := (sigconform.Result{Stages: stages}).Stage(name); found || c.Kind == vectors.Verify {
			return v, found
		}
		// A sign case without this stage recorded (a publication that
		// printed no canonical request, say): the reference computes it,
		// here, untimed; the check against the expected signature still
		// holds.
		s, found := scheme.Lookup(c.Scheme())
		if !found {
			return "", false
		}
		r, err := s.Sign(c.Input(), "")
		if err != nil {
			return "", false
		}
		return r.Stage(name)
	}
	secret := c.Credentials.SecretKey
	switch c.Scheme() {
	case "cloudstack", "zstack", "sigv2":
		name := map[string]string{
			"cloudstack": cloudstack.StageCommandString,
			"zstack":     zstack.StageStringToSign,
			"sigv2":      sigv2.StageStringToSign,
		}[c.Scheme()]
		msg, found := stage(name)
		if !found {
			return fc, "", false
		}
		fc = floorCase{kind: floorSHA1, key: []byte(secret), msg: []byte(msg), given: fc.given}
		if c.Scheme() == "sigv2" {
			// HmacSHA256 unless the case asks for SHA1 (versions 0 and 1
			// are SHA1 only); the check against want settles it.
			if s := newFloorScratch(); string(s.sign(&fc)) != want {
				fc.kind = floorSHA256
			}
		}
		return fc, want, true
	case "sigv4":
		creq, found1 := stage(sigv4.StageCanonicalRequest)
		sts, found2 := stage(sigv4.StageStringToSign)
		lines := strings.Split(sts, "\n")
		if !found1 || !found2 || len(lines) != 4 {
			return fc, "", false
		}
		scope := strings.Split(lines[2], "/")
		if len(scope) != 4 || scope[3] != "aws4_request" {
			return fc, "", false
		}
		fc = floorCase{
			kind: floorSigV4, key: []byte("AWS4" + secret), msg: []byte(creq),
			stsHead: []byte(strings.Join(lines[:3], "\n") + "\n"),
			date:    []byte(scope[0]), region: []byte(scope[1]), service: []byte(scope[2]),
			given: fc.given,
		}
		// The payload hash is work when the canonical request ends with the
		// body's hash and the signer computed it: a verifier always does
		// (it checks an X-Amz-Content-Sha256 header against the body), a
		// signer only when the request has no such header.
		bodyHash := sigv4.HashHex(c.Request.Body)
		_, hasHeader := c.Request.Header("X-Amz-Content-Sha256")
		if strings.HasSuffix(creq, "\n"+bodyHash) && (c.Kind == vectors.Verify || !hasHeader) {
			fc.hashBody, fc.body = true, []byte(c.Request.Body)
			fc.msg = fc.msg[:len(fc.msg)-len(bodyHash)]
		}
		return fc, want, true
	}
	return fc, "", false
}

// floorTime does every floor case's work n times and returns how long it
// took, scaled to all of cases: the per-case mean stands for the cases
// left out, so that a ratio to it compares like with like.
func floorTime(fcs []floorCase, all, n int) time.Duration {
	s := newFloorScratch()
	start := time.Now()
	for range n {
		for i := range fcs {
			s.run(&fcs[i])
		}
	}
	d := time.Since(start)
	if len(fcs) == 0 {
		return d
	}
	return d * time.Duration(all) / time.Duration(len(fcs))
}

// TestFloorCoversCorpus checks that the floor reproduces the reference's
// signature for every case it times and leaves out none: a floor that
// skipped work would flatter every ratio to it.
func TestFloorCoversCorpus(t *testing.T) {
	set, err := vectors.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := set.Cases()
	fcs, st := buildFloor(t, cases)
	t.Logf("floor: %d cases with MAC work, %d verify cases without, %d left out", st.mac, st.noMAC, st.skipped)
	if st.skipped != 0 {
		t.Errorf("%d of %d cases left out of the floor", st.skipped, len(cases))
	}
	// A verify case's comparison must be the verifier's: equal exactly
	// when the reference accepts.
	s := newFloorScratch()
	j := 0
	for _, c := range cases {
		fc, _, ok := floorFor(c)
		if !ok {
			continue
		}
		j++
		if c.Kind != vectors.Verify || fc.kind == floorNone || fc.kind == floorBody {
			continue
		}
		same := bytes.Equal(s.sign(&fc), fc.given)
		if same != (c.Expected.Verdict == vectors.Accept) {
			t.Errorf("%s: floor comparison %v, expected verdict %s", c.ID, same, c.Expected.Verdict)
		}
	}
	if j != len(fcs) {
		t.Errorf("floorFor and buildFloor disagree: %d vs %d", j, len(fcs))
	}
}
