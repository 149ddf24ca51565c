package tfplan_test

// Plans and states written by hand in the format of `terraform show -json`
// (https://developer.hashicorp.com/terraform/internals/json-format), as
// Terraform 1.x writes them: policies are the text of jsonencode (compact,
// keys sorted) inside a JSON string; unknown attributes are left out of
// planned_values and after and set in after_unknown.

// modulesPlan has resources in the root module, in a for_each module
// instance and in a module nested in it, counted and for_each'd instances,
// a bucket being destroyed, one being replaced, one whose name Terraform
// chooses at apply, and the caller identity read while planning.
const modulesPlan = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "variables": {
    "env": {
      "value": "prod"
    }
  },
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.data",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "data",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "bucket": "acme-data-prod",
            "force_destroy": false,
            "tags": {
              "env": "prod"
            }
          },
          "sensitive_values": {
            "tags": {}
          }
        },
        {
          "address": "aws_s3_bucket.logs[0]",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "logs",
          "index": 0,
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "bucket": "acme-logs-0",
            "force_destroy": false
          },
          "sensitive_values": {}
        },
        {
          "address": "aws_s3_bucket.logs[1]",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "logs",
          "index": 1,
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "bucket": "acme-logs-1",
            "force_destroy": false
          },
          "sensitive_values": {}
        },
        {
          "address": "aws_s3_bucket.generated",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "generated",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "bucket_prefix": "gen-",
            "force_destroy": false
          },
          "sensitive_values": {}
        },
        {
          "address": "aws_s3_bucket.replaced",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "replaced",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "bucket": "acme-replaced",
            "force_destroy": true
          },
          "sensitive_values": {}
        },
        {
          "address": "aws_s3_bucket.unchanged",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "unchanged",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "arn": "arn:aws:s3:::acme-unchanged",
            "bucket": "acme-unchanged",
            "id": "acme-unchanged"
          },
          "sensitive_values": {}
        }
      ],
      "child_modules": [
        {
          "address": "module.site[\"blue\"]",
          "resources": [
            {
              "address": "module.site[\"blue\"].aws_s3_bucket.b[0]",
              "mode": "managed",
              "type": "aws_s3_bucket",
              "name": "b",
              "index": 0,
              "provider_name": "registry.terraform.io/hashicorp/aws",
              "schema_version": 0,
              "values": {
                "bucket": "acme-site-blue",
                "force_destroy": false
              },
              "sensitive_values": {}
            }
          ],
          "child_modules": [
            {
              "address": "module.site[\"blue\"].module.inner",
              "resources": [
                {
                  "address": "module.site[\"blue\"].module.inner.aws_s3_bucket.deep[\"a.b\"]",
                  "mode": "managed",
                  "type": "aws_s3_bucket",
                  "name": "deep",
                  "index": "a.b",
                  "provider_name": "registry.terraform.io/hashicorp/aws",
                  "schema_version": 0,
                  "values": {
                    "bucket": "acme-deep-blue",
                    "force_destroy": false
                  },
                  "sensitive_values": {}
                }
              ]
            }
          ]
        }
      ]
    }
  },
  "resource_changes": [
    {
      "address": "aws_s3_bucket.data",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "data",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {
          "bucket": "acme-data-prod",
          "force_destroy": false,
          "tags": {"env": "prod"}
        },
        "after_unknown": {
          "arn": true,
          "id": true,
          "policy": true,
          "tags": {}
        },
        "before_sensitive": false,
        "after_sensitive": {"tags": {}}
      }
    },
    {
      "address": "aws_s3_bucket.logs[0]",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "logs",
      "index": 0,
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {"bucket": "acme-logs-0", "force_destroy": false},
        "after_unknown": {"arn": true, "id": true},
        "before_sensitive": false,
        "after_sensitive": {}
      }
    },
    {
      "address": "aws_s3_bucket.logs[1]",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "logs",
      "index": 1,
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {"bucket": "acme-logs-1", "force_destroy": false},
        "after_unknown": {"arn": true, "id": true},
        "before_sensitive": false,
        "after_sensitive": {}
      }
    },
    {
      "address": "aws_s3_bucket.generated",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "generated",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {"bucket_prefix": "gen-", "force_destroy": false},
        "after_unknown": {"arn": true, "bucket": true, "id": true},
        "before_sensitive": false,
        "after_sensitive": {}
      }
    },
    {
      "address": "aws_s3_bucket.replaced",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "replaced",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["delete", "create"],
        "before": {"arn": "arn:aws:s3:::acme-replaced", "bucket": "acme-replaced", "force_destroy": false, "id": "acme-replaced"},
        "after": {"bucket": "acme-replaced", "force_destroy": true},
        "after_unknown": {"arn": true, "id": true},
        "before_sensitive": {},
        "after_sensitive": {},
        "replace_paths": [["force_destroy"]]
      },
      "action_reason": "replace_because_cannot_update"
    },
    {
      "address": "aws_s3_bucket.old",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "old",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["delete"],
        "before": {"arn": "arn:aws:s3:::acme-old", "bucket": "acme-old", "id": "acme-old"},
        "after": null,
        "after_unknown": {},
        "before_sensitive": {},
        "after_sensitive": false
      },
      "action_reason": "delete_because_no_resource_config"
    },
    {
      "address": "aws_s3_bucket.unchanged",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "unchanged",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["no-op"],
        "before": {"arn": "arn:aws:s3:::acme-unchanged", "bucket": "acme-unchanged", "id": "acme-unchanged"},
        "after": {"arn": "arn:aws:s3:::acme-unchanged", "bucket": "acme-unchanged", "id": "acme-unchanged"},
        "after_unknown": {},
        "before_sensitive": {},
        "after_sensitive": {}
      }
    },
    {
      "address": "module.site[\"blue\"].aws_s3_bucket.b[0]",
      "module_address": "module.site[\"blue\"]",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "b",
      "index": 0,
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {"bucket": "acme-site-blue", "force_destroy": false},
        "after_unknown": {"arn": true, "id": true},
        "before_sensitive": false,
        "after_sensitive": {}
      }
    },
    {
      "address": "module.site[\"blue\"].module.inner.aws_s3_bucket.deep[\"a.b\"]",
      "module_address": "module.site[\"blue\"].module.inner",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "deep",
      "index": "a.b",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {"bucket": "acme-deep-blue", "force_destroy": false},
        "after_unknown": {"arn": true, "id": true},
        "before_sensitive": false,
        "after_sensitive": {}
      }
    }
  ],
  "prior_state": {
    "format_version": "1.0",
    "terraform_version": "1.9.5",
    "values": {
      "root_module": {
        "resources": [
          {
            "address": "aws_s3_bucket.old",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "old",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": {"arn": "arn:aws:s3:::acme-old", "bucket": "acme-old", "id": "acme-old"},
            "sensitive_values": {}
          },
          {
            "address": "aws_s3_bucket.replaced",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "replaced",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": {"arn": "arn:aws:s3:::acme-replaced", "bucket": "acme-replaced", "force_destroy": false, "id": "acme-replaced"},
            "sensitive_values": {}
          },
          {
            "address": "aws_s3_bucket.unchanged",
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "unchanged",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": {"arn": "arn:aws:s3:::acme-unchanged", "bucket": "acme-unchanged", "id": "acme-unchanged"},
            "sensitive_values": {}
          },
          {
            "address": "data.aws_caller_identity.current",
            "mode": "data",
            "type": "aws_caller_identity",
            "name": "current",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": {
              "account_id": "111122223333",
              "arn": "arn:aws:iam::111122223333:user/ci",
              "id": "111122223333",
              "user_id": "AIDAEXAMPLE"
            },
            "sensitive_values": {}
          }
        ]
      }
    }
  },
  "configuration": {
    "provider_config": {
      "aws": {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "expressions": {
          "region": {
            "constant_value": "eu-west-1"
          }
        }
      }
    },
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.data",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "data",
          "provider_config_key": "aws",
          "expressions": {
            "bucket": {"references": ["var.env"]},
            "tags": {"references": ["var.env"]}
          },
          "schema_version": 0
        },
        {
          "address": "aws_s3_bucket.logs",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "logs",
          "provider_config_key": "aws",
          "expressions": {
            "bucket": {"references": ["count.index"]}
          },
          "schema_version": 0,
          "count_expression": {"constant_value": 2}
        },
        {
          "address": "aws_s3_bucket.generated",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "generated",
          "provider_config_key": "aws",
          "expressions": {
            "bucket_prefix": {"constant_value": "gen-"}
          },
          "schema_version": 0
        },
        {
          "address": "aws_s3_bucket.replaced",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "replaced",
          "provider_config_key": "aws",
          "expressions": {
            "bucket": {"constant_value": "acme-replaced"},
            "force_destroy": {"constant_value": true}
          },
          "schema_version": 0
        },
        {
          "address": "aws_s3_bucket.unchanged",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "unchanged",
          "provider_config_key": "aws",
          "expressions": {
            "bucket": {"constant_value": "acme-unchanged"}
          },
          "schema_version": 0
        },
        {
          "address": "data.aws_caller_identity.current",
          "mode": "data",
          "type": "aws_caller_identity",
          "name": "current",
          "provider_config_key": "aws",
          "schema_version": 0
        }
      ],
      "module_calls": {
        "site": {
          "source": "./modules/site",
          "expressions": {
            "color": {"references": ["each.key"]}
          },
          "for_each_expression": {"constant_value": ["blue"]},
          "module": {
            "resources": [
              {
                "address": "aws_s3_bucket.b",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "b",
                "provider_config_key": "aws",
                "expressions": {
                  "bucket": {"references": ["var.color"]}
                },
                "schema_version": 0,
                "count_expression": {"constant_value": 1}
              }
            ],
            "module_calls": {
              "inner": {
                "source": "./inner",
                "module": {
                  "resources": [
                    {
                      "address": "aws_s3_bucket.deep",
                      "mode": "managed",
                      "type": "aws_s3_bucket",
                      "name": "deep",
                      "provider_config_key": "aws",
                      "expressions": {
                        "bucket": {"references": ["each.value"]}
                      },
                      "schema_version": 0,
                      "for_each_expression": {"constant_value": {"a.b": "acme-deep-blue"}}
                    }
                  ]
                }
              }
            },
            "variables": {
              "color": {}
            }
          }
        }
      },
      "variables": {
        "env": {}
      }
    }
  },
  "timestamp": "2026-11-28T10:00:00Z",
  "applyable": true,
  "complete": true,
  "errored": false
}
`

// stateJSON is `terraform show -json` of a state: values only.
const stateJSON = `{
  "format_version": "1.0",
  "terraform_version": "1.9.5",
  "values": {
    "outputs": {
      "bucket": {"sensitive": false, "value": "acme-state", "type": "string"}
    },
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.state",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "state",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "arn": "arn:aws:s3:::acme-state",
            "bucket": "acme-state",
            "id": "acme-state",
            "policy": ""
          },
          "sensitive_values": {}
        },
        {
          "address": "data.aws_caller_identity.me",
          "mode": "data",
          "type": "aws_caller_identity",
          "name": "me",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {"account_id": "222233334444", "arn": "arn:aws:iam::222233334444:root", "id": "222233334444", "user_id": "222233334444"},
          "sensitive_values": {}
        },
        {
          "address": "aws_iam_role.state",
          "mode": "managed",
          "type": "aws_iam_role",
          "name": "state",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {
            "assume_role_policy": "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}",
            "name": "state-role",
            "path": "/"
          },
          "sensitive_values": {}
        }
      ]
    }
  }
}
`

// fixedPlan is a small valid plan, used beside broken files.
const fixedPlan = `{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.fixed",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "fixed",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {"bucket": "fixed-bucket", "force_destroy": false},
          "sensitive_values": {}
        }
      ]
    }
  },
  "resource_changes": [
    {
      "address": "aws_s3_bucket.fixed",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "fixed",
      "provider_name": "registry.terraform.io/hashicorp/aws",
      "change": {
        "actions": ["create"],
        "before": null,
        "after": {"bucket": "fixed-bucket", "force_destroy": false},
        "after_unknown": {"arn": true, "id": true},
        "before_sensitive": false,
        "after_sensitive": {}
      }
    }
  ],
  "configuration": {
    "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws"}},
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.fixed",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "fixed",
          "provider_config_key": "aws",
          "expressions": {"bucket": {"constant_value": "fixed-bucket"}},
          "schema_version": 0
        }
      ]
    }
  }
}
`

// onePlan is a plan of one resource: planned values, its change and its
// configuration. values and afterUnknown are JSON objects; exprs is the
// configuration's expressions object. The result is compact, one line per
// section, as a quick way to state small cases.
func onePlan(addr, typ, values, afterUnknown, exprs string) string {
	mode, name := "managed", addr
	if i := lastDot(addr); i >= 0 {
		name = addr[i+1:]
	}
	return `{"format_version":"1.2","terraform_version":"1.9.5",
"planned_values":{"root_module":{"resources":[{"address":"` + addr + `","mode":"` + mode + `","type":"` + typ + `","name":"` + name + `","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":` + values + `,"sensitive_values":{}}]}},
"resource_changes":[{"address":"` + addr + `","mode":"managed","type":"` + typ + `","name":"` + name + `","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":` + values + `,"after_unknown":` + afterUnknown + `,"before_sensitive":false,"after_sensitive":{}}}],
"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}},"root_module":{"resources":[{"address":"` + addr + `","mode":"managed","type":"` + typ + `","name":"` + name + `","provider_config_key":"aws","expressions":` + exprs + `,"schema_version":0}]}}}
`
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}
