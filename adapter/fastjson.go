package adapter

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sigconform/sigconform"
)

// fastResponse decodes a response of the usual shape without reflection:
// the answers of a subprocess adapter are read on conform's busiest path,
// where encoding/json cost most of conform's side of a case. It handles
// only plain JSON: no null, no field twice, no field the protocol does not
// have, no \u escape of a surrogate, no invalid UTF-8. ok is false for
// anything else, and the caller decodes with encoding/json, which decides
// (and words the error); TestFastResponse checks that both agree.
func fastResponse(b []byte) (resp *Response, ok bool) {
	p := scanner{b: b}
	resp = &Response{}
	var seen [5]bool
	ok = p.object(func(key string) bool {
		switch key {
		case "id":
			return once(&seen[0]) && p.str(&resp.ID)
		case "result":
			resp.Result = &Result{}
			return once(&seen[1]) && p.result(resp.Result)
		case "verdict":
			resp.Verdict = &sigconform.Verdict{}
			return once(&seen[2]) && p.verdict(resp.Verdict)
		case "unsupported":
			return once(&seen[3]) && p.str(&resp.Unsupported)
		case "error":
			return once(&seen[4]) && p.str(&resp.Error)
		}
		return false
	})
	p.ws()
	return resp, ok && p.i == len(p.b)
}

func once(seen *bool) bool {
	if *seen {
		return false
	}
	*seen = true
	return true
}

type scanner struct {
	b []byte
	i int
}

func (p *scanner) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// lit consumes c after any white space.
func (p *scanner) lit(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a string. Escapes are decoded, but for a \u escape of a
// surrogate (half of a pair, which encoding/json decodes), and bytes
// outside ASCII must be valid UTF-8 (encoding/json replaces invalid ones).
func (p *scanner) str(out *string) bool {
	if !p.lit('"') {
		return false
	}
	start := p.i
	plain := true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			if plain {
				*out = string(p.b[start:p.i])
				p.i++
				return true
			}
			return p.unescape(p.b[start:p.i], out)
		case c == '\\':
			plain = false
			p.i++ // the escaped byte is not the end of the string
		case c < 0x20:
			return false
		case c >= 0x80:
			plain = false
		}
	}
	return false
}

// unescape decodes the inside of a string s that str found to end, and
// moves past its closing quote.
func (p *scanner) unescape(s []byte, out *string) bool {
	p.i++
	buf := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x80 {
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n <= 1 {
				return false
			}
			buf = append(buf, s[i:i+n]...)
			i += n
			continue
		}
		if c != '\\' {
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return false
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if i+6 > len(s) {
				return false
			}
			v, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 32)
			if err != nil || utf16.IsSurrogate(rune(v)) {
				return false
			}
			buf = utf8.AppendRune(buf, rune(v))
			i += 6
			continue
		default:
			return false
		}
		i += 2
	}
	*out = string(buf)
	return true
}

func (p *scanner) boolean(out *bool) bool {
	p.ws()
	for _, v := range []bool{true, false} {
		lit := "false"
		if v {
			lit = "true"
		}
		if len(p.b)-p.i >= len(lit) && string(p.b[p.i:p.i+len(lit)]) == lit {
			p.i += len(lit)
			*out = v
			return true
		}
	}
	return false
}

// object reads {"key": value, ...}, calling field for each key with the
// scanner before its value.
func (p *scanner) object(field func(key string) bool) bool {
	if !p.lit('{') {
		return false
	}
	if p.lit('}') {
		return true
	}
	for {
		var key string
		if !p.str(&key) || !p.lit(':') || !field(key) {
			return false
		}
		if p.lit('}') {
			return true
		}
		if !p.lit(',') {
			return false
		}
	}
}

func (p *scanner) result(r *Result) bool {
	var seen [4]bool
	return p.object(func(key string) bool {
		switch key {
		case "signature":
			return once(&seen[0]) && p.str(&r.Signature)
		case "url":
			return once(&seen[1]) && p.str(&r.URL)
		case "headers":
			return once(&seen[2]) && p.headers(&r.Headers)
		case "stages":
			r.Stages = make(map[string]string)
			return once(&seen[3]) && p.object(func(name string) bool {
				if _, dup := r.Stages[name]; dup {
					return false
				}
				var v string
				if !p.str(&v) {
					return false
				}
				r.Stages[name] = v
				return true
			})
		}
		return false
	})
}

// headers reads [["name", "value"], ...].
func (p *scanner) headers(out *[]sigconform.Header) bool {
	if !p.lit('[') {
		return false
	}
	hs := []sigconform.Header{}
	if !p.lit(']') {
		for {
			var h sigconform.Header
			if !p.lit('[') || !p.str(&h.Name) || !p.lit(',') || !p.str(&h.Value) || !p.lit(']') {
				return false
			}
			hs = append(hs, h)
			if p.lit(']') {
				break
			}
			if !p.lit(',') {
				return false
			}
		}
	}
	*out = hs
	return true
}

func (p *scanner) verdict(v *sigconform.Verdict) bool {
	var seen [3]bool
	return p.object(func(key string) bool {
		switch key {
		case "accept":
			return once(&seen[0]) && p.boolean(&v.Accept)
		case "reason":
			var s string
			ok := once(&seen[1]) && p.str(&s)
			v.Reason = sigconform.Reason(s)
			return ok
		case "detail":
			return once(&seen[2]) && p.str(&v.Detail)
		}
		return false
	})
}

// fastRequest decodes a request as json.Unmarshal does, for the plain
// JSON fastResponse handles; ok is false for anything else, and the caller
// decodes with encoding/json. It is the adapter's side of the same busy
// path; TestFastRequest checks that both agree.
func fastRequest(b []byte) (req *Request, ok bool) {
	p := scanner{b: b}
	req = &Request{}
	var seen [7]bool
	ok = p.object(func(key string) bool {
		switch key {
		case "protocol":
			return once(&seen[0]) && p.str(&req.Protocol)
		case "id":
			return once(&seen[1]) && p.str(&req.ID)
		case "op":
			return once(&seen[2]) && p.str(&req.Op)
		case "scheme":
			return once(&seen[3]) && p.str(&req.Scheme)
		case "credentials":
			return once(&seen[4]) && p.credentials(&req.Credentials)
		case "request":
			return once(&seen[5]) && p.request(&req.Request)
		case "context":
			return once(&seen[6]) && p.context(&req.Context)
		}
		return false
	})
	p.ws()
	return req, ok && p.i == len(p.b)
}

func (p *scanner) credentials(c *sigconform.Credentials) bool {
	var seen [3]bool
	return p.object(func(key string) bool {
		switch key {
		case "access_key":
			return once(&seen[0]) && p.str(&c.AccessKey)
		case "secret_key":
			return once(&seen[1]) && p.str(&c.SecretKey)
		case "session_token":
			return once(&seen[2]) && p.str(&c.SessionToken)
		}
		return false
	})
}

func (p *scanner) request(r *sigconform.Request) bool {
	var seen [4]bool
	return p.object(func(key string) bool {
		switch key {
		case "method":
			return once(&seen[0]) && p.str(&r.Method)
		case "url":
			return once(&seen[1]) && p.str(&r.URL)
		case "headers":
			return once(&seen[2]) && p.headers(&r.Headers)
		case "body":
			return once(&seen[3]) && p.str(&r.Body)
		}
		return false
	})
}

func (p *scanner) context(c *sigconform.Context) bool {
	var seen [11]bool
	return p.object(func(key string) bool {
		switch key {
		case "time":
			return once(&seen[0]) && p.str(&c.Time)
		case "region":
			return once(&seen[1]) && p.str(&c.Region)
		case "service":
			return once(&seen[2]) && p.str(&c.Service)
		case "signature_version":
			return once(&seen[3]) && p.str(&c.SignatureVersion)
		case "signature_method":
			return once(&seen[4]) && p.str(&c.SignatureMethod)
		case "expires":
			return once(&seen[5]) && p.str(&c.Expires)
		case "normalize_path":
			c.NormalizePath = new(bool)
			return once(&seen[6]) && p.boolean(c.NormalizePath)
		case "sign_body":
			return once(&seen[7]) && p.boolean(&c.SignBody)
		case "unsigned_payload":
			return once(&seen[8]) && p.boolean(&c.UnsignedPayload)
		case "presign_expires":
			return once(&seen[9]) && p.integer(&c.PresignExpires)
		case "omit_session_token":
			return once(&seen[10]) && p.boolean(&c.OmitSessionToken)
		}
		return false
	})
}

// integer reads -?(0|[1-9][0-9]*) that fits an int: no fraction, no
// exponent.
func (p *scanner) integer(out *int) bool {
	p.ws()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || (p.b[digits] == '0' && p.i-digits > 1) {
		return false
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return false
	}
	n, err := strconv.Atoi(string(p.b[start:p.i]))
	*out = n
	return err == nil
}
