package cloudstack

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"slices"
	"strings"
)

// StageCommandString is the name of the one stage: the lowercased string
// that is HMACed.
const StageCommandString = "command_string"

// CommandString is the string ApiServer.verifyRequest HMACs for params:
// names sorted as Java sorts Strings, the signature parameter (any case)
// left out, name=EncodeValue(value) joined with '&', the whole lowercased.
func CommandString(params Params) string {
	s, _ := CommandStringVariant(params, "")
	return s
}

// CommandStringVariant is CommandString as the named variant computes it.
// A map has no order, so names that lowercase-then-sort and libcloud find
// equal once lowercased are put in the order of their texts here; Sign and
// Explain keep them in the request's order (see rules.commandString).
func CommandStringVariant(params Params, variant string) (string, error) {
	rl, err := rulesFor(variant)
	if err != nil {
		return "", err
	}
	return rl.commandString(params, nil), nil
}

// commandString builds rl's command string over params. names lists the
// parameter names in the request's order (nil: unknown). Two names compare
// equal only when rl lowercases them before sorting (Foo and foo): they then
// keep the request's order, as libcloud's stable list.sort over the
// request's parameters keeps them (as does any stable sort by the guide's
// field); a name missing from names comes after those listed, and names
// still tied go by their text.
func (rl rules) commandString(params Params, names []string) string {
	type pair struct {
		key, text string
		pos       int // index in names, len(names) if absent
	}
	pos := make(map[string]int, len(names))
	for i, n := range names {
		pos[n] = i
	}
	pairs := make([]pair, 0, len(params))
	for name, value := range params {
		if strings.EqualFold(name, "signature") {
			continue
		}
		p := pair{pos: len(names)}
		if i, ok := pos[name]; ok {
			p.pos = i
		}
		if rl.sortLowered {
			name = JavaLowerCase(name)
		}
		p.key = name
		if rl.encodeName != nil {
			name = rl.encodeName(name)
		}
		p.text = name + "=" + rl.encode(value)
		if rl.brackets {
			p.text = csclientBrackets(p.text)
		}
		if rl.order == pairOrder {
			p.key = p.text
		}
		pairs = append(pairs, p)
	}
	compare := CompareJava
	if rl.order == codepointOrder {
		compare = strings.Compare // byte order of UTF-8 is code point order
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := compare(a.key, b.key); c != 0 {
			return c
		}
		if c := cmp.Compare(a.pos, b.pos); c != 0 {
			return c // names equal once lowercased: the request's order
		}
		return compare(a.text, b.text)
	})
	texts := make([]string, len(pairs))
	for i, p := range pairs {
		texts[i] = p.text
	}
	s := strings.Join(texts, "&")
	if rl.noLower {
		return s
	}
	return JavaLowerCase(s)
}

// MAC is HMAC-SHA1 of the command string with the secret key, both as UTF-8
// (Java's getBytes() with a UTF-8 default charset).
func MAC(secretKey, commandString string) []byte {
	m := hmac.New(sha1.New, []byte(secretKey))
	m.Write([]byte(commandString))
	return m.Sum(nil)
}

// Signature is the signature the server expects: standard Base64 with
// padding (commons-codec Base64.encodeBase64String) of MAC.
func Signature(secretKey, commandString string) string {
	return base64.StdEncoding.EncodeToString(MAC(secretKey, commandString))
}

// sign computes rl's command string over params (the signature parameter
// left out; names in the request's order, as for commandString), its HMAC
// and the signature as rl writes it.
func (rl rules) sign(secretKey string, params Params, names []string) (commandString string, mac []byte, signature string) {
	commandString = rl.commandString(params, names)
	mac = MAC(secretKey, commandString)
	return commandString, mac, rl.write(mac)
}

func (rl rules) write(mac []byte) string {
	if rl.urlSafe {
		return base64.RawURLEncoding.EncodeToString(mac)
	}
	return base64.StdEncoding.EncodeToString(mac)
}
