package funcs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// awsProviderFuncs returns the functions of the hashicorp/aws provider
// (v5.40+), under the names Terraform gives provider functions.
func awsProviderFuncs() map[string]function.Function {
	return map[string]function.Function{
		"provider::aws::arn_build":          arnBuildFunc,
		"provider::aws::arn_parse":          arnParseFunc,
		"provider::aws::trim_iam_role_path": trimIAMRolePathFunc,
	}
}

// arnType is the object arn_parse returns.
var arnType = cty.Object(map[string]cty.Type{
	"partition":  cty.String,
	"service":    cty.String,
	"region":     cty.String,
	"account_id": cty.String,
	"resource":   cty.String,
})

// splitARN splits an ARN into its six colon-separated sections (the last,
// the resource, may itself contain colons), as the AWS SDK does.
func splitARN(arn string) ([]string, error) {
	if !strings.HasPrefix(arn, "arn:") {
		return nil, errors.New("arn: invalid prefix")
	}
	sections := strings.SplitN(arn, ":", 6)
	if len(sections) != 6 {
		return nil, errors.New("arn: not enough sections")
	}
	return sections, nil
}

// arnParseFunc is provider::aws::arn_parse(arn).
var arnParseFunc = function.New(&function.Spec{
	Description:  "Parses an ARN into its partition, service, region, account_id and resource.",
	Params:       []function.Parameter{{Name: "arn", Type: cty.String}},
	Type:         function.StaticReturnType(arnType),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s, err := splitARN(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		return cty.ObjectVal(map[string]cty.Value{
			"partition":  cty.StringVal(s[1]),
			"service":    cty.StringVal(s[2]),
			"region":     cty.StringVal(s[3]),
			"account_id": cty.StringVal(s[4]),
			"resource":   cty.StringVal(s[5]),
		}), nil
	},
})

// arnBuildFunc is provider::aws::arn_build(partition, service, region,
// account_id, resource). Like the provider, it does not validate the parts.
var arnBuildFunc = function.New(&function.Spec{
	Description: "Builds an ARN from its parts.",
	Params: []function.Parameter{
		{Name: "partition", Type: cty.String},
		{Name: "service", Type: cty.String},
		{Name: "region", Type: cty.String},
		{Name: "account_id", Type: cty.String},
		{Name: "resource", Type: cty.String},
	},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		parts := []string{"arn"}
		for _, a := range args {
			parts = append(parts, a.AsString())
		}
		return cty.StringVal(strings.Join(parts, ":")), nil
	},
})

// trimIAMRolePathFunc is provider::aws::trim_iam_role_path(arn): an IAM role
// ARN without the role's path, as some services require.
var trimIAMRolePathFunc = function.New(&function.Spec{
	Description:  "Removes the path from an IAM role ARN.",
	Params:       []function.Parameter{{Name: "arn", Type: cty.String}},
	Type:         function.StaticReturnType(cty.String),
	RefineResult: refineNotNull,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		arn := args[0].AsString()
		s, err := splitARN(arn)
		if err != nil {
			return cty.NilVal, function.NewArgError(0, err)
		}
		if s[2] != "iam" || !strings.HasPrefix(s[5], "role/") {
			return cty.NilVal, function.NewArgError(0, fmt.Errorf("invalid IAM role ARN (%s)", arn))
		}
		name := s[5][strings.LastIndexByte(s[5], '/')+1:]
		return cty.StringVal(strings.Join(append(s[:5], "role/"+name), ":")), nil
	},
})
