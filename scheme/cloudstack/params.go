package cloudstack

import (
	"fmt"
	"strings"

	"github.com/sigconform/sigconform"
)

// Params is the parameter map a CloudStack servlet hands to verifyRequest:
// one value per name, names exactly as received (decoded, case kept).
type Params map[string]string

// ParseParams builds the map ApiServlet passes to ApiServer.verifyRequest
// from the raw query string (without '?') and an
// application/x-www-form-urlencoded body ("" if none):
//
//   - first the container's getParameterMap(): query tokens, then body
//     tokens, each decoded as UTF-8; the first value of a repeated name
//     counts (verifyRequest reads value[0]); a token without '=' is a name
//     with an empty value;
//   - then ApiServlet.utf8Fixup: every query token split by "&" that
//     contains '=' is decoded again with URLDecoder and put into the map,
//     replacing what was there, so the LAST "name=value" of a repeated query
//     name wins.
//
// A malformed percent escape is an error, as the container refuses it.
func ParseParams(rawQuery, form string) (Params, error) {
	p, _, err := apiParams(rawQuery, form)
	return p, err
}

// ParseConsoleParams builds the map ConsoleProxyServlet passes to its
// verifyRequest: the container's getParameterMap() alone, so the FIRST value
// of a repeated name counts.
func ParseConsoleParams(rawQuery, form string) (Params, error) {
	p, _, err := containerParams(rawQuery, form)
	return p, err
}

// apiParams is ParseParams, with the names in the request's order as
// containerParams gives them (utf8Fixup only puts names already there).
func apiParams(rawQuery, form string) (Params, []string, error) {
	p, names, err := containerParams(rawQuery, form)
	if err != nil {
		return nil, nil, err
	}
	for _, tok := range javaSplit(rawQuery, "&") {
		name, value, ok := strings.Cut(tok, "=")
		if !ok {
			continue // utf8Fixup logs "Invalid parameter in URL found" and skips it
		}
		n, v, err := decodePair(name, value)
		if err != nil {
			return nil, nil, err
		}
		p[n] = v
	}
	return p, names, nil
}

// containerParams is getParameterMap() reduced to value[0]. It also returns
// the names in the order the request first gives them, the query's before
// the body's: the order a client that signs the request's parameters as
// given holds them in (see form.commandString).
func containerParams(rawQuery, form string) (Params, []string, error) {
	p := Params{}
	var names []string
	for _, src := range []string{rawQuery, form} {
		for _, tok := range strings.Split(src, "&") {
			if tok == "" {
				continue
			}
			name, value, _ := strings.Cut(tok, "=")
			n, v, err := decodePair(name, value)
			if err != nil {
				return nil, nil, err
			}
			if _, seen := p[n]; !seen {
				p[n] = v
				names = append(names, n)
			}
		}
	}
	return p, names, nil
}

// decodePair is DecodeComponent of a parameter's name and of its value.
func decodePair(name, value string) (string, string, error) {
	n, err := DecodeComponent(name)
	if err != nil {
		return "", "", err
	}
	v, err := DecodeComponent(value)
	return n, v, err
}

// javaSplit is Java's String.split(sep) for a one-character literal sep:
// like strings.Split, but trailing empty strings are removed.
func javaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// lookupFold returns the value of the parameter whose name equalsIgnoreCase
// name. When several names match, the one last in Java sort order wins, as
// in verifyRequest's loop, which assigns on every match.
func (p Params) lookupFold(name string) (string, bool) {
	var (
		best  string
		value string
		found bool
	)
	for n, v := range p {
		if strings.EqualFold(n, name) && (!found || CompareJava(n, best) > 0) {
			best, value, found = n, v, true
		}
	}
	return value, found
}

// splitURL splits a raw request URL into the part before '?', the raw query
// and the path. A fragment is refused: it is never sent to a server.
func splitURL(raw string) (base, query, path string, err error) {
	if strings.Contains(raw, "#") {
		return "", "", "", fmt.Errorf("URL %q has a fragment", raw)
	}
	base, query, _ = strings.Cut(raw, "?")
	path = base
	if i := strings.Index(base, "://"); i >= 0 {
		rest := base[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			path = rest[j:]
		} else {
			path = "/"
		}
	}
	if path == "" || path[0] != '/' {
		return "", "", "", fmt.Errorf("URL %q has no absolute path", raw)
	}
	return base, query, path, nil
}

// formBody returns the body when the servlet container would parse it as
// parameters: a POST with Content-Type application/x-www-form-urlencoded.
func formBody(r sigconform.Request) string {
	if !strings.EqualFold(r.Method, "POST") {
		return ""
	}
	ct, _ := r.Header("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	if !strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded") {
		return ""
	}
	return r.Body
}

// isConsole reports whether path is served by ConsoleProxyServlet.
func isConsole(path string) bool { return strings.HasSuffix(path, "/client/console") }

// requestParams parses r as the servlet behind its path would; names are
// p's names in the order the request first gives them.
func requestParams(r sigconform.Request) (p Params, names []string, base, query string, console bool, err error) {
	base, query, path, err := splitURL(r.URL)
	if err != nil {
		return nil, nil, "", "", false, err
	}
	console = isConsole(path)
	if console {
		p, names, err = containerParams(query, formBody(r))
	} else {
		p, names, err = apiParams(query, formBody(r))
	}
	return p, names, base, query, console, err
}
