package zstack

import (
	"fmt"

	"github.com/sigconform/sigconform"
)

// The named variants.
const (
	// WithContextPrefix signs the full request path, servlet context path
	// included (/zstack/v1/vm-instances); the server strips /zstack first.
	WithContextPrefix = "with-context-prefix"
	// WithQueryString signs the path followed by "?" and the query string
	// as sent; the server never signs the query.
	WithQueryString = "with-query-string"
	// CheckTimeZone is a server with rest.checkTimeZone=true: the Date is
	// compared with the clock as an instant, its zone taken into account.
	CheckTimeZone = "check-time-zone"
)

const (
	refRestServer = "MatheMatrix/zstack@5fee17db6093fd0afc8e167982b3f2cf6cfbe0c1:rest/src/main/java/org/zstack/rest/RestServer.java " +
		"(handleApi: params.uri = getDecodedUrl(req); checkTime/checkTimeSkewing)"
	refDoc = "https://www.zstack.io/help/dev_manual/dev_guide/v5/3.html (API Call with AccessKey: signs uri " +
		"\"/v1/vm-instances\", sends the request to http://172.20.11.134:8080/zstack/v1/vm-instances; shared/seeds/001)"
)

var variants = []sigconform.Variant{
	{
		Name: WithContextPrefix,
		Summary: "signs the request path with the servlet context path (/zstack/v1/vm-instances instead of " +
			"/v1/vm-instances); the server removes the context path before verifying and answers 403 " +
			"'wrong accessKey signature'",
		Refs: []string{
			refRestServer,
			refDoc,
			"yunionio/cloudmux@dd5b1253884c6b767acffba4577c9f7312b37f38:pkg/multicloud/zstack/zstack.go " +
				"(getSignUrl: strings.TrimPrefix(u.Path, \"/zstack\") — clients must strip it themselves)",
		},
		Signs: true,
	},
	{
		Name: WithQueryString,
		Summary: "signs the path followed by '?' and the query string as sent; the server signs " +
			"getRequestURI(), which has no query, so any request with query parameters fails with 403 " +
			"'wrong accessKey signature'",
		Refs: []string{
			refRestServer,
			"https://github.com/zstackio/zstack/issues/1308 (GET with query parameters, signed with the " +
				"documentation's script, fails with 'wrong accessKey signature'; without parameters it works)",
			"zstackio/zstack@9ad4509e0c59ae0ec15cd5bc1b42ee6ec6ea276e:sdk/src/main/java/org/zstack/sdk/ZSClient.java " +
				"(calculateAccessKeySignature signs \"/v1\" + path; query parameters are added to the URL only)",
		},
		Signs: true,
	},
	{
		Name: CheckTimeZone,
		Summary: "server with rest.checkTimeZone=true: the Date is compared with the clock as an instant, " +
			"its zone applied; by default (false) the zone is ignored and wall clocks are compared",
		Refs: []string{
			refRestServer,
			"zstackio/zstack@33f7a18f567b6b7ab74525be6fef3b93387edd01:conf/globalConfig/rest.xml " +
				"(rest.checkTimeZone, defaultValue false)",
			"zstackio/zstack@270e033ea9f1b4255238852a95c8bb8d747407e5:rest/src/main/java/org/zstack/rest/RestGlobalConfig.java (CHECK_TIME_ZONE)",
		},
		Verifies: true,
	},
}

func (scheme) Variants() []sigconform.Variant { return sigconform.CloneVariants(variants) }

// rules are the switches a variant turns.
type rules struct {
	contextPrefix bool // sign the path with the servlet context path
	queryString   bool // sign "?" and the query as sent after the path
	byInstant     bool // compare the Date with the clock as an instant (rest.checkTimeZone=true)
}

// rulesFor returns the rules of variant ("" is the reference), or an error
// wrapping sigconform.ErrUnknownVariant.
func rulesFor(variant string) (rules, error) {
	switch variant {
	case "":
		return rules{}, nil
	case WithContextPrefix:
		return rules{contextPrefix: true}, nil
	case WithQueryString:
		return rules{queryString: true}, nil
	case CheckTimeZone:
		return rules{byInstant: true}, nil
	}
	return rules{}, fmt.Errorf("zstack: %w %q", sigconform.ErrUnknownVariant, variant)
}
