package server

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/sigconform/sigconform"
	"github.com/sigconform/sigconform/scheme/zstack"
)

// Response is what the server answers.
type Response struct {
	Status      int
	ContentType string
	Body        string
}

// Write sends resp.
func (resp Response) Write(w http.ResponseWriter) {
	if resp.ContentType != "" {
		w.Header().Set("Content-Type", resp.ContentType)
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write([]byte(resp.Body))
}

// Dialect is how one scheme's real server routes and answers.
type Dialect struct {
	// Routed reports whether the server checks signatures at path; other
	// paths are answered 404 without checking.
	Routed func(path string) bool
	// Accepted and Refused build the answers.
	Accepted func(req sigconform.Request) Response
	Refused  func(req sigconform.Request, v sigconform.Verdict) Response
}

// DialectFor returns the dialect of the scheme named name.
func DialectFor(name string) (Dialect, bool) {
	switch name {
	case "cloudstack":
		return Dialect{Routed: cloudstackRouted, Accepted: cloudstackAccepted, Refused: cloudstackRefused}, true
	case "zstack":
		return Dialect{Routed: zstackRouted, Accepted: zstackAccepted, Refused: zstackRefused}, true
	case "sigv4", "sigv2":
		return Dialect{Routed: func(string) bool { return true }, Accepted: awsAccepted, Refused: awsRefused}, true
	}
	return Dialect{}, false
}

// NotFound is the answer for a path the scheme's server does not serve.
func NotFound() Response {
	return Response{Status: http.StatusNotFound, ContentType: "text/plain; charset=utf-8", Body: "404 page not found\n"}
}

// --- CloudStack ------------------------------------------------------------

const (
	cloudstackAuthError = "unable to verify user credentials and/or request signature"
	// ConsoleDenied is what ConsoleProxyServlet writes, with status 200,
	// when verifyRequest fails (sendResponse sets text/html and prints it).
	ConsoleDenied = "Access denied. Invalid web session or API key in request"
)

func cloudstackRouted(path string) bool {
	return path == "/client/api" || path == "/client/console"
}

func isConsolePath(req sigconform.Request) bool {
	return requestPath(req.URL) == "/client/console"
}

// cloudstackParams reads command and response the way the servlet's
// container does: query, then a form body; first value wins.
func cloudstackParams(req sigconform.Request) url.Values {
	_, q, _ := strings.Cut(req.URL, "?")
	v, _ := url.ParseQuery(q)
	if strings.EqualFold(req.Method, "POST") {
		if ct, _ := req.Header("Content-Type"); strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
			form, _ := url.ParseQuery(req.Body)
			for k, vs := range form {
				v[k] = append(v[k], vs...)
			}
		}
	}
	return v
}

// cloudstackResponseName is the wrapper element: <command>response in lower
// case, or errorresponse without a command (ApiServer.getSerializedApiError).
func cloudstackResponseName(p url.Values) string {
	if c := p.Get("command"); c != "" {
		return strings.ToLower(c) + "response"
	}
	return "errorresponse"
}

func cloudstackJSON(p url.Values) bool { return strings.EqualFold(p.Get("response"), "json") }

func cloudstackAccepted(req sigconform.Request) Response {
	if isConsolePath(req) {
		return Response{Status: http.StatusOK, ContentType: "text/html",
			Body: "<html><head><title>console</title></head><body>console access granted (sigconform serve)</body></html>\n"}
	}
	p := cloudstackParams(req)
	name := cloudstackResponseName(p)
	if cloudstackJSON(p) {
		b, _ := json.Marshal(map[string]any{name: map[string]any{}})
		return Response{Status: http.StatusOK, ContentType: "application/json; charset=UTF-8", Body: string(b)}
	}
	return Response{Status: http.StatusOK, ContentType: "text/xml; charset=UTF-8",
		Body: xml.Header + "<" + name + "></" + name + ">"}
}

// cloudstackRefused is ApiServlet's 401 for every refusal (research F1.6),
// and, under /client/console, ConsoleProxyServlet's 200 "Access denied".
func cloudstackRefused(req sigconform.Request, _ sigconform.Verdict) Response {
	if isConsolePath(req) {
		return Response{Status: http.StatusOK, ContentType: "text/html", Body: ConsoleDenied}
	}
	p := cloudstackParams(req)
	name := cloudstackResponseName(p)
	if cloudstackJSON(p) {
		b, _ := json.Marshal(map[string]any{name: struct {
			ErrorCode int    `json:"errorcode"`
			ErrorText string `json:"errortext"`
		}{401, cloudstackAuthError}})
		return Response{Status: http.StatusUnauthorized, ContentType: "application/json; charset=UTF-8", Body: string(b)}
	}
	return Response{Status: http.StatusUnauthorized, ContentType: "text/xml; charset=UTF-8",
		Body: xml.Header + "<" + name + "><errorcode>401</errorcode><errortext>" + cloudstackAuthError + "</errortext></" + name + ">"}
}

// --- ZStack ----------------------------------------------------------------

func zstackRouted(path string) bool {
	return path == zstack.ContextPath+"/v1" || strings.HasPrefix(path, zstack.ContextPath+"/v1/")
}

func zstackAccepted(sigconform.Request) Response {
	return Response{Status: http.StatusOK, ContentType: "application/json; charset=utf-8", Body: "{}"}
}

// zstackRefused is RestServer's RestException: a plain-text message with
// its status, chosen in the server's order of checks (see scheme/zstack).
func zstackRefused(req sigconform.Request, v sigconform.Verdict) Response {
	text := func(status int, msg string) Response {
		return Response{Status: status, ContentType: "text/plain; charset=utf-8", Body: msg}
	}
	auth, ok := req.Header("Authorization")
	if !ok {
		return text(http.StatusBadRequest, "missing header 'Authorization'")
	}
	typ, keyPart, _ := strings.Cut(strings.TrimSpace(auth), " ")
	if !strings.EqualFold(typ, zstack.AuthType) && !strings.EqualFold(typ, "OAuth") {
		return text(http.StatusBadRequest, "Authorization type must be 'OAuth'")
	}
	date, ok := req.Header("Date")
	if !ok {
		return text(http.StatusBadRequest, "'Date' must be incuded in request header")
	}
	if _, err := zstack.ParseDate(date); err != nil {
		return text(http.StatusBadRequest, "'Date' format error, correct format is 'EEE, dd MMM yyyy HH:mm:ss z'")
	}
	switch v.Reason {
	case sigconform.Expired:
		return text(http.StatusForbidden, "requestTimeTooSkewed")
	case sigconform.Malformed, sigconform.MissingParameter:
		return text(http.StatusBadRequest, "accessKey format is 'ZStack AccessKeyId:Signature'")
	case sigconform.UnknownKey:
		id, _, _ := strings.Cut(strings.TrimSpace(keyPart), ":")
		return text(http.StatusForbidden, fmt.Sprintf("access key id: %s does not existed or disabled", id))
	}
	return text(http.StatusForbidden, "wrong accessKey signature")
}

// --- AWS (SigV4, SigV2) ----------------------------------------------------

// AWSError is the Query API's error body.
type AWSError struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// AWSCode is the error code and status AWS documents for a refusal
// ("Common Errors" of the Query APIs).
func AWSCode(req sigconform.Request, v sigconform.Verdict) (code string, status int, message string) {
	switch v.Reason {
	case sigconform.Expired:
		return "RequestExpired", http.StatusBadRequest, "Request has expired."
	case sigconform.UnknownKey:
		return "InvalidClientTokenId", http.StatusForbidden, "The security token included in the request is invalid."
	case sigconform.MissingParameter, sigconform.Malformed:
		if !hasAWSAuth(req) {
			return "MissingAuthenticationToken", http.StatusForbidden, "Request is missing Authentication Token"
		}
		return "IncompleteSignature", http.StatusBadRequest, "The request signature does not conform to AWS standards."
	}
	return "SignatureDoesNotMatch", http.StatusForbidden,
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
}

func hasAWSAuth(req sigconform.Request) bool {
	if _, ok := req.Header("Authorization"); ok {
		return true
	}
	_, q, _ := strings.Cut(req.URL, "?")
	all := q + "&" + req.Body
	for _, tok := range strings.Split(all, "&") {
		name, _, _ := strings.Cut(tok, "=")
		switch name {
		case "X-Amz-Signature", "X-Amz-Credential", "Signature", "AWSAccessKeyId":
			return true
		}
	}
	return false
}

var requestID atomic.Uint64

func nextRequestID() string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", requestID.Add(1))
}

// awsAccepted answers an accepted AWS request with the smallest body the
// SDKs parse without error. A JSON-protocol request (X-Amz-Target, as SQS,
// DynamoDB and KMS are called today) gets an empty JSON object. A Query
// request gets <ActionResponse> with an empty <ActionResult>, which the
// SDKs' query parsers require even for an action with no output; STS
// GetCallerIdentity, the call a client uses to check its keys, gets an
// identity made from the access key.
func awsAccepted(req sigconform.Request) Response {
	if target, ok := req.Header("X-Amz-Target"); ok && target != "" {
		return Response{Status: http.StatusOK, ContentType: "application/x-amz-json-1.0", Body: "{}"}
	}
	action := "Sigconform"
	_, q, _ := strings.Cut(req.URL, "?")
	vals, _ := url.ParseQuery(q)
	if a := vals.Get("Action"); a != "" {
		action = a
	} else if form, err := url.ParseQuery(req.Body); err == nil && form.Get("Action") != "" {
		action = form.Get("Action")
	}
	if !validXMLName(action) {
		action = "Sigconform"
	}
	result := "<" + action + "Result/>"
	if action == "GetCallerIdentity" {
		result = "<GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:user/sigconform</Arn>" +
			"<UserId>" + xmlText(accessKeyOf(req)) + "</UserId><Account>000000000000</Account></GetCallerIdentityResult>"
	}
	body := xml.Header + "<" + action + "Response>" + result + "<ResponseMetadata><RequestId>" + nextRequestID() +
		"</RequestId></ResponseMetadata></" + action + "Response>"
	return Response{Status: http.StatusOK, ContentType: "text/xml", Body: body}
}

func awsRefused(req sigconform.Request, v sigconform.Verdict) Response {
	code, status, msg := AWSCode(req, v)
	b, _ := xml.Marshal(AWSError{Type: "Sender", Code: code, Message: msg, RequestID: nextRequestID()})
	return Response{Status: status, ContentType: "text/xml", Body: xml.Header + string(b)}
}

func validXMLName(s string) bool {
	for i, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// requestPath is the path of a raw absolute URL, without the query.
func requestPath(raw string) string {
	base, _, _ := strings.Cut(raw, "?")
	if i := strings.Index(base, "://"); i >= 0 {
		rest := base[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	return base
}

// accessKeyOf returns the access key an AWS request names: in the
// Credential of its Authorization header or X-Amz-Credential parameter
// (SigV4), or its AWSAccessKeyId parameter (SigV2).
func accessKeyOf(req sigconform.Request) string {
	_, q, _ := strings.Cut(req.URL, "?")
	vals, _ := url.ParseQuery(q)
	if form, err := url.ParseQuery(req.Body); err == nil {
		for k, v := range form {
			vals[k] = append(vals[k], v...)
		}
	}
	if k := vals.Get("AWSAccessKeyId"); k != "" {
		return k
	}
	cred := vals.Get("X-Amz-Credential")
	if auth, ok := req.Header("Authorization"); ok {
		if _, c, ok := strings.Cut(auth, "Credential="); ok {
			cred = c
		}
	}
	key, _, _ := strings.Cut(cred, "/")
	return key
}

// xmlText escapes s for XML character data.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
