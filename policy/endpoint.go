package policy

import (
	"net/url"
	"strings"
)

// CustomEndpoint reports an S3 endpoint URL (a Terraform provider's
// endpoints { s3 = … }) that sends requests to something other than AWS —
// MinIO, LocalStack, Ceph — whose defaults and checks s3lint does not
// model. "" is the provider's default endpoint, and AWS's own hosts (FIPS,
// dual-stack, GovCloud, China, VPC interface endpoints) are AWS.
func CustomEndpoint(endpoint string) bool {
	endpoint = strings.TrimSpace(endpoint)
	if endpoint == "" {
		return false
	}
	host := endpoint
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		host = u.Host
	}
	host = strings.ToLower(host)
	if h, _, found := strings.Cut(host, ":"); found {
		host = h
	}
	for _, aws := range []string{".amazonaws.com", ".amazonaws.com.cn", ".api.aws"} {
		if strings.HasSuffix(host, aws) {
			return false
		}
	}
	return true
}

// CustomEndpointNote says, once per provider configuration, that its S3
// resources are left unchecked because of CustomEndpoint.
func CustomEndpointNote(provider string) string {
	return "provider " + provider + " sends S3 requests to a custom endpoint, not to AWS: s3lint does not check its buckets and their settings"
}
