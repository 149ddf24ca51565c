package terraform

// blockSchema names the nested block types of a resource type. Native HCL
// shows blocks in its syntax, but JSON configuration cannot tell a block from
// an object-valued attribute, and the blocks made by dynamic expansion hide
// their syntax; for those the schema decides. Attributes need no schema.
type blockSchema struct {
	blocks map[string]*blockSchema
	// only, when set, are the attributes evaluated: the others stay
	// unknown. An upload (aws_s3_object) matters for its bucket, key, ACL
	// and encryption; its content, source and etag would read and hash
	// files.
	only map[string]bool
}

// evaluates reports whether the schema's body has the attribute evaluated.
func (s *blockSchema) evaluates(name string) bool {
	return s == nil || s.only == nil || s.only[name]
}

// hasBlock reports whether the schema has blocks of the type.
func (s *blockSchema) hasBlock(typ string) bool {
	if s == nil {
		return false
	}
	_, ok := s.blocks[typ]
	return ok
}

func (s *blockSchema) child(typ string) *blockSchema {
	if s == nil {
		return nil
	}
	return s.blocks[typ]
}

// b builds a schema from nested block names and their schemas.
func b(kv ...any) *blockSchema {
	s := &blockSchema{blocks: map[string]*blockSchema{}}
	for i := 0; i+1 < len(kv); i += 2 {
		s.blocks[kv[i].(string)] = kv[i+1].(*blockSchema)
	}
	return s
}

var leaf = &blockSchema{}

// uploadSchema is that of the resources that upload an object.
var uploadSchema = &blockSchema{only: map[string]bool{"bucket": true, "key": true, "acl": true, "server_side_encryption": true}}

// schemas lists the resource and data types s3lint models, keyed by
// "resource.TYPE" or "data.TYPE". Types not listed are still counted and
// referenced, but their attributes are unknown.
var schemas = map[string]*blockSchema{
	"resource.aws_s3_bucket": b(
		"versioning", leaf,
		"server_side_encryption_configuration", b("rule", b("apply_server_side_encryption_by_default", leaf)),
		"logging", leaf,
		"grant", leaf,
		"website", leaf,
		"cors_rule", leaf,
		"lifecycle_rule", b("expiration", leaf, "transition", leaf, "noncurrent_version_expiration", leaf,
			"noncurrent_version_transition", leaf),
		"object_lock_configuration", b("rule", b("default_retention", leaf)),
		"replication_configuration", b("rules", b("destination", b("access_control_translation", leaf, "metrics", leaf,
			"replication_time", leaf), "filter", leaf, "source_selection_criteria", b("sse_kms_encrypted_objects", leaf))),
		"timeouts", leaf,
	),
	"resource.aws_s3_bucket_policy": leaf,
	"resource.aws_s3_object":        uploadSchema,
	"resource.aws_s3_bucket_object": uploadSchema, // the provider's name before version 4
	"resource.aws_s3_object_copy":   uploadSchema,
	"resource.aws_s3_bucket_inventory": b("destination", b("bucket", b("encryption", b("sse_kms", leaf, "sse_s3", leaf))),
		"filter", leaf, "schedule", leaf),
	"resource.aws_s3_bucket_analytics_configuration": b("filter", leaf, "storage_class_analysis",
		b("data_export", b("destination", b("s3_bucket_destination", leaf)))),
	"resource.aws_s3_bucket_replication_configuration": b("rule", b("filter", b("and", leaf, "tag", leaf),
		"destination", b("encryption_configuration", leaf, "access_control_translation", leaf, "metrics", b("event_threshold", leaf),
			"replication_time", b("time", leaf)),
		"source_selection_criteria", b("sse_kms_encrypted_objects", leaf, "replica_modifications", leaf),
		"delete_marker_replication", leaf, "existing_object_replication", leaf)),
	"resource.aws_s3_bucket_acl":                  b("access_control_policy", b("grant", b("grantee", leaf), "owner", leaf)),
	"resource.aws_s3_bucket_public_access_block":  leaf,
	"resource.aws_s3_account_public_access_block": leaf,
	"resource.aws_s3_bucket_ownership_controls":   b("rule", leaf),
	"resource.aws_s3_bucket_versioning":           b("versioning_configuration", leaf),
	"resource.aws_s3_bucket_logging":              b("target_grant", b("grantee", leaf), "target_object_key_format", leaf),
	"resource.aws_s3_bucket_server_side_encryption_configuration": b(
		"rule", b("apply_server_side_encryption_by_default", leaf)),
	"resource.aws_s3_bucket_lifecycle_configuration":       b("rule", leaf),
	"resource.aws_s3_bucket_request_payment_configuration": leaf,
	"resource.aws_s3_access_point":                         b("public_access_block_configuration", leaf, "vpc_configuration", leaf),
	"resource.aws_s3control_access_point_policy":           leaf,
	"resource.aws_s3_bucket_website_configuration":         b("index_document", leaf, "error_document", leaf),
	"resource.aws_cloudtrail": b("event_selector", b("data_resource", leaf), "advanced_event_selector",
		b("field_selector", leaf), "insight_selector", leaf),
	"resource.aws_lb":                                    b("access_logs", leaf, "connection_logs", leaf, "subnet_mapping", leaf),
	"resource.aws_alb":                                   b("access_logs", leaf, "connection_logs", leaf, "subnet_mapping", leaf),
	"resource.aws_elb":                                   b("access_logs", leaf, "listener", leaf, "health_check", leaf),
	"resource.aws_config_delivery_channel":               b("snapshot_delivery_properties", leaf),
	"resource.aws_config_configuration_recorder":         b("recording_group", b("exclusion_by_resource_types", leaf, "recording_strategy", leaf), "recording_mode", b("recording_mode_override", leaf)),
	"resource.aws_wafv2_web_acl_logging_configuration":   b("logging_filter", b("filter", b("condition", b("action_condition", leaf, "label_name_condition", leaf))), "redacted_fields", b("single_header", leaf, "uri_path", leaf, "query_string", leaf, "method", leaf)),
	"resource.aws_flow_log":                              b("destination_options", leaf),
	"resource.aws_route53_resolver_query_log_config":     leaf,
	"resource.aws_networkfirewall_logging_configuration": b("logging_configuration", b("log_destination_config", leaf)),
	"resource.aws_msk_cluster": b("logging_info", b("broker_logs", b("s3", leaf, "cloudwatch_logs", leaf, "firehose", leaf)),
		"broker_node_group_info", b("storage_info", b("ebs_storage_info", b("provisioned_throughput", leaf)), "connectivity_info", b("public_access", leaf, "vpc_connectivity", leaf)),
		"client_authentication", leaf, "configuration_info", leaf, "encryption_info", b("encryption_in_transit", leaf), "open_monitoring", leaf),
	"resource.aws_cloudfront_distribution":           b("logging_config", leaf, "default_cache_behavior", b("function_association", leaf, "lambda_function_association", leaf, "forwarded_values", b("cookies", leaf)), "ordered_cache_behavior", b("function_association", leaf, "lambda_function_association", leaf, "forwarded_values", b("cookies", leaf)), "origin_group", b("failover_criteria", leaf, "member", leaf), "origin", b("s3_origin_config", leaf, "custom_origin_config", leaf, "custom_header", leaf, "origin_shield", leaf, "vpc_origin_config", leaf)),
	"resource.aws_cloudfront_origin_access_identity": leaf,
	"resource.aws_kms_key":                           leaf,
	"resource.aws_kms_replica_key":                   leaf,
	"resource.aws_kms_key_policy":                    leaf,
	"resource.aws_kms_alias":                         leaf,
	"resource.aws_kms_grant":                         b("constraints", leaf),
	"resource.aws_iam_policy":                        leaf,
	"resource.aws_iam_role_policy":                   leaf,
	"resource.aws_iam_user_policy":                   leaf,
	"resource.aws_iam_group_policy":                  leaf,
	"resource.aws_iam_role":                          b("inline_policy", leaf),
	"resource.aws_iam_user":                          leaf,
	"resource.aws_iam_group":                         leaf,
	"resource.aws_iam_role_policy_attachment":        leaf,
	"resource.aws_iam_user_policy_attachment":        leaf,
	"resource.aws_iam_group_policy_attachment":       leaf,
	"resource.aws_iam_policy_attachment":             leaf,
	"resource.aws_iam_group_membership":              leaf,
	"resource.aws_iam_user_group_membership":         leaf,
	"resource.aws_vpc_endpoint":                      b("dns_options", leaf, "subnet_configuration", leaf),
	"resource.aws_vpc":                               leaf,
	"resource.aws_vpc_endpoint_policy":               leaf,
	"data.aws_iam_policy_document": b("statement", b(
		"principals", leaf, "not_principals", leaf, "condition", leaf)),
	"data.aws_caller_identity":     leaf,
	"data.aws_elb_service_account": leaf,
	"data.aws_partition":           leaf,
	"data.aws_region":              leaf,
	"data.template_file":           leaf,
	"data.aws_s3_bucket":           leaf,
	"data.aws_iam_role":            leaf,
	"data.aws_iam_policy":          leaf,
	"data.aws_kms_key":             leaf,
	"data.aws_kms_alias":           leaf,
	"data.aws_vpc_endpoint":        leaf,
}
